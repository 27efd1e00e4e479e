import { sql, type SqlBool } from 'kysely';
import { actorIs, allOf, anyOf, fieldIn, grant, hasAnyRole, namesActor, ownAgency, type Grant, type Grants } from '../../auth/access.ts';
import { hasRole, type Actor } from '../../auth/actor.ts';
import type { TipStatus } from '../../../common/tips.ts';
import type { AgencyKind } from '../../../common/roles.ts';

/** What a rule needs to know about a tip. */
export interface TipRecord {
  id: string;
  /** The agency whose queue holds the tip. */
  agencyId: string;
  status: TipStatus;
  assignedUserId: string | null;
  /** The tip was shared with the actor's agency (a row in tip_share). */
  sharedWithActor: boolean;
}

/** A tip's columns, alias `t`. */
export const TIP_COLUMNS = { id: 't.id', agency: 't.agency_id', status: 't.status', assignee: 't.assigned_user_id' } as const;

/** The one subquery for "was this tip shared with the actor's agency?"; services select it as a flag. */
export const sharedWithActorSql = (actor: Actor, tipColumn: string = TIP_COLUMNS.id) =>
  sql<SqlBool>`exists (select 1 from tip_share ts where ts.tip_id = ${sql.ref(tipColumn)} and ts.agency_id = ${actor.agencyId})`;
export const sharedWithActorFlag = (actor: Actor, tipColumn: string = TIP_COLUMNS.id) =>
  sql<number>`case when ${sharedWithActorSql(actor, tipColumn)} then 1 else 0 end`;

/** Who works tips (DESIGN.md §1): investigators and analysts, and the coordinators who route them. */
export const TIP_ROLES = ['coordinator', 'analyst', 'officer'] as const;
/** Who runs a queue: assigns, reroutes, shares, imports. */
export const QUEUE_ROLES = ['coordinator', 'analyst'] as const;

const inActorsQueue = ownAgency<TipRecord>((t) => t.agencyId, TIP_COLUMNS.agency);
const sharedWithActorsAgency = grant<TipRecord>(
  (_actor, t) => t.sharedWithActor,
  (actor) => sharedWithActorSql(actor),
);
const assignedToActor = namesActor<TipRecord>((t) => t.assignedUserId, TIP_COLUMNS.assignee);
/** The queue's own staff: coordinators and analysts of the agency holding the tip. */
const queueStaff = allOf<TipRecord>(hasAnyRole(...QUEUE_ROLES), inActorsQueue);
/** Whoever the tip is assigned to, while it is still in their agency's queue. */
const handler = allOf<TipRecord>(assignedToActor, inActorsQueue);
/** Agencies that take tips in (DESIGN.md §2 item 4): the police and the prosecutors, not advocates or child welfare. */
export const TIP_AGENCY_KINDS = ['law_enforcement', 'prosecutor'] as const;
/** Agencies a tip may be routed, rerouted or shared to: those, and the federal partners who investigate too. */
export const TIP_QUEUE_AGENCY_KINDS: readonly AgencyKind[] = [...TIP_AGENCY_KINDS, 'federal'];
/**
 * Recording a phoned-in tip is the actor's own act, on no record yet: the tip workers of an agency that
 * takes tips in. Its SQL form is every row or none, as for any condition on the actor alone.
 */
const tipTaker: Grant<TipRecord> = actorIs((actor) => hasRole(actor, ...TIP_ROLES) && (TIP_AGENCY_KINDS as readonly string[]).includes(actor.agencyKind));
const open = fieldIn<TipRecord>((t) => t.status, TIP_COLUMNS.status, ['new', 'assigned', 'under_review', 'linked', 'referred']);

export const tipAccess = {
  queueStaff,
  grants: {
    'tip.create': tipTaker,
    /**
     * A tip is read by the tip workers (coordinators, analysts, officers) of the agency whose queue holds
     * it and of an agency it was shared with (issue #10, item 6), and by the person handling it. An
     * administrator never reads case content by role alone; advocates, caseworkers and PIOs do not work tips.
     */
    'tip.read': anyOf<TipRecord>(allOf<TipRecord>(hasAnyRole(...TIP_ROLES), anyOf<TipRecord>(inActorsQueue, sharedWithActorsAgency)), handler),
    /** The tipster's contact details: the holding agency's queue staff and the handler, never a sharing partner. */
    'tip.readContact': anyOf<TipRecord>(queueStaff, handler),
    'tip.assign': queueStaff,
    /** Moving the tip through triage: its queue staff and its handler. */
    'tip.triage': anyOf<TipRecord>(queueStaff, handler),
    'tip.reroute': allOf<TipRecord>(queueStaff, open),
    'tip.share': allOf<TipRecord>(queueStaff, open),
    /** Writing to the tipster: the queue staff and the handler of the holding agency. */
    'tip.message': anyOf<TipRecord>(queueStaff, handler),
  } satisfies Grants<TipRecord>,
};

/** What the import rule reads about a hotline import job (issue #10, item 4): the agency that ran it. */
export interface TipImportRecord {
  agencyId: string;
}

/** An import job's columns, alias `j`. */
export const TIP_IMPORT_COLUMNS = { agency: 'j.agency_id' } as const;

export const tipImportAccess = {
  grants: {
    /**
     * Importing the national hotline's forwarded tips, and following an import (its progress and rejected
     * rows): the queue staff (coordinators, analysts) of a law-enforcement or prosecutor agency, for the
     * imports of their own agency. Starting an import is checked against a job of the actor's agency.
     */
    'tip.import': allOf<TipImportRecord>(
      hasAnyRole(...QUEUE_ROLES),
      actorIs((actor) => (TIP_AGENCY_KINDS as readonly AgencyKind[]).includes(actor.agencyKind)),
      ownAgency<TipImportRecord>((j) => j.agencyId, TIP_IMPORT_COLUMNS.agency),
    ),
  } satisfies Grants<TipImportRecord>,
};
