import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import { watchForReopening } from './businesses.watch.ts';
import { insertTestBusiness } from './businesses.watch.test-support.ts';

/**
 * Dismissing a re-opening alert under concurrency (issue #11: every state change race-safe). Only
 * PostgreSQL runs requests side by side: two staff dismiss the same alert at once — one wins, the other is
 * told it was dismissed (409); the history and the audit log hold one dismissal.
 */
describe.skipIf(!inject('pgAvailable'))('re-opening alert races [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', 4);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  /** A closed business with one open alert, raised by the watch as a tip would raise it. */
  async function alerted(round: number) {
    const phone = `81655501${String(round).padStart(2, '0')}`;
    const businessId = await insertTestBusiness(env.ctx.db, env.ctx, {
      agencyId: world.agencies.lead,
      taskForceId: world.taskForceId,
      createdBy: world.users.coordinator.id,
      stage: 'closed',
      phones: [phone],
      closedAt: env.clock.now().toISOString(),
    });
    const source = { type: 'tip' as const, id: `01900000-0000-7000-8000-${String(round).padStart(12, '0')}`, agencyId: world.agencies.lead };
    await env.ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, (tx) =>
      watchForReopening(tx, env.ctx, { ...source, parentId: source.id, blinds: [{ kind: 'phone', blind: blindIndex(env.ctx.keyring, 'phone', normalizeIdentifier('phone', phone)!) }] }),
    );
    const alert = await env.ctx.db.selectFrom('business_alert').select('id').where('business_id', '=', businessId).executeTakeFirstOrThrow();
    return { businessId, alertId: alert.id };
  }

  it('dismiss × dismiss: one dismissal, one event, one audit row; the other is a 409', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor('postgres'), {
      prepare: (round) => alerted(round),
      fire: (s) => [
        () => coordinator.post(`/api/business-alerts/${s.alertId}/dismiss`, { reason: 'checked: a new tenant' }),
        () => analyst.post(`/api/business-alerts/${s.alertId}/dismiss`, { reason: 'checked too' }),
      ],
      check: async (s, res: LightMyRequestResponse[]) => {
        expect(res.filter((r) => r.statusCode === 200), statuses(res).join(',')).toHaveLength(1);
        expectRefusal(res.find((r) => r.statusCode !== 200)!, [409]);
        const events = await env.ctx.db.selectFrom('business_event').select('id').where('business_id', '=', s.businessId).where('kind', '=', 'alert_dismissed').execute();
        expect(events).toHaveLength(1);
        expect(await auditRows(env, 'business.dismissAlert', s.businessId)).toHaveLength(1);
      },
    });
  });
});
