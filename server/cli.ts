import fs from 'node:fs';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createContext, keyFilePath, type AppContext } from './context.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadDemo, demoAccountsFile } from './demo/demo.ts';
import { demoBanner, demoEnvironment, isLoopback } from './demo/demo-start.ts';
import { verifyAuditLog } from './audit/audit.verify.ts';
import { readAnchors } from './audit/audit-anchors.ts';
import { addKeyToFile, KeyError } from './lib/crypto.ts';
import { hashPassword, newTemporaryPassword } from './auth/passwords.ts';
import { newId } from './lib/ids.ts';
import { backup, BackupFileError, checkBackup, restore } from './ops/backup.ts';
import { countSealedRows, reencryptAll } from './ops/keys.ts';
import { AGENCY_KINDS, ROLE_AGENCY_KINDS, ROLES, type AgencyKind, type Role } from '../common/roles.ts';
import { email as emailSchema } from '../common/schemas/shared.ts';

const cliWho = (command: string) => ({ actor: null, meta: { ip: null, userAgent: `lantern ${command}`, requestId: null } });

function config(): Config {
  return loadConfig();
}

/** Runs a command with a context, closing the database after; turns known failures into a message and exit code. */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, opts: { migrate?: boolean; quietLogs?: boolean } = {}): Promise<T> {
  const cfg = config();
  const ctx = await createContext({ ...cfg, logLevel: opts.quietLogs === false ? cfg.logLevel : 'warn' }, { migrate: opts.migrate ?? true });
  try {
    return await fn(ctx);
  } finally {
    await ctx.audit.checkpoint().catch(() => {});
    await ctx.database.close();
  }
}

function bar(label: string, total: number) {
  const b = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} {unit}`, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  b.start(Math.max(total, 1), 0, { unit: 'rows' });
  return b;
}

const program = new Command();
program.name('lantern').description('Lantern: the shared workspace of a multi-agency anti-human-trafficking task force').showHelpAfterError();

program
  .command('start')
  .description('start the web server (PORT, LANTERN_DATA_DIR, DATABASE_URL)')
  .action(async () => {
    const cfg = config();
    // Loaded only here: the web server's modules would double the start-up time of every other command.
    const { startServer } = await import('./main.ts');
    await startServer(cfg, {
      onListening: (url, ctx) => {
        const accounts = demoAccountsFile(ctx);
        console.log(`\nLantern is running at ${url}  (database: ${ctx.dialect}, ${ctx.database.location})`);
        if (fs.existsSync(accounts)) {
          console.log(`Demo accounts (passwords and authenticator secrets): ${accounts}`);
          if (!isLoopback(cfg.host)) console.warn(`Warning: the demo task force is loaded and Lantern listens on ${cfg.host}: anyone who can reach it can sign in with the demo's published passwords.`);
        }
        console.log('Stop it with Ctrl+C.\n');
      },
    });
  });

