/** Types of the API's requests and answers, inferred from the shared zod schemas in common/. */
import type { z } from 'zod';
import type {
  agencyDto,
  auditEventDto,
  auditPageDto,
  conflictDto,
  contactDto,
  contactListDto,
  contactSummaryDto,
  createAgencyInput,
  createdUserDto,
  createTaskForceInput,
  createUserInput,
  custodyDto,
  custodyReceiptInput,
  enrolmentResponse,
  handOffInput,
  hotlineDto,
  inboxItemDto,
  loginInput,
  loginResponse,
  meDto,
  mfaResponse,
  operationDto,
  operationSummaryDto,
  outcomeDto,
  parentNotificationInput,
  passwordChangeInput,
  planOperationInput,
  pressReleaseSummaryDto,
  receivedReferralDto,
  recordContactInput,
  recoveryCodesResponse,
  referContactInput,
  referralDto,
  restrictedContactDto,
  sentReferralDto,
  sessionDto,
  taskForceDto,
  updateAgencyInput,
  updateContactInput,
  updateCustodyInput,
  updateHotlineInput,
  updateOperationInput,
  updateUserInput,
  userDto,
} from '../../../common/schemas/index.ts';
import type { StatisticsJobDto as JobDto, statisticsReleaseListDto } from '../../../common/schemas/statistics.ts';
import type { Abilities } from '../../../common/actions.ts';

export type { Abilities };
export type MeDto = z.infer<typeof meDto>;
export type LoginInput = z.input<typeof loginInput>;
export type LoginResponse = z.infer<typeof loginResponse>;
export type MfaResponse = z.infer<typeof mfaResponse>;
export type EnrolmentResponse = z.infer<typeof enrolmentResponse>;
export type PasswordChangeInput = z.input<typeof passwordChangeInput>;
export type RecoveryCodesResponse = z.infer<typeof recoveryCodesResponse>;
export type SessionDto = z.infer<typeof sessionDto>;

export type AgencyDto = z.infer<typeof agencyDto>;
export type CreateAgencyInput = z.input<typeof createAgencyInput>;
export type UpdateAgencyInput = z.input<typeof updateAgencyInput>;
export type TaskForceDto = z.infer<typeof taskForceDto>;
export type CreateTaskForceInput = z.input<typeof createTaskForceInput>;
export type UserDto = z.infer<typeof userDto>;
export type CreatedUserDto = z.infer<typeof createdUserDto>;
export type CreateUserInput = z.input<typeof createUserInput>;
export type UpdateUserInput = z.input<typeof updateUserInput>;
export type AuditEventDto = z.infer<typeof auditEventDto>;
export type AuditPageDto = z.infer<typeof auditPageDto>;

/** Lists answer with the records and what the actor may do with the resource as a whole. */
export type AbilitiesMap = Record<string, boolean>;
export interface AgencyList { agencies: AgencyDto[]; abilities: AbilitiesMap }
export interface TaskForceList { taskForces: TaskForceDto[]; abilities: AbilitiesMap }
export interface UserList { users: UserDto[]; abilities: AbilitiesMap }
export interface SessionList { sessions: SessionDto[] }

/** The audit search as it appears in the page's URL and in the API's query string. */
export interface AuditSearch {
  userId?: string;
  person?: string;
  recordType?: string;
  recordId?: string;
  action?: string;
  from?: string;
  to?: string;
}

// Operations, contacts, referrals and custody hand-offs (issue #3) ------------------------------

export type OperationDto = z.infer<typeof operationDto>;
export type OperationSummaryDto = z.infer<typeof operationSummaryDto>;
export type ConflictDto = z.infer<typeof conflictDto>;
export type PlanOperationInput = z.input<typeof planOperationInput>;
export type UpdateOperationInput = z.input<typeof updateOperationInput>;
export interface OperationList { operations: OperationSummaryDto[]; abilities: AbilitiesMap }

export type ContactSummaryDto = z.infer<typeof contactSummaryDto>;
export type ContactDto = z.infer<typeof contactDto>;
export type RestrictedContactDto = z.infer<typeof restrictedContactDto>;
export type RecordedContactDto = ContactDto | RestrictedContactDto;
export type ContactListDto = z.infer<typeof contactListDto>;
export type RecordContactInput = z.input<typeof recordContactInput>;
export type UpdateContactInput = z.input<typeof updateContactInput>;
export type OutcomeDto = z.infer<typeof outcomeDto>;

export type ReferralDto = z.infer<typeof referralDto>;
export type ReceivedReferralDto = z.infer<typeof receivedReferralDto>;
export type SentReferralDto = z.infer<typeof sentReferralDto>;
export type ReferContactInput = z.input<typeof referContactInput>;
export interface ReferralList { referrals: ReferralDto[] }
export interface ReferralQuery { operationId?: string; contactId?: string; status?: string }

export type CustodyDto = z.infer<typeof custodyDto>;
export type HandOffInput = z.input<typeof handOffInput>;
export type ParentNotificationInput = z.input<typeof parentNotificationInput>;
export type UpdateCustodyInput = z.input<typeof updateCustodyInput>;
export type CustodyReceiptInput = z.input<typeof custodyReceiptInput>;
export interface CustodyList { handoffs: CustodyDto[] }

export type InboxItemDto = z.infer<typeof inboxItemDto>;
export interface InboxList { items: InboxItemDto[]; unread: number }

// Disclosure: press releases, the hotline and the statistics ledger (issue #4) ---------------------

export type {
  CorrectPressReleaseInput,
  GuardProblemDto,
  PressReleaseDto,
  UpdatePressReleaseInput,
} from '../../../common/schemas/disclosure.ts';
export type PressReleaseSummaryDto = z.infer<typeof pressReleaseSummaryDto>;
export interface PressReleaseList { pressReleases: PressReleaseSummaryDto[] }
export type HotlineDto = z.infer<typeof hotlineDto>;
export type { JurisdictionDto } from '../../../common/schemas/jurisdiction.ts';
export type UpdateHotlineInput = z.input<typeof updateHotlineInput>;
export type {
  PreviewHiddenCellDto,
  PublicStatisticsDto,
  StatisticsJobDto,
  StatisticsJobKind,
  StatisticsPreviewDto,
  StatisticsReleaseDto,
} from '../../../common/schemas/statistics.ts';
export type StatisticsReleaseList = z.infer<typeof statisticsReleaseListDto>;
export interface StatisticsJobList { jobs: JobDto[] }
