import fc from 'fast-check';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES, type ContactRole, type Disposition, type Service } from '../../../common/operations.ts';
import type { PressFigure, PressOperation, PublicKnowledge, PublishedCell, RecordRules } from './knowledge.ts';
import { planRelease, pressFiguresDisclose, type ReleasePlan } from './release-plan.ts';
import { atomKey, FAMILIES, FAMILY_NAMES, ReleaseLayout, type AtomKey, type CellDefinition, type Family, type Quarter } from './statistics.cells.ts';
import { LedgerIndex, suppressRelease, type ReleaseCell, type SuppressOptions } from './suppression.ts';

/** Random release histories for the property tests of suppression.ts and attacker.ts. */

export const COUNTY_POOL = ['29095', '29189', '29510'];
const FIRST_QUARTERS = ['2019Q3', '2019Q4', '2020Q1', '2020Q2', '2020Q3', '2020Q4', '2021Q1', '2021Q2', '2021Q3'];

export interface History {
  families: Partial<Record<Family, readonly string[]>>;
  counties: string[];
  /** Quarters covered by each release: the first quarters of FIRST_QUARTERS. */
  covered: number[];
  counts: Map<string, number>;
}

/** Mostly small counts (0 … 4), so that primary and complementary suppression both happen often. */
export const smallCounts = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 2, arbitrary: fc.integer({ min: 5, max: 40 }) });

/**
 * 1–2 families with 1–3 of their categories, 1–3 counties, 2–6 releases each adding a quarter (or, now
 * and then, publishing the same quarters again), starting in mid-2019 so that years turn over.
 */
export function historyArb(counts: fc.Arbitrary<number> = smallCounts): fc.Arbitrary<History> {
  return fc
    .record({
      families: fc.uniqueArray(fc.record({ family: fc.constantFrom(...FAMILY_NAMES), from: fc.nat(10), size: fc.integer({ min: 1, max: 3 }) }), {
        minLength: 1,
        maxLength: 2,
        selector: (f) => f.family,
      }),
      counties: fc.integer({ min: 1, max: COUNTY_POOL.length }),
      first: fc.integer({ min: 1, max: 2 }),
      steps: fc.array(fc.constantFrom(0, 1, 1, 1), { minLength: 1, maxLength: 5 }),
      values: fc.array(counts, { minLength: 64, maxLength: 64 }),
    })
    .map(({ families, counties, first, steps, values }) => {
      const chosen: Partial<Record<Family, readonly string[]>> = {};
      for (const { family, from, size } of families) {
        const all = FAMILIES[family];
        const start = from % all.length;
        chosen[family] = all.slice(start, start + size);
      }
      const covered = [first];
      for (const step of steps) covered.push(Math.min(FIRST_QUARTERS.length, (covered[covered.length - 1] as number) + step));
      const fips = COUNTY_POOL.slice(0, counties);
      const map = new Map<string, number>();
      let i = 0;
      for (const [family, categories] of Object.entries(chosen)) {
        for (const category of categories) {
          for (const county of fips) {
            for (const quarter of FIRST_QUARTERS) map.set(atomKey({ family, category, county, quarter }), values[i++ % values.length] as number);
          }
        }
      }
      return { families: chosen, counties: fips, covered, counts: map };
    });
}

export function layoutOf(h: History, release: number): ReleaseLayout {
  return new ReleaseLayout({ counts: h.counts, quarters: FIRST_QUARTERS.slice(0, h.covered[release]), counties: h.counties, families: h.families });
}

/** Publishes every release of the history in turn, each checked against those before it. */
export function publish(h: History, options: SuppressOptions = {}): { cells: CellDefinition[]; release: ReleaseCell[] }[] {
  const ledger: ReleaseCell[][] = [];
  return h.covered.map((_, r) => {
    const layout = layoutOf(h, r);
    const cells = layout.cells();
    const release = suppressRelease(cells, ledger, { guards: layout.guards(), ...options });
    ledger.push(release);
    return { cells, release };
  });
}

/** The true value of a cell, summed here from the counts rather than taken from the layout. */
export function trueValue(h: History, atoms: readonly string[]): number {
  return atoms.reduce((sum, a) => sum + (h.counts.get(a) ?? 0), 0);
}

/*
 * Histories generated at the level of operations, for the attacker (attacker.histories.test.ts,
 * attack-report.ts): every release published through planRelease, as the service would.
 */

