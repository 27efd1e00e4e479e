import { createHmac, randomInt } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { Insertable } from 'kysely';
import type { RequestMeta, Tx, Who } from '../../audit/audit.ts';
import type { Trx } from '../../db/database.ts';
import { insertRows } from '../../db/batch.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { TipTable } from '../../db/schema/index.ts';
import type { TipEventTable } from '../../db/schema/tips.ts';
import { KeyError } from '../../lib/crypto.ts';
import { AppError, conflict, invalid } from '../../lib/errors.ts';
import { settle, type Settled } from '../../lib/group-commit.ts';
import { asRequest, recordIdempotencyKey, type RequestKey } from '../../lib/idempotency.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { TIP_LIMITS, type TipSource } from '../../../common/tips.ts';
import { zipCounty } from '../geocoding/gazetteer.ts';
import { identifierRows, identifiersOfTip, type IdentifierValue } from '../identifiers/identifiers.ts';
import { routeTip } from './tips.routing.ts';
import { alertUrgentTip, triageTips, triagedBlinds, type Triage } from './tips.triage.ts';
import { proofReplayed, spendProofsInsert, type VerifiedProof } from './altcha.ts';
import { raiseTipAlerts, sightTips, type Sighting } from '../businesses/businesses.watch.ts';

export interface FileTipInput extends TipFields {
  source: TipSource;
  /** When the tipster made the tip (a hotline tip was made before it was imported); default now. */
  receivedAt?: string | undefined;
  /** The hotline's reference: a second tip with it is refused (conflict naming the first). */
  externalRef?: string | undefined;
}

export interface FiledTip {
  tipId: string;
  /** Shown once to the tipster; stored only as a keyed hash. */
  receipt: string;
  urgent: boolean;
}

// ------------------------------------------------------------------------------------------- receipts

/**
 * A new receipt: 20 random digits (about 66 bits), grouped in fours for reading aloud over a phone. It is
 * shown once and stored only as a keyed hash: a lost receipt cannot be recovered (issue #10, item 3).
 */
export function newReceipt(): string {
  let digits = '';
  for (let i = 0; i < TIP_LIMITS.receiptDigits; i++) digits += String(randomInt(10));
  return formatReceipt(digits);
}

