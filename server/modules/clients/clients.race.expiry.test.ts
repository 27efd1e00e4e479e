import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv } from '../../test/race.ts';
import { sweepExpiredReleases } from './clients.expiry.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

/**
 * A share racing the expiry sweep (issue #12, items 2 and 4), on PostgreSQL. The share's request began
 * a millisecond before the release's expiry (the server's clock); two sweeps (two processes, as after a
 * restart) run at the expiry instant. Whatever the order: the share either landed before the expiry and
 * is read until then, or is refused with nothing written; once expired, the recipient's read is refused;
 * the sweep records `release.expire` once; and the identifier index holds no phone of the release.
 */
describe.skipIf(!inject('pgAvailable'))('sharing under a release while the expiry sweep runs under [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let clientId: string;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', 3);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    clientId = (await clientFromReferral(signedIn, world)).id;
  });
  afterAll(() => env.close());

  /** A sweep whose clock reads `at`, as the minute timer of a process would at that instant. */
  const sweepAt = (at: Date) => sweepExpiredReleases({ ...env.ctx, clock: { now: () => new Date(at) } });
  const later = <T>(ms: number, run: () => Promise<T>) => new Promise<void>((resolve) => setTimeout(resolve, ms)).then(run);
  const indexedFor = (releaseId: string) => env.ctx.db.selectFrom('record_identifier').selectAll().where('record_type', '=', 'release').where('record_id', '=', releaseId).execute();

  it('a share fired as the release expires lands before the expiry or is refused; the sweep records the end once and leaves no phone in the index', async () => {
    const advocate = await signedIn(world.users.advocate);
    const recipient = await signedIn(world.users.coordinator);
    const outcomes = new Map<number, number>();
    await raceRounds<{ id: string; expiresAt: Date }, LightMyRequestResponse | number>(roundsFor('postgres', 20), {
      prepare: async () => {
        // Each round a minute on (sessions stay fresh); the earlier rounds' releases were swept already.
        env.clock.advance(60_000);
        const expiresAt = new Date(env.clock.now().getTime() + 60_000);
        const taken = await advocate.post(`/api/clients/${clientId}/releases`, releaseInput(world.agencies.lead, { scopes: ['service_status', 'contact_details'], expiresAt: expiresAt.toISOString() }));
        expect(taken.statusCode, taken.body).toBe(201);
        env.clock.set(new Date(expiresAt.getTime() - 1));
        return { id: body(taken).id as string, expiresAt };
      },
      // The share reads three rows before its transaction, so sweeps started with it always win; starting
      // them up to ~40 ms later, varied by round, moves them across the share's transaction: both orders occur.
      fire: ({ id, expiresAt }, round) => {
        const lag = (round % 5) * 10;
        return [() => advocate.post(`/api/releases/${id}/shares`, {}), () => later(lag, () => sweepAt(expiresAt)), () => later(lag, () => sweepAt(expiresAt))];
      },
      check: async ({ id, expiresAt }, results) => {
        const share = results[0] as LightMyRequestResponse;
        const swept = results.slice(1) as number[];
        outcomes.set(share.statusCode, (outcomes.get(share.statusCode) ?? 0) + 1);
        // Two sweeps at once: exactly one recorded the expiry.
        expect(swept.sort()).toEqual([0, 1]);
        const expired = await auditRows(env, 'release.expire', id);
        expect(expired).toHaveLength(1);
        const release = await env.ctx.db.selectFrom('client_release').select(['status', 'expiry_recorded_at']).where('id', '=', id).executeTakeFirstOrThrow();
        expect(release).toEqual({ status: 'active', expiry_recorded_at: expiresAt.toISOString() });

        const shares = await env.ctx.db.selectFrom('client_share').select(['id', 'shared_at']).where('release_id', '=', id).execute();
        const audited = await auditRows(env, 'client.share', id);
        if (share.statusCode === 201) {
          expect(shares).toHaveLength(1);
          expect(shares[0]!.shared_at < expiresAt.toISOString()).toBe(true);
          expect(audited.map((a) => JSON.parse(a.detail).shareId)).toEqual([shares[0]!.id]);
          // Before the expiry the recipient reads what was shared.
          const before = await recipient.get(`/api/releases/${id}/shared`);
          expect(before.statusCode, before.body).toBe(200);
          expect(body(before).contactDetails.phone).toBe('(816) 555-0142');
        } else {
          expectRefusal(share, [409]);
          expect(body(share).error.field).toBe('status');
          expect(shares).toEqual([]);
          expect(audited).toEqual([]);
        }
        // Whichever committed last, the release's phone is not in the index.
        expect(await indexedFor(id)).toEqual([]);
        env.clock.set(expiresAt);
        expect((await recipient.get(`/api/releases/${id}/shared`)).statusCode).toBe(404);
      },
    });
    // Printed, not asserted: how the rounds fell (the scheduler decides).
    console.info(`share × expiry sweep outcomes: ${[...outcomes].map(([s, n]) => `${s}×${n}`).join(', ')}`);
  });
});
