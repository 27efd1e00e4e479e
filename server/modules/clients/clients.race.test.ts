import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { expectRefusal, fireTogether, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

/**
 * Revocation against reads and shares in flight (issue #12, item 2: "revocation stops the next read").
 * On PostgreSQL the requests run side by side: a read racing a revoke sees the release either before
 * (the full extract) or after (404), never half of it; once the revoke has answered, every read is 404;
 * a share racing a revoke either lands before it (and is audited) or is refused with nothing written.
 */
describe.skipIf(!inject('pgAvailable'))('revoking a release while it is read and shared under [postgres]', () => {
  const READS = 6;
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let clientId: string;

  beforeAll(async () => {
    env = await startRaceEnv('postgres', READS + 2);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    clientId = (await clientFromReferral(signedIn, world)).id;
    const advocate = await signedIn(world.users.advocate);
    expect((await advocate.post(`/api/clients/${clientId}/services`, { category: 'emergency_shelter', providedOn: env.clock.now().toISOString().slice(0, 10) })).statusCode).toBe(201);
  });
  afterAll(() => env.close());

  async function sharedRelease(share: boolean) {
    const advocate = await signedIn(world.users.advocate);
    const taken = await advocate.post(`/api/clients/${clientId}/releases`, releaseInput(world.agencies.lead, { scopes: ['service_status', 'contact_details'] }));
    expect(taken.statusCode, taken.body).toBe(201);
    const id = body(taken).id as string;
    if (share) expect((await advocate.post(`/api/releases/${id}/shares`, {})).statusCode).toBe(201);
    return id;
  }

  it(`revoke × ${READS} reads: each read is the whole extract or 404; after the revoke answered, every read is 404`, async () => {
    const advocate = await signedIn(world.users.advocate);
    const readers = [await signedIn(world.users.coordinator), await signedIn(world.users.officer), await signedIn(world.users.analyst)];
    let whole = 0;
    let refused = 0;
    await raceRounds(roundsFor('postgres', 15), {
      prepare: async () => {
        const id = await sharedRelease(true);
        const before = await readers[0]!.get(`/api/releases/${id}/shared`);
        expect(before.statusCode).toBe(200);
        return { id, extract: body(before) };
      },
      fire: ({ id }) => [() => advocate.post(`/api/releases/${id}/revoke`, { method: 'oral' }), ...Array.from({ length: READS }, (_, i) => () => readers[i % readers.length]!.get(`/api/releases/${id}/shared`))],
      check: async ({ id, extract }, [revoke, ...reads]) => {
        expect(revoke!.statusCode, revoke!.body).toBe(200);
        for (const read of reads) {
          if (read.statusCode === 200) {
            expect(body(read)).toEqual(extract);
            whole++;
          } else {
            expectRefusal(read, [404]);
            expect(read.body).toBe(JSON.stringify({ error: { code: 'not_found', message: body(read).error.message } }));
            refused++;
          }
        }
        const after = await fireTogether(Array.from({ length: READS }, (_, i) => () => readers[i % readers.length]!.get(`/api/releases/${id}/shared`)));
        expect(statuses(after)).toEqual(Array(READS).fill(404));
        // Every read that answered 200 left its audit row; none after the revoke did.
        expect((await auditRows(env, 'release.readShared', id)).length).toBe(1 + reads.filter((r) => r.statusCode === 200).length);
      },
    });
    expect(whole + refused).toBe(roundsFor('postgres', 15) * READS);
  });

  it('revoke × share: the share lands before the revoke (in the release’s shares and the audit) or is refused with 409 and nothing written', async () => {
    const advocate = await signedIn(world.users.advocate);
    const supervisor = await signedIn(await insertUser(env, world.agencies.advocates, ['coordinator']));
    const outcomes = new Set<number>();
    await raceRounds(roundsFor('postgres'), {
      prepare: () => sharedRelease(false),
      fire: (id) => [() => advocate.post(`/api/releases/${id}/revoke`, { method: 'written' }), () => supervisor.post(`/api/releases/${id}/shares`, { scopes: ['service_status'] })],
      check: async (id, [revoke, share]) => {
        expect(revoke!.statusCode, revoke!.body).toBe(200);
        outcomes.add(share!.statusCode);
        const rows = await env.ctx.db.selectFrom('client_share').selectAll().where('release_id', '=', id).execute();
        const release = await env.ctx.db.selectFrom('client_release').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        expect(release.status).toBe('revoked');
        const audited = await auditRows(env, 'client.share', id);
        if (share!.statusCode === 201) {
          expect(rows).toHaveLength(1);
          expect(body(share!).shares.map((s: { id: string }) => s.id)).toEqual([rows[0]!.id]);
          expect(audited.map((a) => JSON.parse(a.detail).shareId)).toEqual([rows[0]!.id]);
          expect(rows[0]!.shared_at <= release.revoked_at!).toBe(true);
          // The revoke saw the share: the release's version moved for both.
          expect(release.version).toBe(3);
        } else {
          expectRefusal(share!, [409]);
          expect(body(share!).error.field).toBe('status');
          expect(rows).toEqual([]);
          expect(audited).toEqual([]);
        }
        expect((await (await signedIn(world.users.coordinator)).get(`/api/releases/${id}/shared`)).statusCode).toBe(404);
      },
    });
    expect([...outcomes].every((s) => s === 201 || s === 409)).toBe(true);
  });

  it('two revokes at once: one answers 200, the other 409, and the revocation is audited once', async () => {
    const advocate = await signedIn(world.users.advocate);
    await raceRounds(roundsFor('postgres'), {
      prepare: () => sharedRelease(true),
      fire: (id) => [() => advocate.post(`/api/releases/${id}/revoke`, { method: 'oral' }), () => advocate.post(`/api/releases/${id}/revoke`, { method: 'written' })],
      check: async (id, results) => {
        expect(statuses(results).sort()).toEqual([200, 409]);
        expectRefusal(results.find((r) => r.statusCode === 409)!, [409]);
        const revocations = (await auditRows(env, 'client.release', id)).filter((a) => JSON.parse(a.detail).event === 'revoked');
        expect(revocations).toHaveLength(1);
        const winner = body(results.find((r) => r.statusCode === 200)!);
        expect(JSON.parse(revocations[0]!.detail).method).toBe(winner.revocationMethod);
      },
    });
  });
});
