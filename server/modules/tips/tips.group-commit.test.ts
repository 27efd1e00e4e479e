import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { seedWorld, type World } from '../../test/fixtures.ts';
import { insertTestBusiness } from '../businesses/businesses.watch.test-support.ts';
import { tipFields, type TriageReason } from '../../../common/schemas/tips.ts';
import { verifyProof } from './altcha.ts';
import { fileTip, fileTipsTogether, newReceipt, receiptHash, type TipToFile } from './tips.intake.ts';
import { tipBatchSizes } from './tips.public.ts';
import { postTip, publicTip, solvedProof } from './tips.test-support.ts';

/**
 * Public tips of one moment are filed in one transaction (a group commit). Each must come out as if it
 * had been filed alone: its rows, its audit entry, its triage; and one tip's fault is that tip's alone.
 */
describeEachDatabase('tips filed together', (backend) => {
  let env: TestEnv;
  let world: World;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const job = async (over: Record<string, unknown>, proof?: string): Promise<TipToFile> => ({
    input: { ...tipFields.parse(publicTip(over)), source: 'web' },
    receiptHash: receiptHash(env.ctx, newReceipt()),
    proof: await verifyProof(env.ctx, proof ?? (await solvedProof(env.ctx))),
  });
  const repeats = (reasons: string) => (JSON.parse(reasons) as TriageReason[]).find((r) => r.code === 'repeated_identifiers')?.count ?? 0;

  it('three tips in one transaction: each its row, two events and one audit entry, chained in turn; triage counts the batch’s earlier tips', async () => {
    const p = `816-555-${String(1000 + Math.floor(Math.random() * 8999))}`;
    const q = `913-555-${String(1000 + Math.floor(Math.random() * 8999))}`;
    await fileTip(env.ctx, { ...tipFields.parse(publicTip({ phones: [p] })), source: 'web' }, null);
    const before = await tableCounts(env.ctx, ['tip', 'tip_event', 'record_identifier']);
    const jobs = [await job({ phones: [p] }), await job({ phones: [q] }), await job({ phones: [p, q], minorInvolved: true })];
    const results = await fileTipsTogether(env.ctx, jobs);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const ids = results.map((r) => (r.ok ? r.value.tipId : ''));
    expect(results.map((r) => r.ok && r.value.urgent)).toEqual([false, false, true]);

    const after = await tableCounts(env.ctx, ['tip', 'tip_event', 'record_identifier']);
    expect(after.tip! - before.tip!).toBe(3);
    expect(after.tip_event! - before.tip_event!).toBe(6);
    const tips = await env.ctx.db.selectFrom('tip').select(['id', 'receipt_hash', 'score_reasons', 'urgent']).where('id', 'in', ids).execute();
    const byId = new Map(tips.map((t) => [t.id, t]));
    expect(ids.map((id) => byId.get(id)?.receipt_hash)).toEqual(jobs.map((j) => j.receiptHash));
    // As if filed one after another: the first shares with the earlier tip, the second with none, the third with all three.
    expect(ids.map((id) => repeats(byId.get(id)!.score_reasons))).toEqual([1, 0, 3]);

    const audit = await env.ctx.db.selectFrom('audit_event').select(['record_id', 'chain_id', 'seq', 'action']).where('action', '=', 'tip.create').where('record_id', 'in', ids).orderBy('seq').execute();
    expect(audit.map((a) => [a.action, a.record_id])).toEqual(ids.map((id) => ['tip.create', id]));
    expect(new Set(audit.map((a) => a.chain_id)).size).toBe(1);
    expect(audit.map((a) => Number(a.seq) - Number(audit[0]!.seq))).toEqual([0, 1, 2]);
    // The urgent one alerted its coordinators, after the commit.
    const alerts = await env.ctx.db.selectFrom('audit_event').select('record_id').where('action', '=', 'tip.alert').where('record_id', 'in', ids).execute();
    expect(alerts.map((a) => a.record_id)).toEqual([ids[2]]);
  });

  it('the re-opening watch reads once for the batch and alerts on the tips that name a closed business, each its own alert', async () => {
    const phone = `(660) 555-${String(1000 + Math.floor(Math.random() * 8999))}`;
    const closed = await insertTestBusiness(env.ctx.db, env.ctx, {
      agencyId: world.agencies.lead,
      taskForceId: world.taskForceId,
      createdBy: world.users.coordinator.id,
      name: `Closed Spa ${randomUUID()}`,
      stage: 'closed',
      phones: [phone],
      closedAt: env.clock.now().toISOString(),
    });
    const results = await fileTipsTogether(env.ctx, [await job({ phones: [phone] }), await job({}), await job({ narrative: `They answer at ${phone} after dark.` })]);
    const ids = results.map((r) => (r.ok ? r.value.tipId : ''));
    const alerts = await env.ctx.db.selectFrom('business_alert').select(['source_id', 'kinds']).where('business_id', '=', closed).execute();
    expect(alerts.map((a) => a.source_id).sort()).toEqual([ids[0], ids[2]].sort());
    expect(alerts.map((a) => JSON.parse(a.kinds))).toEqual([['phone'], ['phone']]);
  });

  it('tips full of phone numbers (100 identifiers each, 2,400 index rows in one batch): every tip filed, each with all its rows', async () => {
    // 120 numbers in each narrative (a tip indexes at most 100 identifiers), 24 tips: 2,400 index rows.
    const numbers = (t: number) => Array.from({ length: 120 }, (_, i) => `(816) ${221 + t}-${String(1000 + i)}`).join(' ');
    const jobs = await Promise.all(Array.from({ length: 24 }, (_, t) => job({ narrative: `Call any of these: ${numbers(t)}` })));
    const results = await fileTipsTogether(env.ctx, jobs);
    expect(results.map((r) => (r.ok ? 'filed' : String((r as { error: Error }).error)))).toEqual(jobs.map(() => 'filed'));
    const ids = results.map((r) => (r.ok ? r.value.tipId : ''));
    const audit = await env.ctx.db.selectFrom('audit_event').select(['record_id', 'detail']).where('action', '=', 'tip.create').where('record_id', 'in', ids).execute();
    expect(audit).toHaveLength(24);
    for (const a of audit) expect(JSON.parse(a.detail).identifiers).toBe(100);
    const rows = await env.ctx.db.selectFrom('record_identifier').select((eb) => eb.fn.countAll<number | string>().as('n')).where('record_id', 'in', ids).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(2_400);
  });

  it('a replayed proof fails its own tip only: the others are filed, each once', async () => {
    const reused = await solvedProof(env.ctx);
    const before = await tableCounts(env.ctx, ['tip', 'tip_challenge_spent']);
    const jobs = [await job({}, reused), await job({}, reused), await job({})];
    const results = await fileTipsTogether(env.ctx, jobs);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const refused = results[1]!;
    expect(!refused.ok && refused.error).toMatchObject({ status: 400, field: 'altcha' });
    const after = await tableCounts(env.ctx, ['tip', 'tip_challenge_spent']);
    expect(after.tip! - before.tip!).toBe(2);
    expect(after.tip_challenge_spent! - before.tip_challenge_spent!).toBe(2);
    const filed = await env.ctx.db.selectFrom('tip').select('receipt_hash').where('receipt_hash', 'in', jobs.map((j) => j.receiptHash)).execute();
    expect(filed.map((t) => t.receipt_hash).sort()).toEqual([jobs[0]!.receiptHash, jobs[2]!.receiptHash].sort());
  });

  it('tips sent at the same moment with Idempotency-Keys: each filed once, and each resend answers its own receipt', async () => {
    const sent = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const payload = { ...publicTip({ narrative: `Tip ${i} of a busy minute ${randomUUID()}.` }), altcha: await solvedProof(env.ctx) };
        return { payload, key: randomUUID() };
      }),
    );
    const before = await tableCounts(env.ctx, ['tip', 'idempotency_key']);
    const batchesBefore = tipBatchSizes(env.ctx);
    const first = await Promise.all(sent.map((s, i) => postTip(env, s.payload, { headers: { 'idempotency-key': s.key }, remoteAddress: `198.51.100.${10 + i}` })));
    expect(first.map((r) => r.statusCode)).toEqual(sent.map(() => 201));
    const again = await Promise.all(sent.map((s, i) => postTip(env, s.payload, { headers: { 'idempotency-key': s.key }, remoteAddress: `198.51.100.${10 + i}` })));
    expect(again.map((r) => body(r).receipt)).toEqual(first.map((r) => body(r).receipt));
    const after = await tableCounts(env.ctx, ['tip', 'idempotency_key']);
    expect(after.tip! - before.tip!).toBe(8);
    expect(after.idempotency_key! - before.idempotency_key!).toBe(8);
    const batches = tipBatchSizes(env.ctx).flatMap((n, size) => Array<number>(n - (batchesBefore[size] ?? 0)).fill(size));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(8);
    console.info(`[${backend}] 8 tips at once went in batches of ${batches.join(', ')}`);
  });
});
