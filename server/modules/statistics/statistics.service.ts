import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { lockUntilCommit, type Queryable } from '../../db/database.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { FAMILIES, atomKey, type CellDefinition, type CellDimensions, type Family, type Quarter } from '../disclosure/statistics.cells.ts';
import type { PressFigure, PressOperation, RecordRules } from '../disclosure/knowledge.ts';
import { publishedPressKnowledge, type PressKnowledge } from '../disclosure/press-knowledge.service.ts';
import { unsafeRecordRules } from '../contacts/contacts.outcome.ts';
import { auditLedger, planRelease, pressFiguresDisclose, type AuditSummary, type PlanProgress, type PressDisclosure, type ReleasePlan } from '../disclosure/release-plan.ts';
import { FrozenValueError, LedgerError, LedgerIndex, type ReleaseCell } from '../disclosure/suppression.ts';
import type { LedgerAuditDto, PublicCellDto, PublicStatisticsDto, StatFamily, StatisticsPreviewDto, StatisticsReleaseDto } from '../../../common/schemas/statistics.ts';
import { LEDGER_LOCK, countOperation } from './statistics.counting.ts';
import { lastClosedQuarter, nextQuarter, quarterOf, quarterRange, yearOf } from './quarters.ts';
import { LEDGER, statisticsPolicy } from './statistics.policy.ts';
import * as q from './statistics.queries.ts';

/**
 * Releases of the public statistics (issue #4, item 4; docs/disclosure.md): each publication is a
 * release kept whole in a ledger. A release covers every closed quarter from the first with data;
 * quarters published before keep their values (they are frozen, and the engine refuses a changed
 * value); the new ones are frozen by it. Suppression is decided by the engine against every earlier
 * release (suppression.ts), with the guards of the years that changed.
 */

/** DESIGN.md §4: counts under k are never shown. */
export const K = 5;

export type SuppressionReason = 'primary' | 'complementary';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

// ---------------------------------------------------------------------------------------------- atoms as boxes

/**
 * A cell's atoms as stored: every category × quarter × county, in that order ("all" counties being the
 * release's county list). Every cell of the layout is such a box; {@link boxOf} checks it exactly.
 */
export interface AtomBox {
  categories: string[];
  counties: 'all' | string[];
  quarters: string[];
}

/** The box of a cell's atoms; throws unless expanding it gives back exactly the same list. */
export function boxOf(cell: Pick<CellDefinition, 'key' | 'family' | 'atoms'>, counties: readonly string[]): AtomBox {
  const categories = new Set<string>();
  const quarters = new Set<string>();
  const countySet = new Set<string>();
  for (const atom of cell.atoms) {
    const [, category, county, quarter] = atom.split('|') as [string, string, string, string];
    categories.add(category);
    quarters.add(quarter);
    countySet.add(county);
  }
  const cs = [...countySet];
  const all = cs.length === counties.length && cs.every((c, i) => c === counties[i]);
  const box: AtomBox = { categories: [...categories], counties: all ? 'all' : cs, quarters: [...quarters] };
  const expanded = expandBox(cell.family, box, counties);
  if (expanded.length !== cell.atoms.length || expanded.some((a, i) => a !== cell.atoms[i])) {
    throw new Error(`cell ${cell.key}: its atoms are not a category × quarter × county box`);
  }
  return box;
}

