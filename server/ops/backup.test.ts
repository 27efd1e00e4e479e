import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { verifyAuditLog } from '../audit/audit.verify.ts';
import type { AppContext } from '../context.ts';
import { BACKUP_TABLES } from '../db/tables.ts';
import { TestClock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { body, describeEachDatabase, openSecondContext, startTestEnv, type Backend, type TestEnv } from '../test/harness.ts';
import { as, seedWorld, signIn, type World } from '../test/fixtures.ts';
import { backup, restore } from './backup.ts';

async function rowCounts(ctx: AppContext): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table } of BACKUP_TABLES) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(ctx.db);
    out[table] = Number(r.rows[0]!.n);
  }
  return out;
}

async function addAgency(ctx: AppContext, name: string) {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: 'backup test', requestId: null } }, async (tx) => {
    await tx.db.insertInto('agency').values({ id, name, short_name: null, kind: 'federal', ori: null, counties: '[]', created_at: now, updated_at: now }).execute();
    tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, recordAgencyId: id });
  });
}

describeEachDatabase('backup and restore', (backend) => {
  let env: TestEnv;
  let world: World;
  let file: string;
  /** Rows per table as the backup saw them (its progress reports). */
  const backedUp: Record<string, number> = {};
  let writesDuringBackup = 0;
  const targets: Backend[] = inject('pgAvailable') ? ['sqlite', 'postgres'] : ['sqlite'];

  /** An empty, migrated database with the source's keys and a clock after the source's. */
  const emptyTarget = (b: Backend) =>
    startTestEnv(b, { keyring: env.ctx.keyring, startAudit: false, clock: new TestClock(new Date(env.clock.now().getTime() + 3_600_000)) });

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    await signIn(env, world.users.officer);
    await signIn(env, world.users.leadAdmin);
    await as(env, await signIn(env, world.users.platform)).post('/api/users', { email: 'with.phone@example.test', displayName: 'With Phone', agencyId: world.agencies.partner, roles: ['officer'], phone: '+1 816 555 0111' });
    // Enough audit rows that the backup pages through a table (2,000 rows a page).
    for (let i = 0; i < 3; i++) {
      await env.ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, async (tx) => {
        for (let j = 0; j < 700; j++) tx.audit({ action: 'agency.read', recordType: 'agency', recordId: world.agencies.lead });
      });
    }
    await env.ctx.audit.checkpoint(true);

    // The backup runs as another process would (`lantern backup` beside the server), while the
    // server keeps writing.
    file = path.join(env.dataDir, 'lantern.backup.gz');
    const cli = await openSecondContext(env);
    let done = false;
    const writer = (async () => {
      while (!done) {
        await addAgency(env.ctx, `Written during backup ${writesDuringBackup++}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      await backup(cli, file, (table, rows) => {
        backedUp[table] = rows;
      });
    } finally {
      done = true;
      await writer;
      await cli.database.close();
    }
  });
  afterAll(() => env.close());

  it('writes a gzip file (mode 0600) holding every table, consistent while writes went on', async () => {
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    expect(Object.keys(backedUp)).toEqual(BACKUP_TABLES.map((t) => t.table));
    expect(backedUp.audit_event).toBeGreaterThan(2100);
    expect(writesDuringBackup).toBeGreaterThan(0);
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'lantern-backup', version: 1, dialect: backend });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: true, rows: Object.values(backedUp).reduce((a, b) => a + b, 0) });
    // Sealed fields stay sealed in the file.
    expect(lines.join('\n')).not.toContain('816 555 0111');
  });

  for (const target of targets) {
    it(`restores into an empty ${target} database: same rows, audit log verifies, sign-in works`, async () => {
      const restored = await emptyTarget(target);
      try {
        const reported: Record<string, number> = {};
        const result = await restore(restored.ctx, file, (table, rows) => {
          reported[table] = rows;
        });
        expect(result.rows).toBe(Object.values(backedUp).reduce((a, b) => a + b, 0));
        expect(await rowCounts(restored.ctx)).toEqual(backedUp);
        // One moment of the source: each agency written during the backup came with its audit row.
        const during = await restored.ctx.db.selectFrom('agency').select('id').where('name', 'like', 'Written during backup %').execute();
        const audited = await restored.ctx.db.selectFrom('audit_event').select('record_id').where('user_agent', '=', 'backup test').execute();
        expect(audited.map((a) => a.record_id).sort()).toEqual(during.map((a) => a.id).sort());
        const verdict = await verifyAuditLog(restored.ctx.db, restored.ctx.dialect, restored.ctx.audit.keys);
        expect(verdict).toMatchObject({ ok: true, rows: backedUp.audit_event, checkpoints: backedUp.audit_checkpoint });

        // Same keyring: TOTP secrets and phones unseal; the restored server writes on new chains.
        const officer = as(restored, await signIn(restored, world.users.officer));
        expect(body(await officer.get('/api/me')).user.email).toBe(world.users.officer.email);
        const admin = as(restored, await signIn(restored, world.users.partnerAdmin));
        const listed = body(await admin.get('/api/users?q=with.phone')).users;
        expect(listed).toHaveLength(1);
        expect(listed[0].phone).toBe('+1 816 555 0111');
        await restored.ctx.audit.checkpoint(true);
        expect((await verifyAuditLog(restored.ctx.db, restored.ctx.dialect, restored.ctx.audit.keys)).ok).toBe(true);
      } finally {
        await restored.close();
      }
    });
  }

  it('refuses to restore into a database that holds data', async () => {
    const before = await rowCounts(env.ctx);
    await expect(restore(env.ctx, file)).rejects.toThrow(/already holds data; restore into an empty one/);
    expect(await rowCounts(env.ctx)).toEqual(before);
  });

  it('refuses a truncated file, restoring nothing', async () => {
    const target = await emptyTarget(backend);
    try {
      const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n');
      const noEnd = path.join(env.dataDir, 'no-end.gz');
      fs.writeFileSync(noEnd, gzipSync(lines.slice(0, -1).join('\n') + '\n'));
      await expect(restore(target.ctx, noEnd)).rejects.toThrow(/truncated/);
      const cutMidLine = path.join(env.dataDir, 'cut-line.gz');
      fs.writeFileSync(cutMidLine, gzipSync(lines.join('\n').slice(0, Math.floor(lines.join('\n').length / 2))));
      await expect(restore(target.ctx, cutMidLine)).rejects.toThrow();
      const cutBytes = path.join(env.dataDir, 'cut-bytes.gz');
      const whole = fs.readFileSync(file);
      fs.writeFileSync(cutBytes, whole.subarray(0, Math.floor(whole.length / 2)));
      await expect(restore(target.ctx, cutBytes)).rejects.toThrow();
      const miscount = path.join(env.dataDir, 'miscount.gz');
      fs.writeFileSync(miscount, gzipSync([...lines.slice(0, -1), JSON.stringify({ end: true, rows: 1 })].join('\n') + '\n'));
      await expect(restore(target.ctx, miscount)).rejects.toThrow(/incomplete/);
      const notBackup = path.join(env.dataDir, 'not-a-backup.gz');
      fs.writeFileSync(notBackup, gzipSync('{"hello":"world"}\n'));
      await expect(restore(target.ctx, notBackup)).rejects.toThrow(/not a Lantern backup/);

      expect(Object.values(await rowCounts(target.ctx)).every((n) => n === 0)).toBe(true);
      // Still empty, so the whole file restores afterwards.
      await restore(target.ctx, file);
      expect(await rowCounts(target.ctx)).toEqual(backedUp);
    } finally {
      await target.close();
    }
  });
});
