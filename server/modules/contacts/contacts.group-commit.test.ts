import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, suspect, type SignedIn } from '../../test/operations-fixtures.ts';
import { insertTestBusiness } from '../businesses/businesses.watch.test-support.ts';
import { loadActor } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordContactInput } from '../../../common/schemas/contacts.ts';
import { prepareContact } from './contacts.service.ts';
import { contactBatchSizes, recordContactsTogether, type ContactToRecord } from './contacts.recording.ts';

/**
 * Contacts recorded at the same moment are written in one transaction (a group commit). Each must come
 * out as if it had been written alone: its number in its operation, its own audit row (its officer, its
 * request), its services and timeline event; and one contact's fault is that contact's alone.
 */
describeEachDatabase('contacts recorded together', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const job = async (user: TestUser, operationId: string, contact: Record<string, unknown>, requestId = 'req-test'): Promise<ContactToRecord> => {
    const actor = await loadActor(env.ctx.db, user.id);
    const meta = { ip: '198.51.100.7', userAgent: 'field tablet', requestId };
    return (await prepareContact(env.ctx, actor, operationId, recordContactInput.parse(contact), meta)).job;
  };
  const numbers = async (operationId: string) =>
    (await env.ctx.db.selectFrom('contact').select('person_number').where('operation_id', '=', operationId).orderBy('person_number').execute()).map((r) => r.person_number);

  it('five contacts in two operations by two officers: numbered in arrival order per operation, each its own audit row, services and event', async () => {
    const a = await activeOperation(signedIn, world);
    const b = await activeOperation(signedIn, world);
    const jobs = [
      await job(world.users.officer, a.id, suspect(), 'req-1'),
      await job(world.users.partnerOfficer, b.id, adultVictim({ services: [{ service: 'food', offered: true, accepted: true }] }), 'req-2'),
      await job(world.users.partnerOfficer, a.id, adultVictim({ services: [{ service: 'lodging', offered: true }, { service: 'counseling', offered: true }] }), 'req-3'),
      await job(world.users.officer, b.id, suspect(), 'req-4'),
      await job(world.users.officer, a.id, suspect({ disposition: 'arrested', charges: ['RSMo 567.030 patronizing prostitution'] }), 'req-5'),
    ];
    const results = await recordContactsTogether(env.ctx, jobs);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    const written = results.map((r) => (r.ok ? r.value : null))!;
    expect(written.map((w) => [w!.personNumber, w!.created])).toEqual([
      [1, true],
      [1, true],
      [2, true],
      [2, true],
      [3, true],
    ]);
    expect(await numbers(a.id)).toEqual([1, 2, 3]);
    expect(await numbers(b.id)).toEqual([1, 2]);
    const ids = written.map((w) => w!.id);

    const services = await env.ctx.db.selectFrom('contact_service').select(['contact_id', 'service']).where('contact_id', 'in', ids).orderBy('service').execute();
    expect(services.map((s) => [ids.indexOf(s.contact_id), s.service])).toEqual([
      [2, 'counseling'],
      [1, 'food'],
      [2, 'lodging'],
    ]);
    const events = await env.ctx.db.selectFrom('operation_event').select(['operation_id', 'actor_user_id', 'detail']).where('kind', '=', 'contact_recorded').where('operation_id', 'in', [a.id, b.id]).execute();
    expect(events).toHaveLength(5);

    // One chain, in arrival order, each row naming its own officer and request.
    const audit = await env.ctx.db
      .selectFrom('audit_event')
      .select(['record_id', 'chain_id', 'seq', 'actor_user_id', 'request_id', 'ip'])
      .where('action', '=', 'contact.create')
      .where('record_id', 'in', ids)
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => [r.record_id, r.actor_user_id, r.request_id])).toEqual(jobs.map((j, i) => [ids[i], j.actor.userId, `req-${i + 1}`]));
    expect(new Set(audit.map((r) => r.chain_id)).size).toBe(1);
    expect(audit.map((r) => Number(r.seq) - Number(audit[0]!.seq))).toEqual([0, 1, 2, 3, 4]);
    expect(audit.every((r) => r.ip === '198.51.100.7')).toBe(true);
  });

  it('phones: every contact’s indexed with it, and the re-opening watch alerts only on the contact that names a closed business, in its own request’s name', async () => {
    const op = await activeOperation(signedIn, world);
    const phone = `(660) 555-${String(1000 + Math.floor(Math.random() * 8999))}`;
    const other = `(417) 555-${String(1000 + Math.floor(Math.random() * 8999))}`;
    const closed = await insertTestBusiness(env.ctx.db, env.ctx, {
      agencyId: world.agencies.lead,
      taskForceId: world.taskForceId,
      createdBy: world.users.coordinator.id,
      name: `Closed Spa ${Math.random()}`,
      stage: 'closed',
      phones: [phone],
      closedAt: env.clock.now().toISOString(),
    });
    const results = await recordContactsTogether(env.ctx, [
      await job(world.users.officer, op.id, suspect({ phones: [other] }), 'req-a'),
      await job(world.users.partnerOfficer, op.id, suspect(), 'req-b'),
      await job(world.users.partnerOfficer, op.id, adultVictim({ phones: [phone, other] }), 'req-c'),
    ]);
    const ids = results.map((r) => (r.ok ? r.value.id : ''));
    const indexed = await env.ctx.db.selectFrom('record_identifier').select(['record_id']).where('record_type', '=', 'contact').where('record_id', 'in', ids).execute();
    expect(indexed.map((r) => ids.indexOf(r.record_id)).sort()).toEqual([0, 2, 2]);
    const alerts = await env.ctx.db.selectFrom('business_alert').select(['source_id', 'kinds']).where('business_id', '=', closed).execute();
    expect(alerts).toEqual([{ source_id: ids[2], kinds: JSON.stringify(['phone']) }]);
    const audited = await env.ctx.db.selectFrom('audit_event').select(['actor_user_id', 'request_id']).where('action', '=', 'business.alert').where('record_id', '=', closed).execute();
    // The system's act, in the request that recorded the contact.
    expect(audited).toEqual([{ actor_user_id: null, request_id: 'req-c' }]);
  });

  it('a clientRef recorded before, or earlier in the same batch, is answered as a retry; nothing is written twice', async () => {
    const op = await activeOperation(signedIn, world);
    const [first] = await recordContactsTogether(env.ctx, [await job(world.users.officer, op.id, suspect({ clientRef: 'tablet-3:1' }))]);
    expect(first).toMatchObject({ ok: true, value: { personNumber: 1, created: true } });
    const firstId = first!.ok ? first!.value.id : '';
    const results = await recordContactsTogether(env.ctx, [
      await job(world.users.officer, op.id, suspect({ clientRef: 'tablet-3:1' })),
      await job(world.users.officer, op.id, suspect({ clientRef: 'tablet-3:2' })),
      await job(world.users.officer, op.id, suspect({ clientRef: 'tablet-3:2', sex: 'female' })),
    ]);
    const values = results.map((r) => (r.ok ? r.value : null));
    expect(values.map((v) => [v?.personNumber, v?.created])).toEqual([
      [1, false],
      [2, true],
      [2, false],
    ]);
    expect(values[0]!.id).toBe(firstId);
    expect(values[2]!.id).toBe(values[1]!.id);
    expect(await numbers(op.id)).toEqual([1, 2]);
    const replays = await env.ctx.db.selectFrom('audit_event').select('detail').where('action', '=', 'contact.read').where('record_id', 'in', [firstId, values[1]!.id]).execute();
    expect(replays.map((r) => JSON.parse(r.detail).replay)).toEqual([true, true]);
  });

  it('a contact whose operation closed meanwhile fails alone (409); the others of its batch are written', async () => {
    const open = await activeOperation(signedIn, world);
    const closing = await activeOperation(signedIn, world);
    const jobs = [await job(world.users.officer, open.id, suspect()), await job(world.users.officer, closing.id, suspect()), await job(world.users.officer, open.id, suspect())];
    await closeOperation(signedIn, world, closing.id);
    const results = await recordContactsTogether(env.ctx, jobs);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const refused = results[1]!;
    expect(!refused.ok && refused.error instanceof AppError && refused.error.status).toBe(409);
    expect(await numbers(open.id)).toEqual([1, 2]);
    expect(await numbers(closing.id)).toEqual([]);
  });

  it('a batch one contact spoils (its id already taken) is written contact by contact: only that one fails', async () => {
    const op = await activeOperation(signedIn, world);
    const [taken] = await recordContactsTogether(env.ctx, [await job(world.users.officer, op.id, suspect())]);
    const takenId = taken!.ok ? taken!.value.id : '';
    const clash = await job(world.users.officer, op.id, suspect());
    const results = await recordContactsTogether(env.ctx, [
      await job(world.users.officer, op.id, suspect()),
      { ...clash, row: { ...clash.row, id: takenId } },
      await job(world.users.officer, op.id, suspect()),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(await numbers(op.id)).toEqual([1, 2, 3]);
  });

  it('batches writing the same operations at once (in opposite orders) neither deadlock nor share a number', async () => {
    const a = await activeOperation(signedIn, world);
    const b = await activeOperation(signedIn, world);
    const batch = async (ops: string[]) => Promise.all(ops.map((id) => job(world.users.officer, id, suspect())));
    const batches = await Promise.all([batch([a.id, b.id, a.id, b.id]), batch([b.id, a.id, b.id, a.id]), batch([a.id, b.id]), batch([b.id, a.id])]);
    const results = await Promise.all(batches.map((jobs) => recordContactsTogether(env.ctx, jobs)));
    expect(results.flat().every((r) => r.ok)).toBe(true);
    expect(await numbers(a.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await numbers(b.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('over HTTP, 30 officers’ contacts at once into three operations: each 201 with its number, written in fewer commits than contacts', async () => {
    const ops = [await activeOperation(signedIn, world), await activeOperation(signedIn, world), await activeOperation(signedIn, world)];
    const clients = await Promise.all([world.users.officer, world.users.partnerOfficer, world.users.coordinator].map((u) => signedIn(u)));
    const before = contactBatchSizes(env.ctx);
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => clients[i % 3]!.post(`/api/operations/${ops[i % 3]!.id}/contacts`, suspect())));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(30).fill(201));
    for (const op of ops) {
      const mine = replies.filter((r) => body(r).operationId === op.id).map((r) => body(r).personNumber as number);
      expect(mine.sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(await numbers(op.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    }
    const after = contactBatchSizes(env.ctx);
    const batches = after.map((n, size) => (n - (before[size] ?? 0)) * Math.sign(size)).reduce((x, y) => x + y, 0);
    const contacts = after.map((n, size) => (n - (before[size] ?? 0)) * size).reduce((x, y) => x + y, 0);
    expect(contacts).toBe(30);
    expect(batches).toBeLessThan(30);
  });
  it('eight contacts sent at once, each with its own Idempotency-Key: each key answers its own contact on resend, and nothing is recorded twice', async () => {
    const op = await activeOperation(signedIn, world);
    const officer = await signedIn(world.users.officer);
    const keys = Array.from({ length: 8 }, () => randomUUID());
    const send = (key: string, i: number) => officer.post(`/api/operations/${op.id}/contacts`, suspect({ clientRef: `tablet-9:${i}` }), { 'idempotency-key': key });
    const first = await Promise.all(keys.map(send));
    expect(first.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const again = await Promise.all(keys.map(send));
    expect(again.map((r) => [r.statusCode, r.headers['idempotent-replayed']])).toEqual(Array(8).fill([201, 'true']));
    expect(again.map((r) => body(r).id)).toEqual(first.map((r) => body(r).id));
    expect(await numbers(op.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const stored = await env.ctx.db.selectFrom('idempotency_key').select(['key', 'created_record']).where('key', 'in', keys).execute();
    const named = new Map(stored.map((k) => [k.key, JSON.parse(k.created_record!).recordId]));
    expect(keys.map((k) => named.get(k))).toEqual(first.map((r) => body(r).id));
  });
});