export function expandBox(family: string, box: AtomBox, counties: readonly string[], intern: (s: string) => string = (s) => s): string[] {
  const cs = box.counties === 'all' ? counties : box.counties;
  const out: string[] = [];
  for (const category of box.categories) {
    for (const quarter of box.quarters) for (const county of cs) out.push(intern(atomKey({ family, category, county, quarter })));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- the ledger

interface LedgerCache {
  seq: number;
  releaseId: string | null;
  index: LedgerIndex;
  /** Each ledger key's stored atoms (box JSON): a key keeps its definition, so a new release reuses it. */
  boxes: Map<string, string>;
  intern: (s: string) => string;
}

/** Per database: the ledger's keys indexed once and extended release by release (suppression.ts, `LedgerIndex`). */
const ledgers = new WeakMap<object, LedgerCache>();

function emptyLedger(): LedgerCache {
  const pool = new Map<string, string>();
  return {
    seq: 0,
    releaseId: null,
    index: new LedgerIndex(),
    boxes: new Map(),
    intern: (s) => {
      const kept = pool.get(s);
      if (kept !== undefined) return kept;
      pool.set(s, s);
      return s;
    },
  };
}

/**
 * The ledger index, brought up to the newest release in `db`. Each key is read once, from the release
 * that first showed it (a key keeps its value and suppression in every later release). Call it holding
 * the ledger lock when the result decides a release.
 */
async function ledgerIndex(ctx: AppContext, db: Queryable): Promise<LedgerCache> {
  let cache = ledgers.get(ctx.db);
  if (cache && cache.seq > 0) {
    // A restored backup can take the ledger back: then start over.
    const same = await q.releaseAt(db, cache.seq);
    if (!same || same.id !== cache.releaseId) cache = undefined;
  }
  cache ??= emptyLedger();
  ledgers.set(ctx.db, cache);
  const rows = await q.firstCellsAfter(db, cache.seq);
  try {
    let release: ReleaseCell[] = [];
    let at: { seq: number; id: string; counties: string[] } | null = null;
    const flush = () => {
      if (!at) return;
      cache.index.add(release);
      cache.seq = at.seq;
      cache.releaseId = at.id;
      release = [];
    };
    for (const r of rows) {
      if (!at || r.seq !== at.seq) {
        flush();
        at = { seq: r.seq, id: r.release_id, counties: JSON.parse(r.counties) as string[] };
      }
      release.push({
        key: r.key,
        family: r.family as Family,
        dimensions: JSON.parse(r.dimensions) as CellDimensions,
        atoms: expandBox(r.family, JSON.parse(r.atoms) as AtomBox, at.counties, cache.intern),
        value: r.value,
        suppressed: r.suppressed === 1,
      });
      cache.boxes.set(r.key, r.atoms);
    }
    flush();
    // Releases whose keys were all seen before add no row: the sequence still moves on.
    const newest = await q.newestRelease(db);
    if (newest && newest.seq > cache.seq) {
      cache.seq = newest.seq;
      cache.releaseId = newest.id;
    }
  } catch (err) {
    ledgers.delete(ctx.db);
    throw err;
  }
  return cache;
}

// ---------------------------------------------------------------------------------------------- preparing a release

interface PreparedCell {
  cell: ReleaseCell;
  reason: SuppressionReason | null;
  /** For a complementary cell: what it protects. */
  protects: string | null;
  /** No earlier release showed this key. */
  first: boolean;
}

interface PreparedRelease {
  quarters: Quarter[];
  newQuarters: Quarter[];
  counties: string[];
  cells: PreparedCell[];
  ledger: LedgerCache;
  audit: AuditSummary;
  inputs: ReleaseInputs;
}

/** Everything a release is planned from, read without holding any lock (checked again before writing). */
interface ReleaseInputs {
  quarters: Quarter[];
  newQuarters: Quarter[];
  counties: string[];
  /** Atom counts of the quarters covered, a negative count of a new quarter read as 0 (it moves to the open quarter). */
  counts: Map<string, number>;
  negatives: { family: string; category: string; county_fips: string; quarter: string; value: number }[];
  ledger: LedgerCache;
  press: PressKnowledge;
  rules: RecordRules;
  /** A digest of all of the above but the ledger, whose sequence number is checked instead. */
  digest: string;
}

async function readInputs(ctx: AppContext, db: Queryable, now: Date): Promise<ReleaseInputs> {
  const frozen = await q.frozenQuarters(db);
  const zone = ctx.jurisdiction.timeZone;
  const through = lastClosedQuarter(now, zone);
  const from = frozen[0] ?? (await q.firstQuarterWithData(db, through));
  if (!from || from > through) {
    throw new AppError('nothing_to_publish', 409, 'There is nothing to publish yet: no quarter that has ended holds any count.');
  }
  const quarters = quarterRange(from, through);
  const frozenSet = new Set(frozen);
  const newQuarters = quarters.filter((x) => !frozenSet.has(x));
  if (!newQuarters.length) {
    throw new AppError('no_new_quarter', 409, `Every quarter through ${through} is already published. The next release can go out once ${nextQuarter(through)} has ended.`);
  }
  const negatives = await q.negativeAtomsIn(db, newQuarters);
  const counts = await countsBetween(ctx, db, from, through, new Set(newQuarters));
  const ledger = await ledgerIndex(ctx, db);
  const press = await publishedPressKnowledge(db);
  const rules = await unsafeRecordRules(db);
  const digest = createHash('sha256')
    .update(JSON.stringify([quarters, [...counts].sort(), negatives, press, rules]))
    .digest('base64url');
  return { quarters, newQuarters, counties: [...ctx.jurisdiction.countyFips], counts, negatives, ledger, press, rules, digest };
}

/**
 * The inputs read in one short transaction holding the ledger lock shared: no release is written while
 * they are read (the lock is released before the plan, which may take minutes).
 */
function readConsistently(ctx: AppContext, now: Date): Promise<ReleaseInputs> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockUntilCommit(ctx.dialect, trx, LEDGER_LOCK, 'shared');
    return readInputs(ctx, trx, now);
  });
}