/** A seeded generator (mulberry32): the same seed gives the same history on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const chance = (p: number) => next() < p;
  const subset = <T>(xs: readonly T[], p: number): T[] => xs.filter(() => chance(p));
  return { next, int, pick, chance, subset };
}
export type Random = ReturnType<typeof seededRandom>;

interface Person {
  role: ContactRole;
  disposition: Disposition | null;
  services: Service[];
}

interface GeneratedOperation {
  id: string;
  county: string;
  /** Index of the quarter it ran in. */
  home: number;
  /** Index of the quarter it closes in; null: never closed (never counted). */
  closes: number | null;
  persons: Person[];
  /** Where and as what it was counted: the quarter of its first count and its persons as last counted. */
  countedIn: number | null;
  counted: Person[] | null;
  corrected: boolean;
  press: boolean;
}

/** The persons of one county and quarter as the joint table the attacker models: n[role|disposition], w[role|service]. */
type Joint = Map<string, number>;
const nKey = (role: string, disposition: string | null) => `n|${role}|${disposition ?? 'none'}`;
const wKey = (role: string, service: string) => `w|${role}|${service}`;

function jointOf(persons: readonly Person[], sign = 1, into: Joint = new Map()): Joint {
  const add = (key: string) => into.set(key, (into.get(key) ?? 0) + sign);
  for (const p of persons) {
    add(nKey(p.role, p.disposition));
    for (const s of p.services) add(wKey(p.role, s));
  }
  return into;
}

export interface HistoryStats {
  operations: number;
  neverClosed: number;
  /** Operations closed after their quarter was published, counted in the open quarter. */
  late: number;
  corrections: number;
  /** Corrections that took something away from an atom of the open quarter. */
  negativeDeltas: number;
  /** Corrections that would have broken the joint table of the open quarter, not made. */
  correctionsSkipped: number;
  pressReleases: number;
  pressFigures: number;
  /**
   * Press releases the press-release guard refused (pressFiguresDisclose found that their figures would
   * disclose a protected count given everything published by then): not published.
   */
  pressRefused: number;
  republished: number;
  /** County-quarters with one or two operations counted. */
  thinPlaces: number;
}

export interface GeneratedRelease {
  quarters: Quarter[];
  /** The release as published. */
  cells: PublishedCell[];
  plan: ReleasePlan;
}

export interface OperationHistory {
  seed: number;
  counties: string[];
  /** The quarters the history publishes, in order. */
  quarters: Quarter[];
  families: Partial<Record<Family, readonly string[]>>;
  rules: RecordRules;
  releases: GeneratedRelease[];
  /** True atom counts; a published quarter's never change. */
  counts: Map<AtomKey, number>;
  /** Every press release published, by the end of the history. */
  pressOperations: PressOperation[];
  pressFigures: PressFigure[];
  stats: HistoryStats;
}

export interface OperationHistoryOptions {
  /** Quarters published (one release at the start of each following quarter); 20 by default. */
  quarters?: number;
  k?: number;
  /** Called before each release is planned. */
  onRelease?: (index: number, quarters: readonly Quarter[]) => void;
}

const FIRST_QUARTER = { year: 2019, quarter: 3 };

function quarterName(index: number): Quarter {
  const q = FIRST_QUARTER.year * 4 + FIRST_QUARTER.quarter - 1 + index;
  return `${Math.floor(q / 4)}Q${(q % 4) + 1}`;
}

/**
 * A history of operations in 1–3 counties over `quarters` quarters, published release by release through
 * planRelease: operations with persons (each a role, maybe a disposition, services offered) that follow a
 * generated support (custody only for minors, services only to adult victims and minors), some closed
 * late (counted in the open quarter of their closing), some never closed; corrections of counted
 * operations whose difference lands in the open quarter (negative ones included, never leaving a count
 * below 0 or the persons of a county and quarter without a non-negative joint table); quarters with one or
 * two operations; press releases about a few operations with figures taken truthfully from the operation;
 * a release at the start of each quarter and now and then a second one (re-published) later in it.
 *
 * Releases are planned as the history runs, and every press release first goes through the press-release
 * guard (pressFiguresDisclose, with the ledger, counts and press releases of that moment): one it refuses is
 * not published (stats.pressRefused). The record rules are every pairing the generator's support allows
 * (the service builds them from the pairings the records hold; over 20 quarters that is nearly all of them).
 */
