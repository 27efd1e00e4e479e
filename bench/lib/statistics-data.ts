/**
 * The statistics bench's data set (bench/README.md, `statistics`): 1,000,000 contacts of 20,000 closed
 * operations over the 20 quarters that ended last, spread over Missouri's counties as cases are (most in
 * a few big counties, few or none in rural ones), with the summary counts (atoms) and what each
 * operation counted written alongside — exactly what closing each operation would have written — and a
 * ledger of earlier releases built with the suppression engine.
 *
 * Written by direct inserts (a progress bar shows how far), once: the database is kept under .tmp/ (SQLite)
 * or as a PostgreSQL template database, and each run starts from a copy. The kept copy is named after
 * what it holds, the quarters it covers and the migrations it was made with, so a new quarter or a
 * changed schema makes a new one (and the old one is removed).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../server/config.ts';
import { createContext, type AppContext } from '../../server/context.ts';
import { openSqlite, sqliteFile } from '../../server/db/database.ts';
import { PG_ADMIN_URL, createPgDatabase, dropPgDatabase } from '../../server/test/databases.ts';
import { atomKey, type Family } from '../../server/modules/disclosure/statistics.cells.ts';
import { LedgerIndex } from '../../server/modules/disclosure/suppression.ts';
import { anyPairing } from '../../server/modules/disclosure/knowledge.ts';
import { planRelease } from '../../server/modules/disclosure/release-plan.ts';
import { jurisdictionOf } from '../../server/lib/jurisdiction.ts';
import { lastClosedQuarter, previousQuarter, quarterOf } from '../../server/modules/statistics/quarters.ts';
import { K, boxOf } from '../../server/modules/statistics/statistics.service.ts';
import { freezeQuarters, insertRelease } from '../../server/modules/statistics/statistics.queries.ts';
import { DEMO_TASK_FORCE } from '../../server/demo/demo-directory.ts';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES } from '../../common/operations.ts';
import { createAccounts, seedDirectory } from './seed.ts';
import { REPO, type Backend } from './target.ts';

export interface StatisticsDataSpec {
  contacts: number;
  /** Earlier releases in the ledger. */
  releases: number;
  /** Quarters of data, ending with the last one that has ended. */
  quarters: number;
}

export interface KeptStatisticsData {
  key: string;
  quarters: string[];
  operations: number;
  contacts: number;
  /** SQLite: copies the kept database into a fresh data directory. */
  prepare?: (dataDir: string) => void;
  /** PostgreSQL: the template database to copy. */
  pgTemplate?: string;
}

const CONTACTS_PER_OPERATION = 50;
const VERSION = 2;
const CACHE_DIR = path.join(REPO, '.tmp', 'bench-cache');

function migrationsHash(): string {
  const dir = path.join(REPO, 'server/db/migrations');
  const h = createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 10);
}

/** The bench's data set is Missouri's, the demo's state, whatever LANTERN_STATE says. */
const MISSOURI = jurisdictionOf('MO');
const missouriCounties = () => [...MISSOURI.countyFips];

function quartersEndingNow(n: number): string[] {
  const out = [lastClosedQuarter(new Date(), MISSOURI.timeZone)];
  while (out.length < n) out.unshift(previousQuarter(out[0]!));
  return out;
}

