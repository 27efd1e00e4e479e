import { actorIs, allOf, anyOf, fieldIn, hasAnyRole, inActorsTaskForces, ownAgency, type Grant, type Grants } from '../../auth/access.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import type { AgencyKind, Role } from '../../../common/roles.ts';
import { BUSINESS_STAGES, type BusinessStage } from '../../../common/businesses.ts';

/**
 * Who may do what in the business campaign (issue #11, "Authorization"). A business belongs to the agency
 * that entered it and is shared with its task force, the campaign's; letters are the attorney general's
 * office's (a prosecutor agency of the task force); operators' identities are read only by the roles that
 * build cases on them; a landlord's details are staff-only and never public.
 */

/** What a rule needs to know about a business. */
export interface BusinessRecord {
  id: string;
  /** The agency that entered it. */
  agencyId: string;
  /** The campaign's task force it is shared with. */
  taskForceId: string;
  stage: BusinessStage;
}

/** A business's columns, alias `b`. */
export const BUSINESS_COLUMNS = { id: 'b.id', agency: 'b.agency_id', taskForce: 'b.task_force_id', stage: 'b.stage' } as const;

/** The campaign's staff: investigators, analysts and coordinators of the police, prosecutors and federal partners. */
export const CAMPAIGN_ROLES = ['coordinator', 'analyst', 'officer'] as const satisfies readonly Role[];
/** Who builds the cases: reads operators' identities, verifies evidence, moves the pipeline. */
export const CASE_ROLES = ['coordinator', 'analyst'] as const satisfies readonly Role[];
/** Agencies that take part in the campaign. Advocates and child welfare do not police businesses. */
export const CAMPAIGN_AGENCY_KINDS: readonly AgencyKind[] = ['law_enforcement', 'prosecutor', 'federal'];
/** The attorney general's office: a prosecutor agency drafts and sends the landlord notices. */
export const LETTER_AGENCY_KINDS: readonly AgencyKind[] = ['prosecutor'];

const inCampaignAgency = actorIs((actor) => CAMPAIGN_AGENCY_KINDS.includes(actor.agencyKind));
const inLetterAgency = actorIs((actor) => LETTER_AGENCY_KINDS.includes(actor.agencyKind));
const inTaskForce = inActorsTaskForces<BusinessRecord>((b) => b.taskForceId, BUSINESS_COLUMNS.taskForce);
const owner = ownAgency<BusinessRecord>((b) => b.agencyId, BUSINESS_COLUMNS.agency);

/** Campaign staff of a member agency of the business's task force. */
const campaignMember = allOf<BusinessRecord>(hasAnyRole(...CAMPAIGN_ROLES), inCampaignAgency, inTaskForce);
/** Coordinators and analysts of a member agency of the business's task force. */
const caseMember = allOf<BusinessRecord>(hasAnyRole(...CASE_ROLES), inCampaignAgency, inTaskForce);
/** The attorney general's staff in the business's task force. */
const letterStaff = allOf<BusinessRecord>(hasAnyRole(...CASE_ROLES), inLetterAgency, inTaskForce);
/**
 * Those who keep a business's record: the owning agency's campaign staff while their agency is in the business's
 * task force (an agency that left it keeps no hold on the campaign's records), and the attorney general's staff.
 */
const keeper = anyOf<BusinessRecord>(allOf<BusinessRecord>(hasAnyRole(...CAMPAIGN_ROLES), inCampaignAgency, owner, inTaskForce), letterStaff);
/** Stages still before the landlord's notice: the only ones a business can be cleared from. */
const clearable = fieldIn<BusinessRecord>((b) => b.stage, BUSINESS_COLUMNS.stage, ['identified', 'verified', 'landlord_identified']);
/** Every stage but cleared: a cleared business leaves the pipeline. */
const inPipeline = fieldIn<BusinessRecord>((b) => b.stage, BUSINESS_COLUMNS.stage, BUSINESS_STAGES.filter((s) => s !== 'cleared'));

/** Entering a business is the actor's own act: campaign staff of a campaign agency. Its SQL form is every row or none. */
const businessTaker: Grant<BusinessRecord> = actorIs(
  (actor) => hasRole(actor, ...CAMPAIGN_ROLES) && CAMPAIGN_AGENCY_KINDS.includes(actor.agencyKind) && actor.taskForceIds.length > 0,
);

export const businessAccess = {
  campaignMember,
  grants: {
    'business.create': businessTaker,
    /** The campaign's task force shares every business with its members' campaign staff. */
    'business.read': campaignMember,
    /** Names, facts, hours, license: the owning agency's staff and the attorney general's. */
    'business.update': keeper,
    /** Operators' and owners' identities: coordinators and analysts only, not every officer. */
    'business.readOperators': caseMember,
    /** Anyone in the campaign may report what they saw. */
    'business.recordIndicator': allOf<BusinessRecord>(campaignMember, inPipeline),
    /** A second person confirms evidence (the service refuses the one who recorded it). */
    'business.verify': allOf<BusinessRecord>(caseMember, inPipeline),
    /** Clearing a legitimate business, with a reason: the keepers' coordinators and analysts. */
    'business.clear': allOf<BusinessRecord>(hasAnyRole(...CASE_ROLES), keeper, clearable),
    /** Moving the pipeline: the keepers' coordinators and analysts. */
    'business.advance': allOf<BusinessRecord>(hasAnyRole(...CASE_ROLES), keeper, inPipeline),
    /** The landlord's details are the campaign staff's (never public). */
    'business.readLandlord': campaignMember,
    'business.updateLandlord': allOf<BusinessRecord>(keeper, inPipeline),
    /** Notice letters are the attorney general's office's. */
    'business.draftLetter': allOf<BusinessRecord>(letterStaff, inPipeline),
    'business.sendLetter': letterStaff,
    /** Re-opening alerts about a business: whoever reads it. */
    'business.readAlerts': campaignMember,
    'business.dismissAlert': caseMember,
  } satisfies Grants<BusinessRecord>,
};

/** What the template rule reads: the task force whose letters it shapes. */
export interface NoticeTemplateRecord {
  taskForceId: string;
}

export const NOTICE_TEMPLATE_COLUMNS = { taskForce: 'nt.task_force_id' } as const;

export const noticeTemplateAccess = {
  grants: {
    /** The attorney general's office edits the notice template of its task force. */
    'notice.editTemplate': allOf<NoticeTemplateRecord>(
      hasAnyRole(...CASE_ROLES),
      inLetterAgency,
      inActorsTaskForces<NoticeTemplateRecord>((t) => t.taskForceId, NOTICE_TEMPLATE_COLUMNS.taskForce),
    ),
  } satisfies Grants<NoticeTemplateRecord>,
};

/** Whether the actor works the campaign at all (the dashboard, the list, the nav): its read grant's actor side. */
export const worksCampaign = (actor: Actor) =>
  hasRole(actor, ...CAMPAIGN_ROLES) && CAMPAIGN_AGENCY_KINDS.includes(actor.agencyKind) && actor.taskForceIds.length > 0;