export async function generateOperationHistory(seed: number, options: OperationHistoryOptions = {}): Promise<OperationHistory> {
  const random = seededRandom(seed);
  const quarterCount = options.quarters ?? 20;
  const counties = COUNTY_POOL.slice(0, random.int(1, COUNTY_POOL.length));
  const quarters = Array.from({ length: quarterCount }, (_, i) => quarterName(i));

  // The support the generator draws from; the rules are what it actually drew.
  const servicePool = random.subset(SERVICES, 0.3).slice(0, 4);
  if (servicePool.length < 2) servicePool.push(...SERVICES.filter((s) => !servicePool.includes(s)).slice(0, 2 - servicePool.length));
  const atLeastOne = <T>(xs: readonly T[], p: number): T[] => {
    const chosen = random.subset(xs, p);
    return chosen.length ? chosen : [random.pick(xs)];
  };
  const support: Record<ContactRole, { dispositions: (Disposition | null)[]; services: Service[]; weight: number }> = {
    suspect: { dispositions: [...atLeastOne(['detained', 'arrested', 'cited', 'released'] as const, 0.6), ...(random.chance(0.5) ? [null] : [])], services: [], weight: 4 },
    adult_victim: { dispositions: [...atLeastOne(['offered_services', 'released'] as const, 0.7), ...(random.chance(0.6) ? [null] : [])], services: atLeastOne(servicePool, 0.7), weight: 3 },
    minor: { dispositions: ['protective_custody', ...(random.chance(0.6) ? (['offered_services'] as const) : []), ...(random.chance(0.3) ? [null] : [])], services: atLeastOne(servicePool, 0.6), weight: 1.5 },
    witness: { dispositions: [null, ...(random.chance(0.3) ? (['released'] as const) : [])], services: [], weight: 1.5 },
  };
  const roleWheel = CONTACT_ROLES.flatMap((r) => Array.from({ length: support[r].weight * 2 }, () => r));
  const person = (role: ContactRole = random.pick(roleWheel)): Person => ({ role, disposition: random.pick(support[role].dispositions), services: random.subset(support[role].services, 0.5) });
  // The record rules: every pairing the records can hold. Releases are planned as the history runs (each
  // press release is checked against what is published by then), so the rules are known from the start;
  // over 20 quarters the records hold nearly every pairing the support allows.
  const rules = rulesOf(CONTACT_ROLES.flatMap((role) => support[role].dispositions.map((disposition): Person => ({ role, disposition, services: support[role].services }))));

  const stats: HistoryStats = { operations: 0, neverClosed: 0, late: 0, corrections: 0, negativeDeltas: 0, correctionsSkipped: 0, pressReleases: 0, pressFigures: 0, pressRefused: 0, republished: 0, thinPlaces: 0 };
  const operations: GeneratedOperation[] = [];
  /** Per `county|quarter index`: the joint table of everything counted there, the press operations' part, the operations counted. */
  const places = new Map<string, { joint: Joint; press: Joint; operations: number }>();
  const place = (county: string, quarter: number) => {
    const id = `${county}|${quarter}`;
    let p = places.get(id);
    if (!p) places.set(id, (p = { joint: new Map(), press: new Map(), operations: 0 }));
    return p;
  };
  const pressOperations: PressOperation[] = [];
  const pressFigures: PressFigure[] = [];

  const families: Partial<Record<Family, readonly string[]>> = { operations: ['all'], persons: CONTACT_ROLES, outcomes: DISPOSITIONS, services: servicePool };
  const countsNow = (): Map<AtomKey, number> => {
    const counts = new Map<AtomKey, number>();
    const add = (family: Family, category: string, county: string, quarter: number, n: number) => {
      if (quarter >= quarterCount) return;
      const key = atomKey({ family, category, county, quarter: quarters[quarter] as Quarter });
      counts.set(key, (counts.get(key) ?? 0) + n);
    };
    for (const [id, p] of places) {
      const [county, q] = id.split('|') as [string, string];
      const quarter = Number(q);
      add('operations', 'all', county, quarter, p.operations);
      for (const [key, n] of p.joint) {
        const [kind, role, what] = key.split('|') as [string, string, string];
        if (kind === 'n') {
          add('persons', role, county, quarter, n);
          if (what !== 'none') add('outcomes', what, county, quarter, n);
        } else add('services', what, county, quarter, n);
      }
    }
    return counts;
  };

  const k = options.k ?? 5;
  const ledger = new LedgerIndex();
  const releases: GeneratedRelease[] = [];
  /** Plans and publishes a release of every quarter before `t`, with what is public and true now. */
  const release = async (t: number) => {
    const covered = quarters.slice(0, t);
    options.onRelease?.(releases.length, covered);
    const plan = await planRelease({ counts: countsNow(), quarters: covered, counties, families, ledger, pressOperations: [...pressOperations], pressFigures: [...pressFigures], rules, k });
    ledger.add(plan.cells);
    releases.push({ quarters: covered, cells: plan.cells.map((c) => ({ key: c.key, family: c.family, dimensions: c.dimensions, atoms: c.atoms, value: c.suppressed ? null : c.value })), plan });
  };

  for (let t = 0; t <= quarterCount; t++) {
    // A release at the start of each quarter publishes every quarter before it.
    if (t > 0) await release(t);
    if (t === quarterCount) break;

    // Operations that run this quarter: often only one or two.
    const started = random.pick([0, 1, 1, 2, 2, 3, 4, 5, 6]);
    for (let i = 0; i < started; i++) {
      const r = random.next();
      const closes = r < 0.65 ? t : r < 0.83 ? t + 1 : r < 0.93 ? t + 2 : null;
      operations.push({ id: `op-${seed}-${operations.length}`, county: random.pick(counties), home: t, closes, persons: Array.from({ length: random.int(0, 6) }, () => person()), countedIn: null, counted: null, corrected: false, press: false });
      stats.operations++;
      if (closes === null) stats.neverClosed++;
    }

    // Operations closing now are counted now: in their own quarter if it is still open, else (late) in this one.
    for (const op of operations) {
      if (op.closes !== t) continue;
      if (op.home < t) stats.late++;
      const p = place(op.county, t);
      p.operations++;
      jointOf(op.persons, 1, p.joint);
      op.countedIn = t;
      op.counted = op.persons.map((x) => ({ ...x, services: [...x.services] }));
    }

    // Corrections of counted operations: the difference lands in this (open) quarter.
    for (let c = random.pick([0, 0, 1, 1, 2, 3]); c > 0; c--) {
      const candidates = operations.filter((op) => op.counted && !op.press);
      if (!candidates.length) break;
      const op = random.pick(candidates);
      const after = corrected(op.counted as Person[], random, person, support);
      const delta = jointOf(op.counted as Person[], -1, jointOf(after));
      const p = place(op.county, t);
      const next = new Map(p.joint);
      for (const [key, n] of delta) next.set(key, (next.get(key) ?? 0) + n);
      if (!jointHolds(next, p.press)) {
        stats.correctionsSkipped++;
        continue;
      }
      p.joint = next;
      op.counted = after;
      op.persons = after;
      op.corrected = true;
      stats.corrections++;
      if ([...delta.values()].some((n) => n < 0)) stats.negativeDeltas++;
    }

    // Press releases about operations counted and never corrected, usually the ones just counted.
    if (random.chance(0.45)) {
      const fresh = operations.filter((op) => op.counted && !op.press && !op.corrected && op.counted.length > 0);
      const recent = fresh.filter((op) => op.countedIn === t);
      const op = recent.length && random.chance(0.7) ? random.pick(recent) : fresh.length ? random.pick(fresh) : undefined;
      if (op) {
        const counted = op.counted as Person[];
        const where: PressOperation = { operation: op.id, county: op.county, quarter: quarters[op.countedIn as number] as Quarter };
        const id = `press-${op.id}`;
        const figures: PressFigure[] = [];
        for (let f = random.int(1, 3); f > 0; f--) {
          const who = random.pick(counted);
          const shape = random.pick(['role', 'disposition', 'both'] as const);
          const role = shape === 'disposition' ? undefined : who.role;
          const disposition = shape === 'role' || who.disposition === null ? undefined : who.disposition;
          const value = counted.filter((x) => (role === undefined || x.role === role) && (disposition === undefined || x.disposition === disposition)).length;
          // A figure that also names a sex or an age band counts part of them: a lower bound.
          const exact = random.chance(0.75);
          figures.push({ ...where, release: id, role, disposition, exact, value: exact ? value : random.int(1, value) });
        }
        // The press-release guard, as production runs it: a release whose figures would disclose a
        // protected count of what is already published is refused (a PIO would have to rewrite it).
        const disclosed = await pressFiguresDisclose({
          counts: countsNow(),
          counties,
          ledger,
          pressOperations: [...pressOperations],
          pressFigures: [...pressFigures],
          candidate: { operation: where, figures: figures.map(({ release: _, ...f }) => f) },
          rules,
          k,
        });
        if (disclosed.length) stats.pressRefused++;
        else {
          op.press = true;
          pressOperations.push(where);
          pressFigures.push(...figures);
          jointOf(counted, 1, place(op.county, op.countedIn as number).press);
          stats.pressReleases++;
          stats.pressFigures += figures.length;
        }
      }
    }

    // Now and then the same quarters are published again later in the quarter.
    if (t > 0 && random.chance(0.2)) {
      await release(t);
      stats.republished++;
    }
  }
  for (const [id, p] of places) if (Number(id.split('|')[1]) < quarterCount && p.operations > 0 && p.operations <= 2) stats.thinPlaces++;

  return { seed, counties, quarters, families, rules, releases, counts: countsNow(), pressOperations, pressFigures, stats };
}

