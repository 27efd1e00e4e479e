import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createContext } from './context.ts';
import { TestClock } from './lib/clock.ts';
import { ROLES } from '../common/roles.ts';
import { DEMO_USERS } from './demo/demo-directory.ts';
import { ENCRYPTED_COLUMNS } from './lib/sealed.ts';
import { buildServer, BUILD_TIMEOUT_MS, LANTERN_BIN } from './test/compiled-server.ts';
import { body, type TestEnv } from './test/harness.ts';
import { as, cookieFrom, signIn, type TestUser } from './test/fixtures.ts';


interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** This process's environment without its Lantern settings. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LANTERN_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(k)));
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the real `bin/lantern` on SQLite in `dataDir`, with nothing inherited from this shell's Lantern settings. */
function lantern(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = cleanEnv();
  return new Promise((resolve) => {
    execFile(LANTERN_BIN, args, { env: { ...base, LANTERN_DATA_DIR: dataDir, LANTERN_LOG_LEVEL: 'warn', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Lantern in this process on a CLI-made data directory, to check what the commands did. */
async function openApp(dataDir: string): Promise<TestEnv> {
  const ctx = await createContext(loadConfig({ LANTERN_DATA_DIR: dataDir, LANTERN_LOG_LEVEL: 'silent', LANTERN_RATE_LIMIT: 'off' }), {
    clock: new TestClock(new Date()),
    log: pino({ level: 'silent' }),
  });
  const app = await buildApp(ctx, { webDist: null });
  await app.ready();
  return {
    backend: 'sqlite',
    ctx,
    app,
    clock: ctx.clock as TestClock,
    dataDir,
    close: async () => {
      await app.close();
      await ctx.database.close();
    },
  };
}

interface DemoAccount {
  email: string;
  password: string;
  totpSecret: string;
  role: string;
  agency: string;
  platformAdmin?: boolean;
}

describe('lantern command line', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-cli-'));
  const dir = path.join(root, 'main');
  const restoredDir = path.join(root, 'restored');
  let badConfig: Promise<Run>;
  let accounts: DemoAccount[];
  const asTestUser = (a: DemoAccount): TestUser => ({ id: '', email: a.email, password: a.password, totpSecret: a.totpSecret, agencyId: '', roles: [] });

  beforeAll(async () => {
    await buildServer();
    // Started now, checked later: it needs no data and runs beside the first command.
    badConfig = lantern(path.join(root, 'unused'), ['audit', 'verify'], { PORT: 'abc' });
  }, BUILD_TIMEOUT_MS);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('demo writes demo-accounts.json (mode 0600) with a working account for every role', async () => {
    const run = await lantern(dir, ['demo']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Demo task force loaded.');
    const file = path.join(dir, 'demo-accounts.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    accounts = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoAccount[];
    expect(Array.isArray(accounts)).toBe(true);
    for (const a of accounts) {
      expect(Object.keys(a).filter((k) => k !== 'platformAdmin').sort()).toEqual(['agency', 'email', 'password', 'role', 'totpSecret']);
      expect(a.email).toMatch(/@demo\.lantern\.test$/);
      expect(a.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(run.stdout).toContain(a.email);
      expect(run.stdout).not.toContain(a.password);
    }
    expect([...new Set(accounts.map((a) => a.role))].sort()).toEqual([...ROLES].sort());
    // Every role at least once outside the platform; the operations demo adds partner agencies' staff.
    expect([...new Set(accounts.filter((a) => !a.platformAdmin).map((a) => a.role))].sort()).toEqual([...ROLES].sort());
    expect(accounts.map((a) => a.email.split('@')[0]).sort()).toEqual(DEMO_USERS.map((u) => u.local).sort());

    const env = await openApp(dir);
    try {
      for (const role of ['advocate', 'caseworker']) {
        const a = accounts.find((x) => x.role === role)!;
        const me = body(await as(env, await signIn(env, asTestUser(a))).get('/api/me'));
        expect(me.user.roles).toEqual([role]);
        expect(me.agency.name).toBe(a.agency);
      }
    } finally {
      await env.close();
    }
  }, 90_000);

  it('demo run twice keeps what is there', async () => {
    const file = path.join(dir, 'demo-accounts.json');
    const before = fs.readFileSync(file, 'utf8');
    const db = new SQLite(path.join(dir, 'lantern.db'), { readonly: true });
    const count = () => (db.prepare('select (select count(*) from app_user) as users, (select count(*) from agency) as agencies, (select count(*) from task_force) as tfs').get() as object);
    const counts = count();
    const run = await lantern(dir, ['demo']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('already loaded');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(count()).toEqual(counts);
    db.close();
  }, 60_000);

  it('start runs the compiled server with plain Node, serving the files it reads beside its code', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(LANTERN_BIN, ['start'], { env: { ...cleanEnv(), LANTERN_DATA_DIR: dir, LANTERN_LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', LANTERN_PUBLIC_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => (out.includes('Stop it with Ctrl+C.') ? resolve() : undefined));
        void exited.then((code) => reject(new Error(`lantern start exited (${code}):\n${out}`)));
      });
      // bin/lantern execs node itself: its command line is the compiled entry point, with no loader.
      const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(argv.slice(1)).toEqual(['--enable-source-maps', path.resolve(import.meta.dirname, '../dist/server/cli.js'), 'start']);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const css = await fetch(`${url}/static/lantern.css`);
      expect(css.status).toBe(200);
      expect(await css.text()).toBe(fs.readFileSync(path.resolve(import.meta.dirname, 'public/lantern.css'), 'utf8'));
      const tipScript = await fetch(`${url}/tip/form.js`);
      expect(await tipScript.text()).toBe(fs.readFileSync(path.resolve(import.meta.dirname, 'modules/tips/tips.form.js'), 'utf8'));
      const front = await fetch(`${url}/?lang=es`);
      expect(front.status).toBe(200);
      expect(await front.text()).toContain('lang="es"');
      expect(out).not.toMatch(/error/i);
      // The ZIP codes and place names a tip's routing reads are built before it listens, not on the first tip.
      const loaded = out.indexOf('ZIP codes and place names loaded');
      expect(loaded).toBeGreaterThan(-1);
      expect(loaded).toBeLessThan(out.indexOf('Lantern is listening'));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('user add prints a temporary password that signs in, then asks for MFA set-up and a new password', async () => {
    const run = await lantern(dir, ['user', 'add', '--email', 'New.Officer@Example.Test', '--name', 'New Officer', '--agency', 'Oak Grove Police Department', '--role', 'officer']);
    expect(run.code, run.stderr).toBe(0);
    const password = /temporary password \(shown once\): (\S+)/.exec(run.stdout)?.[1];
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){4}$/);
    const env = await openApp(dir);
    try {
      const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'new.officer@example.test', password } });
      expect(login.statusCode).toBe(200);
      expect(body(login)).toEqual({ mfaRequired: true, enrolmentRequired: true });
      const user = await env.ctx.db.selectFrom('app_user').select(['must_change_password', 'totp_secret']).where('email', '=', 'new.officer@example.test').executeTakeFirstOrThrow();
      expect(user).toEqual({ must_change_password: 1, totp_secret: null });
      expect((await as(env, cookieFrom(login)).post('/api/auth/mfa/enrolment')).statusCode).toBe(200);
    } finally {
      await env.close();
    }
  }, 90_000);

  it('user unlock lifts a lockout', async () => {
    const officer = accounts.find((a) => a.role === 'officer')!;
    const db = new SQLite(path.join(dir, 'lantern.db'));
    db.prepare('insert into login_lock (email, locked_at) values (?, ?)').run(officer.email, new Date().toISOString());
    db.close();
    const run = await lantern(dir, ['user', 'unlock', officer.email.toUpperCase()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`unlocked ${officer.email}`);
    const env = await openApp(dir);
    try {
      const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: officer.email, password: officer.password } });
      expect(login.statusCode).toBe(200);
      const unlock = await env.ctx.db.selectFrom('audit_event').select(['action', 'user_agent', 'record_agency_id']).where('action', '=', 'user.unlock').executeTakeFirstOrThrow();
      expect(unlock.user_agent).toBe('lantern user unlock');
    } finally {
      await env.close();
    }
  }, 60_000);

  it('backup and restore round-trip, and keys rotate re-encrypts with progress', async () => {
    const file = path.join(root, 'lantern.backup.gz');
    const backedUp = await lantern(dir, ['backup', file]);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const rows = Number(/backup written to .*: (\d+) rows/.exec(backedUp.stdout)?.[1]);
    expect(rows).toBeGreaterThan(30);
    // The restored server needs the same keys; they travel separately from the backup.
    fs.mkdirSync(restoredDir);
    for (const keyFile of ['keys.json', 'audit-key.json']) {
      fs.copyFileSync(path.join(dir, keyFile), path.join(restoredDir, keyFile));
      fs.chmodSync(path.join(restoredDir, keyFile), 0o600);
    }
    const oldKey = (JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')) as { active: string }).active;

    // Cut to half, or one byte flipped: refused, naming the file and the fault, and nothing restored
    // (the whole backup restores into the same directory afterwards).
    const whole = fs.readFileSync(file);
    const half = path.join(root, 'half.backup.gz');
    fs.writeFileSync(half, whole.subarray(0, Math.floor(whole.length / 2)));
    const flipped = path.join(root, 'flipped.backup.gz');
    const damaged = Buffer.from(whole);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    fs.writeFileSync(flipped, damaged);
    for (const [bad, fault] of [[half, /truncated: the compressed data ends early/], [flipped, /corrupt|truncated/]] as const) {
      const refused = await lantern(restoredDir, ['restore', bad]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`lantern: restore refused: ${bad}: `);
      expect(refused.stderr).toMatch(fault);
      expect(refused.stderr).toContain('Nothing was restored.');
      expect(refused.stdout).toBe('');
    }
    expect(fs.readdirSync(restoredDir).sort()).toEqual(['audit-key.json', 'keys.json']);

    const [restored, rotated] = await Promise.all([lantern(restoredDir, ['restore', file]), lantern(dir, ['keys', 'rotate'])]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`restored ${rows} rows from ${file}; the audit log verifies.`);
    expect(rotated.code, rotated.stderr).toBe(0);

    const keyFile = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')) as { active: string; keys: Record<string, string> };
    expect(keyFile.active).not.toBe(oldKey);
    expect(Object.keys(keyFile.keys)).toEqual(expect.arrayContaining([oldKey, keyFile.active]));
    expect(fs.statSync(path.join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(rotated.stdout).toContain(`new active key ${keyFile.active}`);
    const db = new SQLite(path.join(dir, 'lantern.db'), { readonly: true });
    // Every sealed column the registry lists: accounts' secrets, contacts' identities, referrals, hand-offs.
    const sealed = ENCRYPTED_COLUMNS.flatMap(({ table, columns }) => db.prepare(`select ${columns.join(', ')} from ${table}`).all() as Record<string, string | null>[]);
    const accountSecrets = db.prepare('select count(*) as n from app_user where totp_secret is not null or totp_pending_secret is not null').get() as { n: number };
    db.close();
    const values = sealed.flatMap((r) => Object.values(r).filter((v): v is string => v !== null));
    const rowsWithValues = sealed.filter((r) => Object.values(r).some((v) => v !== null)).length;
    // The demo accounts' secrets and the new officer's half-finished enrolment, among the demo's case records.
    expect(accountSecrets.n).toBe(accounts.length + 1);
    expect(values.length).toBeGreaterThan(accounts.length + 1);
    for (const v of values) expect(v.startsWith(`enc1.${keyFile.active}.`)).toBe(true);
    expect(rotated.stdout).toContain(`${values.length} values in ${rowsWithValues} rows are now under key ${keyFile.active}`);
    expect(rotated.stderr).toContain(`${rowsWithValues}/${rowsWithValues} rows`);

    // Both directories sign in: the restored one with the old keys, the rotated one with the new.
    for (const d of [restoredDir, dir]) {
      const env = await openApp(d);
      try {
        const me = await as(env, await signIn(env, asTestUser(accounts.find((a) => a.role === 'pio')!))).get('/api/me');
        expect(me.statusCode).toBe(200);
      } finally {
        await env.close();
      }
    }
  }, 120_000);

  it('audit verify passes with the anchors the commands wrote, then catches checkpoints deleted by hand', async () => {
    const anchors = path.join(dir, 'audit-anchors.jsonl');
    expect(fs.statSync(path.join(dir, 'audit-key.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(anchors).mode & 0o777).toBe(0o600);
    const ok = await lantern(dir, ['audit', 'verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^audit log intact: \d+ rows in \d+ chains, \d+ checkpoints, under audit key [0-9a-f]{16}/);
    expect(ok.stdout).toContain(`anchors in ${anchors} agree with the database`);
    expect(ok.stderr).toBe('');

    // A copy of the installation, where someone with write access to the database removes the checkpoints.
    const copy = path.join(root, 'tampered');
    fs.cpSync(dir, copy, { recursive: true });
    const db = new SQLite(path.join(copy, 'lantern.db'));
    db.prepare('delete from audit_checkpoint').run();
    db.close();
    const bad = await lantern(copy, ['audit', 'verify', '--anchors', path.join(copy, 'audit-anchors.jsonl')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^AUDIT LOG TAMPERED: first bad checkpoint 1 \(\S+\): checkpoint 1, anchored at \S+ line 1, is missing from the database \(deleted\)/);
    // Without anchors, nothing shows, and verify says it cannot see such deletions.
    fs.rmSync(path.join(copy, 'audit-anchors.jsonl'));
    const blind = await lantern(copy, ['audit', 'verify']);
    expect(blind.code, blind.stderr).toBe(0);
    expect(blind.stderr).toMatch(/warning: no anchors file .*: deletion of checkpoints, of whole chains or of the last rows of a chain cannot be detected/);
    const missing = await lantern(copy, ['audit', 'verify', '--anchors', path.join(copy, 'nowhere.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.jsonl: no such file');
  }, 60_000);

  it('audit verify names the row a hand edit changed and exits non-zero', async () => {
    const db = new SQLite(path.join(dir, 'lantern.db'));
    const row = db.prepare("select id from audit_event where action = 'user.create' order by id limit 1").get() as { id: string };
    db.prepare("update audit_event set action = 'user.read' where id = ?").run(row.id);
    db.close();
    const bad = await lantern(dir, ['audit', 'verify']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('AUDIT LOG TAMPERED');
    expect(bad.stderr).toContain(`row ${row.id}`);
    expect(bad.stderr).toContain('does not match its MAC');
  }, 60_000);

  it('refuses a bad configuration before touching data, naming the variable', async () => {
    const run = await badConfig;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('PORT="abc"');
    expect(fs.existsSync(path.join(root, 'unused'))).toBe(false);
  }, 60_000);
});