/** The state's atom counts from `from` through `through`; a negative count of a quarter in `zeroNegatives` reads as 0. */
async function countsBetween(ctx: AppContext, db: Queryable, from: Quarter, through: Quarter, zeroNegatives: ReadonlySet<Quarter>) {
  const inState = new Set(ctx.jurisdiction.countyFips);
  const counts = new Map<string, number>();
  for (const a of await q.atomsBetween(db, from, through)) {
    // Public statistics are the state's: an operation led across the state line is not on this map.
    const categories = FAMILIES[a.family as Family] as readonly string[] | undefined;
    if (!inState.has(a.county_fips) || !categories?.includes(a.category)) continue;
    let value = a.value;
    if (value < 0 && zeroNegatives.has(a.quarter)) value = 0;
    if (value < 0) throw new Error(`atom ${a.family}|${a.category}|${a.county_fips}|${a.quarter} of a published quarter is negative`);
    if (value) counts.set(atomKey({ family: a.family, category: a.category, county: a.county_fips, quarter: a.quarter }), value);
  }
  return counts;
}

/** Plans the release from its inputs: the audit runs here, outside any transaction, and may take minutes. */
async function planFrom(ctx: AppContext, inputs: ReleaseInputs, onProgress?: (p: PlanProgress) => void): Promise<PreparedRelease> {
  const { counts, quarters, newQuarters, counties, ledger } = inputs;
  let plan: ReleasePlan;
  try {
    // The engine keeps every published value of the ledger and throws if a frozen quarter changed.
    plan = await planRelease({
      counts,
      quarters,
      counties,
      ledger: ledger.index,
      pressOperations: inputs.press.operations,
      pressFigures: inputs.press.figures,
      rules: inputs.rules,
      k: K,
      ...(onProgress ? { onProgress } : {}),
    });
  } catch (err) {
    if (err instanceof FrozenValueError || err instanceof LedgerError) {
      ctx.log.error({ err: { message: err.message, name: err.name } }, 'statistics ledger check failed');
      throw new AppError('ledger_inconsistent', 409, `This release would contradict an earlier one (${err.message}). Nothing was published; ask the system administrator to check the statistics ledger.`);
    }
    throw err;
  }
  if (plan.audit.alreadyDisclosed.length) ctx.log.warn({ counts: plan.audit.alreadyDisclosed.slice(0, 20) }, 'statistics audit: counts narrowed before this release, which it cannot help');
  const cells = plan.cells.map((cell): PreparedCell => ({ cell, reason: cell.reason, protects: cell.protects, first: !ledger.index.get(cell.key) }));
  return { quarters, newQuarters, counties, cells, ledger, audit: plan.audit, inputs };
}