/** A copy of `persons` with one change a correction could make. */
function corrected(persons: readonly Person[], random: Random, person: (role?: ContactRole) => Person, support: Record<ContactRole, { dispositions: (Disposition | null)[]; services: Service[] }>): Person[] {
  const after = persons.map((x) => ({ ...x, services: [...x.services] }));
  const i = after.length ? random.int(0, after.length - 1) : -1;
  const target = after[i];
  switch (target ? random.pick(['disposition', 'role', 'add-service', 'remove-service', 'add', 'remove'] as const) : 'add') {
    case 'disposition':
      (target as Person).disposition = random.pick(support[(target as Person).role].dispositions);
      break;
    case 'role': {
      const p = person();
      after[i] = p;
      break;
    }
    case 'add-service': {
      const t = target as Person;
      const missing = support[t.role].services.filter((s) => !t.services.includes(s));
      if (missing.length) t.services.push(random.pick(missing));
      break;
    }
    case 'remove-service':
      (target as Person).services.splice(0, 1);
      break;
    case 'add':
      after.push(person());
      break;
    case 'remove':
      after.splice(i, 1);
      break;
  }
  return after;
}

/** The persons of a county and quarter still form a table of non-negative counts holding every press operation's. */
function jointHolds(joint: Joint, press: Joint): boolean {
  for (const [key, n] of joint) if (n < (press.get(key) ?? 0)) return false;
  for (const [key, n] of press) if ((joint.get(key) ?? 0) < n) return false;
  const persons = new Map<string, number>();
  for (const [key, n] of joint) if (key.startsWith('n|')) persons.set(key.split('|')[1] as string, (persons.get(key.split('|')[1] as string) ?? 0) + n);
  for (const [key, n] of joint) if (key.startsWith('w|') && n > (persons.get(key.split('|')[1] as string) ?? 0)) return false;
  return true;
}

