import { sql, type Expression, type SqlBool } from 'kysely';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import type { BusinessAlertDto } from '../../../common/schemas/businesses.ts';
import { settleNotices } from '../inbox/inbox.service.ts';
import { tipAccess } from '../tips/tips.access.ts';
import { operationAccess } from '../operations/operations.access.ts';
import { businessAccess, worksCampaign } from './businesses.access.ts';
import { businessPolicy } from './businesses.policy.ts';
import { businessRecord } from './businesses.queries.ts';
import { alertNoticePrefix } from './businesses.watch.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** How many alerts the list shows, newest first. */
export const ALERT_LIST_MAX = 200;

type SourceType = BusinessAlertDto['source']['type'];

/** What a source is called when the reader may open it; otherwise only that it exists. */
export const SOURCE_LABELS: Record<SourceType, string> = {
  tip: 'A tip',
  operation_subject: "An operation's subject",
  contact: 'A person recorded in an operation',
  business: 'Another business in the registry',
};
export const UNREADABLE_SOURCE_LABEL = 'A record you cannot open';

/**
 * Whether the actor may open an alert's source record (over alias `a`), in SQL: the tip by `tip.read`,
 * an operation's subject or contact by `operation.read` on the operation (what a viewer opens), another
 * business by `business.read`. Each branch is the grant's own SQL form from its module's access file.
 */
function sourceReadableSql(actor: Actor): Expression<SqlBool> {
  const tipRead = tipAccess.grants['tip.read'].where(actor);
  const operationRead = operationAccess.grants['operation.read'].where(actor);
  const businessRead = businessAccess.grants['business.read'].where(actor);
  return sql<SqlBool>`case
    when a.source_type = 'tip' then exists (select 1 from tip as t where t.id = a.source_parent_id and ${tipRead})
    when a.source_type in ('operation_subject', 'contact') then exists (select 1 from operation where operation.id = a.source_parent_id and ${operationRead})
    when a.source_type = 'business' then exists (select 1 from business as b where b.id = a.source_parent_id and ${businessRead})
    else 1 = 0 end`;
}

/** Alerts on the businesses whose alerts the actor may read (`business.readAlerts`, over alias `b`). */
function alertsQuery(db: Queryable, actor: Actor) {
  return db
    .selectFrom('business_alert as a')
    .innerJoin('business as b', 'b.id', 'a.business_id')
    .where(businessAccess.grants['business.readAlerts'].where(actor))
    .select([
      'a.id',
      'a.business_id',
      'a.source_type',
      'a.source_parent_id',
      'a.kinds',
      'a.created_at',
      'a.dismissed_at',
      'b.name',
      'b.address',
      'b.stage',
      'b.agency_id',
      'b.task_force_id',
      sql<number | boolean>`case when ${sourceReadableSql(actor)} then 1 else 0 end`.as('source_readable'),
    ]);
}

type AlertRow = Awaited<ReturnType<ReturnType<typeof alertsQuery>['execute']>>[number];

function alertDto(actor: Actor, r: AlertRow): BusinessAlertDto {
  const type = r.source_type as SourceType;
  const readable = Number(r.source_readable) === 1 || r.source_readable === true;
  const record = businessRecord({ id: r.business_id, agency_id: r.agency_id, task_force_id: r.task_force_id, stage: r.stage });
  return {
    id: r.id,
    business: { id: r.business_id, name: r.name, address: r.address, stage: r.stage as BusinessStage },
    source: { type, id: readable ? r.source_parent_id : null, label: readable ? SOURCE_LABELS[type] : UNREADABLE_SOURCE_LABEL },
    kinds: JSON.parse(r.kinds) as string[],
    createdAt: r.created_at,
    dismissedAt: r.dismissed_at,
    abilities: { 'business.dismissAlert': r.dismissed_at === null && can(actor, businessPolicy, 'business.dismissAlert', record) },
  };
}

/**
 * The re-opening alerts the actor may read (issue #11, item 6), newest first: the closed business, what
 * matched, and where it showed up — the source's id only when the actor may open that record. The read
 * is audited with the ids shown.
 */
export async function listAlerts(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<{ items: BusinessAlertDto[] }> {
  if (!worksCampaign(actor)) throw forbidden('The re-opening alerts are for the business campaign’s staff.');
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const rows = await alertsQuery(tx.db, actor).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(ALERT_LIST_MAX).execute();
    tx.audit({ action: 'business.readAlerts', recordType: 'business', detail: { count: rows.length, ids: rows.map((r) => r.id).join(',') } });
    return { items: rows.map((r) => alertDto(actor, r)) };
  });
}

/**
 * Dismisses an alert with a reason (`business.dismissAlert`: the campaign's coordinators and analysts).
 * Race-safe: the update holds `dismissed_at is null`, so of two dismissals at once one wins and the other
 * is told it was dismissed already (409). The alert's notices are settled in the same transaction.
 */
export async function dismissAlert(ctx: AppContext, actor: Actor, id: string, reason: string, meta: RequestMeta): Promise<BusinessAlertDto> {
  const row = await alertsQuery(ctx.db, actor).select(['a.source_id']).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('alert');
  const record = businessRecord({ id: row.business_id, agency_id: row.agency_id, task_force_id: row.task_force_id, stage: row.stage });
  authorize(actor, businessPolicy, 'business.dismissAlert', record);
  if (row.dismissed_at) throw conflict(`this alert was already dismissed on ${row.dismissed_at.slice(0, 10)}`);
  const now = ctx.clock.now().toISOString();
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const done = await tx.db
      .updateTable('business_alert')
      .set({ dismissed_at: now, dismissed_by: actor.userId, dismissed_reason: reason })
      .where('id', '=', id)
      .where('dismissed_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict('someone else dismissed this alert a moment ago; reload to see it');
    await tx.db
      .insertInto('business_event')
      .values({
        id: newId(),
        business_id: row.business_id,
        agency_id: row.agency_id,
        at: now,
        kind: 'alert_dismissed',
        from_stage: null,
        to_stage: null,
        outcome: null,
        actor_user_id: actor.userId,
        detail: JSON.stringify({ alertId: id, sourceType: row.source_type }),
      })
      .execute();
    const keys = await tx.db
      .selectFrom('inbox_item')
      .select('dedupe_key')
      .where('record_type', '=', 'business')
      .where('record_id', '=', row.business_id)
      .where('kind', '=', 'business.reopening')
      .execute();
    const prefix = alertNoticePrefix({ businessId: row.business_id, sourceType: row.source_type, sourceId: row.source_id });
    const mine = keys.map((k) => k.dedupe_key).filter((k): k is string => !!k && k.startsWith(prefix));
    await settleNotices(tx.db, ctx, { dedupeKeys: mine });
    tx.audit({ action: 'business.dismissAlert', recordType: 'business', recordId: row.business_id, recordAgencyId: row.agency_id, changedFields: ['dismissed_at'], detail: { alertId: id } });
    const fresh = await alertsQuery(tx.db, actor).where('a.id', '=', id).executeTakeFirstOrThrow();
    return alertDto(actor, fresh);
  });
}
