import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { newId } from '../lib/ids.ts';
import type { AppContext } from '../context.ts';
import type { AuditEventTable, AuditChainTable, AuditCheckpointTable } from '../db/schema/index.ts';
import { describeEachDatabase, openSecondContext, startTestEnv, tableCounts, type TestEnv } from '../test/harness.ts';
import { macAuditRow, type Tx } from './audit.ts';
import { verifyAuditLog } from './audit.verify.ts';
import { readAnchors } from './audit-anchors.ts';

const who = () => ({ actor: null, meta: { ip: '203.0.113.7', userAgent: 'audit test', requestId: newId() } });

/** One unit of work: an agency row and its audit row, committed together. */
async function addAgency(ctx: AppContext, name: string) {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(), async (tx) => {
    await tx.db.insertInto('agency').values({ id, name, short_name: null, kind: 'law_enforcement', ori: null, counties: '[]', created_at: now, updated_at: now }).execute();
    tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, recordAgencyId: id, changedFields: ['name'], detail: { source: 'test' } });
  });
  return id;
}

describeEachDatabase('audit hash chain', (backend) => {
  let env: TestEnv;
  let second: AppContext;
  let saved: { events: AuditEventTable[]; chains: AuditChainTable[]; checkpoints: AuditCheckpointTable[] };
  let chainA: string;
  let chainB: string;
  /** Chain A's rows in order, as saved. */
  let rowsA: AuditEventTable[];

  const verify = () => verifyAuditLog(env.ctx.db, env.ctx.dialect, env.ctx.audit.keys);
  const db = () => env.ctx.db;

  /** Puts the audit tables back exactly as saved, so each test tampers with the same log. */
  async function resetLog() {
    await db().deleteFrom('audit_event').execute();
    await db().deleteFrom('audit_chain').execute();
    await db().deleteFrom('audit_checkpoint').execute();
    await db().insertInto('audit_chain').values(saved.chains).execute();
    await db().insertInto('audit_event').values(saved.events).execute();
    await db().insertInto('audit_checkpoint').values(saved.checkpoints).execute();
  }

  beforeAll(async () => {
    env = await startTestEnv(backend, { env: { LANTERN_DB_POOL: '1' } });
    second = await openSecondContext(env);
    // Chain A (this process): five rows before the checkpoint, two after; chain B (another process): two rows.
    for (let i = 0; i < 5; i++) await addAgency(env.ctx, `Agency ${i}`);
    await addAgency(second, 'Second process agency 1');
    await addAgency(second, 'Second process agency 2');
    await env.ctx.audit.checkpoint(true);
    for (let i = 5; i < 7; i++) await addAgency(env.ctx, `Agency ${i}`);
    chainA = env.ctx.audit.chainIds[0]!;
    chainB = second.audit.chainIds[0]!;
    saved = {
      events: await db().selectFrom('audit_event').selectAll().orderBy('id').execute(),
      chains: await db().selectFrom('audit_chain').selectAll().execute(),
      checkpoints: await db().selectFrom('audit_checkpoint').selectAll().execute(),
    };
    rowsA = saved.events.filter((e) => e.chain_id === chainA).sort((a, b) => Number(a.seq) - Number(b.seq));
  });
  afterAll(async () => {
    await second.database.close();
    await env.close();
  });
  beforeEach(resetLog);

  it('verifies a log with activity from two processes and a checkpoint', async () => {
    const result = await verify();
    expect(result).toMatchObject({ ok: true, rows: 9, chains: 2, checkpoints: 1, legacyChains: 0, anchors: null, problem: null });
    expect(rowsA.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Each row names its predecessor's MAC and is keyed over its own content.
    for (const [i, row] of rowsA.entries()) {
      expect(macAuditRow(env.ctx.audit.keys, row)).toBe(row.hash);
      if (i > 0) expect(row.prev_hash).toBe(rowsA[i - 1]!.hash);
    }
  });

  const edits: [keyof AuditEventTable, (row: AuditEventTable) => unknown][] = [
    ['id', () => newId()],
    ['chain_id', () => 'a-chain-nobody-made'],
    ['at', (r) => new Date(Date.parse(r.at) - 3_600_000).toISOString()],
    ['actor_user_id', () => newId()],
    ['actor_agency_id', () => newId()],
    ['action', () => 'agency.read'],
    ['record_type', () => 'user'],
    ['record_id', () => newId()],
    ['record_agency_id', () => null],
    ['outcome', () => 'failure'],
    ['changed_fields', () => '[]'],
    ['ip', () => '198.51.100.1'],
    ['user_agent', () => 'someone else'],
    ['request_id', () => null],
    ['detail', () => '{"source":"edited"}'],
    ['prev_hash', (r) => r.hash],
    ['hash', (r) => r.prev_hash],
  ];
  it.each(edits)('detects an edit of %s in the middle of a chain and names that row', async (column, newValue) => {
    const target = rowsA[2]!;
    const value = newValue(target);
    expect(value).not.toEqual(target[column]);
    await db().updateTable('audit_event').set({ [column]: value }).where('id', '=', target.id).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    const idNow = column === 'id' ? value : target.id;
    expect(result.problem).toMatchObject({ rowId: idNow });
    if (column !== 'chain_id') expect(result.problem).toMatchObject({ chainId: chainA, seq: 3 });
  });

  it('detects an edit of seq (the last row moved) and names that row', async () => {
    const last = rowsA.at(-1)!;
    await db().updateTable('audit_event').set({ seq: 70 }).where('id', '=', last.id).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ rowId: last.id, chainId: chainA, seq: 70 });
    expect(result.problem!.problem).toMatch(/missing/);
  });

  it('detects a row deleted from the middle and names the row after the gap', async () => {
    await db().deleteFrom('audit_event').where('id', '=', rowsA[3]!.id).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ rowId: rowsA[4]!.id, chainId: chainA, seq: 5 });
    expect(result.problem!.problem).toMatch(/rows 4–4 of this chain are missing/);
  });

  it('detects the last row deleted while the chain head still counts it', async () => {
    await db().deleteFrom('audit_event').where('id', '=', rowsA[6]!.id).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ chainId: chainA, seq: 6 });
    expect(result.problem!.problem).toMatch(/head says 7/);
  });

  it('detects tail rows deleted with the chain head rewound, through the checkpoint', async () => {
    // Rows 5–7 go, and the head is made to agree: only the checkpoint (taken at row 5) remembers.
    await db().deleteFrom('audit_event').where('chain_id', '=', chainA).where('seq', '>=', 5).execute();
    await db().updateTable('audit_chain').set({ head_seq: 4, head_hash: rowsA[3]!.hash }).where('id', '=', chainA).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ chainId: chainA, seq: 5 });
    expect(result.problem!.problem).toMatch(/row 5 of chain .* no longer matches checkpoint 1/);
  });

  it('detects a crude forged row appended to a chain and names it', async () => {
    const forged = { ...rowsA.at(-1)!, id: newId(), seq: 8, prev_hash: rowsA.at(-1)!.hash, action: 'user.create', hash: 'f'.repeat(64) };
    await db().insertInto('audit_event').values(forged).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ rowId: forged.id, chainId: chainA, seq: 8 });
  });

  it('detects a well-keyed forged row slipped into the middle, at the row it displaced', async () => {
    // The forger holds the audit key: the forged row is perfect, the row after it no longer follows.
    const at = rowsA[2]!;
    for (const r of [...rowsA].reverse().filter((r) => Number(r.seq) >= 3)) {
      await db().updateTable('audit_event').set({ seq: Number(r.seq) + 1 }).where('id', '=', r.id).execute();
    }
    const forged: AuditEventTable = { ...at, id: newId(), seq: 3, prev_hash: rowsA[1]!.hash, action: 'user.disable', hash: '' };
    forged.hash = macAuditRow(env.ctx.audit.keys, forged);
    await db().insertInto('audit_event').values(forged).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ rowId: at.id, chainId: chainA, seq: 4 });
  });

  it('detects a forged row with the rest of the chain re-keyed (an attacker holding the key), through the checkpoint', async () => {
    const rows = [...rowsA];
    const forged: AuditEventTable = { ...rows[1]!, id: newId(), action: 'user.disable', hash: '' };
    rows.splice(1, 0, forged);
    await db().deleteFrom('audit_event').where('chain_id', '=', chainA).execute();
    let prev = rowsA[0]!.prev_hash;
    const rewritten = rows.map((r, i) => {
      const row = { ...r, seq: i + 1, prev_hash: prev, hash: '' };
      row.hash = macAuditRow(env.ctx.audit.keys, row);
      prev = row.hash;
      return row;
    });
    await db().insertInto('audit_event').values(rewritten).execute();
    await db().updateTable('audit_chain').set({ head_seq: rewritten.length, head_hash: prev }).where('id', '=', chainA).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ chainId: chainA, seq: 5 });
    expect(result.problem!.problem).toMatch(/no longer matches checkpoint/);
  });

  it('detects a row in a chain nobody opened, and names it', async () => {
    const stray = { ...rowsA[0]!, id: newId(), chain_id: newId(), seq: 1 };
    stray.hash = macAuditRow(env.ctx.audit.keys, stray);
    await db().insertInto('audit_event').values(stray).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ rowId: stray.id, chainId: stray.chain_id });
    expect(result.problem!.problem).toMatch(/no known chain/);
  });

  it('detects two rows swapped (their seq exchanged) and names the first out of place', async () => {
    const [second3, third] = [rowsA[1]!, rowsA[2]!];
    await db().updateTable('audit_event').set({ seq: -1 }).where('id', '=', second3.id).execute();
    await db().updateTable('audit_event').set({ seq: 2 }).where('id', '=', third.id).execute();
    await db().updateTable('audit_event').set({ seq: 3 }).where('id', '=', second3.id).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ rowId: third.id, chainId: chainA, seq: 2 });
  });

  it('detects a whole chain deleted after a checkpoint', async () => {
    await db().deleteFrom('audit_event').where('chain_id', '=', chainB).execute();
    await db().deleteFrom('audit_chain').where('id', '=', chainB).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem!.problem).toContain(`chain ${chainB} named by checkpoint 1 is gone`);
    expect(result.problem!.rowId).toBe(saved.checkpoints[0]!.id);
  });

  it('detects an edited or removed checkpoint', async () => {
    await env.ctx.audit.checkpoint(true);
    const cps = await db().selectFrom('audit_checkpoint').selectAll().orderBy('seq').execute();
    expect(cps).toHaveLength(2);
    await db().updateTable('audit_checkpoint').set({ heads: '{}' }).where('id', '=', cps[0]!.id).execute();
    expect((await verify()).problem).toMatchObject({ rowId: cps[0]!.id, problem: 'checkpoint was edited, reordered or re-hashed without the audit key' });
    await db().updateTable('audit_checkpoint').set({ heads: cps[0]!.heads }).where('id', '=', cps[0]!.id).execute();
    expect((await verify()).ok).toBe(true);
    await db().deleteFrom('audit_checkpoint').where('id', '=', cps[0]!.id).execute();
    expect((await verify()).problem).toMatchObject({ rowId: cps[1]!.id, problem: 'checkpoint 1 is missing (deleted)' });
  });

  it('keeps a change and its audit row together: a transaction that throws leaves neither', async () => {
    const before = await tableCounts(env.ctx, ['agency', 'audit_event']);
    const headBefore = await db().selectFrom('audit_chain').select(['head_seq', 'head_hash']).where('id', '=', chainA).executeTakeFirstOrThrow();
    // The work fails after writing and queuing its audit row.
    await expect(
      env.ctx.audit.transact(who(), async (tx) => {
        const id = newId();
        const now = env.ctx.clock.now().toISOString();
        await tx.db.insertInto('agency').values({ id, name: 'Doomed', short_name: null, kind: 'federal', ori: null, counties: '[]', created_at: now, updated_at: now }).execute();
        tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    // The audit append itself fails (a value that cannot be serialised): the change goes too.
    await expect(
      env.ctx.audit.transact(who(), async (tx) => {
        const id = newId();
        const now = env.ctx.clock.now().toISOString();
        await tx.db.insertInto('agency').values({ id, name: 'Doomed too', short_name: null, kind: 'federal', ori: null, counties: '[]', created_at: now, updated_at: now }).execute();
        tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, detail: { n: 1n as unknown as number } });
      }),
    ).rejects.toThrow();
    expect(await tableCounts(env.ctx, ['agency', 'audit_event'])).toEqual(before);
    expect(await db().selectFrom('agency').select('id').where('name', 'in', ['Doomed', 'Doomed too']).execute()).toEqual([]);
    expect(await db().selectFrom('audit_chain').select(['head_seq', 'head_hash']).where('id', '=', chainA).executeTakeFirstOrThrow()).toEqual(headBefore);
    // The chain was handed back: the next unit of work appends right after, with no gap.
    await addAgency(env.ctx, 'After the failures');
    const head = await db().selectFrom('audit_chain').select('head_seq').where('id', '=', chainA).executeTakeFirstOrThrow();
    expect(Number(head.head_seq)).toBe(Number(headBefore.head_seq) + 1);
    expect((await verify()).ok).toBe(true);
  });

  it('sends an insert with the audit rows: committed with them, or rolled back with them when it writes other than the rows expected', async () => {
    const before = await tableCounts(env.ctx, ['agency', 'audit_event']);
    const agency = (name: string) => {
      const now = env.ctx.clock.now().toISOString();
      return { id: newId(), name, short_name: null, kind: 'federal' as const, ori: null, counties: '[]', created_at: now, updated_at: now };
    };
    const kept = agency('Sent with its audit row');
    await env.ctx.audit.transact(who(), async (tx) => {
      tx.insertAtEnd(tx.db.insertInto('agency').values(kept), { rows: 1, otherwise: () => new Error('not one row') });
      tx.audit({ action: 'agency.create', recordType: 'agency', recordId: kept.id });
    });
    const refused = agency('Refused by its check');
    await expect(
      env.ctx.audit.transact(who(), async (tx) => {
        tx.insertAtEnd(tx.db.insertInto('agency').values(refused), { rows: 2, otherwise: () => new Error('the check failed') });
        tx.audit({ action: 'agency.create', recordType: 'agency', recordId: refused.id });
      }),
    ).rejects.toThrow('the check failed');
    expect(await tableCounts(env.ctx, ['agency', 'audit_event'])).toEqual({ agency: before.agency! + 1, audit_event: before.audit_event! + 1 });
    expect(await db().selectFrom('agency').select('name').where('id', 'in', [kept.id, refused.id]).execute()).toEqual([{ name: kept.name }]);
    expect((await verify()).ok).toBe(true);
  });

  it('appends after the head in the database when it moved under the process (a restore), never after the one it remembers', async () => {
    // The process remembers its head after its last append; the restore puts the chain two rows back.
    await addAgency(env.ctx, 'Before the restore');
    await db().deleteFrom('audit_event').where('chain_id', '=', chainA).where('seq', '>', 5).execute();
    await db().updateTable('audit_chain').set({ head_seq: 5, head_hash: rowsA[4]!.hash }).where('id', '=', chainA).execute();
    await db().deleteFrom('audit_checkpoint').execute();
    await addAgency(env.ctx, 'After the restore');
    const rows = await db().selectFrom('audit_event').select(['seq', 'prev_hash']).where('chain_id', '=', chainA).where('seq', '>', 5).execute();
    expect(rows).toEqual([{ seq: 6, prev_hash: rowsA[4]!.hash }]);
    expect((await verify()).ok).toBe(true);
    // And a restore of a longer log: the process's head is now behind the database's.
    await resetLog();
    await addAgency(env.ctx, 'After restoring a longer log');
    const last = await db().selectFrom('audit_event').select(['seq', 'prev_hash']).where('chain_id', '=', chainA).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toEqual({ seq: rowsA.length + 1, prev_hash: rowsA.at(-1)!.hash });
    expect((await verify()).ok).toBe(true);
  });

  /** How many transactions `work` opened on the app's database. */
  async function transactionsOpenedBy(work: () => Promise<unknown>): Promise<number> {
    const transactions = vi.spyOn(env.ctx.db, 'transaction');
    try {
      await work();
      return transactions.mock.calls.length;
    } finally {
      transactions.mockRestore();
    }
  }

  /** An agency row as `writeAlone` stages it: an insert and its audit entry, nothing read. */
  const stagedAgency = (name: string, expect?: { rows: number; otherwise: () => Error }) => {
    const now = env.ctx.clock.now().toISOString();
    const id = newId();
    const stage = (tx: Tx) => {
      tx.insertAtEnd(tx.db.insertInto('agency').values({ id, name, short_name: null, kind: 'federal', ori: null, counties: '[]', created_at: now, updated_at: now }), expect);
      tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, recordAgencyId: id });
    };
    return { id, stage };
  };

  it('writes a staged insert and its audit row together, with no transaction on PostgreSQL, chained after the head', async () => {
    await resetLog();
    await addAgency(env.ctx, 'Written in a transaction first');
    const before = await tableCounts(env.ctx, ['agency', 'audit_event']);
    const a = stagedAgency('Written alone');
    // PostgreSQL makes the one statement atomic by itself; SQLite, in process, writes in a transaction.
    expect(await transactionsOpenedBy(() => env.ctx.audit.writeAlone(who(), a.stage))).toBe(backend === 'postgres' ? 0 : 1);
    expect(await tableCounts(env.ctx, ['agency', 'audit_event'])).toEqual({ agency: before.agency! + 1, audit_event: before.audit_event! + 1 });
    const last = await db().selectFrom('audit_event').select(['record_id', 'seq']).where('chain_id', '=', chainA).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.record_id).toBe(a.id);
    const head = await db().selectFrom('audit_chain').select('head_seq').where('id', '=', chainA).executeTakeFirstOrThrow();
    expect(Number(head.head_seq)).toBe(Number(last.seq));
    expect((await verify()).ok).toBe(true);

    // An insert that writes other than the rows expected: nothing of it, nor its audit row, is kept.
    const refused = stagedAgency('Refused', { rows: 2, otherwise: () => new Error('two rows were expected') });
    await expect(env.ctx.audit.writeAlone(who(), refused.stage)).rejects.toThrow('two rows were expected');
    expect(await tableCounts(env.ctx, ['agency', 'audit_event'])).toEqual({ agency: before.agency! + 1, audit_event: before.audit_event! + 1 });
    // And the chain goes on from where it was.
    await env.ctx.audit.writeAlone(who(), stagedAgency('After the refusal').stage);
    expect((await verify()).ok).toBe(true);
  });

  it('writes a staged insert after the head in the database when it moved under the process (a restore), either way', async () => {
    await resetLog();
    await addAgency(env.ctx, 'Before the restore, written alone after it');
    // The restore puts the chain two rows back: the head the process remembers is ahead of the database's.
    await db().deleteFrom('audit_event').where('chain_id', '=', chainA).where('seq', '>', 5).execute();
    await db().updateTable('audit_chain').set({ head_seq: 5, head_hash: rowsA[4]!.hash }).where('id', '=', chainA).execute();
    await db().deleteFrom('audit_checkpoint').execute();
    const behind = stagedAgency('Written alone after the restore');
    // PostgreSQL: the statement refuses itself, and the work runs again in a transaction, which reads the
    // head. SQLite: the transaction refuses the head, and a second one reads it.
    expect(await transactionsOpenedBy(() => env.ctx.audit.writeAlone(who(), behind.stage))).toBe(backend === 'postgres' ? 1 : 2);
    expect(await db().selectFrom('audit_event').select(['seq', 'prev_hash', 'record_id']).where('chain_id', '=', chainA).where('seq', '>', 5).execute()).toEqual([
      { seq: 6, prev_hash: rowsA[4]!.hash, record_id: behind.id },
    ]);
    expect((await verify()).ok).toBe(true);
    // A restore of a longer log: the process's head is now behind the database's.
    await resetLog();
    const ahead = stagedAgency('Written alone after restoring a longer log');
    await env.ctx.audit.writeAlone(who(), ahead.stage);
    const last = await db().selectFrom('audit_event').select(['seq', 'prev_hash', 'record_id']).where('chain_id', '=', chainA).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toEqual({ seq: rowsA.length + 1, prev_hash: rowsA.at(-1)!.hash, record_id: ahead.id });
    expect((await verify()).ok).toBe(true);
  });

  it('records several audit rows of one transaction in order, with the request\'s who and where', async () => {
    const meta = { ip: '192.0.2.44', userAgent: 'x'.repeat(600), requestId: 'req-1' };
    const actor = { userId: newId(), agencyId: newId() };
    await env.ctx.audit.transact({ actor, meta }, async (tx) => {
      tx.audit({ action: 'user.update', recordType: 'user', recordId: 'r1', changedFields: ['displayName'] });
      tx.audit({ action: 'auth.login', outcome: 'failure', actor: null, detail: { reason: 'x' } });
    });
    const rows = await db().selectFrom('audit_event').selectAll().where('request_id', '=', 'req-1').orderBy('seq').execute();
    expect(rows.map((r) => [r.action, r.actor_user_id, r.outcome])).toEqual([
      ['user.update', actor.userId, 'success'],
      ['auth.login', null, 'failure'],
    ]);
    expect(rows[0]).toMatchObject({ actor_agency_id: actor.agencyId, ip: '192.0.2.44', changed_fields: '["displayName"]', detail: '{}' });
    expect(rows[0]!.user_agent).toHaveLength(500);
    expect(Number(rows[1]!.seq)).toBe(Number(rows[0]!.seq) + 1);
    // Times are UTC to the millisecond (DESIGN.md §5 asks for 1/100 s).
    expect(rows[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await verify()).ok).toBe(true);
  });
});

