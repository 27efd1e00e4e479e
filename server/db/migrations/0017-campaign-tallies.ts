import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../database.ts';

/**
 * The campaign dashboard's running counts (issue #11, "Measured": the dashboard over 100,000 businesses and
 * 1,000,000 events in under 100 ms). Counting the businesses each time it is opened took two seconds, so
 * the database keeps the counts itself, by task force (the only thing `business.read` looks at in a row):
 * - `campaign_stage_tally`: businesses per county and current stage, and how many of them carry each
 *   dated step (notified, responded, lease action, closed);
 * - `campaign_landlord_tally`: per landlord, how many of its businesses were notified and answered (the
 *   dashboard counts the distinct landlords with a non-zero count);
 * - `campaign_closure_tally`: days from the landlord's notice to closure, in tenths of a day, as a
 *   histogram the median is read from;
 * - `campaign_reached_tally`: businesses that ever moved to civil action or criminal referral, from their
 *   first stage event there.
 *
 * Triggers keep them, so no write path can forget to (the service, the demo loader, a bulk import, a
 * repair by hand): a business's old row is taken out and its new row put in, inside the writer's own
 * transaction. On PostgreSQL each pair of changes is applied in key order, so two transactions moving
 * businesses between the same two counts lock them in the same order and never deadlock.
 */

/** The legal stages a business may pass through and leave, counted by their events (frozen here). */
const REACHED_STAGES = `('civil_action', 'criminal_referral')`;
/** Columns of `business` the counts read: an update of any other column leaves them alone. */
const COUNTED = ['task_force_id', 'county_fips', 'stage', 'landlord_id', 'notified_at', 'responded_at', 'lease_action_at', 'closed_at'];

type Row = 'old' | 'new';

/** Days from notice to closure in tenths of a day, for a row alias. */
function tenths(pg: boolean, r: string) {
  return pg
    ? `round(extract(epoch from (${r}.closed_at::timestamptz - ${r}.notified_at::timestamptz)) / 8640)::integer`
    : `cast(round((julianday(${r}.closed_at) - julianday(${r}.notified_at)) * 10) as integer)`;
}

const step = (r: string, column: string, k: string) => `case when ${r}.${column} is null then 0 else ${k} end`;

/** The statements that add a business row's share (k = 1) to the counts, or take it out (k = -1). */
function shares(pg: boolean, r: Row, k: '1' | '-1') {
  return {
    stage: `insert into campaign_stage_tally (task_force_id, county_fips, stage, businesses, notified, responded, lease_action, closed)
      values (${r}.task_force_id, ${r}.county_fips, ${r}.stage, ${k}, ${step(r, 'notified_at', k)}, ${step(r, 'responded_at', k)}, ${step(r, 'lease_action_at', k)}, ${step(r, 'closed_at', k)})
      on conflict (task_force_id, county_fips, stage) do update set
        businesses = campaign_stage_tally.businesses + excluded.businesses,
        notified = campaign_stage_tally.notified + excluded.notified,
        responded = campaign_stage_tally.responded + excluded.responded,
        lease_action = campaign_stage_tally.lease_action + excluded.lease_action,
        closed = campaign_stage_tally.closed + excluded.closed`,
    landlord: `insert into campaign_landlord_tally (task_force_id, landlord_id, notified, responded)
      select ${r}.task_force_id, ${r}.landlord_id, ${step(r, 'notified_at', k)}, ${step(r, 'responded_at', k)}
      where ${r}.landlord_id is not null and (${r}.notified_at is not null or ${r}.responded_at is not null)
      on conflict (task_force_id, landlord_id) do update set
        notified = campaign_landlord_tally.notified + excluded.notified,
        responded = campaign_landlord_tally.responded + excluded.responded`,
    closure: `insert into campaign_closure_tally (task_force_id, tenths, businesses)
      select ${r}.task_force_id, ${tenths(pg, r)}, ${k}
      where ${r}.notified_at is not null and ${r}.closed_at is not null and ${tenths(pg, r)} >= 0
      on conflict (task_force_id, tenths) do update set businesses = campaign_closure_tally.businesses + excluded.businesses`,
  };
}

/**
 * A business's first event moving it to a counted stage adds it to that stage's count. SQLite runs the
 * trigger after each row, so the events inserted before it are all there is to look at. PostgreSQL runs
 * it once per statement over the rows the statement inserted (several of which may be one business's), so
 * only events from earlier statements count as "before".
 */
const REACHED_SQLITE = `insert into campaign_reached_tally (task_force_id, stage, businesses)
  select b.task_force_id, new.to_stage, 1 from business b
  where b.id = new.business_id
    and not exists (select 1 from business_event e where e.business_id = new.business_id and e.to_stage = new.to_stage and e.id <> new.id)
  on conflict (task_force_id, stage) do update set businesses = campaign_reached_tally.businesses + excluded.businesses`;
