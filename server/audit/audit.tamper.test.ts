import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { newId } from '../lib/ids.ts';
import type { AppContext } from '../context.ts';
import type { AuditChainTable, AuditCheckpointTable, AuditEventTable } from '../db/schema/index.ts';
import { describeEachDatabase, openSecondContext, startTestEnv, type TestEnv } from '../test/harness.ts';
import { AuditLog, checkpointSigningText, genesisHash, hashAuditRow, hashCheckpoint, keyedGenesis, macAuditRow, macCheckpoint } from './audit.ts';
import { deriveAuditKeys, type AuditKeys } from './audit-keys.ts';
import { readAnchors, type Anchor } from './audit-anchors.ts';
import { verifyAuditLog } from './audit.verify.ts';

/**
 * The log against a database administrator (issue #7): someone who can run any SQL on the database
 * and knows how Lantern hashes, but holds neither the audit key nor the anchors file. Every tampering
 * is done the way they would, in SQL, re-hashing with plain SHA-256 or with a key of their own.
 */

const who = () => ({ actor: null, meta: { ip: '203.0.113.9', userAgent: 'tamper test', requestId: newId() } });

async function addAgency(ctx: AppContext, name: string) {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(), async (tx) => {
    await tx.db.insertInto('agency').values({ id, name, short_name: null, kind: 'law_enforcement', ori: null, counties: '[]', created_at: now, updated_at: now }).execute();
    tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, recordAgencyId: id, detail: { source: 'tamper test' } });
  });
}

