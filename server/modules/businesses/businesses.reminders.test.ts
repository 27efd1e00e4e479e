import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, openSecondContext, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import type { AppContext } from '../../context.ts';
import { checkResponseDeadlines } from './businesses.reminders.ts';
import { addAttorneyGeneral, insertLandlord, insertPipelineBusiness } from './businesses.pipeline.test-support.ts';

/** The landlord's response deadline reminds the campaign's staff through the inbox (issue #11, item 5). */
describeEachDatabase('landlord response deadlines', (backend) => {
  let env: TestEnv;
  let world: World;
  let ag: { agencyId: string; coordinator: TestUser; analyst: TestUser };
  let second: AppContext;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    ag = await addAttorneyGeneral(env, world);
    second = await openSecondContext(env);
  });
  afterAll(async () => {
    await second.database.close();
    await env.close();
  });

  const notices = (id: string) =>
    env.ctx.db.selectFrom('inbox_item').selectAll().where('record_type', '=', 'business').where('record_id', '=', id).orderBy('kind').orderBy('agency_id').orderBy('audience').execute();
  /** Two processes at once on PostgreSQL; SQLite is one process by design, so there they take turns. */
  const bothProcesses = async () =>
    backend === 'postgres' ? (await Promise.all([checkResponseDeadlines(env.ctx), checkResponseDeadlines(second)])).reduce((a, b) => a + b, 0) : (await checkResponseDeadlines(env.ctx)) + (await checkResponseDeadlines(second));

  it('reminds the owner’s and the attorney general’s coordinators and analysts 7 days ahead and once it passed (state days), each once across processes; the answer settles them', async () => {
    const landlordId = await insertLandlord(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.coordinator.id, name: 'Marigold Property Trust' });
    const base = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id, landlordId };
    const b = await insertPipelineBusiness(env.ctx, { ...base, stage: 'landlord_notified', name: 'Jade Garden Massage', city: 'Blue Springs', responseDue: '2026-01-30' });
    // Not waiting on a landlord: no reminder, whatever its old deadline.
    const answered = await insertPipelineBusiness(env.ctx, { ...base, stage: 'landlord_responded', outcome: 'committed', responseDue: '2026-01-20' });
    // Another task force's business has its own people; the attorney general of this one is not told.
    const elsewhere = await insertPipelineBusiness(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, createdBy: world.users.outsiderCoordinator.id, stage: 'landlord_notified', responseDue: '2026-01-30' });

    expect(await checkResponseDeadlines(env.ctx)).toBe(0); // 15 days ahead

    env.clock.set('2026-01-23T15:00:00Z'); // 7 days ahead
    expect(await bothProcesses()).toBe(2);
    let rows = await notices(b.id);
    const recipients = [
      [world.agencies.lead, 'analyst'],
      [world.agencies.lead, 'coordinator'],
      [ag.agencyId, 'analyst'],
      [ag.agencyId, 'coordinator'],
    ].sort((x, y) => x[0]!.localeCompare(y[0]!) || x[1]!.localeCompare(y[1]!));
    expect(rows.map((r) => [r.agency_id, r.audience])).toEqual(recipients);
    expect(rows.every((r) => r.kind === 'business.deadline.soon')).toBe(true);
    expect(rows[0]!.title).toBe("Landlord's response due 2026-01-30: Jade Garden Massage, Blue Springs");
    expect(`${rows[0]!.title} ${rows[0]!.body}`).not.toContain('Marigold');
    expect((await notices(elsewhere.id)).map((r) => [r.agency_id, r.audience])).toEqual([
      [world.agencies.outsider, 'analyst'],
      [world.agencies.outsider, 'coordinator'],
    ]);
    expect(await notices(answered.id)).toEqual([]);
    expect(await bothProcesses()).toBe(0);

    // The deadline is the state's day: at 9 p.m. in Missouri on the 30th it has not passed yet.
    env.clock.set('2026-01-31T03:00:00Z');
    expect(await checkResponseDeadlines(env.ctx)).toBe(0);
    env.clock.set('2026-01-31T07:00:00Z');
    expect(await bothProcesses()).toBe(2);
    expect(await bothProcesses()).toBe(0);
    rows = await notices(b.id);
    const passed = rows.filter((r) => r.kind === 'business.deadline.passed');
    expect(passed).toHaveLength(4);
    expect(passed[0]!.body).toBe("The landlord's response deadline for Jade Garden Massage (Blue Springs) passed on 2026-01-30: record their answer or no response.");
    expect((await auditRows(env, 'business.deadline', b.id)).map((r) => JSON.parse(r.detail!).stage)).toEqual(['passed', 'soon']);

    // In the attorney general's analyst's inbox, unread.
    const agAnalyst = as(env, await signIn(env, ag.analyst));
    const inbox = body(await agAnalyst.get('/api/inbox'));
    expect(inbox.items.filter((i: { recordId: string }) => i.recordId === b.id).map((i: { kind: string; read: boolean }) => [i.kind, i.read])).toEqual([
      ['business.deadline.passed', false],
      ['business.deadline.soon', false],
    ]);

    // The landlord's answer (no response, the deadline having passed) settles every reminder.
    const coordinator = as(env, await signIn(env, world.users.coordinator));
    const res = await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_responded', outcome: 'no_response', version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect((await notices(b.id)).every((r) => r.settled_at !== null)).toBe(true);
    expect(await checkResponseDeadlines(env.ctx)).toBe(0);
  });

  it('leaves a deadline that passed over 30 days ago alone, and announces an extended deadline anew', async () => {
    env.clock.set('2026-03-10T18:00:00Z');
    const base = { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id, stage: 'landlord_notified' as const };
    const old = await insertPipelineBusiness(env.ctx, { ...base, responseDue: '2026-02-07' });
    const b = await insertPipelineBusiness(env.ctx, { ...base, responseDue: '2026-03-09' });
    expect(await checkResponseDeadlines(env.ctx)).toBe(1);
    expect(await notices(old.id)).toEqual([]);
    expect((await notices(b.id)).map((r) => r.kind)).toEqual(Array(4).fill('business.deadline.passed'));
    // The landlord asked for more time and got it: the new deadline has its own reminder.
    await env.ctx.db.updateTable('business').set({ response_due: '2026-03-13' }).where('id', '=', b.id).execute();
    expect(await checkResponseDeadlines(env.ctx)).toBe(1);
    expect(await checkResponseDeadlines(env.ctx)).toBe(0);
    expect((await notices(b.id)).filter((r) => r.kind === 'business.deadline.soon')).toHaveLength(4);
  });
});
