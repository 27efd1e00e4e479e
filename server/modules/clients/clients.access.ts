import { sql, type Expression, type SqlBool } from 'kysely';
import { actorIs, allOf, anyOf, fieldIn, grant, hasAnyRole, ownAgency, type Grant, type Grants } from '../../auth/access.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';

/**
 * The advocates' compartment (issue #12, DESIGN.md §3). A client record is its victim-services agency's
 * alone: its advocates assigned to the client, and its supervisors (the agency's coordinators), read and
 * change it. No other agency, role or break-glass reaches it; what leaves it leaves through a release
 * (below), never through a grant on the client.
 */

/** What a rule needs to know about a client. */
export interface ClientRecord {
  id: string;
  /** The victim-services agency serving the client. */
  agencyId: string;
  /** The actor is assigned to the client (`client_assignment`). */
  assigned: boolean;
}

/** A client's columns, alias `cl`. */
export const CLIENT_COLUMNS = { id: 'cl.id', agency: 'cl.agency_id' } as const;

/** The one subquery for "is the actor assigned to this client?", selected by services to fill `assigned`. */
export const clientAssignmentSql = (actor: Actor, clientColumn: string): Expression<SqlBool> =>
  sql<SqlBool>`exists (select 1 from client_assignment ca where ca.client_id = ${sql.ref(clientColumn)} and ca.user_id = ${actor.userId})`;
export const clientAssignmentFlag = (actor: Actor, clientColumn: string) => sql<number>`case when ${clientAssignmentSql(actor, clientColumn)} then 1 else 0 end`;

/**
 * Staff of a victim-services agency who work with clients: its advocates, and its coordinators as
 * their supervisors. An administrator never reads case content by role alone (DESIGN.md §1), and no
 * law-enforcement, prosecutor, child-welfare or federal user is compartment staff, whatever their role.
 */
export const isCompartmentStaff = (actor: Actor) => actor.agencyKind === 'victim_services' && hasRole(actor, 'advocate', 'coordinator');
export const compartmentStaff = actorIs(isCompartmentStaff);
const supervisor = allOf<ClientRecord>(compartmentStaff, hasAnyRole('coordinator'));
const assignedToClient: Grant<ClientRecord> = grant(
  (_actor, r) => r.assigned,
  (actor) => clientAssignmentSql(actor, CLIENT_COLUMNS.id),
);
const ofActorsAgency = ownAgency<ClientRecord>((r) => r.agencyId, CLIENT_COLUMNS.agency);

/** The client's own advocates (assigned) and the agency's supervisors. */
const caseTeam = allOf<ClientRecord>(compartmentStaff, ofActorsAgency, anyOf<ClientRecord>(allOf<ClientRecord>(hasAnyRole('advocate'), assignedToClient), supervisor));

export const clientAccess = {
  caseTeam,
  grants: {
    'client.read': caseTeam,
    'client.update': caseTeam,
    'client.readDocument': caseTeam,
    'client.release': caseTeam,
    'client.share': caseTeam,
    /** Assigning advocates to a client: the agency's supervisors. */
    'client.assign': allOf<ClientRecord>(supervisor, ofActorsAgency),
    /**
     * The OVC TIMS report (issue #12, item 6): aggregates over the agency's own clients, for its compartment
     * staff. Its SQL form is what the report counts, so it counts no other agency's clients.
     */
    'client.report': allOf<ClientRecord>(compartmentStaff, ofActorsAgency),
  } satisfies Grants<ClientRecord>,
};

// ------------------------------------------------------------------------------------------ releases

/** What a rule needs to know about a release, as the recipient side reads it. */
export interface ReleaseRecord {
  id: string;
  recipientAgencyId: string;
  recipientUserId: string | null;
  status: string;
  startsAt: string;
  expiresAt: string;
}

/** A release's columns, alias `rel`. */
export const RELEASE_COLUMNS = {
  recipientAgency: 'rel.recipient_agency_id',
  recipientUser: 'rel.recipient_user_id',
  status: 'rel.status',
  startsAt: 'rel.starts_at',
  expiresAt: 'rel.expires_at',
} as const;

/** The release is in effect at `now`: started, not expired. Timestamps are ISO 8601 UTC text, so they compare as text. */
const inEffectAt = (now: string): Grant<ReleaseRecord> =>
  grant(
    (_actor, r) => r.startsAt <= now && now < r.expiresAt,
    () => sql<SqlBool>`(${sql.ref(RELEASE_COLUMNS.startsAt)} <= ${now} and ${sql.ref(RELEASE_COLUMNS.expiresAt)} > ${now})`,
  );

/** The release names the actor's agency, and either no one person or the actor. */
const namesActorAsRecipient = allOf<ReleaseRecord>(
  ownAgency((r) => r.recipientAgencyId, RELEASE_COLUMNS.recipientAgency),
  grant(
    (actor, r) => r.recipientUserId === null || r.recipientUserId === actor.userId,
    (actor) => sql<SqlBool>`(${sql.ref(RELEASE_COLUMNS.recipientUser)} is null or ${sql.ref(RELEASE_COLUMNS.recipientUser)} = ${actor.userId})`,
  ),
);

/**
 * The recipient's grant, at a moment: a release is read through only while it is active (not revoked),
 * started and unexpired, by the agency (and person) it names. Every read and share re-checks it at that
 * moment, inside its own statement, so a revocation or an expiry stops the very next one.
 */
export const releaseAccessAt = (now: string) => ({
  grants: {
    'release.readShared': allOf<ReleaseRecord>(namesActorAsRecipient, fieldIn((r) => r.status, RELEASE_COLUMNS.status, ['active']), inEffectAt(now)),
  } satisfies Grants<ReleaseRecord>,
});

/** Whether a release lets a share or a read happen at `now` (status and dates only, not who). */
export const releaseInEffect = (r: Pick<ReleaseRecord, 'status' | 'startsAt' | 'expiresAt'>, now: string) => r.status === 'active' && r.startsAt <= now && now < r.expiresAt;
