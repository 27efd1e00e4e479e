/** Types of the API's requests and answers, inferred from the shared zod schemas in common/. */
import type { z } from 'zod';
import type {
  agencyDto,
  auditEventDto,
  auditPageDto,
  createAgencyInput,
  createTaskForceInput,
  createUserInput,
  createdUserDto,
  enrolmentResponse,
  loginInput,
  loginResponse,
  meDto,
  mfaResponse,
  passwordChangeInput,
  recoveryCodesResponse,
  sessionDto,
  taskForceDto,
  updateAgencyInput,
  updateUserInput,
  userDto,
} from '../../../common/schemas/index.ts';
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
  recordType?: string;
  recordId?: string;
  action?: string;
  from?: string;
  to?: string;
}