/** Records changed between reading and writing a release: it is planned again. */
class InputsChanged extends Error {}

/** A cell key or a protected sum's key (`family/category/county/period`) in words, for the PIO. */
export function describeKey(key: string): string {
  const [family, category, county, period] = key.replace(/^sum:/, '').split('/');
  const what = category && category !== 'all' ? `${family}: ${category.replace(/_/g, ' ')}` : `${family}: all`;
  return `${what}, ${county === 'all' || !county ? 'statewide' : `county ${county}`}, ${period ?? ''}`.trim();
}

function summary(p: PreparedRelease) {
  const primary = p.cells.filter((c) => c.reason === 'primary').length;
  const complementary = p.cells.filter((c) => c.reason === 'complementary').length;
  return { cells: p.cells.length, suppressed: { primary, complementary } };
}

/**
 * What publishing now would release, without releasing anything: the same plan as
 * {@link publishRelease}, read and audited without writing. Counts only; no value is returned.
 */
export async function previewRelease(ctx: AppContext, actor: Actor, options: { onProgress?: (p: PlanProgress) => void } = {}): Promise<StatisticsPreviewDto> {
  authorize(actor, statisticsPolicy, 'statistics.publish', LEDGER);
  const now = ctx.clock.now();
  const p = await planFrom(ctx, await readConsistently(ctx, now), options.onProgress);
  const hidden = p.cells.filter((c) => c.first && c.reason).map((c) => ({ dimensions: { family: c.cell.family as StatFamily, ...c.cell.dimensions }, reason: c.reason!, protects: c.protects ? describeKey(c.protects) : null }));
  const audit = { solves: p.audit.solves, protectedCounts: p.audit.protectedCounts, narrowestWidth: p.audit.narrowest ? p.audit.narrowest.hi - p.audit.narrowest.lo : null };
  return { id: null, seq: p.ledger.seq + 1, publishedAt: now.toISOString(), publishedBy: null, quarters: p.quarters, newQuarters: p.newQuarters, ...summary(p), hidden, audit };
}

/**
 * Publishes a release (PIO only): covers every closed quarter, freezes the new ones, keeps the whole
 * release in the ledger with each cell's atoms, value (null when suppressed) and why it is suppressed,
 * and writes its audit row in the same transaction. Refuses (409) when no new quarter has ended.
 */
export async function publishRelease(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  options: {
    onProgress?: (p: PlanProgress) => void;
    /** Tests only: runs between planning and writing, where another request's change would land. */
    beforeWrite?: (attempt: number) => Promise<void>;
  } = {},
): Promise<StatisticsReleaseDto> {
  authorize(actor, statisticsPolicy, 'statistics.publish', LEDGER);
  const now = ctx.clock.now();
  // A closed operation never counted (one closed before counting existed) is counted first.
  await ctx.db.transaction().execute(async (trx) => {
    for (const id of await q.uncountedClosedOperations(trx)) await countOperation(trx, ctx, id);
  });
  for (let attempt = 1; ; attempt++) {
    const p = await planFrom(ctx, await readConsistently(ctx, now), options.onProgress);
    await options.beforeWrite?.(attempt);
    try {
      return await writeRelease(ctx, actor, meta, now, p);
    } catch (err) {
      if (!(err instanceof InputsChanged)) throw err;
      if (attempt >= 3) throw new AppError('statistics_changed', 409, 'Records kept changing while the release was being checked. Nothing was published; try again in a moment.');
    }
  }
}

/**
 * Writes a planned release, holding the ledger lock for a short transaction: if anything it was planned
 * from changed since it was read (another release, a count, a press release), nothing is written and
 * {@link InputsChanged} is thrown.
 */