program
  .command('migrate')
  .description('run pending database migrations')
  .action(async () => {
    await withContext(async (ctx) => {
      const applied = await migrateToLatest(ctx.db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    }, { migrate: false });
  });

program
  .command('demo')
  .description('load the demo task force (the agencies of the 2020 Oak Grove operation) and one account per role')
  .option('--statistics-as-of <instant>', 'publish the demo statistics as of this moment (ISO 8601), leaving the quarters ended since for a PIO to publish (default: during the newest quarter that has ended, leaving that one)')
  .option('--start', 'then start the web server as the demo runs it: on 127.0.0.1 unless HOST is set, logs at warn unless LANTERN_LOG_LEVEL is set, LANTERN_PUBLIC_URL on that address unless set (npm run demo)')
  .action(async (opts: { statisticsAsOf?: string; start?: boolean }) => {
    const asOf = opts.statisticsAsOf === undefined ? undefined : new Date(opts.statisticsAsOf);
    if (asOf && Number.isNaN(asOf.getTime())) throw new Error(`--statistics-as-of: not a date and time: ${opts.statisticsAsOf}`);
    const env = opts.start ? demoEnvironment(process.env) : process.env;
    const cfg = loadConfig(env);
    await withContext(async (ctx) => {
      const result = await loadDemo(ctx, asOf ? { statisticsAsOf: asOf } : {});
      console.log(result.created ? 'Demo task force loaded.' : 'The demo task force was already loaded.');
      if (opts.start) return;
      console.log(`Demo accounts (email, password, authenticator secret): ${result.file}`);
      for (const a of result.accounts) console.log(`  ${a.role.padEnd(12)} ${a.email}`);
    });
    if (!opts.start) return;
    const { startServer } = await import('./main.ts');
    await startServer(cfg, { onListening: (url, ctx) => console.log(demoBanner({ url, host: cfg.host, accountsFile: demoAccountsFile(ctx) })) });
  });

const agency = program.command('agency').description('manage agencies');
agency
  .command('add')
  .description('add an agency to the directory')
  .requiredOption('--name <name>', 'full name, e.g. "Oak Grove Police Department"')
  .addOption(new Option('--kind <kind>', 'kind of agency').choices([...AGENCY_KINDS]).makeOptionMandatory())
  .option('--county <fips...>', 'county FIPS codes served')
  .action(async (o: { name: string; kind: AgencyKind; county?: string[] }) => {
    for (const c of o.county ?? []) if (!/^\d{5}$/.test(c)) throw new UsageError(`--county ${c}: must be a five-digit county FIPS code`);
    await withContext(async (ctx) => {
      if (await ctx.db.selectFrom('agency').select('id').where('name', '=', o.name).executeTakeFirst()) throw new UsageError(`--name: an agency named "${o.name}" already exists`);
      const now = ctx.clock.now().toISOString();
      const id = newId();
      await ctx.audit.transact(cliWho('agency add'), async (tx) => {
        await tx.db.insertInto('agency').values({ id, name: o.name, short_name: null, kind: o.kind, ori: null, counties: JSON.stringify(o.county ?? []), created_at: now, updated_at: now }).execute();
        tx.audit({ action: 'agency.create', recordType: 'agency', recordId: id, recordAgencyId: id, detail: { source: 'cli' } });
      });
      console.log(`added agency ${o.name} (${id})`);
    });
  });

const user = program.command('user').description('manage accounts');
user
  .command('add')
  .description('open an account with a temporary password (MFA is set up at first sign-in)')
  .requiredOption('--email <email>', 'work email')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--agency <name>', 'agency name (see `lantern agency add`)')
  .addOption(new Option('--role <role...>', 'one or more roles').choices([...ROLES]).makeOptionMandatory())
  .option('--platform-admin', 'may create agencies and task forces', false)
  .action(async (o: { email: string; name: string; agency: string; role: Role[]; platformAdmin: boolean }) => {
    const parsedEmail = emailSchema.safeParse(o.email);
    if (!parsedEmail.success) throw new UsageError(`--email ${o.email}: must be an email address`);
    await withContext(async (ctx) => {
      const found = await ctx.db.selectFrom('agency').select(['id', 'kind']).where('name', '=', o.agency).executeTakeFirst();
      if (!found) throw new UsageError(`--agency: no agency is named "${o.agency}" (add it with \`lantern agency add\`)`);
      for (const r of o.role) {
        if (!ROLE_AGENCY_KINDS[r].includes(found.kind as AgencyKind)) throw new UsageError(`--role ${r}: not a role in a ${found.kind} agency`);
      }
      if (await ctx.db.selectFrom('app_user').select('id').where('email', '=', parsedEmail.data).executeTakeFirst()) throw new UsageError(`--email: an account with this email already exists`);
      const password = newTemporaryPassword();
      const id = newId();
      const now = ctx.clock.now().toISOString();
      const hash = await hashPassword(password);
      await ctx.audit.transact(cliWho('user add'), async (tx) => {
        await tx.db
          .insertInto('app_user')
          .values({ id, agency_id: found.id, email: parsedEmail.data, display_name: o.name, phone: null, password_hash: hash, must_change_password: 1, password_changed_at: now, totp_secret: null, totp_pending_secret: null, totp_enrolled_at: null, totp_last_step: null, is_platform_admin: o.platformAdmin ? 1 : 0, disabled_at: null, enabled_at: null, last_login_at: null, created_at: now, updated_at: now })
          .execute();
        await tx.db.insertInto('membership').values([...new Set(o.role)].map((role) => ({ user_id: id, agency_id: found.id, role, created_at: now }))).execute();
        tx.audit({ action: 'user.create', recordType: 'user', recordId: id, recordAgencyId: found.id, detail: { source: 'cli', roles: o.role.join(','), platformAdmin: o.platformAdmin } });
      });
      console.log(`account opened for ${parsedEmail.data}`);
      console.log(`temporary password (shown once): ${password}`);
    });
  });
user
  .command('unlock <email>')
  .description('unlock an account locked after failed sign-ins')
  .action(async (email: string) => {
    await withContext(async (ctx) => {
      const normal = email.trim().toLowerCase();
      const found = await ctx.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', '=', normal).executeTakeFirst();
      if (!found) throw new UsageError(`no account has the email ${normal}`);
      await ctx.audit.transact(cliWho('user unlock'), async (tx) => {
        await tx.db.deleteFrom('login_lock').where('email', '=', normal).execute();
        await tx.db.deleteFrom('login_failure').where('email', '=', normal).execute();
        tx.audit({ action: 'user.unlock', recordType: 'user', recordId: found.id, recordAgencyId: found.agency_id, changedFields: ['locked'], detail: { source: 'cli' } });
      });
      console.log(`unlocked ${normal}`);
    });
  });

const audit = program.command('audit').description('the tamper-evident audit log');
audit
  .command('verify')
  .description('check every chain, checkpoint and anchor under the audit key; exits non-zero and names the first problem')
  .option('--anchors <file...>', 'anchors files (checkpoints written outside the database); default: LANTERN_AUDIT_ANCHORS, if the file exists')
  .action(async (o: { anchors?: string[] }) => {
    const cfg = config();
    for (const f of o.anchors ?? []) if (!fs.existsSync(f)) throw new UsageError(`--anchors ${f}: no such file`);
    const files = o.anchors ?? (fs.existsSync(cfg.auditAnchors) ? [cfg.auditAnchors] : []);
    const ok = await withContext(async (ctx) => {
      const result = await verifyAuditLog(ctx.db, ctx.dialect, ctx.audit.keys, { anchors: files.length ? readAnchors(files) : null });
      if (!result.ok) {
        const p = result.problem!;
        const where = p.rowId && p.chainId ? `row ${p.rowId} (chain ${p.chainId}, seq ${p.seq})` : p.chainId ? `chain ${p.chainId} at seq ${p.seq}` : p.seq !== null ? `checkpoint ${p.seq}${p.rowId ? ` (${p.rowId})` : ''}` : 'the anchors';
        console.error(`AUDIT LOG TAMPERED: first bad ${where}: ${p.problem}`);
        return false;
      }
      console.log(`audit log intact: ${result.rows} rows in ${result.chains} chains, ${result.checkpoints} checkpoints, under audit key ${ctx.audit.keys.keyId}`);
      if (result.legacyChains) console.log(`${result.legacyChains} chains date from before keyed auditing (plain SHA-256); only the keyed checkpoints protect them.`);
      const a = result.anchors;
      if (a?.lastSeq) {
        console.log(`${a.count} anchors in ${files.join(', ')} agree with the database, up to checkpoint ${a.lastSeq} (${a.lastAt}).`);
        if (result.checkpoints > a.lastSeq) console.log(`Checkpoints ${a.lastSeq + 1}–${result.checkpoints} are not in these anchors (another process's anchors file?).`);
        console.log(`Rows written after ${a.lastAt} are keyed but not yet anchored: a deletion at the end of a chain since then would not show.`);
      } else {
        console.error(`warning: ${files.length ? `no anchors in ${files.join(', ')}` : `no anchors file (${cfg.auditAnchors} does not exist; name one with --anchors)`}: deletion of checkpoints, of whole chains or of the last rows of a chain cannot be detected.`);
      }
      return true;
    }, { migrate: false });
    process.exitCode = ok ? 0 : 1;
  });

const keys = program.command('keys').description('field-encryption keys');
keys
  .command('rotate')
  .description('make a new key active (key file) and re-encrypt every sealed field under it, in batches')
  .action(async () => {
    const cfg = config();
    if (!cfg.keys) {
      const ring = addKeyToFile(keyFilePath(cfg));
      console.log(`new active key ${ring.activeKeyId} added to ${ring.source}`);
    } else {
      console.log('LANTERN_KEYS is set: re-encrypting under its first key. Put the new key first in LANTERN_KEYS on every process before running this.');
    }
    await withContext(async (ctx) => {
      const total = await countSealedRows(ctx);
      const b = bar('re-encrypting', total);
      const result = await reencryptAll(ctx, (n) => b.update(n));
      b.stop();
      console.log(`${result.values} values in ${result.rows} rows are now under key ${ctx.keyring.activeKeyId}`);
    });
  });

program
  .command('backup <file>')
  .description('online, consistent backup to a file (gzip JSON lines; keys are not included)')
  .action(async (file: string) => {
    await withContext(async (ctx) => {
      let shown = '';
      const result = await backup(ctx, file, (table, rows) => {
        if (process.stdout.isTTY) process.stdout.write(`\r  ${table}: ${rows} rows`.padEnd(60));
        shown = table;
      });
      if (process.stdout.isTTY && shown) process.stdout.write('\n');
      console.log(`backup written to ${file}: ${result.rows} rows. Keep the encryption keys (${ctx.keyring.source}) safe separately.`);
    });
  });

program
  .command('restore <file>')
  .description('restore a backup into an empty database: checks the whole file first, and verifies the audit log before it commits')
  .action(async (file: string) => {
    if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
    try {
      // The whole file first, before the database is opened: a damaged one changes nothing.
      const checked = await checkBackup(file);
      console.log(`${file}: a whole backup of ${checked.rows} rows, taken ${checked.header.createdAt} on ${checked.header.dialect}`);
      await withContext(async (ctx) => {
        const result = await restore(ctx, file, (table, rows) => {
          if (process.stdout.isTTY) process.stdout.write(`\r  ${table}: ${rows} rows`.padEnd(60));
        }, { checked: true });
        if (process.stdout.isTTY) process.stdout.write('\n');
        console.log(`restored ${result.rows} rows from ${file}; the audit log verifies.`);
      }, { migrate: false });
    } catch (error) {
      if (error instanceof BackupFileError) throw new Error(`restore refused: ${error.message}. Nothing was restored.`, { cause: error });
      throw error;
    }
  });

class UsageError extends Error {}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof KeyError) {
    console.error(err instanceof UsageError || err instanceof KeyError ? `lantern: ${err.message}` : err.message);
    process.exit(2);
  }
  console.error(`lantern: ${(err as Error).message}`);
  process.exit(1);
});
