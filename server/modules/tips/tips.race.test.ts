import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';
import { insertTestTip, type TestTip } from './queue.test-support.ts';

/**
 * The tip's state changes under concurrency (issue #10, item 5; BRIEF: every state change race-safe).
 * Only PostgreSQL runs requests side by side: two assignments, or two status changes, of the same tip at
 * the same moment — one wins, the other is told the tip changed (409), and the history and the audit
 * log hold one change.
 */
describe.skipIf(!inject('pgAvailable'))('tip races [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let officer2: TestUser;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', 4);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    officer2 = await insertUser(env, world.agencies.lead, ['officer']);
  });
  afterAll(() => env.close());

  const tip = (over: Partial<TestTip> = {}) =>
    insertTestTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, ...over });
  const stored = (id: string) => env.ctx.db.selectFrom('tip').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = async (id: string, kind: string) => (await env.ctx.db.selectFrom('tip_event').select('id').where('tip_id', '=', id).where('kind', '=', kind).execute()).length;
  const winners = (res: LightMyRequestResponse[]) => res.filter((r) => r.statusCode === 200);

  it('assign × assign: one assignee, one event, one audit row; the other is told the tip changed', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: () => tip(),
      fire: (t) => [
        () => coordinator.post(`/api/tips/${t.id}/assign`, { userId: world.users.officer.id, version: 1 }),
        () => analyst.post(`/api/tips/${t.id}/assign`, { userId: officer2.id, version: 1 }),
      ],
      check: async (t, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        const lost = res.find((r) => r.statusCode !== 200)!;
        expectRefusal(lost, [409]);
        expect(body(lost).error.field).toBe('version');
        const row = await stored(t.id);
        expect(row.version).toBe(2);
        expect(row.assigned_user_id).toBe(body(winners(res)[0]!).assignedTo.id);
        expect(await eventsOf(t.id, 'assigned')).toBe(1);
        expect(await auditRows(env, 'tip.assign', t.id)).toHaveLength(1);
      },
    });
  });

  it('status × status: closed or under review, never both; one event, one audit row', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: () => tip({ status: 'assigned', assignedUserId: world.users.analyst.id }),
      fire: (t) => [
        () => coordinator.post(`/api/tips/${t.id}/status`, { status: 'closed', reason: 'duplicate', version: 1 }),
        () => analyst.post(`/api/tips/${t.id}/status`, { status: 'under_review', version: 1 }),
      ],
      check: async (t, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        const row = await stored(t.id);
        expect(row.status).toBe(body(winners(res)[0]!).status);
        expect(row.version).toBe(2);
        expect(row.close_reason).toBe(row.status === 'closed' ? 'duplicate' : null);
        expect(await eventsOf(t.id, 'status')).toBe(1);
        expect(await auditRows(env, 'tip.triage', t.id)).toHaveLength(1);
      },
    });
  });

  it('assign × close: the tip is assigned or closed, not a closed tip with a new assignee', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: () => tip(),
      fire: (t) => [
        () => coordinator.post(`/api/tips/${t.id}/assign`, { userId: officer2.id, version: 1 }),
        () => analyst.post(`/api/tips/${t.id}/status`, { status: 'closed', reason: 'insufficient_information', version: 1 }),
      ],
      check: async (t, res) => {
        expect(winners(res), statuses(res).join(',')).toHaveLength(1);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        const row = await stored(t.id);
        if (row.status === 'closed') expect(row.assigned_user_id).toBeNull();
        else expect(row).toMatchObject({ status: 'assigned', assigned_user_id: officer2.id });
        expect(row.version).toBe(2);
      },
    });
  });
});