/** The record rules the persons given hold: every pairing of one of them. */
function rulesOf(persons: readonly Person[]): RecordRules {
  const dispositions = Object.fromEntries(CONTACT_ROLES.map((r) => [r, [] as (Disposition | 'none')[]])) as Record<ContactRole, (Disposition | 'none')[]>;
  const services = Object.fromEntries(CONTACT_ROLES.map((r) => [r, [] as Service[]])) as Record<ContactRole, Service[]>;
  for (const p of persons) {
    const d = p.disposition ?? 'none';
    if (!dispositions[p.role].includes(d)) dispositions[p.role].push(d);
    for (const s of p.services) if (!services[p.role].includes(s)) services[p.role].push(s);
  }
  return { dispositions, services };
}

/**
 * Whether the record rules alone make an atom 0: an outcome no role has, a service no role receives,
 * children protected when minors are never taken into custody.
 */
export function ruledOut(rules: RecordRules, atom: AtomKey): boolean {
  const [family, category] = atom.split('|') as [string, string];
  if (family === 'outcomes') return CONTACT_ROLES.every((r) => !(rules.dispositions[r] as readonly string[]).includes(category));
  if (family === 'services') return CONTACT_ROLES.every((r) => !(rules.services[r] as readonly string[]).includes(category));
  if (family === 'children_protected') return !rules.dispositions.minor.includes('protective_custody');
  return false;
}

/** Everything public at the end of the history, as the attacker holds it. */
export function knowledgeOf(h: OperationHistory): PublicKnowledge {
  return { releases: h.releases.map((r) => r.cells), pressOperations: h.pressOperations, pressFigures: h.pressFigures, rules: h.rules };
}

/** The true count of a sum of atoms. */
export function trueCount(h: Pick<OperationHistory, 'counts'>, atoms: readonly string[]): number {
  return atoms.reduce((sum, a) => sum + (h.counts.get(a) ?? 0), 0);
}

/** A natural sum of one county whose true count is 0 (`sum:family/county/category/run`). */
export function oneCountyZero(c: { key: string; kind: string }, value: number): boolean {
  if (value !== 0 || c.kind !== 'natural-sum') return false;
  const county = c.key.split('/')[1];
  return county !== undefined && county !== 'all' && county !== '*';
}