describeEachDatabase('audit log against a database administrator', (backend) => {
  let env: TestEnv;
  let second: AppContext;
  let anchorsFile: string;
  let saved: { events: AuditEventTable[]; chains: AuditChainTable[]; checkpoints: AuditCheckpointTable[]; anchors: string };
  let chainA: string;
  let chainB: string;
  const rowsOf = (chain: string) => saved.events.filter((e) => e.chain_id === chain).sort((a, b) => Number(a.seq) - Number(b.seq));
  const db = () => env.ctx.db;
  const keys = () => env.ctx.audit.keys;
  const withAnchors = () => verifyAuditLog(db(), env.ctx.dialect, keys(), { anchors: readAnchors([anchorsFile]) });
  const withoutAnchors = () => verifyAuditLog(db(), env.ctx.dialect, keys());
  const run = (query: ReturnType<typeof sql>) => query.execute(db());

  /** The DBA's re-hash: every row of a chain from `fromSeq` re-linked with `hash`, and its head made to agree. */
  async function rehashChain(chainId: string, hash: (row: AuditEventTable) => string, genesis: string, fromSeq = 1) {
    const rows = await db().selectFrom('audit_event').selectAll().where('chain_id', '=', chainId).orderBy('seq').execute();
    let prev = genesis;
    for (const row of rows) {
      if (Number(row.seq) >= fromSeq) {
        const relinked = { ...row, prev_hash: prev };
        const h = hash(relinked);
        await run(sql`update audit_event set prev_hash = ${prev}, hash = ${h} where id = ${row.id}`);
        prev = h;
      } else prev = row.hash;
    }
    await run(sql`update audit_chain set head_seq = ${rows.length}, head_hash = ${prev} where id = ${chainId}`);
  }

  beforeAll(async () => {
    env = await startTestEnv(backend, { env: { LANTERN_DB_POOL: '1' } });
    second = await openSecondContext(env);
    anchorsFile = env.ctx.config.auditAnchors;
    // Chain A (this process): 5 rows, checkpoint 1; chain B (another process): 2 rows before it and 1
    // after, then checkpoint 2 by that process; chain A then writes 2 rows that no anchor covers yet.
    for (let i = 0; i < 5; i++) await addAgency(env.ctx, `Agency ${i}`);
    await addAgency(second, 'Second process 1');
    await addAgency(second, 'Second process 2');
    await env.ctx.audit.checkpoint(true);
    await addAgency(second, 'Second process 3');
    await second.audit.checkpoint(true);
    for (let i = 5; i < 7; i++) await addAgency(env.ctx, `Agency ${i}`);
    chainA = env.ctx.audit.chainIds[0]!;
    chainB = second.audit.chainIds[0]!;
    saved = {
      events: await db().selectFrom('audit_event').selectAll().orderBy('id').execute(),
      chains: await db().selectFrom('audit_chain').selectAll().execute(),
      checkpoints: await db().selectFrom('audit_checkpoint').selectAll().execute(),
      anchors: fs.readFileSync(anchorsFile, 'utf8'),
    };
  });
  afterAll(async () => {
    await second.database.close();
    await env.close();
  });
  beforeEach(async () => {
    await db().deleteFrom('audit_event').execute();
    await db().deleteFrom('audit_chain').execute();
    await db().deleteFrom('audit_checkpoint').execute();
    await db().insertInto('audit_chain').values(saved.chains).execute();
    await db().insertInto('audit_event').values(saved.events).execute();
    await db().insertInto('audit_checkpoint').values(saved.checkpoints).execute();
    fs.writeFileSync(anchorsFile, saved.anchors);
  });

  it('verifies the clean log of two processes, keyed, signed and anchored outside the database', async () => {
    expect(await withAnchors()).toMatchObject({ ok: true, rows: 10, chains: 2, checkpoints: 2, legacyChains: 0, anchors: { count: 2, lastSeq: 2 }, problem: null });
    // Both processes appended their checkpoint to the anchors file; each line is the database's row, signed.
    expect(path.dirname(anchorsFile)).toBe(env.dataDir);
    expect(fs.statSync(anchorsFile).mode & 0o777).toBe(0o600);
    const { anchors } = readAnchors([anchorsFile]);
    expect(anchors.map((a) => a.seq)).toEqual([1, 2]);
    for (const a of anchors) {
      const row = saved.checkpoints.find((c) => Number(c.seq) === a.seq)!;
      expect(a).toMatchObject({ id: row.id, at: row.at, prev_hash: row.prev_hash, hash: row.hash, signature: row.signature, key_id: keys().keyId });
      expect(a).not.toHaveProperty('heads');
      expect(keys().verifySignature(checkpointSigningText(a), a.signature)).toBe(true);
    }
    // Nothing in the database lets anyone recompute a row's MAC: the plain hash of the row differs.
    const row = rowsOf(chainA)[0]!;
    expect(row.hash).toBe(macAuditRow(keys(), row));
    expect(row.hash).not.toBe(hashAuditRow(row));
  });

  it('edit of a row: caught at that row by its MAC', async () => {
    const target = rowsOf(chainA)[2]!;
    await run(sql`update audit_event set actor_user_id = ${newId()} where id = ${target.id}`);
    const result = await withAnchors();
    expect(result).toMatchObject({ ok: false, problem: { rowId: target.id, chainId: chainA, seq: 3 } });
    expect(result.problem!.problem).toMatch(/does not match its MAC/);
  });

  it('edit of a row re-hashed with plain SHA-256, the rest of the chain re-linked: caught at that row', async () => {
    const target = rowsOf(chainA)[1]!;
    await run(sql`update audit_event set action = 'agency.read' where id = ${target.id}`);
    await rehashChain(chainA, hashAuditRow, genesisHash(chainA), 2);
    const result = await withAnchors();
    expect(result).toMatchObject({ ok: false, problem: { rowId: target.id, chainId: chainA, seq: 2 } });
    expect(result.problem!.problem).toMatch(/re-hashed without the audit key/);
  });

  it('deletion of a middle row: caught at the gap, and again when the DBA renumbers and re-hashes', async () => {
    const rows = rowsOf(chainA);
    await run(sql`delete from audit_event where id = ${rows[2]!.id}`);
    expect((await withAnchors()).problem).toMatchObject({ rowId: rows[3]!.id, chainId: chainA, seq: 4, problem: 'rows 3–3 of this chain are missing (deleted) before this row' });
    // Closing the gap: later rows renumbered, then the chain re-hashed with SHA-256 from there.
    for (const r of rows.slice(3)) await run(sql`update audit_event set seq = ${Number(r.seq) - 1} where id = ${r.id}`);
    await rehashChain(chainA, hashAuditRow, genesisHash(chainA), 3);
    const result = await withAnchors();
    expect(result).toMatchObject({ ok: false, problem: { rowId: rows[3]!.id, chainId: chainA, seq: 3 } });
  });

  it('deletion of a chain\'s tail, its head rewound, up to the last anchor: caught by the checkpoint', async () => {
    const rows = rowsOf(chainB);
    await run(sql`delete from audit_event where id = ${rows[2]!.id}`);
    await run(sql`update audit_chain set head_seq = 2, head_hash = ${rows[1]!.hash} where id = ${chainB}`);
    expect((await withAnchors()).problem).toMatchObject({ chainId: chainB, seq: 3, problem: `row 3 of chain ${chainB} no longer matches checkpoint 2` });
  });

  it('deletion of a chain\'s tail and of the checkpoint that named it: caught by the anchor', async () => {
    const rows = rowsOf(chainB);
    const cp2 = saved.checkpoints.find((c) => Number(c.seq) === 2)!;
    await run(sql`delete from audit_event where id = ${rows[2]!.id}`);
    await run(sql`update audit_chain set head_seq = 2, head_hash = ${rows[1]!.hash} where id = ${chainB}`);
    await run(sql`delete from audit_checkpoint where seq = 2`);
    const result = await withAnchors();
    expect(result).toMatchObject({ ok: false, problem: { rowId: cp2.id, seq: 2 } });
    expect(result.problem!.problem).toBe(`checkpoint 2, anchored at ${anchorsFile} line 2, is missing from the database (deleted)`);
    // Without the anchors the database alone cannot tell (docs/security.md).
    expect((await withoutAnchors()).ok).toBe(true);
  });

  it('deletion of the rows written after the last anchor goes unseen: the window the docs name', async () => {
    const rows = rowsOf(chainA);
    await run(sql`delete from audit_event where chain_id = ${chainA} and seq > 5`);
    await run(sql`update audit_chain set head_seq = 5, head_hash = ${rows[4]!.hash} where id = ${chainA}`);
    expect(await withAnchors()).toMatchObject({ ok: true, rows: 8 });
  });

  it('deletion of a whole chain: caught by the checkpoints that name it, and by the anchors when those go too', async () => {
    await run(sql`delete from audit_event where chain_id = ${chainB}`);
    await run(sql`delete from audit_chain where id = ${chainB}`);
    expect((await withAnchors()).problem!.problem).toBe(`chain ${chainB} named by checkpoint 1 is gone (deleted)`);
    await run(sql`delete from audit_checkpoint`);
    expect((await withAnchors()).problem!.problem).toMatch(/^checkpoint 1, anchored at .* line 1, is missing from the database \(deleted\)$/);
  });

  it('deletion of checkpoints, some or all: caught by the anchors', async () => {
    await run(sql`delete from audit_checkpoint where seq = 1`);
    expect((await withAnchors()).problem).toMatchObject({ seq: 1, problem: expect.stringMatching(/^checkpoint 1, anchored .* is missing/) });
    // Without anchors, a gap still shows; deleting from the end (here: all) does not.
    expect((await withoutAnchors()).problem).toMatchObject({ problem: 'checkpoint 1 is missing (deleted)' });
    await run(sql`delete from audit_checkpoint`);
    expect((await withAnchors()).problem).toMatchObject({ seq: 1, problem: expect.stringMatching(/^checkpoint 1, anchored .* is missing/) });
    expect((await withoutAnchors()).ok).toBe(true);
  });

  it('a full rewrite under a key of the DBA\'s own, checkpoints re-made and signed: caught', async () => {
    const theirs: AuditKeys = deriveAuditKeys(randomBytes(32), 'attacker');
    await run(sql`update audit_event set action = 'agency.read' where chain_id = ${chainA} and seq = 1`);
    for (const chain of [chainA, chainB]) {
      await rehashChain(chain, (r) => macAuditRow(theirs, r), keyedGenesis(theirs, chain));
      await run(sql`update audit_chain set key_id = ${theirs.keyId} where id = ${chain}`);
    }
    const result = await withAnchors();
    expect(result.ok).toBe(false);
    expect(result.problem!.problem).toMatch(new RegExp(`this chain was written under audit key ${theirs.keyId}, but this verifier holds ${keys().keyId}`));
    // Left with the real key id, the chain fails at its first row: its genesis is keyed.
    await run(sql`update audit_chain set key_id = ${keys().keyId}`);
    expect((await withAnchors()).problem).toMatchObject({ seq: 1, problem: 'does not follow the previous row (reordered, inserted or deleted rows)' });
  });

  it('a full rewrite the old way (version 1, plain SHA-256, checkpoints re-made): caught by the anchors', async () => {
    await run(sql`update audit_event set action = 'agency.read' where chain_id = ${chainA} and seq = 1`);
    for (const chain of [chainA, chainB]) {
      await rehashChain(chain, hashAuditRow, genesisHash(chain));
      await run(sql`update audit_chain set version = 1, key_id = null where id = ${chain}`);
    }
    await run(sql`delete from audit_checkpoint`);
    const heads = await db().selectFrom('audit_chain').select(['id', 'head_seq', 'head_hash']).orderBy('id').execute();
    const cp = { id: newId(), seq: 1, at: new Date().toISOString(), heads: JSON.stringify(Object.fromEntries(heads.map((h) => [h.id, [Number(h.head_seq), h.head_hash]]))), prev_hash: genesisHash('checkpoints') };
    await run(sql`insert into audit_checkpoint (id, seq, at, heads, prev_hash, hash, version) values (${cp.id}, 1, ${cp.at}, ${cp.heads}, ${cp.prev_hash}, ${hashCheckpoint(cp)}, 1)`);
    const result = await withAnchors();
    expect(result).toMatchObject({ ok: false, problem: { seq: 1, problem: `checkpoint 1 differs from its anchor at ${anchorsFile} line 1 (rewritten)` } });
    // The database alone sees a consistent log from before keyed auditing, and says so.
    expect(await withoutAnchors()).toMatchObject({ ok: true, legacyChains: 2 });
  });

  it('a checkpoint re-made under the right recipe but without the key: caught by its MAC and signature', async () => {
    const cp = saved.checkpoints.find((c) => Number(c.seq) === 2)!;
    const theirs = deriveAuditKeys(randomBytes(32), 'attacker');
    const heads = JSON.stringify({ ...(JSON.parse(cp.heads) as object), [chainB]: [2, rowsOf(chainB)[1]!.hash] });
    await run(sql`update audit_checkpoint set heads = ${heads}, hash = ${macCheckpoint(theirs, { ...cp, heads })} where id = ${cp.id}`);
    expect((await withoutAnchors()).problem).toMatchObject({ rowId: cp.id, problem: 'checkpoint was edited, reordered or re-hashed without the audit key' });
    expect((await withAnchors()).problem).toMatchObject({ rowId: cp.id, problem: `checkpoint 2 differs from its anchor at ${anchorsFile} line 2 (rewritten)` });
  });

  it('an anchors file edited by someone without the key: the forged line is refused', async () => {
    const lines = saved.anchors.trim().split('\n');
    const forged = { ...(JSON.parse(lines[1]!) as Record<string, unknown>), hash: saved.checkpoints.find((c) => Number(c.seq) === 1)!.hash };
    fs.writeFileSync(anchorsFile, `${lines[0]}\n${JSON.stringify(forged)}\n`);
    expect((await withAnchors()).problem!.problem).toBe(`the anchor at ${anchorsFile} line 2 has a bad signature (the anchors file was edited)`);
    fs.writeFileSync(anchorsFile, `${lines[0]}\nnot json\n`);
    expect((await withAnchors()).problem!.problem).toBe(`${anchorsFile} line 2 is not an anchor (edited by hand, or cut short by a crash)`);
  });

  it('an attacker who can also cut the anchors file deletes the tail unseen: the limit the docs name', async () => {
    const rows = rowsOf(chainB);
    await run(sql`delete from audit_event where id = ${rows[2]!.id}`);
    await run(sql`update audit_chain set head_seq = 2, head_hash = ${rows[1]!.hash} where id = ${chainB}`);
    await run(sql`delete from audit_checkpoint where seq = 2`);
    fs.writeFileSync(anchorsFile, `${saved.anchors.trim().split('\n')[0]}\n`);
    expect((await withAnchors()).ok).toBe(true);
  });
});

