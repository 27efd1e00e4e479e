/**
 * The benches' large data set (issue #3, "Measured, in bench/"): 10,000 operations across Missouri's
 * counties over several years and 1,000,000 contacts, with their locations (and the deconfliction grid
 * index), subjects (sealed, blind-indexed), participants, assignments, services, referrals, custody
 * hand-offs, timelines, open conflicts between the operations still planned, and the public statistics'
 * summary counts of every closed operation — written by direct batched inserts in transactions, not
 * through the API, with a progress bar.
 *
 * One generator, one cached database per size and back end: a SQLite file under .tmp/bench-data/ and a
 * PostgreSQL database `lantern_data_<operations>_<contacts>_<fingerprint>`. The fingerprint hashes this
 * file and everything its output depends on (the migrations, the deconfliction grid, identifier
 * normalisation, the demo directory, the statistics' counting), so a change to any of them generates
 * afresh and stale copies are removed. Benches never write to the cache: `startTarget`, given the data
 * set's `prepare` and `pgTemplate`, runs the server on a copy (a file copy; `CREATE DATABASE … TEMPLATE`).
 *
 * Everything is drawn from a seeded generator, so two generations hold the same data (ids and
 * ciphertexts aside). Its present is {@link ANCHOR}: operations before it are closed, those around it
 * active, those after it (up to {@link FUTURE_DAYS} days) approved or draft.
 *
 * Shared: a bench that needs volume (operations, statistics, …) uses `ensureDataset` and extends this
 * file rather than writing another generator.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { CompiledQuery, sql, type Insertable } from 'kysely';
import { loadConfig } from '../../server/config.ts';
import { createContext, type AppContext } from '../../server/context.ts';
import type { Dialect, Queryable } from '../../server/db/database.ts';
import type { DB } from '../../server/db/schema/index.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { blindIndex, fieldContext, parseIndexKey, parseKeysEnv, type Keyring } from '../../server/lib/crypto.ts';
import { TestClock } from '../../server/lib/clock.ts';
import { unseal } from '../../server/lib/sealed.ts';
import { cellsFor, findConflicts, orderedPair } from '../../server/modules/operations/deconfliction.ts';
import { countOperation } from '../../server/modules/statistics/statistics.counting.ts';
import { quarterOf } from '../../server/modules/statistics/quarters.ts';
import { jurisdictionOf } from '../../server/lib/jurisdiction.ts';
import { FAMILIES, type Family } from '../../server/modules/disclosure/statistics.cells.ts';
import { PG_ADMIN_URL } from '../../server/test/databases.ts';
import { DEMO_AGENCIES } from '../../server/demo/demo-directory.ts';
import { normalizeIdentifier } from '../../common/identifiers.ts';
import {
  DEFAULT_RADIUS_M,
  PLACEMENT_TYPES,
  SCREENING_RESULTS,
  SCREENING_TOOLS,
  SERVICES,
  type AgeBand,
  type ContactRole,
  type Disposition,
  type OperationType,
  type Service,
  type SubjectKind,
} from '../../common/operations.ts';
import type { AgencyKind, Role } from '../../common/roles.ts';
import { seedDirectory } from './seed.ts';
import type { Backend } from './target.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE_DIR = path.join(REPO, '.tmp', 'bench-data');

/** Bump to regenerate every cached data set when the data's shape changes in a way the hash would miss. */
const GENERATOR_VERSION = 1;
const SEED = 0x1a77e4;

export interface DatasetSize {
  operations: number;
  contacts: number;
}
/** Issue #3's volume. */
export const FULL_SIZE: DatasetSize = { operations: 10_000, contacts: 1_000_000 };

/** The data set's present: operations ending before it are closed, those spanning it active, later ones planned. */
export const ANCHOR = '2026-11-01T00:00:00.000Z';
/** The first operations start on this day. */
const FIRST_DAY = '2019-01-01T00:00:00.000Z';
/** Planned operations reach this many days past the anchor. */
export const FUTURE_DAYS = 180;
/** Operations running at the anchor; the first {@link FIXTURE_ACTIVE} are the demo task force's, led by Oak Grove PD. */
const ACTIVE_OPERATIONS = 24;
const FIXTURE_ACTIVE = 8;

/** Files whose change changes the generated data (beside this one and the migrations). */
const DEPENDENCIES = [
  'bench/lib/seed.ts',
  'server/demo/demo-directory.ts',
  'server/modules/operations/deconfliction.ts',
  'server/modules/statistics/statistics.counting.ts',
  'server/modules/statistics/quarters.ts',
  'server/modules/disclosure/statistics.cells.ts',
  'server/lib/crypto.ts',
  'server/lib/sealed.ts',
  'common/identifiers.ts',
  'server/geo/us-geography.json',
];

// ------------------------------------------------------------------------------------------ keys

const keyMaterial = (label: string) => createHash('sha256').update(`lantern bench ${label} v1`).digest('base64');

/**
 * The benches' fixed keys, so a cached database's sealed fields and blind indexes stay readable by every
 * later server: passed to the server as LANTERN_KEYS and LANTERN_INDEX_KEY. Benchmark data only.
 */
export const BENCH_KEY_ENV = { LANTERN_KEYS: `bench1:${keyMaterial('field key')}`, LANTERN_INDEX_KEY: keyMaterial('index key') } as const;

export function benchKeyring(): Keyring {
  return { ...parseKeysEnv(BENCH_KEY_ENV.LANTERN_KEYS), indexKey: parseIndexKey(BENCH_KEY_ENV.LANTERN_INDEX_KEY) };
}

// ------------------------------------------------------------------------------------------ randomness

export type Rng = () => number;

/** mulberry32: small, fast and seedable; plenty for benchmark data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const between = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rng, p: number) => r() < p;

/** Cumulative weights of each table drawn from (a million contacts draw from a few dozen tables). */
const cumulative = new WeakMap<object, { keys: string[]; upTo: number[] }>();

function weighted<K extends string>(r: Rng, table: Readonly<Record<K, number>>): K {
  let c = cumulative.get(table);
  if (!c) {
    let sum = 0;
    const entries = Object.entries(table) as [K, number][];
    c = { keys: entries.map(([k]) => k), upTo: entries.map(([, w]) => (sum += w)) };
    cumulative.set(table, c);
  }
  const x = r() * c.upTo[c.upTo.length - 1]!;
  for (let i = 0; i < c.upTo.length; i++) if (x < c.upTo[i]!) return c.keys[i] as K;
  return c.keys[c.keys.length - 1] as K;
}

function gaussian(r: Rng) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

// ------------------------------------------------------------------------------------------ ids

let randomPool = Buffer.alloc(0);
let randomAt = 0;

/** Bytes from the CSPRNG, drawn 64 KiB at a time: asking it for each id and IV was a tenth of the generation's time. */
function randomChunk(n: number): Buffer {
  if (randomAt + n > randomPool.length) {
    randomPool = randomBytes(1 << 16);
    randomAt = 0;
  }
  randomAt += n;
  return randomPool.subarray(randomAt - n, randomAt);
}

let idMs = 0;
let idSeq = 0;