const REACHED_PG = `insert into campaign_reached_tally (task_force_id, stage, businesses)
  select b.task_force_id, i.to_stage, count(*) from (select distinct business_id, to_stage from inserted where to_stage in ${REACHED_STAGES}) i
  join business b on b.id = i.business_id
  where not exists (
    select 1 from business_event e where e.business_id = i.business_id and e.to_stage = i.to_stage and not exists (select 1 from inserted x where x.id = e.id)
  )
  group by b.task_force_id, i.to_stage
  order by b.task_force_id, i.to_stage
  on conflict (task_force_id, stage) do update set businesses = campaign_reached_tally.businesses + excluded.businesses`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('campaign_stage_tally')
    .addColumn('task_force_id', 'text', (c) => c.notNull())
    .addColumn('county_fips', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('businesses', 'integer', (c) => c.notNull())
    .addColumn('notified', 'integer', (c) => c.notNull())
    .addColumn('responded', 'integer', (c) => c.notNull())
    .addColumn('lease_action', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_stage_tally_pk', ['task_force_id', 'county_fips', 'stage'])
    .execute();
  await db.schema
    .createTable('campaign_landlord_tally')
    .addColumn('task_force_id', 'text', (c) => c.notNull())
    .addColumn('landlord_id', 'text', (c) => c.notNull())
    .addColumn('notified', 'integer', (c) => c.notNull())
    .addColumn('responded', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_landlord_tally_pk', ['task_force_id', 'landlord_id'])
    .execute();
  await db.schema
    .createTable('campaign_closure_tally')
    .addColumn('task_force_id', 'text', (c) => c.notNull())
    .addColumn('tenths', 'integer', (c) => c.notNull())
    .addColumn('businesses', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_closure_tally_pk', ['task_force_id', 'tenths'])
    .execute();
  await db.schema
    .createTable('campaign_reached_tally')
    .addColumn('task_force_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('businesses', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_reached_tally_pk', ['task_force_id', 'stage'])
    .execute();

  // The counts of what is already there, then the triggers that keep them.
  const flag = (column: string) => `sum(case when ${column} is null then 0 else 1 end)`;
  await sql
    .raw(
      `insert into campaign_stage_tally (task_force_id, county_fips, stage, businesses, notified, responded, lease_action, closed)
       select task_force_id, county_fips, stage, count(*), ${flag('notified_at')}, ${flag('responded_at')}, ${flag('lease_action_at')}, ${flag('closed_at')}
       from business group by task_force_id, county_fips, stage`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into campaign_landlord_tally (task_force_id, landlord_id, notified, responded)
       select task_force_id, landlord_id, ${flag('notified_at')}, ${flag('responded_at')}
       from business where landlord_id is not null and (notified_at is not null or responded_at is not null)
       group by task_force_id, landlord_id`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into campaign_closure_tally (task_force_id, tenths, businesses)
       select task_force_id, t, count(*) from (
         select b.task_force_id, ${tenths(pg, 'b')} as t from business b where b.notified_at is not null and b.closed_at is not null
       ) d where t >= 0 group by task_force_id, t`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into campaign_reached_tally (task_force_id, stage, businesses)
       select b.task_force_id, e.to_stage, count(distinct e.business_id)
       from business_event e join business b on b.id = e.business_id
       where e.to_stage in ${REACHED_STAGES} group by b.task_force_id, e.to_stage`,
    )
    .execute(db);

  if (pg) await createPgTriggers(db);
  else await createSqliteTriggers(db);
}

async function createSqliteTriggers(db: Kysely<unknown>) {
  const all = (r: Row, k: '1' | '-1') => Object.values(shares(false, r, k)).join(';\n') + ';';
  const changed = COUNTED.map((c) => `old.${c} is not new.${c}`).join(' or ');
  for (const statement of [
    `create trigger campaign_tally_insert after insert on business begin ${all('new', '1')} end`,
    `create trigger campaign_tally_update after update of ${COUNTED.join(', ')} on business when ${changed} begin ${all('old', '-1')} ${all('new', '1')} end`,
    `create trigger campaign_tally_delete after delete on business begin ${all('old', '-1')} end`,
    `create trigger campaign_reached_insert after insert on business_event when new.to_stage in ${REACHED_STAGES} begin ${REACHED_SQLITE}; end`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

async function createPgTriggers(db: Kysely<unknown>) {
  const out = shares(true, 'old', '-1');
  const into = shares(true, 'new', '1');
  /** Both changes to one table, the lower key first (see the top of this file). */
  const ordered = (oldKey: string, newKey: string, a: string, b: string) =>
    `if (${oldKey}) <= (${newKey}) then ${a}; ${b}; else ${b}; ${a}; end if;`;
  const key = (r: Row, columns: string[]) => columns.map((c) => `${r}.${c}`).join(', ');
  await sql
    .raw(
      `create function campaign_tally() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          ${into.stage}; ${into.landlord}; ${into.closure};
        elsif tg_op = 'DELETE' then
          ${out.stage}; ${out.landlord}; ${out.closure};
        else
          ${ordered(key('old', ['task_force_id', 'county_fips', 'stage']), key('new', ['task_force_id', 'county_fips', 'stage']), out.stage, into.stage)}
          ${ordered(key('old', ['task_force_id', 'landlord_id']), key('new', ['task_force_id', 'landlord_id']), out.landlord, into.landlord)}
          ${ordered(`old.task_force_id, coalesce(${tenths(true, 'old')}, -1)`, `new.task_force_id, coalesce(${tenths(true, 'new')}, -1)`, out.closure, into.closure)}
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  const changed = `(${key('old', COUNTED)}) is distinct from (${key('new', COUNTED)})`;
  await sql.raw(`create trigger campaign_tally_write after insert or delete on business for each row execute function campaign_tally()`).execute(db);
  await sql.raw(`create trigger campaign_tally_update after update on business for each row when (${changed}) execute function campaign_tally()`).execute(db);
  await sql
    .raw(
      `create function campaign_reached() returns trigger language plpgsql as $$
      begin
        ${REACHED_PG};
        return null;
      end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger campaign_reached_insert after insert on business_event referencing new table as inserted for each statement execute function campaign_reached()`).execute(db);
}