describeEachDatabase('audit log from before keyed auditing, and anchoring that fails', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend, { env: { LANTERN_DB_POOL: '1' } });
  });
  afterAll(() => env.close());
  const db = () => env.ctx.db;
  const verify = () => verifyAuditLog(db(), env.ctx.dialect, env.ctx.audit.keys, { anchors: readAnchors([env.ctx.config.auditAnchors]) });

  it('verifies a version-1 chain under plain SHA-256, sealed by the first keyed checkpoint; one grown or passed off later is caught', async () => {
    // What migration 0005 leaves of an older log: a chain and a checkpoint in plain SHA-256.
    const legacy = newId();
    let prev = genesisHash(legacy);
    const rows: AuditEventTable[] = [];
    for (let seq = 1; seq <= 3; seq++) {
      const row: AuditEventTable = { id: newId(), chain_id: legacy, seq, at: new Date(Date.UTC(2026, 0, seq)).toISOString(), actor_user_id: null, actor_agency_id: null, action: 'agency.read', record_type: null, record_id: null, record_agency_id: null, outcome: 'success', changed_fields: '[]', ip: null, user_agent: null, request_id: null, detail: '{}', prev_hash: prev, hash: '' };
      row.hash = hashAuditRow(row);
      prev = row.hash;
      rows.push(row);
    }
    await db().insertInto('audit_chain').values({ id: legacy, created_at: '2026-01-01T00:00:00.000Z', writer: 'old', head_seq: 3, head_hash: prev, version: 1, key_id: null }).execute();
    await db().insertInto('audit_event').values(rows).execute();
    const cp = { id: newId(), seq: 1, at: '2026-01-04T00:00:00.000Z', heads: JSON.stringify({ [legacy]: [3, prev] }), prev_hash: genesisHash('checkpoints') };
    await db().insertInto('audit_checkpoint').values({ ...cp, hash: hashCheckpoint(cp), version: 1, key_id: null, signature: null }).execute();
    expect(await verifyAuditLog(db(), env.ctx.dialect, env.ctx.audit.keys)).toMatchObject({ ok: true, legacyChains: 1, checkpoints: 1 });

    await addAgency(env.ctx, 'After the upgrade');
    await env.ctx.audit.checkpoint(true);
    expect(await verify()).toMatchObject({ ok: true, legacyChains: 1, checkpoints: 2, anchors: { count: 1, lastSeq: 2 } });

    // A row appended to the old chain, well hashed the old way: the keyed checkpoint holds it at 3.
    const extra = { ...rows[2]!, id: newId(), seq: 4, prev_hash: prev, hash: '' };
    extra.hash = hashAuditRow(extra);
    await db().insertInto('audit_event').values(extra).execute();
    await db().updateTable('audit_chain').set({ head_seq: 4, head_hash: extra.hash }).where('id', '=', legacy).execute();
    expect((await verify()).problem).toMatchObject({ chainId: legacy, seq: 4, problem: expect.stringMatching(/first keyed checkpoint does not hold whole/) });
    await db().deleteFrom('audit_event').where('id', '=', extra.id).execute();
    await db().updateTable('audit_chain').set({ head_seq: 3, head_hash: prev }).where('id', '=', legacy).execute();

    // Rows written after the last checkpoint, passed off as an old chain re-hashed with SHA-256.
    await addAgency(env.ctx, 'Not yet checkpointed');
    const chain = env.ctx.audit.chainIds[0]!;
    const mine = await db().selectFrom('audit_event').selectAll().where('chain_id', '=', chain).orderBy('seq').execute();
    let link = genesisHash(chain);
    for (const r of mine) {
      const h = hashAuditRow({ ...r, prev_hash: link });
      await db().updateTable('audit_event').set({ prev_hash: link, hash: h }).where('id', '=', r.id).execute();
      link = h;
    }
    await db().updateTable('audit_chain').set({ version: 1, key_id: null, head_hash: link }).where('id', '=', chain).execute();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem!.chainId).toBe(chain);
  });

  it('anchors a checkpoint whose append failed at the next one, in order', async () => {
    const appended: Anchor[] = [];
    let failing = true;
    const log = new AuditLog(db(), env.ctx.dialect, env.clock, 1, env.ctx.audit.keys, {
      location: 'test sink',
      append(a) {
        if (failing) throw new Error('disk full');
        appended.push(a);
      },
    });
    await log.record(who(), { action: 'agency.read' });
    await expect(log.checkpoint()).rejects.toThrow('disk full');
    const first = await db().selectFrom('audit_checkpoint').select(['seq', 'id']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    failing = false;
    // Nothing new was written: the checkpoint already in the database is anchored, and no other taken.
    await log.checkpoint();
    expect(appended.map((a) => [a.seq, a.id])).toEqual([[Number(first.seq), first.id]]);
    await log.record(who(), { action: 'agency.read' });
    await log.checkpoint();
    expect(appended.map((a) => a.seq)).toEqual([Number(first.seq), Number(first.seq) + 1]);
  });
});