/** A UUID version 7 as `newId` makes them: time-ordered, so rows append to their indexes. */
function dataId(): string {
  const now = Date.now();
  if (now > idMs) {
    idMs = now;
    idSeq = 0;
  } else if (++idSeq > 0xfff) {
    idMs++;
    idSeq = 0;
  }
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(idMs, 0, 6);
  b[6] = 0x70 | (idSeq >> 8);
  b[7] = idSeq & 0xff;
  randomChunk(8).copy(b, 8);
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type Sealer = (table: string, column: string, rowId: string, value: string) => string;

/**
 * `seal` (server/lib/sealed.ts) with IVs from the pooled random bytes: the same AES-256-GCM, the same
 * stored form and associated data, checked once against the server's `unseal` before any use.
 */
function sealer(keyring: Keyring): Sealer {
  const key = keyring.keys.get(keyring.activeKeyId)!;
  const sealOne: Sealer = (table, column, rowId, value) => {
    const iv = randomChunk(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(fieldContext(table, column, rowId), 'utf8'));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `enc1.${keyring.activeKeyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  };
  const probe = sealOne('contact', 'name', 'probe', 'Probe Example');
  if (unseal(keyring, 'contact', 'name', 'probe', probe) !== 'Probe Example') throw new Error('generate.ts seals differently from server/lib/sealed.ts');
  return sealOne;
}

// ------------------------------------------------------------------------------------------ places

type Region = 'west' | 'east' | 'southwest' | 'central';

/** 2020 census populations, in thousands, of Missouri's larger counties; the others weigh 12. */
const POPULATION: Record<string, number> = {
  '29189': 1004, '29095': 717, '29183': 405, '29510': 301, '29077': 298, '29047': 253, '29099': 226, '29019': 183,
  '29097': 122, '29037': 107, '29165': 106, '29071': 104, '29043': 88, '29021': 84, '29031': 82, '29051': 77,
  '29187': 67, '29113': 59, '29145': 58, '29213': 56, '29101': 54, '29169': 53, '29161': 45, '29027': 44, '29029': 43, '29107': 33,
};

interface County {
  fips: string;
  name: string;
  /** West, south, east, north. */
  bbox: [number, number, number, number];
  weight: number;
  region: Region;
  /** Where operations keep returning: motels off the interstate, a truck stop, a strip of massage businesses. */
  hotspots: { lat: number; lng: number; label: string }[];
}

export interface Place {
  countyFips: string;
  label: string;
  lat: number;
  lng: number;
}

const PLACE_KINDS = ['Motel', 'Extended-stay hotel', 'Truck stop', 'Massage business', 'Apartment complex', 'Rest area', 'Strip-mall spa', 'Residence'];
const ROADS = ['I-70 frontage road', 'I-44 outer road', 'US-71', 'Main St', 'Broadway', 'Highway 50', 'Route 13', 'Commercial St', 'Market St', 'State Line Rd'];

function regionOf([w, s, e, n]: County['bbox']): Region {
  const lat = (s + n) / 2;
  const lng = (w + e) / 2;
  if (lng > -91.5) return 'east';
  if (lat < 38 && lng <= -91.5) return 'southwest';
  if (lng < -93.2) return 'west';
  return 'central';
}

/**
 * Points inside Missouri's county boxes (server/geo/us-geography.json), weighted by population, half of
 * them near a few recurring places per county: operations keep coming back to the same motels, which is
 * what fills the deconfliction grid's busy cells with history.
 */
export class MissouriPlaces {
  readonly counties: County[];
  private readonly total: number;

  constructor(seed = SEED) {
    const geo = JSON.parse(fs.readFileSync(path.join(REPO, 'server/geo/us-geography.json'), 'utf8')) as {
      counties: Record<string, { name: string; state: string; bbox: [number, number, number, number] }>;
    };
    const r = seededRng(seed ^ 0x5eed);
    this.counties = Object.entries(geo.counties)
      .filter(([, c]) => c.state === '29')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([fips, c]) => {
        const weight = POPULATION[fips] ?? 12;
        const county: County = { fips, name: c.name, bbox: c.bbox, weight, region: regionOf(c.bbox), hotspots: [] };
        const n = 2 + Math.round(Math.sqrt(weight) / 3);
        for (let i = 0; i < n; i++) {
          const p = this.uniform(r, county);
          county.hotspots.push({ ...p, label: `${pick(r, PLACE_KINDS)} on ${pick(r, ROADS)}, ${c.name} County (bench ${fips}-${i + 1})` });
        }
        return county;
      });
    this.total = this.counties.reduce((s, c) => s + c.weight, 0);
  }

  private uniform(r: Rng, c: County) {
    const [w, s, e, n] = c.bbox;
    // A margin inside the box, so a jittered point stays in the county's (padded) box.
    return { lat: s + (n - s) * (0.05 + 0.9 * r()), lng: w + (e - w) * (0.05 + 0.9 * r()) };
  }

  county(fips: string): County {
    const c = this.counties.find((x) => x.fips === fips);
    if (!c) throw new Error(`no Missouri county ${fips}`);
    return c;
  }

  pickCounty(r: Rng): County {
    let x = r() * this.total;
    for (const c of this.counties) {
      x -= c.weight;
      if (x < 0) return c;
    }
    return this.counties[this.counties.length - 1]!;
  }

  /** A place in `county` (or a county drawn by population): a recurring place, jittered, or anywhere in the box. */
  sample(r: Rng, county = this.pickCounty(r)): Place {
    if (chance(r, 0.55)) {
      const h = pick(r, county.hotspots);
      // Within about 150 m of the recurring place.
      return { countyFips: county.fips, label: h.label, lat: h.lat + (r() - 0.5) * 0.0027, lng: h.lng + (r() - 0.5) * 0.0035 };
    }
    const p = this.uniform(r, county);
    return { countyFips: county.fips, label: `${pick(r, PLACE_KINDS)} on ${pick(r, ROADS)}, ${county.name} County (bench)`, ...p };
  }
}

// ------------------------------------------------------------------------------------------ subjects

const SUBJECT_POOL: Record<SubjectKind, number> = { phone: 3000, handle: 1500, plate: 1500, address: 1200, business: 400 };
const SUBJECT_MIX: Record<SubjectKind, number> = { phone: 0.4, handle: 0.2, plate: 0.15, address: 0.15, business: 0.1 };
const AREA_CODES = ['816', '314', '417', '573', '636', '660'];
const STREETS = ['Main', 'Oak', 'Broadway', 'Walnut', 'Grand', 'Locust', 'Cherry', 'Elm', 'Washington', 'Lincoln'];
const BUSINESS_WORDS = ['Golden Lotus', 'Jade Garden', 'Blue Orchid', 'Royal Touch', 'Lucky Star', 'Silk Road', 'Tranquil', 'Sunrise'];
const letter = (n: number) => String.fromCharCode(65 + (n % 26));

/** The i-th identifier of a kind: deterministic, so a bench can plan with subjects the data set holds. */
export function subjectValue(kind: SubjectKind, i: number): string {
  switch (kind) {
    case 'phone':
      return `(${AREA_CODES[i % AREA_CODES.length]}) 555-${String(Math.floor(i / AREA_CODES.length)).padStart(4, '0')}`;
    case 'plate':
      return `MO ${letter(i)}${letter(Math.floor(i / 26))}${letter(Math.floor(i / 676))}-${100 + (i % 900)}`;
    case 'handle':
      return `@bench_listing_${i}`;
    case 'address':
      return `${100 + i} ${STREETS[i % STREETS.length]} Street, Apt ${1 + (i % 40)}`;
    case 'business':
      return `${BUSINESS_WORDS[i % BUSINESS_WORDS.length]} Massage ${i} LLC`;
  }
}

/** A subject as operations draw them: a few identifiers recur across many operations (repeat offenders). */
export function sampleSubject(r: Rng): { kind: SubjectKind; value: string } {
  const kind = weighted(r, SUBJECT_MIX);
  return { kind, value: subjectValue(kind, Math.floor(SUBJECT_POOL[kind] * r() ** 2.5)) };
}

// ------------------------------------------------------------------------------------------ the directory

interface AgencyRef {
  id: string;
  name: string;
  kind: AgencyKind;
  counties: string[];
}

interface UserRef {
  id: string;
  agencyId: string;
  name: string;
}

interface TaskForceRef {
  id: string;
  region: Region;
  /** Local law enforcement, most likely to lead an operation in its counties. */
  local: AgencyRef[];
  /** Statewide and federal law enforcement and prosecutors, members of every task force. */
  statewide: AgencyRef[];
  victimServices: AgencyRef[];
  childWelfare: AgencyRef;
}

interface Directory {
  taskForces: Map<Region, TaskForceRef>;
  coordinators: Map<string, UserRef[]>;
  officers: Map<string, UserRef[]>;
  advocates: Map<string, UserRef[]>;
  caseworkers: UserRef[];
  oakGrove: AgencyRef;
}

/** The regional task forces beside the demo's (which covers the west), each with local agencies of its own. */
const REGIONAL_TASK_FORCES: { region: Exclude<Region, 'west'>; name: string; counties: string[]; victimServices: string }[] = [
  { region: 'east', name: 'Eastern Missouri Human Trafficking Task Force (bench)', counties: ['29189', '29510', '29183', '29099'], victimServices: 'Gateway Survivor Network (bench)' },
  { region: 'southwest', name: 'Southwest Missouri Human Trafficking Task Force (bench)', counties: ['29077', '29097', '29043', '29145'], victimServices: 'Ozarks Survivor Alliance (bench)' },
  { region: 'central', name: 'Central and Northeast Missouri Human Trafficking Task Force (bench)', counties: ['29019', '29051', '29169', '29027'], victimServices: 'Mid-Missouri Advocates (bench)' },
];

const FIRST_NAMES = ['Alex', 'Jordan', 'Taylor', 'Casey', 'Riley', 'Morgan', 'Jamie', 'Quinn', 'Avery', 'Skyler', 'Dana', 'Robin', 'Sam', 'Jesse', 'Drew', 'Reese'];
const LAST_NAMES = ['Example', 'Sample', 'Specimen', 'Placeholder', 'Fictional', 'Pretend', 'Madeup', 'Testcase'];

async function buildDirectory(ctx: AppContext, places: MissouriPlaces, now: string): Promise<Directory> {
  await seedDirectory(ctx);
  const rows = await ctx.db.selectFrom('agency').select(['id', 'name', 'kind', 'counties']).execute();
  const byName = new Map(rows.map((a) => [a.name, { id: a.id, name: a.name, kind: a.kind as AgencyKind, counties: JSON.parse(a.counties) as string[] }]));
  const demo = (key: string) => byName.get(DEMO_AGENCIES.find((a) => a.key === key)!.name)!;
  const demoTaskForce = await ctx.db.selectFrom('task_force').select('id').executeTakeFirstOrThrow();
  const statewide = ['mshp', 'ago', 'fbi', 'dhs', 'usms'].map(demo);
  const dss = demo('dss');
  const taskForces = new Map<Region, TaskForceRef>([
    [
      'west',
      { id: demoTaskForce.id, region: 'west', local: ['oakgrove', 'jackson', 'johnson', 'stjoseph', 'kcpd'].map(demo), statewide, victimServices: ['rise', 'relentless', 'cmsht'].map(demo), childWelfare: dss },
    ],
  ]);
  const newAgencies: Insertable<DB['agency']>[] = [];
  const newTaskForces: Insertable<DB['task_force']>[] = [];
  const members: Insertable<DB['task_force_member']>[] = [];
  for (const tf of REGIONAL_TASK_FORCES) {
    const local = tf.counties.map((fips): AgencyRef => ({ id: dataId(), name: `${places.county(fips).name} County Sheriff's Office (bench ${fips})`, kind: 'law_enforcement', counties: [fips] }));
    const vs: AgencyRef = { id: dataId(), name: tf.victimServices, kind: 'victim_services', counties: [] };
    for (const a of [...local, vs]) {
      newAgencies.push({ id: a.id, name: a.name, short_name: null, kind: a.kind, ori: null, counties: JSON.stringify(a.counties), created_at: now, updated_at: now });
    }
    const id = dataId();
    newTaskForces.push({ id, agency_id: demo('ago').id, name: tf.name, description: 'Generated for the benchmarks.', created_at: now, updated_at: now });
    for (const a of [...local, ...statewide, vs, dss]) members.push({ task_force_id: id, agency_id: a.id, joined_at: now });
    taskForces.set(tf.region, { id, region: tf.region, local, statewide, victimServices: [vs], childWelfare: dss });
  }

  // Who plans, runs and records: a coordinator and three officers per law-enforcement agency or
  // prosecutor, two advocates per victim-services agency, three caseworkers at the Children's Division.
  // They never sign in (the benches make their own accounts), so they share one password hash.
  const passwordHash = await hashPassword(randomBytes(18).toString('base64url'));
  const users: Insertable<DB['app_user']>[] = [];
  const memberships: Insertable<DB['membership']>[] = [];
  const dir: Directory = { taskForces, coordinators: new Map(), officers: new Map(), advocates: new Map(), caseworkers: [], oakGrove: demo('oakgrove') };
  const add = (agency: AgencyRef, role: Role, n: number, into: UserRef[]) => {
    for (let i = 1; i <= n; i++) {
      const id = dataId();
      const name = `${role[0]!.toUpperCase()}${role.slice(1)} ${i}, ${agency.name} (bench)`;
      users.push({
        id, agency_id: agency.id, email: `bench-data-${users.length}-${role}@bench.lantern.test`, display_name: name, phone: null, password_hash: passwordHash,
        must_change_password: 0, password_changed_at: now, totp_secret: null, totp_pending_secret: null, totp_enrolled_at: null, totp_last_step: null,
        is_platform_admin: 0, disabled_at: null, enabled_at: null, last_login_at: null, created_at: now, updated_at: now,
      });
      memberships.push({ user_id: id, agency_id: agency.id, role, created_at: now });
      into.push({ id, agencyId: agency.id, name });
    }
  };
  const seen = new Set<string>();
  for (const tf of taskForces.values()) {
    for (const a of [...tf.local, ...tf.statewide]) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      add(a, 'coordinator', 1, dir.coordinators.set(a.id, []).get(a.id)!);
      add(a, 'officer', 3, dir.officers.set(a.id, []).get(a.id)!);
    }
    for (const a of tf.victimServices) add(a, 'advocate', 2, dir.advocates.set(a.id, []).get(a.id)!);
  }
  add(dss, 'caseworker', 3, dir.caseworkers);

  await ctx.db.transaction().execute(async (trx) => {
    await insertRows(trx, ctx.dialect, 'agency', newAgencies);
    await insertRows(trx, ctx.dialect, 'task_force', newTaskForces);
    await insertRows(trx, ctx.dialect, 'task_force_member', members);
    await insertRows(trx, ctx.dialect, 'app_user', users);
    await insertRows(trx, ctx.dialect, 'membership', memberships);
  });
  return dir;
}