/** "12345678…" → "1234 5678 …". */
export function formatReceipt(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * A receipt as typed, reduced to what identifies it: spaces and dashes (of any width) dropped, full-width
 * digits folded. Anything else is left in, so a mistyped receipt simply matches nothing.
 */
export function normalizeReceipt(text: string): string {
  return text.normalize('NFKC').replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

/**
 * The stored form of a receipt: HMAC-SHA-256 under the blind-index key (like `blindIndex`), of the
 * normalised receipt. The tipster's pages find a tip by it; the receipt itself is nowhere.
 */
export function receiptHash(ctx: AppContext, receipt: string): string {
  const key = ctx.keyring.indexKey;
  if (!key) throw new KeyError('no blind-index key: set LANTERN_INDEX_KEY (or use the key file)');
  return createHmac('sha256', key).update(`tip-receipt\u0000${normalizeReceipt(receipt)}`).digest('hex');
}

// ------------------------------------------------------------------------------------------- filing

/** Whether each ZIP asked about exists: the gazetteer's lookup costs a tenth of a tip's CPU. At most 100,000 five-digit keys. */
const knownZips = new Map<string, boolean>();

/** The ZIP must exist (the offline gazetteer): a typo would otherwise route the tip nowhere. */
export async function checkZip(zip: string | undefined): Promise<void> {
  if (!zip) return;
  let known = knownZips.get(zip);
  if (known === undefined) {
    known = !!(await zipCounty(zip));
    if (/^\d{5}$/.test(zip)) knownZips.set(zip, known);
  }
  if (!known) throw invalid('zip', 'is not a ZIP code we know; check it, or leave it out and give the city or county');
}

/** A submission of a burst is filed from the queue; another process filed it first. */
export class AlreadyFiled extends Error {}

/** Nothing of the public tipster's request goes into the audit row: no address, no browser, no request id. */
const NO_META: RequestMeta = { ip: null, userAgent: null, requestId: null };

export interface FileOptions {
  receiptHash: string;
  /** Where a staff member entered the tip from (the audit row); public tips carry none. */
  meta?: RequestMeta | undefined;
  /** The public tip's proof of work, spent in the tip's own transaction. */
  proof?: VerifiedProof | undefined;
  /** Filing a queued submission: its queue row, deleted in the same transaction if still ours. */
  queued?: { id: string; claim: string; queuedAt: string } | undefined;
}

const nonEmpty = (v: string | undefined) => (v ? v : undefined);

/**
 * What a tip says beyond its narrative, as sealed into `tip.details` (older rows may lack a field: readers
 * take each as optional).
 */
export interface SealedTipDetails {
  address: string | null;
  city: string | null;
  county: string | null;
  when: string | null;
  people: string | null;
  vehicles: string | null;
  phones: string[];
  emails: string[];
  online: string[];
  businesses: string[];
}

function detailsOf(input: TipFields): SealedTipDetails {
  return {
    address: nonEmpty(input.address) ?? null,
    city: nonEmpty(input.city) ?? null,
    county: nonEmpty(input.county) ?? null,
    when: nonEmpty(input.when) ?? null,
    people: nonEmpty(input.people) ?? null,
    vehicles: nonEmpty(input.vehicles) ?? null,
    phones: input.phones.filter(Boolean),
    emails: input.emails.filter(Boolean),
    online: input.online.filter(Boolean),
    businesses: input.businesses.filter(Boolean),
  };
}

/** The tipster's contact details, or null ("Tipster") when they gave none. */
function contactOf(input: TipFields) {
  const c = input.contact;
  if (!c) return null;
  const kept = Object.fromEntries(Object.entries(c).filter(([, v]) => typeof v === 'string' && v !== ''));
  return Object.keys(kept).length ? kept : null;
}

/**
 * Files a tip: route, encrypt, index its identifiers, triage, audit, one durable commit; after the
 * commit, alerts on an urgent one. `by` is the staff member entering a phoned-in or imported tip (the
 * audit actor and `created_by`); null for the public form, whose tips carry no actor and no request
 * metadata. A hotline reference already in Lantern is a 409 naming the tip that has it.
 */
export async function fileTip(ctx: AppContext, input: FileTipInput, by: Actor | null, meta?: RequestMeta): Promise<FiledTip> {
  await checkZip(input.zip);
  const receipt = newReceipt();
  const filed = await fileTipWithHash(ctx, input, by, { receiptHash: receiptHash(ctx, receipt), meta });
  return { ...filed, receipt };
}

/**
 * `fileTip` under a receipt hash made earlier (a queued submission keeps the receipt its tipster was
 * given), with the public tip's proof spent, or the queue row deleted, in the same transaction. The ZIP
 * has been checked by the caller.
 */
export async function fileTipWithHash(ctx: AppContext, input: FileTipInput, by: Actor | null, opts: FileOptions): Promise<{ tipId: string; urgent: boolean }> {
  const tip = await prepareTip(ctx, input, by, opts);
  const read = await readBeforeFiling(ctx, [tip]);
  try {
    await writeTips(ctx, [tip], read, opts.queued ? (tx) => takeQueued(tx.db, opts.queued!) : null);
  } catch (err) {
    if (isUniqueViolation(err)) await explainDuplicate(ctx, tip.externalRef, opts.receiptHash);
    throw err;
  }
  if (tip.urgent) await alertAfterCommit(ctx, tip);
  return { tipId: tip.id, urgent: tip.urgent };
}

/** A public tip waiting for a group commit: its fields, its receipt's hash, its spent proof, its request's key. */
export interface TipToFile {
  input: FileTipInput;
  receiptHash: string;
  proof?: VerifiedProof | undefined;
  /** The request's Idempotency-Key, recorded with the tip in the shared transaction. */
  key?: RequestKey | undefined;
}

/**
 * Files public tips of one moment together: one transaction, one commit, the same rows and audit entries
 * (one `tip.create` each) as filing them one by one, and each triaged as if filed in turn. When the batch
 * cannot be written as a whole because of one of its tips (a replayed proof, a receipt or key already
 * taken), nothing of it is kept and each tip is filed on its own, under its own request, so that tip alone
 * fails; any other failure (the database busy or gone) is every tip's.
 */
export async function fileTipsTogether(ctx: AppContext, jobs: TipToFile[]): Promise<Settled<{ tipId: string; urgent: boolean }>[]> {
  if (jobs.length === 1) return [await settle(fileOne(ctx, jobs[0]!))];
  const tips = await Promise.all(jobs.map((j) => prepareTip(ctx, j.input, null, { receiptHash: j.receiptHash, proof: j.proof })));
  // A tip can carry up to 100 identifiers (a narrative full of numbers): the batch's index rows are one
  // insert, so a batch is cut where they would pass what one statement may bind.
  const results: Settled<{ tipId: string; urgent: boolean }>[] = [];
  let from = 0;
  while (from < tips.length) {
    let to = from + 1;
    let rows = tips[from]!.index.rows.length;
    while (to < tips.length && rows + tips[to]!.index.rows.length <= MAX_INDEX_ROWS_TOGETHER) rows += tips[to++]!.index.rows.length;
    results.push(...(await fileGroup(ctx, jobs.slice(from, to), tips.slice(from, to))));
    from = to;
  }
  return results;
}

/** Index rows written together at most (9 values each: SQLite binds at most 32,766 in a statement). */
const MAX_INDEX_ROWS_TOGETHER = 2_000;

async function fileGroup(ctx: AppContext, jobs: TipToFile[], tips: PreparedTip[]): Promise<Settled<{ tipId: string; urgent: boolean }>[]> {
  if (jobs.length === 1) return [await settle(fileOne(ctx, jobs[0]!))];
  const keyed = jobs.some((job) => job.key);
  const recordKeys = async (tx: Tx) => {
    for (const [i, job] of jobs.entries()) {
      if (job.key) await recordIdempotencyKey(tx.db, ctx.clock.now(), [{ action: 'tip.create', recordId: tips[i]!.id }], job.key);
    }
  };
  try {
    const read = await readBeforeFiling(ctx, tips);
    await asRequest(undefined, () => writeTips(ctx, tips, read, keyed ? recordKeys : null));
  } catch (err) {
    if (!spoiledByOne(err)) throw err;
    // One after another, in the order they came: a proof sent twice is the later tip's failure.
    const alone: Settled<{ tipId: string; urgent: boolean }>[] = [];
    for (const job of jobs) alone.push(await settle(fileOne(ctx, job)));
    return alone;
  }
  await Promise.all(tips.filter((t) => t.urgent).map((t) => alertAfterCommit(ctx, t)));
  return tips.map((t) => ({ ok: true, value: { tipId: t.id, urgent: t.urgent } }));
}

function fileOne(ctx: AppContext, job: TipToFile) {
  return asRequest(job.key, () => fileTipWithHash(ctx, job.input, null, { receiptHash: job.receiptHash, proof: job.proof }));
}

/** A failure one tip of a batch can cause: the others are not to fail with it. */
function spoiledByOne(err: unknown): boolean {
  return err instanceof AppError || isUniqueViolation(err);
}

/** Tips earlier in the batch that share an identifier with this one and go to the same queue. */
function sharingInBatch(tip: PreparedTip, earlier: readonly PreparedTip[]): number {
  if (earlier.length === 0) return 0;
  const mine = new Set(triagedBlinds(tip.index.blinds));
  return earlier.filter((e) => e.route.agencyId === tip.route.agencyId && e.index.blinds.some((b) => mine.has(b))).length;
}

/** Everything of a tip worked out before its transaction: reading the directory, sealing, hashing. */
interface PreparedTip {
  id: string;
  now: string;
  receivedAt: string;
  input: FileTipInput;
  by: Actor | null;
  opts: FileOptions;
  who: Who;
  identifiers: IdentifierValue[];
  index: { rows: RecordIdentifierRow[]; blinds: string[] };
  route: Awaited<ReturnType<typeof routeTip>>;
  externalRef: string | null;
  sealed: { narrative: string; details: string; contact: string | null };
  urgent: boolean;
}

type RecordIdentifierRow = ReturnType<typeof identifierRows>['rows'][number];

async function prepareTip(ctx: AppContext, input: FileTipInput, by: Actor | null, opts: FileOptions): Promise<PreparedTip> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const receivedAt = input.receivedAt ? new Date(input.receivedAt).toISOString() : (opts.queued?.queuedAt ?? now);
  const identifiers = identifiersOfTip(input);
  const contact = contactOf(input);
  // Routing reads the directory only: outside the transaction, which on SQLite holds the one write lock.
  const route = await routeTip(
    ctx,
    ctx.db,
    { zip: nonEmpty(input.zip), countyFips: input.countyFips, county: nonEmpty(input.county), city: nonEmpty(input.city), address: nonEmpty(input.address) },
    // The public form can ask the tipster which county; staff entry and imports take the largest share, noted.
    input.source === 'web' ? { ask: true, language: input.language } : {},
  );
  const index = identifierRows(ctx, { type: 'tip', id, parentId: id, agencyId: route.agencyId }, identifiers);
  return {
    id,
    now,
    receivedAt,
    input,
    by,
    opts,
    who: { actor: auditActor(by), meta: by ? (opts.meta ?? NO_META) : NO_META },
    identifiers,
    index,
    route,
    externalRef: input.externalRef ? `${input.source}:${input.externalRef}` : null,
    sealed: {
      narrative: seal(ctx.keyring, 'tip', 'narrative', id, input.narrative),
      details: seal(ctx.keyring, 'tip', 'details', id, JSON.stringify(detailsOf(input))),
      contact: seal(ctx.keyring, 'tip', 'contact', id, contact ? JSON.stringify(contact) : null),
    },
    urgent: false,
  };
}

/** What the re-opening watch reads of a tip: its index rows' hashes, made once (it reads no rows of the tip's own). */
const watched = (tip: PreparedTip) => ({ id: tip.id, agencyId: tip.route.agencyId, blinds: tip.index.rows });

/** What filing reads of other records: the closed businesses the tips name, and triage's counts. */
interface ReadBeforeFiling {
  sightings: Sighting[];
  triaged: Triage[];
}

/**
 * The re-opening watch's read and triage's counts, before the tips' write and side by side (two
 * connections on PostgreSQL). Triage ranks each tip as if filed in turn: it reads other records, never
 * the batch's own rows, and counts the batch's earlier tips from memory. Both see what a read in the
 * transaction saw under read committed, where each statement takes its own snapshot (the watch:
 * businesses.watch.ts, `sightTips`).
 */
async function readBeforeFiling(ctx: AppContext, tips: readonly PreparedTip[]): Promise<ReadBeforeFiling> {
  const [sightings, triaged] = await Promise.all([
    sightTips(ctx.db, tips.map(watched)),
    triageTips(
      ctx.db,
      ctx,
      tips.map((tip, i) => ({ tipId: tip.id, fields: tip.input, blinds: tip.index.blinds, agencyId: tip.route.agencyId, sharingInBatch: sharingInBatch(tip, tips.slice(0, i)) })),
    ),
  ]);
  return { sightings, triaged };
}

/**
 * The tips' rows and audit entries. Almost always they are all there is to write: on PostgreSQL one
 * statement with no transaction around it (`AuditLog.writeAlone`). A tip that names a closed business
 * (its alerts), a queued submission (its queue row) or an Idempotency-Key (`more`) take a transaction.
 */
async function writeTips(ctx: AppContext, tips: readonly PreparedTip[], read: ReadBeforeFiling, more: ((tx: Tx) => Promise<void>) | null) {
  const stage = (tx: Tx) => writeStaged(tx, tips.map((tip, i) => stageTip(tx, tip, read.triaged[i]!)));
  if (!more && read.sightings.length === 0) return ctx.audit.writeAlone(tips[0]!.who, stage);
  return ctx.audit.transact(tips[0]!.who, async (tx) => {
    if (more) await more(tx);
    await raiseTipAlerts(tx, ctx, read.sightings);
    stage(tx);
  });
}

/** A tip's rows, ready to write with the others of its transaction. */
interface StagedTip {
  row: TipTable;
  events: Insertable<TipEventTable>[];
  index: RecordIdentifierRow[];
  proof: VerifiedProof | undefined;
}

/** A tip's row, its two events and its audit entry, from its triage (read before, `readBeforeFiling`). */
function stageTip(tx: Tx, tip: PreparedTip, triage: Triage): StagedTip {
  const { id, input, route, by, now } = tip;
  tip.urgent = triage.urgent;
  const row: TipTable = {
    id,
    agency_id: route.agencyId,
    task_force_id: route.taskForceId,
    source: input.source,
    status: 'new',
    version: 1,
    urgent: triage.urgent ? 1 : 0,
    minor_involved: input.minorInvolved ? 1 : 0,
    immediate_danger: input.immediateDanger ? 1 : 0,
    language: input.language,
    zip: nonEmpty(input.zip) ?? null,
    county_fips: route.countyFips,
    score: Math.round(triage.score),
    score_reasons: JSON.stringify(triage.reasons),
    routing: JSON.stringify(route.routing),
    narrative: tip.sealed.narrative,
    details: tip.sealed.details,
    contact: tip.sealed.contact,
    receipt_hash: tip.opts.receiptHash,
    external_ref: tip.externalRef,
    assigned_user_id: null,
    close_reason: null,
    closed_at: null,
    received_at: tip.receivedAt,
    created_by: by?.userId ?? null,
    created_at: now,
    updated_at: now,
  };
  const queued = tip.opts.queued ? { queued: true } : {};
  const events = [
    { id: newId(), tip_id: id, agency_id: route.agencyId, at: now, kind: 'received', actor_user_id: by?.userId ?? null, detail: JSON.stringify({ source: input.source, ...queued }) },
    { id: newId(), tip_id: id, agency_id: route.agencyId, at: now, kind: 'routed', actor_user_id: null, detail: JSON.stringify({ ...route.routing, agencyId: route.agencyId }) },
  ];
  tx.audit({
    action: 'tip.create',
    recordType: 'tip',
    recordId: id,
    recordAgencyId: route.agencyId,
    detail: { source: input.source, urgent: triage.urgent, routing: route.routing.rule, identifiers: tip.identifiers.length, queued: !!tip.opts.queued },
  });
  return { row, events, index: tip.index.rows, proof: tip.opts.proof };
}

/**
 * The staged tips' rows, one multi-row insert per table, sent with the audit rows (on PostgreSQL the
 * spends, the tips, their events, their index and the audit append are one statement). The proofs are
 * spent with the tips: a replay inserts fewer spent rows than proofs, and everything rolls back.
 */
function writeStaged(tx: Tx, staged: StagedTip[]) {
  const proofs = staged.flatMap((s) => (s.proof ? [s.proof] : []));
  if (proofs.length) {
    tx.insertAtEnd(spendProofsInsert(proofs), { rows: proofs.length, otherwise: proofReplayed });
  }
  tx.insertAtEnd(insertRows('tip', staged.map((s) => s.row)));
  tx.insertAtEnd(insertRows('tip_event', staged.flatMap((s) => s.events)));
  const index = staged.flatMap((s) => s.index);
  if (index.length) tx.insertAtEnd(insertRows('record_identifier', index));
}

/** The tip is committed whatever happens here; a failed alert is logged, and the queue shows it urgent. */
async function alertAfterCommit(ctx: AppContext, tip: PreparedTip) {
  await alertUrgentTip(ctx, { id: tip.id, agencyId: tip.route.agencyId, taskForceId: tip.route.taskForceId }).catch((err: Error) =>
    ctx.log.error({ err: err.message, tipId: tip.id }, 'urgent tip alert failed'),
  );
}

/** Deletes the queue row being filed, if this drain still holds it; otherwise rolls the filing back. */
async function takeQueued(trx: Trx, queued: NonNullable<FileOptions['queued']>) {
  const gone = await trx.deleteFrom('tip_intake_queue').where('id', '=', queued.id).where('claim', '=', queued.claim).executeTakeFirst();
  if (Number(gone.numDeletedRows) !== 1) throw new AlreadyFiled('another drain took this submission');
}

/** A unique index refused the tip: the hotline reference is taken (409 naming the tip), or the receipt is. */
async function explainDuplicate(ctx: AppContext, externalRef: string | null, hash: string): Promise<void> {
  if (externalRef) {
    const first = await ctx.db.selectFrom('tip').select('id').where('external_ref', '=', externalRef).executeTakeFirst();
    if (first) {
      throw Object.assign(conflict(`externalRef: this reference was already imported as tip ${first.id}`, 'externalRef'), { details: { tipId: first.id } });
    }
  }
  const filed = await ctx.db.selectFrom('tip').select('id').where('receipt_hash', '=', hash).executeTakeFirst();
  if (filed) throw new AlreadyFiled(`the submission was already filed as tip ${filed.id}`);
}
