import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, type World } from '../../test/fixtures.ts';
import { newId } from '../../lib/ids.ts';
import { resumeBatches, settleBatches, STALE_AFTER_MS } from './businesses.batches.ts';
import { clients, insertTestBusiness, insertTestIndicator, insertTestLandlord, seedLetterWorld, type LetterWorld } from './businesses.letters.test-support.ts';

/** Letter batches (issue #11, item 4): a job answered at once, worked off after, every business accounted for. */
describeEachDatabase('letter batches', (backend) => {
  let env: TestEnv;
  let world: World;
  let lw: LetterWorld;
  let as: ReturnType<typeof clients>;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    lw = await seedLetterWorld(env, world);
    as = clients(env);
  });
  afterAll(() => env.close());

  const base = () => ({ agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id });
  async function ready(withLandlord = true) {
    const landlord = withLandlord ? await insertTestLandlord(env.ctx, base()) : null;
    const business = await insertTestBusiness(env.ctx, { ...base(), landlordId: landlord?.id ?? null });
    await insertTestIndicator(env.ctx, { businessId: business.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id, indicator: 'locked_door', observedOn: '2026-02-01' });
    return business;
  }

  it('drafts a letter for each business it may, and reports each refusal with the business and the field', async () => {
    const a = await ready();
    const b = await ready();
    const noLandlord = await ready(false);
    const foreign = await insertTestBusiness(env.ctx, { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, createdBy: world.users.outsiderOfficer.id });
    const ag = await as(lw.agAnalyst);
    const res = await ag.post('/api/letters/batch', { businessIds: [a.id, noLandlord.id, b.id, foreign.id, a.id] });
    expect(res.statusCode, res.body).toBe(202);
    const started = body(res);
    expect(started).toMatchObject({ status: 'queued', total: 4, processed: 0, generated: 0, refused: [], letters: [] });

    await settleBatches(env.ctx);
    const done = await ag.get(`/api/letter-batches/${started.id}`);
    expect(done.statusCode, done.body).toBe(200);
    const dto = body(done);
    expect(dto).toMatchObject({ status: 'done', total: 4, processed: 4, generated: 2 });
    expect(dto.finishedAt).not.toBeNull();
    expect(dto.letters.map((l: { businessId: string }) => l.businessId).sort()).toEqual([a.id, b.id].sort());
    expect(dto.refused).toEqual([
      { businessId: noLandlord.id, businessName: noLandlord.name, field: 'owner', reason: expect.stringContaining('{{owner}}') },
      { businessId: foreign.id, businessName: null, field: null, reason: 'no such business, or it is not shared with your office' },
    ]);
    const letters = await env.ctx.db.selectFrom('notice_letter').select(['batch_id', 'number']).where('batch_id', '=', started.id).execute();
    expect(new Set(letters.map((l) => l.number)).size).toBe(2);
    const audits = (await auditRows(env, 'business.draftLetter', started.id)).map((r) => JSON.parse(r.detail as string));
    expect(audits).toMatchObject([{ step: 'batchFinished', generated: 2, refused: 2 }, { step: 'batchStarted', businesses: 4 }]);
  });

  it('a batch resent with its Idempotency-Key is answered with the first batch and drafts no letter twice', async () => {
    const a = await ready();
    const ag = await as(lw.agAnalyst);
    const key = `batch-${a.id}`;
    const first = await ag.post('/api/letters/batch', { businessIds: [a.id] }, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(202);
    await settleBatches(env.ctx);
    const again = await ag.post('/api/letters/batch', { businessIds: [a.id] }, { 'idempotency-key': key });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(body(again)).toEqual(body(first));
    await settleBatches(env.ctx);
    expect(await env.ctx.db.selectFrom('notice_batch').select('id').where('business_ids', 'like', `%${a.id}%`).execute()).toHaveLength(1);
    expect(await env.ctx.db.selectFrom('notice_letter').select('id').where('business_id', '=', a.id).execute()).toHaveLength(1);
  });

  it('only the attorney general’s staff run batches, and only the office that started one follows it', async () => {
    const a = await ready();
    expect((await (await as(world.users.analyst)).post('/api/letters/batch', { businessIds: [a.id] })).statusCode).toBe(403);
    expect((await (await as(lw.agOfficer)).post('/api/letters/batch', { businessIds: [a.id] })).statusCode).toBe(403);
    const empty = await (await as(lw.agAnalyst)).post('/api/letters/batch', { businessIds: [] });
    expect(empty.statusCode).toBe(400);
    expect(body(empty).error.field).toBe('businessIds');
    const started = body(await (await as(lw.agCoordinator)).post('/api/letters/batch', { businessIds: [a.id] }));
    await settleBatches(env.ctx);
    expect(body(await (await as(lw.agAnalyst)).get(`/api/letter-batches/${started.id}`))).toMatchObject({ status: 'done', generated: 1 });
    for (const user of [lw.otherAgAnalyst, world.users.coordinator]) expect((await (await as(user)).get(`/api/letter-batches/${started.id}`)).statusCode, user.email).toBe(404);
  });

  it('a batch whose process died goes on from where it stopped, without drafting a letter twice', async () => {
    const a = await ready();
    const b = await ready();
    const id = newId();
    const long = new Date(env.clock.now().getTime() - STALE_AFTER_MS - 1000).toISOString();
    // The dead process had done the first business (a refusal) and still held the claim.
    await env.ctx.db
      .insertInto('notice_batch')
      .values({
        id,
        agency_id: lw.ag,
        task_force_id: world.taskForceId,
        created_by: lw.agAnalyst.id,
        status: 'running',
        total: 3,
        processed: 1,
        generated: 0,
        refused: JSON.stringify([{ businessId: a.id, businessName: a.name, field: 'owner', reason: 'earlier' }]),
        business_ids: JSON.stringify([a.id, b.id, a.id]),
        claim: 'dead-process',
        error: null,
        created_at: long,
        updated_at: long,
        finished_at: null,
      })
      .execute();
    expect(await resumeBatches(env.ctx)).toBe(1);
    await settleBatches(env.ctx);
    const dto = body(await (await as(lw.agAnalyst)).get(`/api/letter-batches/${id}`));
    expect(dto).toMatchObject({ status: 'done', processed: 3, generated: 2, refused: [{ businessId: a.id, reason: 'earlier' }] });
    // A finished batch is not claimed again.
    expect(await resumeBatches(env.ctx)).toBe(0);
  });
});
