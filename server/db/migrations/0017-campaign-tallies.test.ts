import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.ts';
import { emptyDatabases, migrate, upTo } from './migration.test-support.ts';

describeEachDatabase('migration 0017: the campaign dashboard’s running counts start from the businesses already there', (backend) => {
  const open = emptyDatabases(backend);

  it('counts by county and stage, landlords, days to closure and stages reached; then keeps them', async () => {
    const db = await open();
    await migrate(db, upTo('0017'));
    if (backend === 'postgres') await sql`set session_replication_role = replica`.execute(db);
    const business = (id: string, tf: string, county: string, stage: string, landlord: string | null, notified: string | null, closed: string | null) =>
      sql`insert into business (id, agency_id, task_force_id, name, name_key, address, city, county_fips, address_key, stage, stage_changed_at, landlord_id, notified_at, closed_at, lease_action_at, created_by, created_at, updated_at)
          values (${id}, 'a', ${tf}, 'n', ${id}, 'x', 'c', ${county}, ${id}, ${stage}, '2026-01-01T00:00:00.000Z', ${landlord}, ${notified}, ${closed}, ${closed}, 'u', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`.execute(db);
    const event = (id: string, business: string, to: string) =>
      sql`insert into business_event (id, business_id, agency_id, at, kind, to_stage) values (${id}, ${business}, 'a', '2026-02-01T00:00:00.000Z', 'stage', ${to})`.execute(db);
    await business('b1', 'tf1', '29095', 'identified', null, null, null);
    await business('b2', 'tf1', '29095', 'closed', 'L1', '2026-01-01T00:00:00.000Z', '2026-01-11T12:00:00.000Z');
    await business('b3', 'tf1', '29095', 'civil_action', 'L1', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z');
    await business('b4', 'tf2', '29077', 'landlord_notified', 'L2', '2026-01-05T00:00:00.000Z', null);
    await event('e1', 'b3', 'civil_action');
    await event('e2', 'b3', 'civil_action');
    await event('e3', 'b4', 'closed');
    await migrate(db, upTo());
    const COUNTS = new Set(['businesses', 'notified', 'responded', 'lease_action', 'closed', 'tenths']);
    const rows = async (table: string) => (await sql.raw(`select * from ${table}`).execute(db)).rows.map((r) => Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, COUNTS.has(k) ? Number(v) : v])));
    const byKey = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect((await rows('campaign_stage_tally')).sort(byKey)).toEqual(
      [
        { task_force_id: 'tf1', county_fips: '29095', stage: 'identified', businesses: 1, notified: 0, responded: 0, lease_action: 0, closed: 0 },
        { task_force_id: 'tf1', county_fips: '29095', stage: 'closed', businesses: 1, notified: 1, responded: 0, lease_action: 1, closed: 1 },
        { task_force_id: 'tf1', county_fips: '29095', stage: 'civil_action', businesses: 1, notified: 1, responded: 0, lease_action: 1, closed: 1 },
        { task_force_id: 'tf2', county_fips: '29077', stage: 'landlord_notified', businesses: 1, notified: 1, responded: 0, lease_action: 0, closed: 0 },
      ].sort(byKey),
    );
    expect((await rows('campaign_landlord_tally')).sort(byKey)).toEqual(
      [
        { task_force_id: 'tf1', landlord_id: 'L1', notified: 2, responded: 0 },
        { task_force_id: 'tf2', landlord_id: 'L2', notified: 1, responded: 0 },
      ].sort(byKey),
    );
    // 10.5 days and 2 days, in tenths.
    expect((await rows('campaign_closure_tally')).sort(byKey)).toEqual([{ task_force_id: 'tf1', tenths: 105, businesses: 1 }, { task_force_id: 'tf1', tenths: 20, businesses: 1 }].sort(byKey));
    // b3 moved to civil action twice: one business. b4's "closed" event is not an event-counted stage.
    expect(await rows('campaign_reached_tally')).toEqual([{ task_force_id: 'tf1', stage: 'civil_action', businesses: 1 }]);

    // From here the triggers keep them (PostgreSQL's replica role, which kept foreign keys out of the way, skips triggers too): b1 moves on and is notified.
    if (backend === 'postgres') await sql`set session_replication_role = origin`.execute(db);
    await sql`update business set stage = 'landlord_notified', notified_at = '2026-03-01T00:00:00.000Z' where id = 'b1'`.execute(db);
    const tf1 = await rows('campaign_stage_tally');
    expect(tf1.find((r) => r.task_force_id === 'tf1' && r.stage === 'identified')).toMatchObject({ businesses: 0 });
    expect(tf1.find((r) => r.task_force_id === 'tf1' && r.stage === 'landlord_notified')).toMatchObject({ businesses: 1, notified: 1 });
  });
});