async function writeRelease(ctx: AppContext, actor: Actor, meta: RequestMeta, now: Date, p: PreparedRelease): Promise<StatisticsReleaseDto> {
  const at = now.toISOString();
  const { dto, cells } = await ctx.audit.transact(who(actor, meta), async (tx) => {
    await lockUntilCommit(ctx.dialect, tx.db, LEDGER_LOCK);
    const newest = await q.newestRelease(tx.db);
    if ((newest?.seq ?? 0) !== p.ledger.seq) throw new InputsChanged();
    const again = await readInputs(ctx, tx.db, now);
    if (again.digest !== p.inputs.digest) throw new InputsChanged();
    // A negative count of a quarter about to be frozen (a correction that took away more than its quarter
    // had) moves on to the open quarter, so a frozen quarter never holds a negative count.
    const open = quarterOf(now, ctx.jurisdiction.timeZone);
    for (const n of p.inputs.negatives) {
      const atom = { family: n.family, category: n.category, county: n.county_fips };
      await q.setAtom(tx.db, { ...atom, quarter: n.quarter }, 0);
      await q.addToAtoms(tx.db, [{ ...atom, quarter: open, delta: n.value }]);
    }
    const id = newId();
    const seq = p.ledger.seq + 1;
    const s = summary(p);
    // A cell the ledger has keeps its stored definition; a new one is written as a box, checked exactly.
    const boxes = p.cells.map((c) => p.ledger.boxes.get(c.cell.key) ?? JSON.stringify(boxOf(c.cell, p.counties)));
    await q.insertRelease(
      tx.db,
      {
        id,
        seq,
        published_at: at,
        published_by: actor.userId,
        quarters: JSON.stringify(p.quarters),
        new_quarters: JSON.stringify(p.newQuarters),
        cells: s.cells,
        suppressed: s.suppressed.primary + s.suppressed.complementary,
        complementary: s.suppressed.complementary,
        counties: JSON.stringify(p.counties),
      },
      p.cells.map((c, position) => ({
        release_id: id,
        key: c.cell.key,
        position,
        family: c.cell.family,
        dimensions: JSON.stringify(c.cell.dimensions),
        atoms: boxes[position]!,
        value: c.cell.value,
        suppressed: c.cell.suppressed ? 1 : 0,
        reason: c.reason,
        first_release: c.first ? 1 : 0,
      })),
    );
    await q.freezeQuarters(tx.db, p.newQuarters, id, at);
    tx.audit({
      action: 'statistics.publish',
      recordType: 'stat_release',
      recordId: id,
      detail: { seq, from: p.quarters[0]!, through: p.quarters.at(-1)!, newQuarters: p.newQuarters.join(','), cells: s.cells, primary: s.suppressed.primary, complementary: s.suppressed.complementary },
    });
    const dto: StatisticsReleaseDto = { id, seq, publishedAt: at, publishedBy: actor.displayName, quarters: p.quarters, newQuarters: p.newQuarters, ...s };
    const first = p.cells.flatMap((c, i) => (c.first ? [{ cell: c.cell, box: boxes[i]! }] : []));
    return { dto, cells: first };
  });
  // Committed: extend this process's index (another request may have caught up with it already).
  const cache = ledgers.get(ctx.db);
  if (cache && cache.seq === dto.seq - 1) {
    try {
      cache.index.add(cells.map((c) => c.cell));
      for (const c of cells) cache.boxes.set(c.cell.key, c.box);
      cache.seq = dto.seq;
      cache.releaseId = dto.id;
    } catch {
      ledgers.delete(ctx.db);
    }
  }
  return dto;
}

