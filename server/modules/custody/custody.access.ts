import { sql, type SqlBool } from 'kysely';
import { allOf, assignedToOperation, grant, hasAnyRole, not, ownAgency, receivingCaseworker, sealedReader, type Grants } from '../../auth/access.ts';

/** What a rule needs to know about a custody hand-off (already known to be visible to the actor). */
export interface CustodyRecord {
  id: string;
  /** The operation's lead agency, which took the child into custody. */
  agencyId: string;
  /** The child-welfare agency receiving the child. */
  toAgencyId: string;
  /** The actor is assigned to the operation. */
  assigned: boolean;
  received: boolean;
}

/** A hand-off's columns, alias `h`. */
export const CUSTODY_COLUMNS = { operation: 'h.operation_id', agency: 'h.agency_id', toAgency: 'h.to_agency_id', receiptAt: 'h.receipt_at' } as const;

/** The lead agency, which took the child into custody. */
const owner = ownAgency<CustodyRecord>((h) => h.agencyId, CUSTODY_COLUMNS.agency);
const assigned = assignedToOperation<CustodyRecord>((h) => h.assigned, CUSTODY_COLUMNS.operation);
/** The hand-off went to the actor's (child-welfare) agency. */
const toActorsAgency = ownAgency<CustodyRecord>((h) => h.toAgencyId, CUSTODY_COLUMNS.toAgency);
const received = grant<CustodyRecord>(
  (_actor, h) => h.received,
  () => sql<SqlBool>`${sql.ref(CUSTODY_COLUMNS.receiptAt)} is not null`,
);

export const custodyAccess = {
  /** The owning side: a user of the lead agency assigned to the operation. */
  ownerAssigned: allOf<CustodyRecord>(owner, assigned),
  /** DESIGN.md §3: a custody hand-off is granted to the receiving child-welfare agency — its caseworkers. */
  receivingCaseworker: receivingCaseworker(toActorsAgency),
  grants: {
    /**
     * A child's record is sealed (DESIGN.md §3, issue #3 item 5): the owning agency's assigned users and
     * the receiving caseworkers, no one else — not the task force's coordinators, analysts or PIOs.
     */
    'custody.read': sealedReader(owner, assigned, toActorsAgency),
    /**
     * Notification times, parent-notification attempts and the written statement (RSMo 210.125): the
     * owning agency's assigned officers and coordinators. The statement may be filed after the operation
     * closes (its 12 hours run on), so the operation's state does not matter here.
     */
    'custody.update': allOf<CustodyRecord>(owner, assigned, hasAnyRole('officer', 'coordinator')),
    /** The caseworker's receipt is recorded by the receiving agency itself, once. */
    'custody.receive': allOf<CustodyRecord>(receivingCaseworker(toActorsAgency), not(received)),
  } satisfies Grants<CustodyRecord>,
};

