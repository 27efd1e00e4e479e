import { sql, type SqlBool } from 'kysely';
import { allOf, anyOf, fieldIn, grant, hasAnyRole, not, ownAgency, sealed, sealedReader, sealedSql, type Grants } from '../../auth/access.ts';
import { operationAccess, operationGrants, type OperationRecord } from '../operations/operations.access.ts';
import type { ContactRole } from '../../../common/operations.ts';

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

/** The contact's columns (alias `c`) and its operation's (alias `o`, joined where a rule needs them). */
export const CONTACT_COLUMNS = { id: 'c.id', agency: 'c.agency_id', role: 'c.role', ageBand: 'c.age_band' } as const;

/** The SQL form of "this contact is sealed", over alias `c`: for a list that counts or leaves out the sealed. */
export const sealedContactSql = () => sealedSql(CONTACT_COLUMNS.role, CONTACT_COLUMNS.ageBand);

/** The operation's grants, on the contact's copy of its operation (`c.operation_id`, `c.agency_id`). */
const op = operationGrants<ContactRecord>((c) => c.operation, {
  id: 'c.operation_id',
  agency: 'c.agency_id',
  taskForce: 'o.task_force_id',
  status: 'o.status',
  commander: 'o.commander_user_id',
});

/** The owning agency: the operation's lead agency owns every contact recorded in it. */
const owner = ownAgency<ContactRecord>((c) => c.agencyId, CONTACT_COLUMNS.agency);
const isSealed = sealed<ContactRecord>((c) => c, CONTACT_COLUMNS.role, CONTACT_COLUMNS.ageBand);
/** The child's custody hand-off went to the actor's agency. */
const receivedByActorsAgency = grant<ContactRecord>(
  (actor, c) => c.receivingAgencyIds.includes(actor.agencyId),
  (actor) => sql<SqlBool>`exists (select 1 from custody_handoff ch where ch.contact_id = ${sql.ref(CONTACT_COLUMNS.id)} and ch.to_agency_id = ${actor.agencyId})`,
);
const role = (...roles: ContactRecord['role'][]) => fieldIn<ContactRecord>((c) => c.role, CONTACT_COLUMNS.role, roles);

/**
 * Opening a contact (DESIGN.md §3): an adult's record, whoever reads the operation's persons; a sealed
 * record, the owning agency's assigned users and the receiving caseworker.
 */
const readable = anyOf<ContactRecord>(
  allOf<ContactRecord>(not(isSealed), op.grants['operation.readContacts']),
  allOf<ContactRecord>(isSealed, sealedReader(owner, op.assigned, receivedByActorsAgency)),
);
/** The field team: assigned officers and coordinators of a running operation. */
const fieldTeam = allOf<ContactRecord>(op.status('active'), op.assigned, hasAnyRole('officer', 'coordinator'));

export const contactAccess = {
  isSealed,
  grants: {
    'contact.read': readable,
    /**
     * While the operation runs, the field team edits the log; once it is closed the record changes only
     * by a correction with a reason, by the lead agency's coordinators (issue #3, item 1).
     */
    'contact.update': allOf<ContactRecord>(readable, anyOf<ContactRecord>(fieldTeam, op.grants['operation.correct'])),
    /** A referral to victim services is for an adult potential victim, sent by the field team (issue #3, item 4). */
    'contact.refer': allOf<ContactRecord>(readable, role('adult_victim'), fieldTeam),
    /** RSMo 210.125: a child's protective-custody hand-off, by the field team of the owning agency (sealed record). */
    'contact.handOff': allOf<ContactRecord>(readable, role('minor'), fieldTeam, owner, op.assigned),
  } satisfies Grants<ContactRecord>,
};

/**
 * Whether an operation's sealed contacts are listed to the actor (the rest get their count): the lead
 * agency's users assigned to it — the first half of `sealedReader`, the receiving caseworker reading
 * one child's record through its hand-off, never the operation's list.
 */
export const listsSealedContacts = allOf(operationAccess.leadAgency, operationAccess.assigned);