describeEachDatabase('audit chain under concurrent writers', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend);
  });
  afterAll(() => env.close());

  it('stays verifiable with 50 transactions at once in one process', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => addAgency(env.ctx, `Parallel ${i}`)));
    const result = await verifyAuditLog(env.ctx.db, env.ctx.dialect, env.ctx.audit.keys);
    expect(result).toMatchObject({ ok: true });
    expect(result.rows).toBeGreaterThanOrEqual(50);
    const used = await env.ctx.db.selectFrom('audit_event').select('chain_id').distinct().execute();
    // On PostgreSQL, overlapping transactions append to different chains rather than queue on one.
    if (backend === 'postgres') expect(used.length).toBeGreaterThan(1);
    else expect(used.length).toBe(1);
  });

  // Two "processes" in one Node process work on PostgreSQL only: better-sqlite3 is synchronous, so one
  // connection waiting for SQLite's write lock would block the event loop the other needs to release it.
  if (backend === 'postgres') {
    it('stays verifiable with two processes appending and checkpointing at once', async () => {
      const other = await openSecondContext(env);
      try {
        // Each process: 25 transactions at once, while it also checkpoints (its timer) five times over.
        const work = (ctx: AppContext, tag: string) =>
          Promise.all([
            ...Array.from({ length: 25 }, (_, i) => addAgency(ctx, `${tag} ${i}`)),
            (async () => {
              for (let i = 0; i < 5; i++) await ctx.audit.checkpoint(true);
            })(),
            ctx.audit.checkpoint(true),
          ]);
        await Promise.all([work(env.ctx, 'Process one'), work(other, 'Process two')]);
        await env.ctx.audit.checkpoint(true);
        // Both processes anchored their checkpoints in the one anchors file they share, in whatever order.
        const result = await verifyAuditLog(env.ctx.db, env.ctx.dialect, env.ctx.audit.keys, { anchors: readAnchors([env.ctx.config.auditAnchors]) });
        expect(result.problem).toBeNull();
        expect(result.ok).toBe(true);
        expect(result.checkpoints).toBe(13);
        expect(result.anchors).toMatchObject({ count: 13, lastSeq: 13 });
        const byOther = await env.ctx.db.selectFrom('audit_event').select('chain_id').where('chain_id', 'in', [...other.audit.chainIds]).execute();
        expect(byOther.length).toBe(25);
      } finally {
        await other.database.close();
      }
    });
  }
});