/** The ledger for staff: every release, newest first, with what it covers and how much it hides. */
export async function listReleases(ctx: AppContext, actor: Actor) {
  const rows = await q.listReleases(ctx.db);
  return {
    releases: rows.map(
      (r): StatisticsReleaseDto => ({
        id: r.id,
        seq: r.seq,
        publishedAt: r.published_at,
        publishedBy: r.publisher ?? null,
        quarters: JSON.parse(r.quarters) as string[],
        newQuarters: JSON.parse(r.new_quarters) as string[],
        cells: r.cells,
        suppressed: { primary: r.suppressed - r.complementary, complementary: r.complementary },
      }),
    ),
    abilities: abilitiesFor(actor, statisticsPolicy, LEDGER),
  };
}

// ---------------------------------------------------------------------------------------------- the public face

/** A published cell as the public sees it, with the reason kept for the page's wording only. */
export interface ViewCell extends PublicCellDto {
  reason: SuppressionReason | null;
}

/** The newest release, loaded once: releases never change, so its renderings are kept with it. */
export interface ReleaseView {
  id: string;
  seq: number;
  publishedAt: string;
  quarters: string[];
  years: string[];
  cells: ViewCell[];
  /** Rendered answers (JSON, HTML, CSV) by what was asked. */
  rendered: Map<string, string>;
}

const views = new WeakMap<object, { id: string; view: Promise<ReleaseView> }>();

/** The newest release (one indexed read per call, so a release published by another process shows at once), or null. */
export async function currentRelease(ctx: AppContext): Promise<ReleaseView | null> {
  const newest = await q.newestRelease(ctx.db);
  if (!newest) return null;
  const kept = views.get(ctx.db);
  if (kept?.id === newest.id) return kept.view;
  const view = (async (): Promise<ReleaseView> => {
    const rows = await q.publicCellsOf(ctx.db, newest.id);
    const quarters = JSON.parse(newest.quarters) as string[];
    return {
      id: newest.id,
      seq: newest.seq,
      publishedAt: newest.published_at,
      quarters,
      years: [...new Set(quarters.map(yearOf))],
      cells: rows.map((r) => {
        const dimensions = JSON.parse(r.dimensions) as CellDimensions;
        return { dimensions: { family: r.family as StatFamily, ...dimensions }, value: r.suppressed ? null : r.value, suppressed: r.suppressed === 1, reason: (r.reason as SuppressionReason | null) ?? null };
      }),
      rendered: new Map(),
    };
  })();
  views.set(ctx.db, { id: newest.id, view });
  view.catch(() => {
    if (views.get(ctx.db)?.view === view) views.delete(ctx.db);
  });
  return view;
}

export interface StatisticsFilter {
  family?: StatFamily | undefined;
  year?: string | undefined;
}

export const matches = (c: PublicCellDto, f: StatisticsFilter) => (!f.family || c.dimensions.family === f.family) && (!f.year || c.dimensions.period.startsWith(f.year));

/** Kept per release and filter, but only for filters that name something the release has. */
export function memo(view: ReleaseView, key: string, cacheable: boolean, render: () => string): string {
  const kept = view.rendered.get(key);
  if (kept !== undefined) return kept;
  const out = render();
  if (cacheable) view.rendered.set(key, out);
  return out;
}

/** `GET /api/public/statistics` as JSON text: the contract's shape, exactly, and nothing more (no atoms, no reasons). */
export async function publicStatisticsJson(ctx: AppContext, filter: StatisticsFilter): Promise<string> {
  const view = await currentRelease(ctx);
  if (!view) return JSON.stringify({ release: null, cells: [], totals: [] } satisfies PublicStatisticsDto);
  const cacheable = !filter.year || view.years.includes(filter.year);
  return memo(view, `json|${filter.family ?? ''}|${filter.year ?? ''}`, cacheable, () => {
    const strip = ({ dimensions, value, suppressed }: ViewCell): PublicCellDto => ({ dimensions, value, suppressed });
    const cells = view.cells.filter((c) => matches(c, filter)).map(strip);
    const body: PublicStatisticsDto = {
      release: { seq: view.seq, publishedAt: view.publishedAt, quarters: view.quarters },
      cells,
      totals: cells.filter((c) => c.dimensions.county === 'all' && c.dimensions.category === 'all'),
    };
    return JSON.stringify(body);
  });
}