// ------------------------------------------------------------------------------------------ operations

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const TYPE_MIX: Record<OperationType, number> = { buyer_sting: 0.45, victim_recovery: 0.2, massage_inspection: 0.15, warrant_service: 0.15, other: 0.05 };
/** UTC start hours (Central time is UTC−5/−6: stings start in the evening, inspections by day). */
const START_HOURS: Record<OperationType, [number, number]> = { buyer_sting: [22, 27], victim_recovery: [20, 28], massage_inspection: [15, 21], warrant_service: [11, 16], other: [13, 26] };
const DURATION_HOURS: Record<OperationType, [number, number]> = { buyer_sting: [4, 8], victim_recovery: [6, 12], massage_inspection: [3, 6], warrant_service: [2, 4], other: [2, 24] };
/** How many contacts an operation of each type records, relatively. */
const CONTACT_WEIGHT: Record<OperationType, number> = { buyer_sting: 1.3, victim_recovery: 1, massage_inspection: 0.6, warrant_service: 0.45, other: 0.7 };
const EXTRA_LOCATIONS = { one: 0.75, two: 0.2, three: 0.05 };
const NAME_WORDS = ['Amber', 'Harbor', 'Lantern', 'Crossroads', 'Prairie', 'Riverbend', 'Northstar', 'Cardinal', 'Ozark', 'Gateway', 'Bluestem', 'Keystone', 'Meridian', 'Sentinel', 'Redbud', 'Timber'];

