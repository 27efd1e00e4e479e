import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { verifyAuditLog } from '../audit/audit.verify.ts';
import type { AppContext } from '../context.ts';
import { BACKUP_TABLES } from '../db/tables.ts';
import { TestClock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { body, describeEachDatabase, openSecondContext, startTestEnv, type Backend, type TestEnv } from '../test/harness.ts';
import { as, seedWorld, signIn, type World } from '../test/fixtures.ts';
import { backup, BackupFileError, checkBackup, restore } from './backup.ts';

const realOpen = fs.openSync.bind(fs);
const realFsync = fs.fsyncSync.bind(fs);
const realRename = fs.renameSync.bind(fs);

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

  it('refuses a truncated or damaged file, naming it and what is wrong, restoring nothing', async () => {
    const target = await emptyTarget(backend);
    try {
      const whole = fs.readFileSync(file);
      const lines = gunzipSync(whole).toString('utf8').trim().split('\n');
      const refused = async (name: string, content: Buffer | string, problem: RegExp) => {
        const bad = path.join(env.dataDir, name);
        fs.writeFileSync(bad, content);
        const error = await restore(target.ctx, bad).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(BackupFileError);
        expect((error as Error).message.startsWith(`${bad}: `)).toBe(true);
        expect((error as Error).message).toMatch(problem);
      };
      // Cut short: half the bytes, the last line, half a line.
      await refused('half.gz', whole.subarray(0, Math.floor(whole.length / 2)), /: truncated: the compressed data ends early, at byte \d+ \(\d+ rows read, in table \w+\)/);
      await refused('no-end.gz', gzipSync(lines.slice(0, -1).join('\n') + '\n'), /: truncated: it ends after \d+ rows read, in table \w+ without its end marker$/);
      const text = lines.join('\n');
      await refused('cut-line.gz', gzipSync(text.slice(0, text.indexOf('\n', text.length / 2) + 20)), /: truncated: it ends in the middle of line \d+ \(\d+ rows read, in table \w+\)$/);
      // Damaged: a flipped byte inside the compressed data, and in the checksum at its end.
      const flipped = Buffer.from(whole);
      flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
      // Where the damage shows depends on the bytes: a line that is not JSON, data that does not inflate,
      // or compressed data that claims more than the file holds.
      await refused('flipped.gz', flipped, /: (corrupt: (line \d+ is not JSON|the compressed data is damaged)|truncated: the compressed data ends early)/);
      const badChecksum = Buffer.from(whole);
      badChecksum[badChecksum.length - 6]! ^= 0x01;
      await refused('bad-checksum.gz', badChecksum, /: corrupt: the compressed data is damaged \(incorrect data check, \d+ rows read, in table \w+\)/);
      // Not what it says.
      await refused('miscount.gz', gzipSync([...lines.slice(0, -1), JSON.stringify({ end: true, rows: 1 })].join('\n') + '\n'), /: incomplete: \d+ rows read, but its end marker counts 1$/);
      await refused('not-a-backup.gz', gzipSync('{"hello":"world"}\n'), /: not a Lantern backup/);
      await refused('plain.txt', 'hello\n', /: not a gzip file/);
      await refused('empty.gz', '', /: the file is empty/);

      // A backup whose audit log was edited: every row goes in, the verification fails, nothing commits.
      const auditRow = lines.indexOf(JSON.stringify({ table: 'audit_event' })) + 1;
      const row = (JSON.parse(lines[auditRow]!) as { row: Record<string, unknown> }).row;
      expect(row.action).toEqual(expect.any(String));
      const edited = lines.with(auditRow, JSON.stringify({ row: { ...row, action: `${String(row.action)}.edited` } }));
      await refused('edited-audit.gz', gzipSync(edited.join('\n') + '\n'), /: its audit log does not verify: .*MAC/);

      expect(Object.values(await rowCounts(target.ctx)).every((n) => n === 0)).toBe(true);
      // Still empty, so the whole file restores afterwards.
      await restore(target.ctx, file);
      expect(await rowCounts(target.ctx)).toEqual(backedUp);
    } finally {
      await target.close();
    }
  });

  it('puts the file on disk before giving it its name, then the name (fsync the file, rename, fsync the directory)', async () => {
    const dir = path.join(env.dataDir, 'synced');
    fs.mkdirSync(dir);
    const target = path.join(dir, 'nightly.backup.gz');
    const opened = new Map<number, string>();
    const steps: string[] = [];
    const open = vi.spyOn(fs, 'openSync').mockImplementation((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode | null) => {
      const fd = realOpen(p, flags ?? 'r', mode);
      opened.set(fd, String(p));
      return fd;
    });
    const sync = vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      steps.push(`fsync ${path.relative(dir, opened.get(fd) ?? '?') || '.'}`);
      realFsync(fd);
    });
    const rename = vi.spyOn(fs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      steps.push(`rename ${path.relative(dir, String(from))} ${path.relative(dir, String(to))}`);
      realRename(from, to);
    });
    try {
      await backup(env.ctx, target);
    } finally {
      open.mockRestore();
      sync.mockRestore();
      rename.mockRestore();
    }
    expect(steps).toEqual(['fsync nightly.backup.gz.partial', 'rename nightly.backup.gz.partial nightly.backup.gz', 'fsync .']);
    expect((await checkBackup(target)).rows).toBeGreaterThan(0);
  });
});
