import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { body, describeEachDatabase, type TestEnv } from '../test/harness.ts';
import { insertUser, seedWorld, signIn, type TestUser, type World } from '../test/fixtures.ts';
import { raceRounds, roundsFor, startRaceEnv } from '../test/race.ts';
import { columnsContaining, postTip, publicTip, solvedProof } from '../modules/tips/tips.test-support.ts';
import { receiptHash } from '../modules/tips/tips.intake.ts';
import { configureTipIntake, drainTipQueue } from '../modules/tips/tips.public.ts';
import { activeOperation, suspect } from '../test/operations-fixtures.ts';
import { as } from '../test/fixtures.ts';
import { pruneIdempotencyKeys } from './idempotency.ts';

/** Oak Grove, Missouri (Jackson County). */
const OAK_GROVE = { label: 'Motel, 1400 block of S Broadway St', countyFips: '29095', lat: 38.966, lng: -94.129 };

describeEachDatabase('idempotency keys', (backend) => {
  let env: TestEnv;
  let world: World;
  let otherCoordinator: TestUser;
  const cookies = new Map<string, string>();
  const cookieOf = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return cookies.get(user.id)!;
  };
  let seq = 0;
  const plan = (over: Record<string, unknown> = {}) => ({
    taskForceId: world.taskForceId,
    name: `Operation ${++seq}`,
    type: 'buyer_sting',
    startsAt: '2026-02-10T18:00:00.000Z',
    endsAt: '2026-02-11T02:00:00.000Z',
    locations: [OAK_GROVE],
    participants: [{ agencyId: world.agencies.partner, role: 'participant' }],
    commander: { name: 'Sgt. Test Commander', phone: '(816) 555-0100' },
    subjects: [],
    briefing: 'Staging at the church lot; radio channel 3.',
    assignedUserIds: [world.users.officer.id],
    ...over,
  });
  const planWithKey = async (user: TestUser, payload: object, key: string | undefined): Promise<LightMyRequestResponse> =>
    env.app.inject({ method: 'POST', url: '/api/operations', headers: { cookie: await cookieOf(user), ...(key === undefined ? {} : { 'idempotency-key': key }) }, payload });
  const operationsNamed = async (name: string) => (await env.ctx.db.selectFrom('operation').select('id').where('name', '=', name).execute()).length;
  const createAudits = async (id: string) =>
    (await env.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'operation.create').where('record_id', '=', id).execute()).length;

  beforeAll(async () => {
    // A pool big enough that the race's two requests run side by side on PostgreSQL.
    env = await startRaceEnv(backend, 4);
    world = await seedWorld(env);
    otherCoordinator = await insertUser(env, world.agencies.lead, ['coordinator']);
  });
  afterAll(() => env.close());

  it('an operation plan sent again with its key answers the first reply and makes no second operation', async () => {
    const payload = plan();
    const key = randomUUID();
    const first = await planWithKey(world.users.coordinator, payload, key);
    expect(first.statusCode).toBe(201);
    const again = await planWithKey(world.users.coordinator, payload, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(body(again)).toEqual(body(first));
    expect(await operationsNamed(payload.name)).toBe(1);
    expect(await createAudits(body(first).id)).toBe(1);
    // The recorded reply carries the briefing: it is stored sealed.
    const row = await env.ctx.db.selectFrom('idempotency_key').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ scope: `user:${world.users.coordinator.id}`, status: 201 });
    expect(row.response).toMatch(/^enc1\./);
    expect(JSON.parse(row.created_record!)).toEqual({ action: 'operation.create', recordId: body(first).id });
    // Without a key, the same body is a new operation (the key is what marks a resend).
    expect((await planWithKey(world.users.coordinator, payload, undefined)).statusCode).toBe(201);
    expect(await operationsNamed(payload.name)).toBe(2);
  });

  it('the same key with another body is refused (422) and creates nothing', async () => {
    const key = randomUUID();
    const payload = plan();
    expect((await planWithKey(world.users.coordinator, payload, key)).statusCode).toBe(201);
    const other = plan();
    const res = await planWithKey(world.users.coordinator, other, key);
    expect(res.statusCode).toBe(422);
    expect(body(res).error).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    expect(await operationsNamed(other.name)).toBe(0);
  });

  it('a key that is empty, too long or not printable is refused (400 naming Idempotency-Key) before anything is written', async () => {
    for (const key of ['', ' ', 'k'.repeat(201), 'tab\there', 'ключ']) {
      const payload = plan();
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/operations',
        headers: { cookie: await cookieOf(world.users.coordinator), 'idempotency-key': Buffer.from(key, 'utf8').toString('latin1') },
        payload,
      });
      expect(res.statusCode, JSON.stringify(key)).toBe(400);
      expect(body(res).error).toMatchObject({ code: 'invalid', field: 'Idempotency-Key' });
      expect(await operationsNamed(payload.name)).toBe(0);
    }
    expect((await planWithKey(world.users.coordinator, plan(), 'k'.repeat(200))).statusCode).toBe(201);
  });

  it("another user's same key is another key", async () => {
    const key = 'plan-1';
    const mine = await planWithKey(world.users.coordinator, plan(), key);
    const theirs = await planWithKey(otherCoordinator, plan(), key);
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(body(theirs).id).not.toBe(body(mine).id);
  });

  it('a reply lost after the commit (the process killed in between) is not made again: 409 names the record made', async () => {
    const key = randomUUID();
    const payload = plan();
    const first = await planWithKey(world.users.coordinator, payload, key);
    // What a kill -9 between the commit and recording the reply leaves behind.
    await env.ctx.db.updateTable('idempotency_key').set({ status: null, response: null }).where('key', '=', key).execute();
    const soon = await planWithKey(world.users.coordinator, payload, key);
    expect(soon.statusCode).toBe(409);
    expect(body(soon).error).toMatchObject({ code: 'idempotency_in_progress', field: 'Idempotency-Key' });
    env.clock.advance(60_000);
    const later = await planWithKey(world.users.coordinator, payload, key);
    expect(later.statusCode).toBe(409);
    expect(body(later).error).toMatchObject({ code: 'idempotency_reply_lost', details: { action: 'operation.create', recordId: body(first).id } });
    expect(await operationsNamed(payload.name)).toBe(1);
  });

  it('two identical plans sent at once make one operation, and both are answered with it (or told to retry)', async () => {
    await raceRounds(roundsFor(backend, 15), {
      prepare: async () => ({ payload: plan(), key: randomUUID(), cookie: await cookieOf(world.users.coordinator) }),
      fire: ({ payload, key }) => [0, 1].map(() => () => planWithKey(world.users.coordinator, payload, key)),
      check: async ({ payload }, results) => {
        expect(await operationsNamed(payload.name)).toBe(1);
        const created = results.filter((r) => r.statusCode === 201);
        expect(created.length).toBeGreaterThanOrEqual(1);
        for (const r of results) {
          if (r.statusCode === 201) expect(body(r)).toEqual(body(created[0]!));
          else expect([r.statusCode, body(r).error.code]).toEqual([409, 'idempotency_in_progress']);
        }
      },
    });
  });

  it('keys are kept a day, then pruned', async () => {
    const key = randomUUID();
    await planWithKey(world.users.coordinator, plan(), key);
    env.clock.advance(23 * 60 * 60_000);
    await pruneIdempotencyKeys(env.ctx);
    expect(await env.ctx.db.selectFrom('idempotency_key').select('id').where('key', '=', key).executeTakeFirst()).toBeDefined();
    env.clock.advance(2 * 60 * 60_000);
    await pruneIdempotencyKeys(env.ctx);
    expect(await env.ctx.db.selectFrom('idempotency_key').select('id').where('key', '=', key).executeTakeFirst()).toBeUndefined();
  });

  it('a public tip resent with its key and body gets its receipt again, which is stored nowhere readable; a short key is refused', async () => {
    const key = randomUUID();
    const payload = { ...publicTip({ narrative: `A tip sent twice over a bad connection ${randomUUID()}.` }), altcha: await solvedProof(env.ctx) };
    const short = await postTip(env, payload, { headers: { 'idempotency-key': 'short-key' } });
    expect(short.statusCode).toBe(400);
    expect(body(short).error).toMatchObject({ field: 'Idempotency-Key' });

    const first = await postTip(env, payload, { headers: { 'idempotency-key': key } });
    expect(first.statusCode).toBe(201);
    const again = await postTip(env, payload, { headers: { 'idempotency-key': key } });
    expect(again.statusCode).toBe(201);
    expect(body(again).receipt).toBe(body(first).receipt);
    const hash = receiptHash(env.ctx, body(first).receipt);
    expect((await env.ctx.db.selectFrom('tip').select('id').where('receipt_hash', '=', hash).execute()).length).toBe(1);
    // Neither the key nor the receipt is stored as sent.
    expect(await columnsContaining(env.ctx, key)).toEqual([]);
    expect(await columnsContaining(env.ctx, body(first).receipt)).toEqual([]);
    expect(await columnsContaining(env.ctx, body(first).receipt.replaceAll(' ', ''))).toEqual([]);
    // Someone with the key but another body learns nothing.
    const other = await postTip(env, { ...payload, narrative: 'Someone else guessing at the key.' }, { headers: { 'idempotency-key': key } });
    expect(other.statusCode).toBe(422);
    expect(other.body).not.toContain(body(first).receipt);
  });

  it('a contact resent with its key answers the first 201; its clientRef still answers a resend without the key', async () => {
    // Sessions signed in before the clock moved a day on (the prune above) have ended.
    cookies.clear();
    const signedIn = async (user: TestUser) => as(env, await cookieOf(user));
    const op = await activeOperation(signedIn, world);
    const url = `/api/operations/${op.id}/contacts`;
    const send = async (payload: object, key?: string) =>
      env.app.inject({ method: 'POST', url, headers: { cookie: await cookieOf(world.users.officer), ...(key ? { 'idempotency-key': key } : {}) }, payload });
    const payload = suspect({ clientRef: 'device-9:entry-1' });
    const key = randomUUID();
    const first = await send(payload, key);
    expect(first.statusCode).toBe(201);
    const again = await send(payload, key);
    expect([again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(body(again)).toEqual(body(first));
    const byRef = await send(payload);
    expect(byRef.statusCode).toBe(200);
    expect(body(byRef).id).toBe(body(first).id);
    const contacts = await env.ctx.db.selectFrom('contact').select('id').where('operation_id', '=', op.id).execute();
    expect(contacts).toHaveLength(1);
  });

  it('a public tip queued in a burst (202) and resent gets the same receipt, and is filed once', async () => {
    configureTipIntake(env.ctx, { maxInFlight: 0 });
    try {
      const key = randomUUID();
      const payload = { ...publicTip({ narrative: `A tip sent during a burst ${randomUUID()}.` }), altcha: await solvedProof(env.ctx) };
      const first = await postTip(env, payload, { headers: { 'idempotency-key': key } });
      expect(first.statusCode).toBe(202);
      const again = await postTip(env, payload, { headers: { 'idempotency-key': key } });
      expect([again.statusCode, body(again)]).toEqual([202, body(first)]);
      configureTipIntake(env.ctx, { maxInFlight: 32 });
      await drainTipQueue(env.ctx);
      const hash = receiptHash(env.ctx, body(first).receipt);
      expect((await env.ctx.db.selectFrom('tip').select('id').where('receipt_hash', '=', hash).execute()).length).toBe(1);
    } finally {
      configureTipIntake(env.ctx, { maxInFlight: 32 });
    }
  });
});