interface PlannedOperation {
  row: Insertable<DB['operation']> & { id: string; starts_at: string; ends_at: string; status: string; agency_id: string; type: string };
  locations: (Insertable<DB['operation_location']> & { id: string; lat: number; lng: number; radius_m: number })[];
  subjects: (Insertable<DB['operation_subject']> & { id: string; blind: string })[];
  agencies: Insertable<DB['operation_agency']>[];
  assigned: UserRef[];
  taskForce: TaskForceRef;
  victimServices: AgencyRef | null;
  contacts: number;
  /** What the statistics count of it once closed, `family|category` → n (statistics.counting.ts). */
  tally: Map<string, number>;
}

function planOperations(r: Rng, size: DatasetSize, places: MissouriPlaces, dir: Directory, keyring: Keyring, seal: Sealer): PlannedOperation[] {
  const anchor = Date.parse(ANCHOR);
  const first = Date.parse(FIRST_DAY);
  const days = Math.floor((anchor - first) / DAY) + FUTURE_DAYS;
  const active = Math.min(ACTIVE_OPERATIONS, size.operations);
  const ops: PlannedOperation[] = [];
  for (let i = 0; i < size.operations; i++) {
    const running = i < active;
    const fixture = i < Math.min(FIXTURE_ACTIVE, active);
    const type = fixture ? 'buyer_sting' : weighted(r, TYPE_MIX);
    const county = fixture ? places.county(pick(r, dir.oakGrove.counties)) : places.pickCounty(r);
    const taskForce = dir.taskForces.get(fixture ? 'west' : county.region)!;
    let start: number;
    let end: number;
    if (running) {
      start = anchor - between(r, 1, 5) * HOUR;
      end = anchor + between(r, 2, 8) * HOUR;
    } else {
      const [h0, h1] = START_HOURS[type];
      const [d0, d1] = DURATION_HOURS[type];
      do {
        start = first + between(r, 0, days - 1) * DAY + between(r, h0 * 4, h1 * 4) * (HOUR / 4);
        end = chance(r, 0.03) ? start + between(r, 24, 120) * HOUR : start + between(r, d0 * 4, d1 * 4) * (HOUR / 4);
      } while (start < anchor && end > anchor); // only the chosen few are running at the anchor
    }
    const status = running ? 'active' : end <= anchor ? 'closed' : chance(r, 0.6) ? 'approved' : 'draft';

    const local = taskForce.local.filter((a) => a.counties.includes(county.fips));
    const lead = fixture
      ? dir.oakGrove
      : local.length && chance(r, 0.65)
        ? pick(r, local)
        : chance(r, 0.7)
          ? pick(r, taskForce.local)
          : pick(r, taskForce.statewide.filter((a) => a.kind !== 'prosecutor'));
    const partners = new Map<string, AgencyRef>();
    for (let n = between(r, 0, 3); n > 0; n--) {
      const a = pick(r, [...taskForce.local, ...taskForce.statewide]);
      if (a.id !== lead.id) partners.set(a.id, a);
    }
    const victimServices = type !== 'warrant_service' && chance(r, 0.6) ? pick(r, taskForce.victimServices) : null;
    const childWelfare = chance(r, 0.35) ? taskForce.childWelfare : null;
    const id = dataId();
    const agencies: Insertable<DB['operation_agency']>[] = [
      { operation_id: id, agency_id: lead.id, role: 'lead' },
      ...[...partners.values()].map((a) => ({ operation_id: id, agency_id: a.id, role: 'participant' })),
      ...(victimServices ? [{ operation_id: id, agency_id: victimServices.id, role: 'victim_services' }] : []),
      ...(childWelfare ? [{ operation_id: id, agency_id: childWelfare.id, role: 'child_welfare' }] : []),
    ];
    const coordinator = dir.coordinators.get(lead.id)![0]!;
    const officers = dir.officers.get(lead.id)!;
    const assigned = [coordinator, ...officers.slice(0, between(r, 1, officers.length))];
    for (const p of partners.values()) if (chance(r, 0.5)) assigned.push(pick(r, dir.officers.get(p.id)!));
    const commander = chance(r, 0.6) ? coordinator : assigned[assigned.length - 1]!;

    const radius = () => (chance(r, 0.8) ? DEFAULT_RADIUS_M[type] : between(r, 4, 40) * 50);
    const firstPlace = places.sample(r, county);
    const placesOf = [firstPlace];
    for (let n = { one: 0, two: 1, three: 2 }[weighted(r, EXTRA_LOCATIONS)]; n > 0; n--) {
      placesOf.push(chance(r, 0.6) ? { ...firstPlace, label: `${firstPlace.label}, second site`, lat: firstPlace.lat + (r() - 0.5) * 0.03, lng: firstPlace.lng + (r() - 0.5) * 0.04 } : places.sample(r, county));
    }
    const locations = placesOf.map((p, position) => ({ id: dataId(), operation_id: id, agency_id: lead.id, label: p.label, county_fips: p.countyFips, lat: p.lat, lng: p.lng, radius_m: radius(), position }));
    const subjects: PlannedOperation['subjects'] = [];
    if (chance(r, 0.35)) {
      const seenBlind = new Set<string>();
      for (let n = between(r, 1, 4); n > 0; n--) {
        const s = sampleSubject(r);
        const blind = blindIndex(keyring, s.kind, normalizeIdentifier(s.kind, s.value)!);
        if (seenBlind.has(blind)) continue;
        seenBlind.add(blind);
        const sid = dataId();
        subjects.push({ id: sid, operation_id: id, agency_id: lead.id, kind: s.kind, value: seal('operation_subject', 'value', sid, s.value), blind, position: subjects.length });
      }
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    const createdAt = start - between(r, 3, 30) * DAY;
    const approvedAt = start - between(r, 1, 48) * HOUR;
    ops.push({
      row: {
        id,
        agency_id: lead.id,
        task_force_id: taskForce.id,
        name: `Operation ${pick(r, NAME_WORDS)} ${pick(r, NAME_WORDS)} ${i + 1} (bench)`,
        type,
        status,
        starts_at: iso(start),
        ends_at: iso(end),
        commander_user_id: commander.id,
        commander_name: commander.name,
        commander_phone: seal('operation', 'commander_phone', id, `(816) 555-${String(between(r, 0, 9999)).padStart(4, '0')}`),
        briefing: chance(r, 0.5) ? seal('operation', 'briefing', id, `Bench briefing ${i + 1}: staging two blocks north one hour before the start; advocates on call; radio channel ${between(r, 1, 16)}.`) : null,
        investigation_hold: status === 'closed' ? (chance(r, 0.7) ? 1 : 0) : 1,
        created_by: coordinator.id,
        approved_by: status === 'draft' ? null : coordinator.id,
        approved_at: status === 'draft' ? null : iso(approvedAt),
        activated_at: status === 'active' || status === 'closed' ? iso(start - 30 * 60_000) : null,
        closed_by: status === 'closed' ? coordinator.id : null,
        closed_at: status === 'closed' ? iso(end + between(r, 1, 48) * HOUR) : null,
        version: { draft: 1, approved: 2, active: 3, closed: 4 }[status]!,
        created_at: iso(createdAt),
        updated_at: iso(status === 'closed' ? end : createdAt),
      },
      locations,
      subjects,
      agencies,
      assigned,
      taskForce,
      victimServices,
      contacts: 0,
      tally: new Map([['operations|all', 1]]),
    });
  }

  // Contacts: running operations have a few so far; closed ones share the rest, skewed (most operations
  // record tens of people, a few large ones many hundreds).
  const running = ops.filter((o) => o.row.status === 'active');
  for (const o of running) o.contacts = Math.min(between(r, 20, 60), Math.floor(size.contacts / Math.max(1, ops.length)));
  const closed = ops.filter((o) => o.row.status === 'closed');
  const rest = size.contacts - running.reduce((s, o) => s + o.contacts, 0);
  const weights = closed.map((o) => Math.exp(0.9 * gaussian(r)) * CONTACT_WEIGHT[o.row.type as OperationType]);
  const sum = weights.reduce((s, w) => s + w, 0);
  let given = 0;
  closed.forEach((o, i) => {
    o.contacts = Math.floor((rest * weights[i]!) / sum);
    given += o.contacts;
  });
  for (let i = 0; given < rest && closed.length; i = (i + 1) % closed.length, given++) closed[i]!.contacts++;
  return ops.sort((a, b) => a.row.starts_at.localeCompare(b.row.starts_at));
}

function operationRows(op: PlannedOperation) {
  const cells = op.locations.flatMap((l) => cellsFor(l.lat, l.lng, l.radius_m).map((cell) => ({ cell, location_id: l.id, operation_id: op.row.id })));
  const assignments = op.assigned.map((u) => ({ operation_id: op.row.id, user_id: u.id, agency_id: u.agencyId, assigned_at: op.row.created_at! }));
  const events: Insertable<DB['operation_event']>[] = [];
  const event = (at: string | null | undefined, kind: string, detail: Record<string, string> = {}) => {
    if (at) events.push({ id: dataId(), operation_id: op.row.id, agency_id: op.row.agency_id, at, kind, actor_user_id: op.row.created_by!, detail: JSON.stringify(detail) });
  };
  event(op.row.created_at, 'planned', { type: op.row.type });
  event(op.row.approved_at, 'approved');
  event(op.row.activated_at, 'active');
  event(op.row.closed_at, 'closed');
  return { cells, assignments, events };
}

// ------------------------------------------------------------------------------------------ contacts

const ROLE_MIX: Record<OperationType, Record<ContactRole, number>> = {
  buyer_sting: { suspect: 0.7, adult_victim: 0.2, minor: 0.03, witness: 0.07 },
  victim_recovery: { suspect: 0.25, adult_victim: 0.55, minor: 0.12, witness: 0.08 },
  massage_inspection: { suspect: 0.2, adult_victim: 0.65, minor: 0.02, witness: 0.13 },
  warrant_service: { suspect: 0.55, adult_victim: 0.25, minor: 0.08, witness: 0.12 },
  other: { suspect: 0.35, adult_victim: 0.35, minor: 0.1, witness: 0.2 },
};
const SEX_MIX: Record<ContactRole, Record<'female' | 'male' | 'unknown', number>> = {
  suspect: { male: 0.93, female: 0.06, unknown: 0.01 },
  adult_victim: { female: 0.88, male: 0.1, unknown: 0.02 },
  minor: { female: 0.75, male: 0.24, unknown: 0.01 },
  witness: { female: 0.5, male: 0.48, unknown: 0.02 },
};
const ADULT_BANDS: Record<ContactRole, Partial<Record<AgeBand, number>>> = {
  suspect: { '18_to_24': 0.15, '25_to_34': 0.3, '35_to_49': 0.35, '50_plus': 0.17, unknown: 0.03 },
  adult_victim: { '18_to_24': 0.4, '25_to_34': 0.35, '35_to_49': 0.18, '50_plus': 0.04, unknown: 0.03 },
  minor: { under_5: 0.1, '5_to_11': 0.1, '12_to_14': 0.25, '15_to_17': 0.55 },
  witness: { '18_to_24': 0.2, '25_to_34': 0.3, '35_to_49': 0.3, '50_plus': 0.18, unknown: 0.02 },
};
const BAND_AGES: Partial<Record<AgeBand, [number, number]>> = {
  under_5: [1, 4], '5_to_11': [5, 11], '12_to_14': [12, 14], '15_to_17': [15, 17], '18_to_24': [18, 24], '25_to_34': [25, 34], '35_to_49': [35, 49], '50_plus': [50, 70],
};
const DISPOSITION_MIX: Record<ContactRole, Partial<Record<Disposition, number>>> = {
  suspect: { detained: 0.35, arrested: 0.35, cited: 0.22, released: 0.08 },
  adult_victim: { offered_services: 0.85, released: 0.15 },
  minor: { protective_custody: 0.75, released: 0.25 },
  witness: { released: 1 },
};
const STING_SUSPECTS = { buyer: 0.92, facilitator: 0.05, trafficker: 0.03 };
const OTHER_SUSPECTS = { buyer: 0.3, facilitator: 0.4, trafficker: 0.3 };
const REFERRAL_OUTCOMES = { accepted: 0.55, closed: 0.2, declined: 0.1, sent: 0.15 };
const LANGUAGES = { English: 0.85, Spanish: 0.12, Vietnamese: 0.03 };
const CUSTODY_REASON_MIX = { trafficking_victim: 0.5, imminent_danger: 0.3, no_caregiver_available: 0.15, other: 0.05 };
const CHARGES = [
  'RSMo 567.030 Patronizing prostitution',
  'RSMo 567.050 Promoting prostitution, third degree',
  'RSMo 566.209 Trafficking for the purposes of sexual exploitation',
  'RSMo 579.015 Possession of a controlled substance',
  'RSMo 571.030 Unlawful use of weapons',
];
const NAMED: Record<ContactRole, number> = { suspect: 0.6, adult_victim: 0.25, minor: 0.1, witness: 0.5 };
const STORY_SERVICES: readonly Service[] = ['food', 'lodging', 'medical', 'counseling', 'drug_rehabilitation'];

interface ContactBatch {
  contacts: Insertable<DB['contact']>[];
  services: Insertable<DB['contact_service']>[];
  referrals: Insertable<DB['referral']>[];
  handoffs: Insertable<DB['custody_handoff']>[];
}

/** Birth date for someone `age` years old on `day`: their birthday fell 1–300 days before it. */
function dobFor(r: Rng, age: number, day: number) {
  const d = new Date(day);
  d.setUTCFullYear(d.getUTCFullYear() - age);
  return new Date(d.getTime() - between(r, 1, 300) * DAY).toISOString().slice(0, 10);
}

const hoursAfter = (ms: number, hours: number) => new Date(ms + hours * HOUR).toISOString();
const tally = (op: PlannedOperation, key: string) => op.tally.set(key, (op.tally.get(key) ?? 0) + 1);

function contactsOf(r: Rng, op: PlannedOperation, dir: Directory, seal: Sealer, out: ContactBatch) {
  const type = op.row.type as OperationType;
  const start = Date.parse(op.row.starts_at);
  const running = op.row.status === 'active';
  const until = running ? Date.parse(ANCHOR) : Date.parse(op.row.ends_at);
  // Officers record; an operation whose only assigned user is its coordinator has them record.
  const officers = op.assigned.filter((u) => dir.officers.get(u.agencyId)?.some((o) => o.id === u.id));
  const recorders = officers.length ? officers : op.assigned;
  for (let n = 1; n <= op.contacts; n++) {
    const id = dataId();
    const recorder = pick(r, recorders);
    const at = new Date(start + ((n - 0.5) / op.contacts) * (until - start)).toISOString();
    const role = weighted(r, ROLE_MIX[type]);
    const sex = weighted(r, SEX_MIX[role]);
    const ageBand = weighted(r, ADULT_BANDS[role] as Record<AgeBand, number>);
    let disposition: Disposition | null = weighted(r, DISPOSITION_MIX[role] as Record<Disposition, number>);
    if (running && role !== 'minor' && chance(r, 0.1)) disposition = null;
    const suspectType = role === 'suspect' && chance(r, 0.95) ? (type === 'buyer_sting' ? weighted(r, STING_SUSPECTS) : weighted(r, OTHER_SUSPECTS)) : null;
    const ages = BAND_AGES[ageBand];
    const estimatedAge = role === 'minor' && ages && chance(r, 0.5) ? between(r, ages[0], ages[1]) : null;
    const named = chance(r, NAMED[role]);
    const dob = named && ages && chance(r, 0.4) ? dobFor(r, estimatedAge ?? between(r, ages[0], ages[1]), start) : null;
    const charges = disposition === 'arrested' ? [suspectType === 'trafficker' ? CHARGES[2]! : pick(r, CHARGES), ...(chance(r, 0.2) ? [CHARGES[3]!] : [])] : [];
    const phones = role === 'suspect' && chance(r, 0.12) ? [subjectValue('phone', between(r, 0, 5999))] : [];
    const aliases = named && chance(r, 0.1) ? [`${pick(r, FIRST_NAMES)} (alias)`] : [];
    const screening = role === 'adult_victim' && chance(r, 0.45) ? { tool: pick(r, SCREENING_TOOLS), result: pick(r, SCREENING_RESULTS) } : null;
    const services: { service: Service; offered: boolean; accepted: boolean }[] = [];
    if (role === 'adult_victim' && (disposition === 'offered_services' || chance(r, 0.2))) {
      for (const s of SERVICES) {
        if (chance(r, STORY_SERVICES.includes(s) ? 0.55 : 0.12)) services.push({ service: s, offered: true, accepted: chance(r, 0.5) });
      }
      if (!services.length) services.push({ service: pick(r, STORY_SERVICES), offered: true, accepted: chance(r, 0.5) });
    }
    out.contacts.push({
      id,
      operation_id: op.row.id,
      agency_id: op.row.agency_id,
      person_number: n,
      client_ref: chance(r, 0.9) ? dataId() : null,
      role,
      suspect_type: suspectType,
      sex,
      age_band: ageBand,
      estimated_age: estimatedAge,
      disposition,
      charges: charges.length ? seal('contact', 'charges', id, JSON.stringify(charges)) : null,
      name: named ? seal('contact', 'name', id, `${pick(r, FIRST_NAMES)} ${pick(r, LAST_NAMES)}`) : null,
      aliases: aliases.length ? seal('contact', 'aliases', id, JSON.stringify(aliases)) : null,
      dob: dob ? seal('contact', 'dob', id, dob) : null,
      phones: phones.length ? seal('contact', 'phones', id, JSON.stringify(phones)) : null,
      screening_tool: screening?.tool ?? null,
      screening_result: screening?.result ?? null,
      recorded_by: recorder.id,
      recorded_by_agency_id: recorder.agencyId,
      recorded_at: at,
      updated_at: at,
      version: 1,
    });
    for (const s of services) out.services.push({ contact_id: id, service: s.service, offered: s.offered ? 1 : 0, accepted: s.accepted ? 1 : 0 });
    tally(op, `persons|${role}`);
    if (disposition) tally(op, `outcomes|${disposition}`);
    for (const s of services) if (s.offered) tally(op, `services|${s.service}`);

    const accepted = services.filter((s) => s.accepted).map((s) => s.service);
    if (accepted.length && op.victimServices && chance(r, 0.35)) {
      const rid = dataId();
      const status = running ? 'sent' : weighted(r, REFERRAL_OUTCOMES);
      const sentAt = new Date(Date.parse(at) + 30 * 60_000).toISOString();
      const advocate = pick(r, dir.advocates.get(op.victimServices.id)!);
      const respondedAt = status === 'sent' ? null : new Date(Date.parse(sentAt) + between(r, 1, 72) * HOUR).toISOString();
      out.referrals.push({
        id: rid,
        contact_id: id,
        operation_id: op.row.id,
        agency_id: op.row.agency_id,
        to_agency_id: op.victimServices.id,
        first_name: seal('referral', 'first_name', rid, pick(r, FIRST_NAMES)),
        language: weighted(r, LANGUAGES),
        services: JSON.stringify(accepted),
        safe_contact: seal('referral', 'safe_contact', rid, 'Through the advocate on scene only (bench)'),
        part2: accepted.includes('drug_rehabilitation') ? 1 : 0,
        status,
        sent_by: recorder.id,
        sent_at: sentAt,
        responded_by: respondedAt ? advocate.id : null,
        responded_at: respondedAt,
        advocate_notes: null,
        updated_at: respondedAt ?? sentAt,
      });
    }
    if (disposition === 'protective_custody') {
      const hid = dataId();
      const taken = Date.parse(at);
      const reason = weighted(r, CUSTODY_REASON_MIX);
      const caseworker = pick(r, dir.caseworkers);
      out.handoffs.push({
        id: hid,
        contact_id: id,
        operation_id: op.row.id,
        agency_id: op.row.agency_id,
        to_agency_id: op.taskForce.childWelfare.id,
        taken_at: hoursAfter(taken, 0),
        officer_user_id: recorder.id,
        reason,
        reason_detail: reason === 'other' ? seal('custody_handoff', 'reason_detail', hid, 'Found alone at the scene late at night (bench).') : null,
        juvenile_officer_notified_at: hoursAfter(taken, 0.25),
        childrens_division_notified_at: hoursAfter(taken, 0.35),
        statement_due_at: hoursAfter(taken, 12),
        // Filed, so the server's deadline alerts have nothing to say about generated hand-offs.
        statement_filed_at: hoursAfter(taken, between(r, 2, 10)),
        receipt_caseworker_name: seal('custody_handoff', 'receipt_caseworker_name', hid, caseworker.name),
        receipt_at: hoursAfter(taken, 2),
        placement_type: pick(r, PLACEMENT_TYPES),
        received_by: caseworker.id,
        created_at: hoursAfter(taken, 0.5),
        updated_at: hoursAfter(taken, 10),
      });
    }
  }
}

// ------------------------------------------------------------------------------------------ writing

const insertSql = new Map<string, string>();

/**
 * Multi-row inserts, each under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters, as SQL text
 * built once per table and row count: Kysely's building and compiling a 25,000-value insert cost more
 * than SQLite's executing it. Run through Kysely all the same, so they join its transaction.
 */
async function insertRows<T extends keyof DB & string>(db: Queryable, dialect: Dialect, table: T, rows: readonly Insertable<DB[T]>[]) {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  const per = Math.max(1, Math.floor(30_000 / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per) as Record<string, unknown>[];
    const key = `${dialect} ${table} ${chunk.length} ${columns.join(',')}`;
    let text = insertSql.get(key);
    if (!text) {
      let n = 0;
      const tuple = () => `(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(',')})`;
      text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${chunk.map(tuple).join(',')}`;
      insertSql.set(key, text);
    }
    const params: unknown[] = [];
    for (const row of chunk) for (const c of columns) params.push(row[c] ?? null);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

function progressBar(label: string, total: number) {
  const bar = new cliProgress.SingleBar(
    {
      format: `  ${label.padEnd(11)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}`,
      barsize: 28,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

async function generate(ctx: AppContext, size: DatasetSize): Promise<Record<string, number>> {
  const r = seededRng(SEED);
  const places = new MissouriPlaces(SEED);
  const dir = await buildDirectory(ctx, places, ANCHOR);
  const seal = sealer(ctx.keyring);
  const ops = planOperations(r, size, places, dir, ctx.keyring, seal);

  let bar = progressBar('operations', ops.length);
  for (let i = 0; i < ops.length; i += 500) {
    const slice = ops.slice(i, i + 500);
    const parts = slice.map(operationRows);
    await ctx.db.transaction().execute(async (trx) => {
      await insertRows(trx, ctx.dialect, 'operation', slice.map((o) => o.row));
      await insertRows(trx, ctx.dialect, 'operation_agency', slice.flatMap((o) => o.agencies));
      await insertRows(trx, ctx.dialect, 'operation_assignment', parts.flatMap((p) => p.assignments));
      await insertRows(trx, ctx.dialect, 'operation_location', slice.flatMap((o) => o.locations));
      await insertRows(trx, ctx.dialect, 'operation_location_cell', parts.flatMap((p) => p.cells));
      await insertRows(trx, ctx.dialect, 'operation_subject', slice.flatMap((o) => o.subjects));
      await insertRows(trx, ctx.dialect, 'operation_event', parts.flatMap((p) => p.events));
    });
    bar.update(i + slice.length);
  }
  bar.stop();

  const counts = { contacts: 0, services: 0, referrals: 0, handoffs: 0 };
  bar = progressBar('contacts', size.contacts);
  const withContacts = ops.filter((o) => o.contacts > 0);
  for (let i = 0; i < withContacts.length; ) {
    const batch: ContactBatch = { contacts: [], services: [], referrals: [], handoffs: [] };
    // About 20,000 contacts a transaction.
    while (i < withContacts.length && batch.contacts.length < 20_000) contactsOf(r, withContacts[i++]!, dir, seal, batch);
    await ctx.db.transaction().execute(async (trx) => {
      await insertRows(trx, ctx.dialect, 'contact', batch.contacts);
      await insertRows(trx, ctx.dialect, 'contact_service', batch.services);
      await insertRows(trx, ctx.dialect, 'referral', batch.referrals);
      await insertRows(trx, ctx.dialect, 'custody_handoff', batch.handoffs);
    });
    counts.contacts += batch.contacts.length;
    counts.services += batch.services.length;
    counts.referrals += batch.referrals.length;
    counts.handoffs += batch.handoffs.length;
    bar.update(counts.contacts);
  }
  bar.stop();

  // Conflicts between the operations still planned or running, as their saves would have filed them.
  const live = ops.filter((o) => o.row.status !== 'closed');
  bar = progressBar('conflicts', live.length);
  const conflicts = new Map<string, Insertable<DB['deconfliction_conflict']>>();
  for (const [n, o] of live.entries()) {
    for (const f of await findConflicts(ctx.db, o.row, o.locations, o.subjects)) {
      const { a, b } = orderedPair(f, o.row.id);
      const key = `${f.kind}|${a.item}|${b.item}`;
      if (!conflicts.has(key)) {
        conflicts.set(key, { id: dataId(), kind: f.kind, operation_a: a.operation, item_a: a.item, operation_b: b.operation, item_b: b.item, status: 'open', detected_at: o.row.created_at!, resolved_by: null, resolved_at: null, resolution: null });
      }
    }
    if (n % 50 === 0) bar.update(n);
  }
  await ctx.db.transaction().execute((trx) => insertRows(trx, ctx.dialect, 'deconfliction_conflict', [...conflicts.values()]));
  bar.update(live.length);
  bar.stop();

  // The public statistics' summary counts of the closed operations, as closing each would have kept
  // them (countOperation): tallied while generating, written at once, then checked against the server's
  // own counting on a sample.
  const closed = ops.filter((o) => o.row.status === 'closed');
  bar = progressBar('statistics', closed.length);
  const counted: Insertable<DB['stat_counted']>[] = [];
  const atoms = new Map<string, Insertable<DB['stat_atom']> & { value: number }>();
  for (const o of closed) {
    const county = o.locations[0]!.county_fips;
    const quarter = quarterOf(o.row.starts_at, jurisdictionOf('MO').timeZone);
    for (const [key, value] of o.tally) {
      const [family, category] = key.split('|') as [Family, string];
      if (!value || !(FAMILIES[family] as readonly string[]).includes(category)) continue;
      counted.push({ operation_id: o.row.id, family, category, value });
      const atomKey = `${key}|${county}|${quarter}`;
      const atom = atoms.get(atomKey);
      if (atom) atom.value += value;
      else atoms.set(atomKey, { family, category, county_fips: county, quarter, value });
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await insertRows(trx, ctx.dialect, 'stat_counted', counted);
    await insertRows(trx, ctx.dialect, 'stat_atom', [...atoms.values()]);
  });
  await checkCounting(ctx, closed.filter((_, i) => i % Math.max(1, Math.floor(closed.length / 100)) === 0));
  bar.update(closed.length);
  bar.stop();

  return {
    operations: ops.length,
    closed: closed.length,
    active: ops.filter((o) => o.row.status === 'active').length,
    planned: live.length - ops.filter((o) => o.row.status === 'active').length,
    locations: ops.reduce((s, o) => s + o.locations.length, 0),
    subjects: ops.reduce((s, o) => s + o.subjects.length, 0),
    conflicts: conflicts.size,
    ...counts,
  };
}

/**
 * Runs the server's counting (`countOperation`, idempotent) over `sample` and fails if it would change
 * a single summary count: the tallies above follow statistics.counting.ts. Rolled back either way.
 */
async function checkCounting(ctx: AppContext, sample: PlannedOperation[]) {
  const snapshot = async (db: Queryable) =>
    JSON.stringify(await db.selectFrom('stat_atom').selectAll().orderBy('family').orderBy('category').orderBy('county_fips').orderBy('quarter').execute());
  const rollback = new Error('rollback');
  let drift: string | null = null;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const before = await snapshot(trx);
      for (const o of sample) await countOperation(trx, ctx, o.row.id);
      if ((await snapshot(trx)) !== before) drift = 'the summary counts';
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  if (drift) throw new Error(`countOperation changed ${drift} of generated operations: bench/lib/generate.ts's tallies no longer follow server/modules/statistics/statistics.counting.ts`);
}

// ------------------------------------------------------------------------------------------ the cache

/** A cached data set, in the shape `startTarget` takes (`prepare`, `pgTemplate`): the server runs on a copy. */
export interface Dataset {
  backend: Backend;
  size: DatasetSize;
  fingerprint: string;
  /** The cached SQLite file (never opened by a bench: copied into the server's data directory). */
  sqliteFile?: string;
  /** The cached PostgreSQL database (never connected to by a bench: the template of its scratch database). */
  pgTemplate?: string;
  /** Fills a fresh data directory: the benches' key file, and on SQLite a copy of the database. */
  prepare: (dataDir: string) => void;
  /** Seconds spent generating in this run; 0 when the cache served. */
  generatedSec: number;
}

/** The benches' keys as a key file (server/lib/crypto.ts), so the server needs no LANTERN_KEYS. */
function writeKeyFile(dataDir: string) {
  const [active, key] = BENCH_KEY_ENV.LANTERN_KEYS.split(':') as [string, string];
  fs.writeFileSync(path.join(dataDir, 'keys.json'), JSON.stringify({ active, keys: { [active]: key }, index: BENCH_KEY_ENV.LANTERN_INDEX_KEY }, null, 2) + '\n', { mode: 0o600 });
}

function sqliteDataset(size: DatasetSize, fp: string, file: string, generatedSec: number): Dataset {
  return {
    backend: 'sqlite',
    size,
    fingerprint: fp,
    sqliteFile: file,
    generatedSec,
    prepare: (dataDir) => {
      writeKeyFile(dataDir);
      const target = path.join(dataDir, 'lantern.db');
      // A reflink where the file system has them, a plain copy elsewhere (a second or two a gigabyte).
      fs.copyFileSync(file, target, fs.constants.COPYFILE_FICLONE);
      fs.chmodSync(target, 0o600);
    },
  };
}

const pgDataset = (size: DatasetSize, fp: string, template: string, generatedSec: number): Dataset => ({
  backend: 'postgres',
  size,
  fingerprint: fp,
  pgTemplate: template,
  generatedSec,
  prepare: writeKeyFile,
});

/** Hash of everything the generated data depends on: this file, the migrations, the files it relies on. */
export function fingerprint(size: DatasetSize): string {
  const hash = createHash('sha256').update(`v${GENERATOR_VERSION} ${size.operations} ${size.contacts} ${ANCHOR} ${SEED}\n`);
  const migrations = fs
    .readdirSync(path.join(REPO, 'server/db/migrations'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => `server/db/migrations/${f}`);
  for (const file of [path.relative(REPO, fileURLToPath(import.meta.url)), ...DEPENDENCIES, ...migrations]) {
    hash.update(`${file}\n`).update(fs.readFileSync(path.join(REPO, file)));
  }
  return hash.digest('hex').slice(0, 10);
}

const baseName = (size: DatasetSize) => `lantern_data_${size.operations}_${size.contacts}`;

function pgUrl(database: string) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The data set of `size` on `backend`, generated first if no cached copy matches the generator's
 * fingerprint (older copies of the same size are removed then). Safe against a second bench generating
 * the same set at the same time: each writes under a name of its own and the first to finish wins.
 */
export async function ensureDataset(backend: Backend, size: DatasetSize = FULL_SIZE): Promise<Dataset> {
  const fp = fingerprint(size);
  const name = `${baseName(size)}_${fp}`;
  if (backend === 'sqlite') {
    const file = path.join(CACHE_DIR, `${name}.db`);
    if (fs.existsSync(file)) return sqliteDataset(size, fp, file, 0);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const work = fs.mkdtempSync(path.join(CACHE_DIR, `${name}.partial-`));
    try {
      const t0 = performance.now();
      console.log(`\ngenerating the ${size.operations.toLocaleString('en-US')}-operation, ${size.contacts.toLocaleString('en-US')}-contact data set on SQLite (cached as ${path.relative(REPO, file)}; later runs skip this)`);
      const ctx = await openForGeneration({ LANTERN_DATA_DIR: work });
      await sql`pragma synchronous = off`.execute(ctx.db);
      await sql`pragma cache_size = -262144`.execute(ctx.db);
      const counts = await generate(ctx, size);
      await sql`pragma wal_checkpoint(truncate)`.execute(ctx.db);
      await ctx.database.close();
      const seconds = (performance.now() - t0) / 1000;
      for (const f of fs.readdirSync(CACHE_DIR)) {
        if (f.startsWith(`${baseName(size)}_`) && f.endsWith('.db') && f !== `${name}.db`) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
      }
      if (!fs.existsSync(file)) fs.renameSync(path.join(work, 'lantern.db'), file);
      console.log(`  generated in ${seconds.toFixed(0)} s: ${describe(counts)}; ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
      return sqliteDataset(size, fp, file, seconds);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  const exists = (db: string) => withAdmin(async (c) => (await c.query('select 1 from pg_database where datname = $1', [db])).rowCount === 1);
  if (await exists(name)) return pgDataset(size, fp, name, 0);
  const partial = `${name}_p${process.pid}`;
  await withAdmin(async (c) => {
    await c.query(`drop database if exists "${partial}"`);
    await c.query(`create database "${partial}"`);
  });
  try {
    const t0 = performance.now();
    console.log(`\ngenerating the ${size.operations.toLocaleString('en-US')}-operation, ${size.contacts.toLocaleString('en-US')}-contact data set on PostgreSQL (cached as database ${name}; later runs skip this)`);
    // One connection, so the session setting holds for every statement: no wait for the WAL flush at
    // each commit while generating (the benches' copies run with the server's own settings).
    const ctx = await openForGeneration({ DATABASE_URL: pgUrl(partial), LANTERN_DB_POOL: '1' });
    await sql`set synchronous_commit = off`.execute(ctx.db);
    const counts = await generate(ctx, size);
    await sql`vacuum analyze`.execute(ctx.db);
    await ctx.database.close();
    const seconds = (performance.now() - t0) / 1000;
    await withAdmin(async (c) => {
      const stale = await c.query<{ datname: string }>('select datname from pg_database where datname like $1 and datname <> $2', [`${baseName(size)}\\_%`, partial]);
      for (const { datname } of stale.rows) {
        if (datname !== name) await c.query(`drop database if exists "${datname}"`).catch(() => {});
      }
      if (!(await exists(name))) await c.query(`alter database "${partial}" rename to "${name}"`);
    });
    console.log(`  generated in ${seconds.toFixed(0)} s: ${describe(counts)}`);
    return pgDataset(size, fp, name, seconds);
  } finally {
    await withAdmin((c) => c.query(`drop database if exists "${partial}"`)).catch(() => {});
  }
}

const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
    .join(', ');

function openForGeneration(env: Record<string, string>): Promise<AppContext> {
  const config = loadConfig({ ...BENCH_KEY_ENV, LANTERN_LOG_LEVEL: 'silent', ...env });
  return createContext(config, { clock: new TestClock(new Date(ANCHOR)) });
}
