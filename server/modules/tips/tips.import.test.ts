import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, openSecondContext, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { fireTogether, startRaceEnv, roundsFor } from '../../test/race.ts';
import { loadActor } from '../../auth/actor.ts';
import { newId } from '../../lib/ids.ts';
import { TestClock } from '../../lib/clock.ts';
import { failStaleImports, settleImports, STALE_AFTER_MS } from './tips.import.ts';
import { tipImportAccess } from './tips.access.ts';

const SAMPLE = fs.readFileSync(path.join(import.meta.dirname, 'fixtures/hotline-sample.csv'), 'utf8');
const SAMPLE_GOOD_ROWS = 6;
/** After the sample's tips were received. */
const NOW = '2026-12-01T15:00:00.000Z';

/** The sample with its case numbers made unique to one test, so tests do not see each other's tips. */
const sampleAs = (prefix: string) => SAMPLE.replaceAll('NHTH-2026-', `${prefix}-`);

const hotlineTips = async (env: TestEnv, prefix: string) =>
  (await env.ctx.db.selectFrom('tip').select(['external_ref', 'source', 'created_by']).where('external_ref', 'like', `hotline:${prefix}-%`).execute()).length;

describeEachDatabase('hotline import', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: ReturnType<typeof sessionCache>;
  let victimServicesAnalyst: TestUser;

  beforeAll(async () => {
    env = await startTestEnv(backend, { clock: new TestClock(new Date(NOW)) });
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    victimServicesAnalyst = await insertUser(env, world.agencies.advocates, ['analyst']);
  });
  afterAll(() => env.close());

  const suggested = async (user: TestUser, csv: string) => {
    const res = await (await signedIn(user)).post('/api/tips/import/preview', { csv });
    expect(res.statusCode, res.body).toBe(200);
    return body(res);
  };

  /** Starts an import and waits for it (and every other running import) to finish; answers its report. */
  const importFile = async (user: TestUser, csv: string) => {
    const { mapping } = await suggested(user, csv);
    const res = await (await signedIn(user)).post('/api/tips/import', { csv, mapping });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId } = body(res);
    await settleImports(env.ctx);
    const job = await (await signedIn(user)).get(`/api/tips/import/${jobId}`);
    expect(job.statusCode, job.body).toBe(200);
    return body(job);
  };

  it('previews the sample: its columns, the suggested mapping and the first rows, the bad one with its reason', async () => {
    const before = await tableCounts(env.ctx, ['tip', 'tip_import_job']);
    const p = await suggested(world.users.analyst, SAMPLE);
    expect(p.headers).toHaveLength(14);
    expect(p.mapping).toEqual(p.suggested);
    expect(p.mapping).toMatchObject({ 'Case Number': 'externalRef', Narrative: 'narrative', State: null, ZIP: 'zip' });
    expect(p.totalRows).toBe(7);
    expect(p.rows.map((r: { row: number }) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(p.rows[0].errors).toEqual([]);
    expect(p.rows[0].tip).toMatchObject({ externalRef: 'NHTH-2026-000101', zip: '64075', source: 'hotline', minorInvolved: false, language: 'en' });
    expect(p.rows[4].errors).toEqual([{ field: 'zip', reason: 'must be a five-digit ZIP code' }]);
    // With the user's own mapping: leaving the ZIP out clears that row's problem.
    const own = body(await (await signedIn(world.users.analyst)).post('/api/tips/import/preview', { csv: SAMPLE, mapping: { ...p.mapping, ZIP: null } }));
    expect(own.mapping.ZIP).toBeNull();
    expect(own.rows[4].errors).toEqual([]);
    expect(await tableCounts(env.ctx, ['tip', 'tip_import_job'])).toEqual(before);
  });

  it('an import resent with its Idempotency-Key is answered with the first job and runs once', async () => {
    const { mapping } = await suggested(world.users.analyst, SAMPLE);
    const analyst = await signedIn(world.users.analyst);
    const before = await tableCounts(env.ctx, ['tip_import_job']);
    const key = 'import-resend-1';
    const first = await analyst.post('/api/tips/import', { csv: SAMPLE, mapping }, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(202);
    await settleImports(env.ctx);
    const again = await analyst.post('/api/tips/import', { csv: SAMPLE, mapping }, { 'idempotency-key': key });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(body(again)).toEqual(body(first));
    await settleImports(env.ctx);
    expect(await tableCounts(env.ctx, ['tip_import_job'])).toEqual({ tip_import_job: before.tip_import_job! + 1 });
  });

  it('refuses bad input with a 400 naming the field, writing nothing', async () => {
    const analyst = await signedIn(world.users.analyst);
    const before = await tableCounts(env.ctx, ['tip', 'tip_import_job', 'audit_event']);
    const cases: [string, unknown, string][] = [
      ['/api/tips/import/preview', {}, 'csv'],
      ['/api/tips/import/preview', { csv: '' }, 'csv'],
      ['/api/tips/import/preview', { csv: 42 }, 'csv'],
      ['/api/tips/import/preview', { csv: '"a,b\n' }, 'csv'],
      ['/api/tips/import/preview', { csv: 'Case Number,Narrative\r\n' }, 'csv'],
      ['/api/tips/import/preview', { csv: SAMPLE, mapping: { ZIP: 'postcode' } }, 'mapping.ZIP'],
      ['/api/tips/import/preview', { csv: SAMPLE, mapping: { 'Case Number': 'externalRef' } }, 'mapping'],
      ['/api/tips/import', { csv: SAMPLE }, 'mapping'],
      ['/api/tips/import', { csv: SAMPLE, mapping: { Nowhere: 'city', 'Case Number': 'externalRef', Narrative: 'narrative' } }, 'mapping.Nowhere'],
      ['/api/tips/import', { csv: 'x'.repeat(900_001), mapping: {} }, 'csv'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await analyst.post(url, payload);
      expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(400);
      expect(body(res).error.field, res.body.slice(0, 200)).toBe(field);
    }
    // A file whose request is over the API's body limit is refused before it is read.
    const huge = await analyst.post('/api/tips/import/preview', { csv: 'x'.repeat(1_100_000) });
    expect(huge.statusCode).toBe(413);
    expect(await tableCounts(env.ctx, ['tip', 'tip_import_job', 'audit_event'])).toEqual(before);
  });

  it('imports the sample: every good row filed as a hotline tip, the bad row reported with its reason, audited', async () => {
    const job = await importFile(world.users.analyst, sampleAs('FULL'));
    expect(job).toMatchObject({ status: 'done', total: 7, processed: 7, imported: SAMPLE_GOOD_ROWS, duplicates: 0, error: null });
    expect(job.rejected).toEqual([{ row: 6, field: 'zip', reason: 'must be a five-digit ZIP code' }]);
    expect(await hotlineTips(env, 'FULL')).toBe(SAMPLE_GOOD_ROWS);
    const tips = await env.ctx.db.selectFrom('tip').selectAll().where('external_ref', 'like', 'hotline:FULL-%').execute();
    for (const t of tips) expect(t).toMatchObject({ source: 'hotline', created_by: world.users.analyst.id });
    expect(tips.find((t) => t.external_ref === 'hotline:FULL-000102')?.received_at).toBe('2026-11-03T13:02:00.000Z');

    const audit = (await auditRows(env, 'tip.import', job.id)).map((a) => ({ ...a, detail: JSON.parse(a.detail) }));
    expect(audit.map((a) => a.detail.step)).toEqual(['finished', 'started']);
    expect(audit[0]).toMatchObject({ actor_user_id: world.users.analyst.id, record_type: 'tip_import_job', record_agency_id: world.agencies.lead, outcome: 'success' });
    expect(audit[0]!.detail).toMatchObject({ imported: SAMPLE_GOOD_ROWS, duplicates: 0, rejected: 1 });
    expect(JSON.stringify(audit)).not.toContain('Golden Lotus');

    // The rejected rows are kept sealed, for the download only.
    const stored = await env.ctx.db.selectFrom('tip_import_job').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(stored.rejected_rows).toMatch(/^enc1\./);
    const csv = await (await signedIn(world.users.analyst)).get(`/api/tips/import/${job.id}/rejected.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\ufeff')).toBe(true);
    const lines = csv.body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Row,Field,Reason,Case Number,Date Received,Narrative,City,State,ZIP,County,Minor Involved,Immediate Danger,Phone Numbers,Emails,Websites,Businesses,Language');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^6,zip,must be a five-digit ZIP code,FULL-000105,/);
    expect(lines[1]).toContain('64O75');
    expect((await auditRows(env, 'tip.import', job.id)).map((a) => JSON.parse(a.detail).step)).toContain('rejectedRowsRead');

    // The downloaded rows, fixed, import as they are: the added columns are not imported.
    const fixed = await importFile(world.users.analyst, csv.body.replace('64O75', '64075'));
    expect(fixed).toMatchObject({ status: 'done', total: 1, imported: 1, duplicates: 0, rejected: [] });
    expect(await hotlineTips(env, 'FULL')).toBe(SAMPLE_GOOD_ROWS + 1);
  });

  it('a re-import of the same file reports every good row as a duplicate and imports nothing twice', async () => {
    const first = await importFile(world.users.coordinator, sampleAs('AGAIN'));
    expect(first).toMatchObject({ imported: SAMPLE_GOOD_ROWS, duplicates: 0 });
    const again = await importFile(world.users.analyst, sampleAs('AGAIN'));
    expect(again).toMatchObject({ status: 'done', total: 7, processed: 7, imported: 0, duplicates: SAMPLE_GOOD_ROWS });
    expect(again.rejected).toEqual([{ row: 6, field: 'zip', reason: 'must be a five-digit ZIP code' }]);
    expect(await hotlineTips(env, 'AGAIN')).toBe(SAMPLE_GOOD_ROWS);
    // A case number twice in one file: the second is a duplicate.
    const twice = await importFile(world.users.analyst, 'Case Number,Narrative\r\nTWICE-1,first\r\nTWICE-1,second\r\n');
    expect(twice).toMatchObject({ imported: 1, duplicates: 1, rejected: [] });
  });

  it("a row intake refuses (a ZIP that does not exist) is rejected with intake's reason; filed tips carry the importer in their audit rows", async () => {
    const job = await importFile(world.users.analyst, 'Case Number,Narrative,ZIP\r\nNOZIP-1,Someone is kept in a house,00000\r\nNOZIP-2,Someone is kept in a shed,64075\r\n');
    expect(job).toMatchObject({ status: 'done', imported: 1, duplicates: 0 });
    expect(job.rejected).toHaveLength(1);
    expect(job.rejected[0]).toMatchObject({ row: 2, field: 'zip' });
    expect(job.rejected[0].reason).toMatch(/^is not a ZIP code we know/);
    const tip = await env.ctx.db.selectFrom('tip').select(['id', 'created_by', 'source']).where('external_ref', '=', 'hotline:NOZIP-2').executeTakeFirstOrThrow();
    expect(tip).toMatchObject({ created_by: world.users.analyst.id, source: 'hotline' });
    const [created] = await auditRows(env, 'tip.create', tip.id);
    expect(created).toMatchObject({ actor_user_id: world.users.analyst.id, outcome: 'success' });
  });

  it('a formula in a rejected cell is neutralised in the download', async () => {
    const job = await importFile(world.users.analyst, 'Case Number,Narrative,Minor Involved\r\nFORMULA-1,"=HYPERLINK(""http://evil.example"")",maybe\r\n');
    expect(job.rejected).toEqual([{ row: 2, field: 'minorInvolved', reason: 'must be yes or no (or left empty for no)' }]);
    const csv = (await (await signedIn(world.users.analyst)).get(`/api/tips/import/${job.id}/rejected.csv`)).body;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });

  it('tip.import: queue staff of a police or prosecutor agency; others are refused, other agencies see no job', async () => {
    const job = await importFile(world.users.coordinator, sampleAs('PERM'));
    const tips = await tableCounts(env.ctx, ['tip', 'tip_import_job']);
    for (const user of [world.users.officer, world.users.pio, world.users.leadAdmin, world.users.advocate, world.users.caseworker, victimServicesAnalyst]) {
      const client = await signedIn(user);
      expect((await client.post('/api/tips/import/preview', { csv: SAMPLE })).statusCode, user.roles.join()).toBe(403);
      expect((await client.post('/api/tips/import', { csv: SAMPLE, mapping: { 'Case Number': 'externalRef', Narrative: 'narrative' } })).statusCode).toBe(403);
    }
    // Another agency's queue staff, in the task force or out of it, and the lead agency's other roles: no such job.
    for (const user of [world.users.partnerCoordinator, world.users.partnerAnalyst, world.users.outsiderCoordinator, world.users.officer, world.users.leadAdmin]) {
      const client = await signedIn(user);
      expect((await client.get(`/api/tips/import/${job.id}`)).statusCode, user.email).toBe(404);
      expect((await client.get(`/api/tips/import/${job.id}/rejected.csv`)).statusCode).toBe(404);
    }
    expect((await (await signedIn(world.users.analyst)).get(`/api/tips/import/${job.id}`)).statusCode).toBe(200);
    const anonymous = as(env, null);
    expect((await anonymous.post('/api/tips/import/preview', { csv: SAMPLE })).statusCode).toBe(401);
    expect((await anonymous.get(`/api/tips/import/${job.id}`)).statusCode).toBe(401);
    expect(await tableCounts(env.ctx, ['tip', 'tip_import_job'])).toEqual(tips);
    // The partner's own coordinator imports into the partner's queue, and follows only that.
    const partners = await importFile(world.users.partnerCoordinator, sampleAs('PARTNER'));
    expect(partners.imported).toBe(SAMPLE_GOOD_ROWS);
    expect((await (await signedIn(world.users.coordinator)).get(`/api/tips/import/${partners.id}`)).statusCode).toBe(404);
  });

  it("the grant's predicate and its filter agree for every actor and job", async () => {
    const jobs = await env.ctx.db.selectFrom('tip_import_job').select(['id', 'agency_id']).execute();
    expect(new Set(jobs.map((j) => j.agency_id)).size).toBeGreaterThan(1);
    for (const user of [...Object.values(world.users), victimServicesAnalyst]) {
      const actor = await loadActor(env.ctx.db, user.id);
      const listed = await env.ctx.db.selectFrom('tip_import_job as j').select('j.id').where(tipImportAccess.grants['tip.import'].where(actor)).execute();
      const allowed = jobs.filter((j) => tipImportAccess.grants['tip.import'].allows(actor, { agencyId: j.agency_id })).map((j) => j.id);
      expect(listed.map((r) => r.id).sort(), user.email).toEqual(allowed.sort());
    }
  });

  it('a job whose process died reads as failed, and is marked so when the server starts', async () => {
    const id = newId();
    const then = new Date(env.clock.now().getTime() - STALE_AFTER_MS - 1000).toISOString();
    await env.ctx.db
      .insertInto('tip_import_job')
      .values({ id, agency_id: world.agencies.lead, created_by: world.users.analyst.id, status: 'running', total: 50, processed: 20, imported: 18, duplicates: 1, rejected: '[{"row":7,"field":"zip","reason":"must be a five-digit ZIP code"}]', rejected_rows: null, mapping: '{}', error: null, created_at: then, updated_at: then, finished_at: null })
      .execute();
    const job = body(await (await signedIn(world.users.analyst)).get(`/api/tips/import/${id}`));
    expect(job).toMatchObject({ status: 'failed', processed: 20, imported: 18, duplicates: 1 });
    expect(job.error).toMatch(/Import the file again/);
    // What a server starting on the same database does (tipImportRoutes), from another process.
    const ctx = await openSecondContext(env);
    expect(await failStaleImports(ctx)).toBe(1);
    await ctx.database.close();
    expect((await env.ctx.db.selectFrom('tip_import_job').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('failed');
  });
});

describeEachDatabase('hotline import races', (backend) => {
  const CONCURRENT = 3;
  let env: TestEnv;
  let world: World;
  let signedIn: ReturnType<typeof sessionCache>;
  let thirdAnalyst: TestUser;

  beforeAll(async () => {
    env = await startRaceEnv(backend, CONCURRENT);
    env.clock.set(NOW);
    world = await seedWorld(env);
    thirdAnalyst = await insertUser(env, world.agencies.lead, ['analyst']);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it('imports of one file at once never file a tip twice: each row is imported by one job and a duplicate in the others', async () => {
    const clients = [await signedIn(world.users.analyst), await signedIn(world.users.coordinator), await signedIn(thirdAnalyst)];
    const { mapping } = body(await clients[0]!.post('/api/tips/import/preview', { csv: SAMPLE }));
    for (let round = 1; round <= roundsFor(backend, 5); round++) {
      const prefix = `RACE${round}`;
      const csv = sampleAs(prefix);
      const started = await fireTogether(clients.map((c) => () => c.post('/api/tips/import', { csv, mapping })));
      expect(started.map((r) => r.statusCode)).toEqual(clients.map(() => 202));
      await settleImports(env.ctx);
      const jobs = await Promise.all(started.map(async (r, i) => body(await clients[i]!.get(`/api/tips/import/${body(r).jobId}`))));
      expect(await hotlineTips(env, prefix), `round ${round}`).toBe(SAMPLE_GOOD_ROWS);
      expect(jobs.reduce((n, j) => n + j.imported, 0)).toBe(SAMPLE_GOOD_ROWS);
      expect(jobs.reduce((n, j) => n + j.duplicates, 0)).toBe(SAMPLE_GOOD_ROWS * (CONCURRENT - 1));
      for (const j of jobs) expect(j).toMatchObject({ status: 'done', processed: 7, rejected: [{ row: 6, field: 'zip' }] });
    }
  });
});
