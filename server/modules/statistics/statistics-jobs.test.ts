import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, insertUser, signIn, seedWorld, type TestUser, type World } from '../../test/fixtures.ts';
import { adultVictim, minor, planInput, suspect } from '../../test/operations-fixtures.ts';
import { newId } from '../../lib/ids.ts';
import { STALE_AFTER_MS } from './statistics-jobs.service.ts';

describeEachDatabase('statistics release jobs', (backend) => {
  let env: TestEnv;
  let world: World;
  /** Sessions end after 30 idle minutes and the clock moves by weeks here: a fresh session per call. */
  const client = async (user: TestUser) => as(env, await signIn(env, user));

  const expectStatus = (res: { statusCode: number; body: string }, status: number) => {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  };

  /** Polls the job as `user` until it stops running; fails past `timeoutMs` (a guard, not a wait). */
  async function settled(user: TestUser, id: string, timeoutMs = 60_000) {
    const c = await client(user);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await c.get(`/api/statistics/jobs/${id}`);
      expectStatus(res, 200);
      const job = body(res);
      if (job.status !== 'running') return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still running after ${timeoutMs} ms: ${res.body}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const start = async (kind: string, user: TestUser = world.users.pio) => (await client(user)).post('/api/statistics/jobs', { kind });

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    // One operation in the first quarter of 2026 with counts under and over 5, closed in March.
    env.clock.set('2026-03-20T15:00:00.000Z');
    const coordinator = await client(world.users.coordinator);
    const plan = planInput(world);
    const created = await coordinator.post('/api/operations', plan);
    expectStatus(created, 201);
    const id = body(created).id as string;
    expectStatus(await coordinator.post(`/api/operations/${id}/approve`), 200);
    expectStatus(await coordinator.post(`/api/operations/${id}/activate`), 200);
    const contacts = [...Array.from({ length: 6 }, () => suspect()), adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: true }] }), minor({ disposition: 'released' })];
    for (const c of contacts) expectStatus(await coordinator.post(`/api/operations/${id}/contacts`, c), 201);
    expectStatus(await coordinator.post(`/api/operations/${id}/close`), 200);
    // The quarter has ended: it can be published.
    env.clock.set('2026-04-10T15:00:00.000Z');
  });
  afterAll(() => env?.close());

  it('PIOs only: other roles and agencies are refused (403, audited), anonymous callers 401; a partner PIO reads the job', async () => {
    const deniedBefore = (await auditRows(env, 'access.denied')).length;
    const others = [world.users.coordinator, world.users.leadAdmin, world.users.platform, world.users.analyst, world.users.officer, world.users.partnerCoordinator, world.users.outsiderAdmin];
    for (const user of others) {
      const c = await client(user);
      expect((await c.post('/api/statistics/jobs', { kind: 'preview' })).statusCode).toBe(403);
      expect((await c.get('/api/statistics/jobs?active=1')).statusCode).toBe(403);
      expect((await c.get(`/api/statistics/jobs/${newId()}`)).statusCode).toBe(403);
    }
    expect((await auditRows(env, 'access.denied')).length - deniedBefore).toBe(others.length * 3);
    const anonymous = as(env, null);
    expect((await anonymous.post('/api/statistics/jobs', { kind: 'preview' })).statusCode).toBe(401);
    expect((await anonymous.get('/api/statistics/jobs?active=1')).statusCode).toBe(401);
    expect(await env.ctx.db.selectFrom('stat_release_job').select('id').execute()).toEqual([]);

    const bad = await start('withdraw');
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('kind');
    expect((await (await client(world.users.pio)).get(`/api/statistics/jobs/${newId()}`)).statusCode).toBe(404);

    // The ledger is the whole Lantern's: another agency's PIO follows a job the lead's PIO started.
    const partnerPio = await insertUser(env, world.agencies.partner, ['pio'], { name: 'Partner pio' });
    const res = await start('preview');
    expectStatus(res, 202);
    const job = await settled(partnerPio, body(res).id);
    expect(job).toMatchObject({ kind: 'preview', status: 'done', startedBy: 'Test pio' });
    const coordinator = await client(world.users.partnerCoordinator);
    expect((await coordinator.get(`/api/statistics/jobs/${job.id}`)).statusCode).toBe(403);
  });

  it('a preview job runs after the response, reports its progress and ends with the preview: the hidden cells and their reasons', async () => {
    const res = await start('preview');
    expectStatus(res, 202);
    const started = body(res);
    expect(started).toMatchObject({ kind: 'preview', status: 'running', done: 0, total: 0, preview: null, release: null, error: null, finishedAt: null });
    const job = await settled(world.users.pio, started.id);
    expect(job).toMatchObject({ kind: 'preview', status: 'done', release: null, error: null });
    expect(job.finishedAt).toEqual(expect.any(String));
    // The plan's last report is kept.
    expect(job.phase).toEqual(expect.stringMatching(/^(layout|linear|audit)$/));
    expect(job.total).toBeGreaterThan(0);
    expect(job.done).toBeLessThanOrEqual(job.total);
    expect(job.preview).toMatchObject({ id: null, seq: 1, quarters: ['2026Q1'], newQuarters: ['2026Q1'] });
    expect(job.preview.audit).toEqual({ solves: expect.any(Number), protectedCounts: expect.any(Number), narrowestWidth: job.preview.audit.narrowestWidth });
    // The same preview as the synchronous route's.
    const sync = body(await (await client(world.users.pio)).post('/api/statistics/releases/preview'));
    expect(job.preview).toEqual({ ...sync, publishedAt: job.preview.publishedAt });
    expect(job.preview.hidden.length).toBe(job.preview.suppressed.primary + job.preview.suppressed.complementary);
    expect(job.preview.hidden.some((h: { reason: string }) => h.reason === 'primary')).toBe(true);
    // A preview publishes nothing and is not audited.
    expect(await env.ctx.db.selectFrom('stat_release').select('id').execute()).toEqual([]);
    expect(await auditRows(env, 'statistics.publish')).toEqual([]);
    // No longer running.
    expect(body(await (await client(world.users.pio)).get('/api/statistics/jobs?active=1'))).toEqual({ jobs: [] });
  });

  it('one publication at a time: a second one while the first runs is 409; the first publishes, audited, and ends with the release', async () => {
    // A publication running elsewhere (another Lantern process, say), still reporting.
    const elsewhere = newId();
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('stat_release_job')
      .values({ id: elsewhere, kind: 'publish', status: 'running', phase: 'audit', done: 120, total: 400, started_by: world.users.pio.id, started_at: now, updated_at: now, finished_at: null, result: null, error_code: null, error_message: null })
      .execute();
    const active = body(await (await client(world.users.pio)).get('/api/statistics/jobs?active=1'));
    expect(active.jobs).toMatchObject([{ id: elsewhere, kind: 'publish', status: 'running', phase: 'audit', done: 120, total: 400, startedBy: 'Test pio' }]);
    const refused = await start('publish');
    expect(refused.statusCode).toBe(409);
    expect(body(refused).error).toMatchObject({ code: 'publication_running', message: expect.stringContaining('already running') });
    // A preview may run meanwhile (it waits its turn for the ledger).
    const preview = await start('preview');
    expectStatus(preview, 202);
    await settled(world.users.pio, body(preview).id);
    await env.ctx.db.updateTable('stat_release_job').set({ status: 'failed', error_code: 'internal', error_message: 'test', finished_at: now }).where('id', '=', elsewhere).execute();

    const res = await start('publish');
    expectStatus(res, 202);
    const job = await settled(world.users.pio, body(res).id);
    expect(job).toMatchObject({ kind: 'publish', status: 'done', preview: null, error: null });
    expect(job.release).toMatchObject({ seq: 1, quarters: ['2026Q1'], newQuarters: ['2026Q1'], publishedBy: 'Test pio' });
    const [audit] = await auditRows(env, 'statistics.publish', job.release.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.pio.id, outcome: 'success', record_type: 'stat_release' });
    const list = body(await (await client(world.users.pio)).get('/api/statistics/releases'));
    expect(list.releases.map((r: { id: string }) => r.id)).toEqual([job.release.id]);
  });

  it("the service's refusal ends the job as failed with its code and message", async () => {
    for (const kind of ['preview', 'publish']) {
      const res = await start(kind);
      expectStatus(res, 202);
      const job = await settled(world.users.pio, body(res).id);
      expect(job).toMatchObject({ kind, status: 'failed', preview: null, release: null });
      expect(job.error).toEqual({ code: 'no_new_quarter', message: expect.stringContaining('Every quarter through 2026Q1 is already published') });
    }
    expect(await env.ctx.db.selectFrom('stat_release').select('id').execute()).toHaveLength(1);
  });

  it('a job whose process died is answered as failed (interrupted), and no longer holds back a publication', async () => {
    const dead = newId();
    const then = new Date(env.clock.now().getTime() - STALE_AFTER_MS - 1000).toISOString();
    await env.ctx.db
      .insertInto('stat_release_job')
      .values({ id: dead, kind: 'publish', status: 'running', phase: 'audit', done: 3, total: 400, started_by: world.users.pio.id, started_at: then, updated_at: then, finished_at: null, result: null, error_code: null, error_message: null })
      .execute();
    const pio = await client(world.users.pio);
    const job = body(await pio.get(`/api/statistics/jobs/${dead}`));
    expect(job).toMatchObject({ id: dead, status: 'failed', phase: 'audit', done: 3, total: 400, error: { code: 'interrupted', message: expect.stringContaining('start it again') } });
    expect(body(await pio.get('/api/statistics/jobs?active=1'))).toEqual({ jobs: [] });

    const res = await start('publish');
    expectStatus(res, 202);
    const next = await settled(world.users.pio, body(res).id);
    expect(next.error.code).toBe('no_new_quarter');
    // Starting it marked the dead one failed in its row.
    expect(await env.ctx.db.selectFrom('stat_release_job').select(['status', 'error_code']).where('id', '=', dead).executeTakeFirstOrThrow()).toEqual({ status: 'failed', error_code: 'interrupted' });
    const recent = body(await pio.get('/api/statistics/jobs'));
    expect(recent.jobs[0].id).toBe(next.id);
    expect(recent.jobs.length).toBeGreaterThan(5);
  });

  it('a publication resent with its Idempotency-Key is answered with the first job and starts no second one', async () => {
    const pio = await client(world.users.pio);
    const key = newId();
    const first = await pio.post('/api/statistics/jobs', { kind: 'publish' }, { 'idempotency-key': key });
    expectStatus(first, 202);
    await settled(world.users.pio, body(first).id);
    const jobsBefore = (await env.ctx.db.selectFrom('stat_release_job').select('id').execute()).length;
    const again = await pio.post('/api/statistics/jobs', { kind: 'publish' }, { 'idempotency-key': key });
    expectStatus(again, 202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(body(again)).toEqual(body(first));
    expect((await env.ctx.db.selectFrom('stat_release_job').select('id').execute()).length).toBe(jobsBefore);
    // The start is on the record once, in the transaction that holds the key.
    expect(await auditRows(env, 'statistics.job', body(first).id)).toHaveLength(1);
  });
});
