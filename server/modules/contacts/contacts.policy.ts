import type { Policy } from '../../auth/policy.ts';
import { can } from '../../auth/policy.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import { isMinorBand } from '../../../common/contact-rules.ts';
import type { ContactRole } from '../../../common/operations.ts';
import { operationPolicy, type OperationRecord } from '../operations/operations.policy.ts';

/** What a rule needs to know about a contact (already known to be visible to the actor). */
export interface ContactRecord {
  id: string;
  /** The operation's lead agency owns every contact recorded in it. */
  agencyId: string;
  role: ContactRole;
  ageBand: string;
  /** The operation, as seen by the actor (`assigned` is the actor's assignment). */
  operation: OperationRecord;
  /** Child-welfare agencies that received this person's custody hand-off. */
  receivingAgencyIds: readonly string[];
}

/**
 * A minor's record is sealed (DESIGN.md §3). So is anyone recorded in a minor's age band whatever their
 * role — a 16-year-old "facilitator" is a juvenile too.
 */
export const isSealed = (c: { role: string; ageBand: string }) => c.role === 'minor' || isMinorBand(c.ageBand);

/** DESIGN.md §3: a sealed record opens to the owning agency's users assigned to the operation… */
const ownerAssigned = (actor: Actor, c: ContactRecord) => c.operation.assigned && actor.agencyId === c.agencyId;
/** …and to the caseworkers of the child-welfare agency that received the child. */
const receivingCaseworker = (actor: Actor, c: ContactRecord) => hasRole(actor, 'caseworker') && c.receivingAgencyIds.includes(actor.agencyId);

const readable = (actor: Actor, c: ContactRecord) =>
  isSealed(c) ? ownerAssigned(actor, c) || receivingCaseworker(actor, c) : can(actor, operationPolicy, 'operation.readContacts', c.operation);

/** The field team: assigned officers and coordinators of a running operation. */
const fieldTeam = (actor: Actor, c: ContactRecord) => c.operation.status === 'active' && c.operation.assigned && hasRole(actor, 'officer', 'coordinator');

export const contactPolicy: Policy<ContactRecord> = {
  'contact.read': readable,
  /**
   * While the operation runs, the field team edits the log; once it is closed the record changes only
   * by a correction with a reason, by the lead agency's coordinators (issue #3, item 1).
   */
  'contact.update': (actor, c) =>
    readable(actor, c) && (fieldTeam(actor, c) || can(actor, operationPolicy, 'operation.correct', c.operation)),
  /** A referral to victim services is for an adult potential victim, sent by the field team (issue #3, item 4). */
  'contact.refer': (actor, c) => readable(actor, c) && c.role === 'adult_victim' && fieldTeam(actor, c),
  /** RSMo 210.125: a child's protective-custody hand-off, by the field team of the owning agency (sealed record). */
  'contact.handOff': (actor, c) => readable(actor, c) && c.role === 'minor' && fieldTeam(actor, c) && ownerAssigned(actor, c),
};