/**
 * Publishes a release as `actor` if any quarter has ended since the last one, for the demo and the
 * command line; returns null when there is nothing new (a second run is harmless).
 */
export async function publishIfDue(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<StatisticsReleaseDto | null> {
  try {
    return await publishRelease(ctx, actor, meta);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'no_new_quarter' || err.code === 'nothing_to_publish')) return null;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------- press releases

const pressChecks = new Map<string, PressDisclosure[]>();

/**
 * Would a press release's figures, with every statistics release and press release already out,
 * disclose a hidden count (issue #8, item 3)? Only a quarter already published can be disclosed: the
 * figures of an operation in a later quarter are known to the audit of the release that covers it.
 * Answers are kept per ledger, data and figures, since a draft is checked each time it is opened.
 */
export async function assessPressFiguresIn(ctx: AppContext, db: Queryable, candidate: { operation: PressOperation; figures: readonly Omit<PressFigure, 'release'>[] }): Promise<PressDisclosure[]> {
  const frozen = await q.frozenQuarters(db);
  if (!frozen.includes(candidate.operation.quarter)) return [];
  const year = yearOf(candidate.operation.quarter);
  const yearQuarters = frozen.filter((x) => yearOf(x) === year);
  const counts = await countsBetween(ctx, db, yearQuarters[0]!, yearQuarters.at(-1)!, new Set());
  const ledger = await ledgerIndex(ctx, db);
  const press = await publishedPressKnowledge(db);
  const rules = await unsafeRecordRules(db);
  const key = createHash('sha256')
    .update(JSON.stringify([ledger.seq, ledger.releaseId, [...counts].sort(), press, rules, candidate]))
    .digest('base64url');
  const kept = pressChecks.get(key);
  if (kept) return kept;
  const found = await pressFiguresDisclose({
    counts,
    counties: [...ctx.jurisdiction.countyFips],
    ledger: ledger.index,
    pressOperations: press.operations,
    pressFigures: press.figures,
    candidate,
    rules,
    k: K,
  });
  if (pressChecks.size > 100) pressChecks.clear();
  pressChecks.set(key, found);
  return found;
}

/**
 * The audit of everything already published (PIO only; changes nothing): every year of the ledger
 * against every release and press release out, as a check that nothing published has become narrower than
 * its interval (a press release, a rule the data now shows) and as the benchmark's measure of the audit.
 */
export async function auditPublished(ctx: AppContext, actor: Actor): Promise<LedgerAuditDto> {
  authorize(actor, statisticsPolicy, 'statistics.publish', LEDGER);
  const started = performance.now();
  const inputs = await ctx.db.transaction().execute(async (trx) => {
    await lockUntilCommit(ctx.dialect, trx, LEDGER_LOCK, 'shared');
    const frozen = await q.frozenQuarters(trx);
    const counts = frozen.length ? await countsBetween(ctx, trx, frozen[0]!, frozen.at(-1)!, new Set()) : new Map<string, number>();
    return { frozen, counts, ledger: await ledgerIndex(ctx, trx), press: await publishedPressKnowledge(trx), rules: await unsafeRecordRules(trx) };
  });
  const years = [...new Set(inputs.frozen.map(yearOf))];
  const a = await auditLedger({ counts: inputs.counts, counties: [...ctx.jurisdiction.countyFips], ledger: inputs.ledger.index, years, pressOperations: inputs.press.operations, pressFigures: inputs.press.figures, rules: inputs.rules, k: K });
  return { years, solves: a.solves, protectedCounts: a.protectedCounts, narrowestWidth: a.narrowest ? a.narrowest.hi - a.narrowest.lo : null, alreadyDisclosed: a.alreadyDisclosed, ms: Math.round(performance.now() - started) };
}