/** The kept data set for `backend`, generated first if there is none for today's quarters and schema. */
export async function keptStatisticsData(backend: Backend, spec: StatisticsDataSpec): Promise<KeptStatisticsData> {
  const quarters = quartersEndingNow(spec.quarters);
  const key = `v${VERSION}-${spec.contacts}-${spec.releases}-${quarters.at(-1)}-${migrationsHash()}`.toLowerCase();
  const operations = Math.ceil(spec.contacts / CONTACTS_PER_OPERATION);
  const base = { key, quarters, operations, contacts: spec.contacts };
  if (backend === 'sqlite') {
    const dir = path.join(CACHE_DIR, `statistics-${key}`);
    if (!fs.existsSync(path.join(dir, 'ready.json'))) {
      for (const old of fs.existsSync(CACHE_DIR) ? fs.readdirSync(CACHE_DIR) : []) if (old.startsWith('statistics-')) fs.rmSync(path.join(CACHE_DIR, old), { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      await generate({ backend, dataDir: dir, databaseUrl: undefined }, spec, quarters);
      fs.writeFileSync(path.join(dir, 'ready.json'), JSON.stringify({ ...base, generatedAt: new Date().toISOString() }, null, 2));
    } else {
      console.log(`statistics data: reusing ${path.relative(REPO, dir)}`);
    }
    return {
      ...base,
      prepare: (dataDir) => {
        fs.copyFileSync(sqliteFile(dir), sqliteFile(dataDir));
        fs.copyFileSync(path.join(dir, 'keys.json'), path.join(dataDir, 'keys.json'));
      },
    };
  }
  const template = `lantern_bench_keep_statistics_${key.replace(/[^a-z0-9]/g, '_')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  let ready = false;
  try {
    const kept = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'lantern_bench_keep_statistics_%'`);
    for (const { datname } of kept.rows) {
      if (datname === template) {
        const url = new URL(PG_ADMIN_URL);
        url.pathname = `/${template}`;
        const probe = new pg.Client({ connectionString: url.toString() });
        await probe.connect();
        ready = (await probe.query(`select 1 from setting where key = 'bench.statistics'`).catch(() => ({ rowCount: 0 }))).rowCount === 1;
        await probe.end();
      }
      if (datname !== template || !ready) await dropPgDatabase(datname);
    }
  } finally {
    await admin.end();
  }
  if (!ready) {
    const databaseUrl = await createPgDatabase(template);
    const dataDir = fs.mkdtempSync(path.join(REPO, '.tmp', 'bench-gen-'));
    try {
      await generate({ backend, dataDir, databaseUrl }, spec, quarters);
    } catch (err) {
      await dropPgDatabase(template);
      throw err;
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  } else {
    console.log(`statistics data: reusing PostgreSQL database ${template}`);
  }
  return { ...base, pgTemplate: template };
}

/** Rows written in batches, by the fastest plain means of each back end. */
interface Bulk {
  insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  close(): Promise<void>;
}

function sqliteBulk(dataDir: string): Bulk {
  const raw = openSqlite(sqliteFile(dataDir));
  // A generated copy, not a record of anything: no need to wait for the disk at each commit.
  raw.pragma('synchronous = OFF');
  const statements = new Map<string, { run(...params: unknown[]): unknown }>();
  return {
    async insert(table, columns, rows) {
      const k = `${table}(${columns.join(',')})`;
      let stmt = statements.get(k);
      if (!stmt) statements.set(k, (stmt = raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`)));
      const insert = stmt;
      raw.transaction(() => {
        for (const r of rows) insert.run(...r);
      })();
    },
    async close() {
      raw.close();
    },
  };
}

function pgBulk(databaseUrl: string): Bulk {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    async insert(table, columns, rows) {
      const per = Math.floor(30_000 / columns.length);
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const values = chunk.map((_, j) => `(${columns.map((__, c) => `$${j * columns.length + c + 1}`).join(', ')})`).join(', ');
        await pool.query(`insert into ${table} (${columns.join(', ')}) values ${values}`, chunk.flat());
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** A small deterministic generator, so every kept copy holds the same data. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const uuid = (prefix: string, n: number) => `${prefix}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

async function generate(where: { backend: Backend; dataDir: string; databaseUrl: string | undefined }, spec: StatisticsDataSpec, quarters: string[]) {
  const started = performance.now();
  const config = loadConfig({ LANTERN_DATA_DIR: where.dataDir, LANTERN_LOG_LEVEL: 'silent', ...(where.databaseUrl ? { DATABASE_URL: where.databaseUrl } : {}) });
  const ctx = await createContext(config, { log: pino({ level: 'silent' }) });
  try {
    await seedDirectory(ctx);
    await createAccounts(ctx, 'bench-statistics-publisher', 1, 'pio');
    const publisher = await ctx.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', 'like', 'bench-statistics-publisher-%').executeTakeFirstOrThrow();
    const taskForce = await ctx.db.selectFrom('task_force').select(['id', 'agency_id']).where('name', '=', DEMO_TASK_FORCE.name).executeTakeFirstOrThrow();
    const counts = await writeRecords(ctx, where, spec, quarters, { publisherId: publisher.id, agencyId: taskForce.agency_id, taskForceId: taskForce.id });
    await writeLedger(ctx, spec, quarters, counts, publisher.id);
    const now = new Date().toISOString();
    await ctx.db.insertInto('setting').values({ key: 'bench.statistics', value: now, updated_at: now }).execute();
  } finally {
    await ctx.database.close();
  }
  console.log(`statistics data: generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** Operations, their first location, contacts and services; the atoms and per-operation counts they make. */
async function writeRecords(
  ctx: AppContext,
  where: { backend: Backend; dataDir: string; databaseUrl: string | undefined },
  spec: StatisticsDataSpec,
  quarters: string[],
  ids: { publisherId: string; agencyId: string; taskForceId: string },
): Promise<Map<string, number>> {
  const bulk = where.backend === 'sqlite' ? sqliteBulk(where.dataDir) : pgBulk(where.databaseUrl!);
  const rnd = random(20201023);
  const counties = missouriCounties();
  // Cases concentrate in a few counties (Jackson, St. Louis, Greene…): weight 1/(rank+1)^1.1.
  const weights = counties.map((_, i) => 1 / (1 + ((i * 37) % counties.length)) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = weights.map(((sum) => (w: number) => (sum += w / total))(0));
  const pickCounty = () => counties[Math.min(counties.length - 1, cumulative.findIndex((c) => c >= rnd()))]!;

  const atoms = new Map<string, number>();
  const bar = new cliProgress.SingleBar({ format: `  generating contacts [{bar}] {percentage}% {value}/{total} ({duration}s)`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 }, cliProgress.Presets.shades_classic);
  bar.start(spec.contacts, 0);
  const operations = Math.ceil(spec.contacts / CONTACTS_PER_OPERATION);
  const batch = { operation: [] as unknown[][], location: [] as unknown[][], contact: [] as unknown[][], service: [] as unknown[][], counted: [] as unknown[][] };
  const flush = async () => {
    await bulk.insert('operation', ['id', 'agency_id', 'task_force_id', 'name', 'type', 'status', 'starts_at', 'ends_at', 'commander_name', 'commander_phone', 'investigation_hold', 'created_by', 'approved_by', 'approved_at', 'activated_at', 'closed_by', 'closed_at', 'version', 'created_at', 'updated_at'], batch.operation);
    await bulk.insert('operation_location', ['id', 'operation_id', 'agency_id', 'label', 'county_fips', 'lat', 'lng', 'radius_m', 'position'], batch.location);
    await bulk.insert('contact', ['id', 'operation_id', 'agency_id', 'person_number', 'role', 'suspect_type', 'sex', 'age_band', 'disposition', 'recorded_by', 'recorded_by_agency_id', 'recorded_at', 'updated_at', 'version'], batch.contact);
    await bulk.insert('contact_service', ['contact_id', 'service', 'offered', 'accepted'], batch.service);
    await bulk.insert('stat_counted', ['operation_id', 'family', 'category', 'value'], batch.counted);
    for (const list of Object.values(batch)) list.length = 0;
  };
  let contactNo = 0;
  for (let o = 0; o < operations && contactNo < spec.contacts; o++) {
    const opId = uuid('b0000000', o);
    const quarter = quarters[Math.floor(rnd() * quarters.length)]!;
    const month = (Number(quarter.slice(5)) - 1) * 3 + Math.floor(rnd() * 3);
    // 6 p.m. Central on a day of the quarter: the quarter in Central time is the one drawn.
    const startsAt = new Date(Date.UTC(Number(quarter.slice(0, 4)), month, 1 + Math.floor(rnd() * 28), 23)).toISOString();
    if (quarterOf(startsAt, MISSOURI.timeZone) !== quarter) throw new Error(`generated ${startsAt} outside ${quarter}`);
    const endsAt = new Date(Date.parse(startsAt) + 6 * 3_600_000).toISOString();
    const county = pickCounty();
    batch.operation.push([opId, ids.agencyId, ids.taskForceId, `Bench operation ${o + 1}`, 'buyer_sting', 'closed', startsAt, endsAt, 'Bench Commander', 'bench', 0, ids.publisherId, ids.publisherId, startsAt, startsAt, ids.publisherId, endsAt, 4, startsAt, endsAt]);
    batch.location.push([uuid('d0000000', o), opId, ids.agencyId, 'Bench location', county, 38.5, -92.5, 800, 0]);
    const counted = new Map<string, number>();
    const count = (family: Family, category: string, n = 1) => counted.set(`${family}|${category}`, (counted.get(`${family}|${category}`) ?? 0) + n);
    count('operations', 'all');
    const n = Math.min(CONTACTS_PER_OPERATION, spec.contacts - contactNo);
    for (let p = 1; p <= n; p++) {
      const id = uuid('c0000000', contactNo++);
      const r = rnd();
      const role = r < 0.45 ? 'suspect' : r < 0.8 ? 'adult_victim' : r < 0.85 ? 'minor' : 'witness';
      const d = rnd();
      let disposition: string;
      let sex = 'female';
      let band = '25_to_34';
      if (role === 'suspect') {
        disposition = d < 0.4 ? 'detained' : d < 0.7 ? 'arrested' : 'cited';
        sex = 'male';
        band = '35_to_49';
      } else if (role === 'adult_victim') {
        disposition = d < 0.9 ? 'offered_services' : 'released';
      } else if (role === 'minor') {
        disposition = d < 0.7 ? 'protective_custody' : 'released';
        band = '15_to_17';
      } else {
        disposition = 'released';
        sex = 'unknown';
      }
      batch.contact.push([id, opId, ids.agencyId, p, role, role === 'suspect' ? 'buyer' : null, sex, band, disposition, ids.publisherId, ids.agencyId, startsAt, startsAt, 1]);
      count('persons', role);
      count('outcomes', disposition);
      if (disposition === 'offered_services') {
        const first = Math.floor(rnd() * SERVICES.length);
        const k = 1 + Math.floor(rnd() * 3);
        for (let s = 0; s < k; s++) {
          const service = SERVICES[(first + s * 3) % SERVICES.length]!;
          batch.service.push([id, service, 1, rnd() < 0.7 ? 1 : 0]);
          count('services', service);
        }
      }
    }
    for (const [k, v] of counted) {
      const [family, category] = k.split('|') as [string, string];
      batch.counted.push([opId, family, category, v]);
      const a = atomKey({ family, category, county, quarter });
      atoms.set(a, (atoms.get(a) ?? 0) + v);
    }
    if (batch.contact.length >= 10_000) {
      await flush();
      bar.update(contactNo);
    }
  }
  await flush();
  bar.update(contactNo);
  bar.stop();
  const atomRows = [...atoms].map(([k, v]) => [...k.split('|'), v]);
  await bulk.insert('stat_atom', ['family', 'category', 'county_fips', 'quarter', 'value'], atomRows);
  await bulk.close();
  return atoms;
}

/**
 * The ledger of earlier releases, as the engine would have published them: they cover the first quarters,
 * several releases per quarter (as if a monthly page had been re-published while its quarters stayed the
 * same — Lantern itself refuses a release without a new quarter, so this ledger is larger than any it
 * could build in the same time), and the release the bench measures adds the last quarter.
 */
export async function writeLedger(ctx: AppContext, spec: StatisticsDataSpec, quarters: string[], counts: Map<string, number>, publisherId: string) {
  const counties = missouriCounties();
  const covered = (r: number) => Math.min(quarters.length - 1, 1 + Math.floor((r * (quarters.length - 1)) / spec.releases));
  const index = new LedgerIndex();
  const bar = new cliProgress.SingleBar({ format: `  building the ledger [{bar}] {value}/{total} releases ({duration}s)`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 }, cliProgress.Presets.shades_classic);
  bar.start(spec.releases, 0);
  const start = Date.now() - spec.releases * 86_400_000;
  for (let r = 0; r < spec.releases; r++) {
    const n = covered(r);
    const previous = r === 0 ? 0 : covered(r - 1);
    const newQuarters = quarters.slice(previous, n);
    // The same plan a release makes (the linear check, then the LP audit of the years with new cells).
    const plan = await planRelease({ counts, quarters: quarters.slice(0, n), counties, ledger: index, pressOperations: [], pressFigures: [], rules: anyPairing(CONTACT_ROLES, DISPOSITIONS, SERVICES), k: K });
    const definitions = plan.definitions;
    const release = plan.cells.map(({ reason: _reason, protects: _protects, ...cell }) => cell);
    const id = uuid('e0000000', r);
    const at = new Date(start + r * 86_400_000).toISOString();
    const hidden = release.filter((c) => c.suppressed);
    const complementary = release.filter((c, i) => c.suppressed && definitions[i]!.value >= K).length;
    await ctx.db.transaction().execute(async (trx) => {
      await insertRelease(
        trx,
        {
          id,
          seq: r + 1,
          published_at: at,
          published_by: publisherId,
          quarters: JSON.stringify(quarters.slice(0, n)),
          new_quarters: JSON.stringify(newQuarters),
          cells: release.length,
          suppressed: hidden.length,
          complementary,
          counties: JSON.stringify(counties),
        },
        release.map((cell, position) => ({
          release_id: id,
          key: cell.key,
          position,
          family: cell.family,
          dimensions: JSON.stringify(cell.dimensions),
          atoms: JSON.stringify(boxOf(cell, counties)),
          value: cell.value,
          suppressed: cell.suppressed ? 1 : 0,
          reason: cell.suppressed ? (definitions[position]!.value < K ? 'primary' : 'complementary') : null,
          first_release: index.get(cell.key) ? 0 : 1,
        })),
      );
      await freezeQuarters(trx, newQuarters, id, at);
    });
    index.add(release);
    bar.update(r + 1);
  }
  bar.stop();
}
