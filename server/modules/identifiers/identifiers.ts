import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import type { IdentifierKind, IndexedRecordType } from '../../../common/tips.ts';
import type { TipFields, TipLink } from '../../../common/schemas/tips.ts';
import type { Actor } from '../../auth/actor.ts';
import { addressKey, emailsInText, maskIdentifier, normalizeEmail, normalizeIdentifier, phonesInText, platesInText } from '../../../common/identifiers.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import { tipAccess } from '../tips/tips.access.ts';
import { operationAccess } from '../operations/operations.access.ts';
import { contactAccess } from '../contacts/contacts.access.ts';
import { businessAccess } from '../businesses/businesses.access.ts';
import { releaseAccessAt } from '../clients/clients.access.ts';

/**
 * The identifier index (issue #10, item 7): phones, emails, plates, addresses, businesses and handles of
 * tips, operations' subjects and contacts, normalised (common/identifiers.ts) and kept only as keyed
 * hashes in `record_identifier`. A tip's links are the other records sharing a hash with it that the
 * viewer may see, found in one query whose filter is each record's read grant. A client's phone is in
 * it only as a release's row (issue #12, item 4: `reindexReleasePhone`), seen by the release's recipient
 * while the release is in effect, in a staff search (identifiers.search.ts) and among a tip's links, and
 * by no one else.
 */

/** One identifier, normalised (common/identifiers.ts), before it is hashed into the index. */
export interface IdentifierValue {
  kind: IdentifierKind;
  normalized: string;
}

/** The record an identifier belongs to, and the record a viewer opens for it (a tip, or the operation). */
export interface IndexedRecord {
  type: IndexedRecordType;
  id: string;
  parentId: string;
  agencyId: string;
}

/** At most this many identifiers of one tip are indexed (a narrative could list hundreds of numbers). */
const MAX_PER_TIP = 100;

/**
 * The identifiers a tip carries: its phone, email, website and business lists, the place's one address
 * key, plates written plainly in its vehicles, and the valid phone numbers and emails found in what
 * happened and who was there. The tipster's own contact details are not among them: a tipster is never
 * linked to anyone by the index.
 */
export function identifiersOfTip(fields: TipFields): IdentifierValue[] {
  const out: IdentifierValue[] = [];
  const seen = new Set<string>();
  const add = (kind: IdentifierKind, normalized: string | null) => {
    if (!normalized || out.length >= MAX_PER_TIP || seen.has(`${kind}\u0000${normalized}`)) return;
    seen.add(`${kind}\u0000${normalized}`);
    out.push({ kind, normalized });
  };
  for (const p of fields.phones ?? []) add('phone', normalizeIdentifier('phone', p));
  for (const e of fields.emails ?? []) add('email', normalizeEmail(e));
  for (const o of fields.online ?? []) {
    const email = o.includes('@') && !o.trim().startsWith('@') ? normalizeEmail(o) : null;
    if (email) add('email', email);
    else add('handle', normalizeIdentifier('handle', o));
  }
  for (const b of fields.businesses ?? []) add('business', normalizeIdentifier('business', b));
  add('address', addressKey({ address: fields.address, city: fields.city, zip: fields.zip }));
  for (const plate of platesInText(fields.vehicles ?? '')) add('plate', plate);
  for (const text of [fields.narrative, fields.people ?? '', fields.vehicles ?? '']) {
    for (const phone of phonesInText(text)) add('phone', phone);
    for (const email of emailsInText(text)) add('email', email);
  }
  return out;
}

/** A row of the index to write: the keyed hash and, for a tip, its sealed masked value. */
interface IndexEntry {
  kind: IdentifierKind;
  blind: string;
  hint?: string | null;
}

async function insertEntries(trx: Queryable, ctx: AppContext, rows: { record: IndexedRecord; entry: IndexEntry }[]) {
  await entriesInsert(trx, ctx, rows)?.execute();
}

/** The index rows as one multi-row insert, not yet run; null when there are none. */
function entriesInsert(trx: Queryable, ctx: AppContext, rows: { record: IndexedRecord; entry: IndexEntry }[]) {
  if (rows.length === 0) return null;
  return trx.insertInto('record_identifier').values(entryRows(ctx, rows));
}

function entryRows(ctx: AppContext, rows: { record: IndexedRecord; entry: IndexEntry }[]) {
  const now = ctx.clock.now().toISOString();
  return rows.map(({ record, entry }) => {
    const id = newId();
    return {
      id,
      record_type: record.type,
      record_id: record.id,
      parent_id: record.parentId,
      agency_id: record.agencyId,
      kind: entry.kind,
      blind: entry.blind,
      created_at: now,
      hint: entry.hint ? seal(ctx.keyring, 'record_identifier', 'hint', id, entry.hint) : null,
    };
  });
}

/**
 * Writes a record's identifiers into the index, in the caller's transaction, as one multi-row insert:
 * keyed hashes only, deduplicated; a tip's rows also carry the sealed masked value its links show.
 * Returns the blind indexes written.
 */
export async function indexIdentifiers(trx: Trx, ctx: AppContext, record: IndexedRecord, ids: IdentifierValue[]): Promise<string[]> {
  const { insert, blinds } = identifiersInsert(trx, ctx, record, ids);
  await insert?.execute();
  return blinds;
}

/**
 * `indexIdentifiers` as an insert for the caller to run (with the record's other rows, `Tx.insertAtEnd`),
 * and the blind indexes it writes.
 */
export function identifiersInsert(trx: Trx, ctx: AppContext, record: IndexedRecord, ids: IdentifierValue[]) {
  const { rows, blinds } = identifierRows(ctx, record, ids);
  return { insert: rows.length ? trx.insertInto('record_identifier').values(rows) : null, blinds };
}

/**
 * `identifiersInsert`'s rows, for a caller that writes several records' rows in one insert (tips filed
 * together, tips.intake.ts).
 */
export function identifierRows(ctx: AppContext, record: IndexedRecord, ids: IdentifierValue[]) {
  const byBlind = new Map<string, IndexEntry>();
  for (const v of ids) {
    const blind = blindIndex(ctx.keyring, v.kind, v.normalized);
    if (!byBlind.has(blind)) byBlind.set(blind, { kind: v.kind, blind, hint: record.type === 'tip' ? maskIdentifier(v.kind, v.normalized) : null });
  }
  return { rows: entryRows(ctx, [...byBlind.values()].map((entry) => ({ record, entry }))), blinds: [...byBlind.keys()] };
}

/** Removes a record's entries from the index (in the caller's transaction), before it is indexed anew. */
export async function unindexRecord(trx: Trx, type: IndexedRecordType, id: string): Promise<void> {
  await trx.deleteFrom('record_identifier').where('record_type', '=', type).where('record_id', '=', id).execute();
}

/**
 * An operation's subjects, indexed anew as the plan saves them (planning.service.ts, in its transaction):
 * the old subjects' rows go, the new ones come with the hashes `operation_subject.blind` already holds.
 */
export async function reindexSubjects(
  trx: Trx,
  ctx: AppContext,
  operation: { id: string; agency_id: string },
  subjects: readonly { id: string; kind: string; blind: string }[],
): Promise<void> {
  await trx.deleteFrom('record_identifier').where('record_type', '=', 'operation_subject').where('parent_id', '=', operation.id).execute();
  await insertEntries(
    trx,
    ctx,
    subjects.map((s) => ({ record: { type: 'operation_subject', id: s.id, parentId: operation.id, agencyId: operation.agency_id }, entry: { kind: s.kind as IdentifierKind, blind: s.blind } })),
  );
}

/**
 * A contact's phones, indexed anew whenever they are recorded or changed (contacts.service.ts, in its
 * transaction). The contact's operation is the record a viewer opens; who may see the link is decided
 * when it is read, by the contact's own read grant (a minor's sealed record links for no one else).
 */
export async function reindexContactPhones(
  trx: Trx,
  ctx: AppContext,
  contact: { id: string; operation_id: string; agency_id: string },
  phones: readonly string[],
): Promise<void> {
  await unindexRecord(trx, 'contact', contact.id);
  await indexIdentifiers(trx, ctx, contactIndexed(contact), phoneValues(phones));
}

/**
 * A new contact's phones as index rows, for the caller to write with the contact itself (contacts recorded
 * together, contacts.recording.ts): a contact just numbered has no rows to replace.
 */
export function newContactPhoneRows(ctx: AppContext, contact: { id: string; operation_id: string; agency_id: string }, phones: readonly string[]) {
  return identifierRows(ctx, contactIndexed(contact), phoneValues(phones)).rows;
}

const contactIndexed = (contact: { id: string; operation_id: string; agency_id: string }): IndexedRecord => ({
  type: 'contact',
  id: contact.id,
  parentId: contact.operation_id,
  agencyId: contact.agency_id,
});

const phoneValues = (phones: readonly string[]) =>
  phones.map((p) => normalizeIdentifier('phone', p)).filter((n): n is string => n !== null).map((normalized) => ({ kind: 'phone' as const, normalized }));

/**
 * A client's phone, indexed for one release (issue #12, item 4) when an advocate shares contact details
 * under it (clients.index.ts, in the share's transaction): the only way anything of a client enters the
 * index. The row names the release, not the client, and the recipient agency; who sees the link is
 * decided when it is read, by the recipient's grant on the release at that moment (`linkQuery`).
 */
export async function reindexReleasePhone(trx: Trx, ctx: AppContext, release: { id: string; recipientAgencyId: string }, phone: string | null): Promise<void> {
  await unindexRecord(trx, 'release', release.id);
  const normalized = phone ? normalizeIdentifier('phone', phone) : null;
  if (!normalized) return;
  await indexIdentifiers(trx, ctx, { type: 'release', id: release.id, parentId: release.id, agencyId: release.recipientAgencyId }, [{ kind: 'phone', normalized }]);
}

/**
 * Indexes the phones of contacts recorded before the index existed (migration 0014 could not: they are
 * sealed, and a migration holds no keys). Idempotent: contacts already indexed are skipped. Nothing calls
 * it on start yet; an upgrade runs it once (a `lantern` command would be its home).
 */
export async function indexContactPhones(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .selectFrom('contact as c')
    .select(['c.id', 'c.operation_id', 'c.agency_id', 'c.phones'])
    .where('c.phones', 'is not', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('record_identifier as ri').select('ri.id').where('ri.record_type', '=', 'contact').whereRef('ri.record_id', '=', 'c.id'))))
    .execute();
  for (const r of rows) {
    const phones = JSON.parse(unseal(ctx.keyring, 'contact', 'phones', r.id, r.phones!)) as string[];
    await ctx.db.transaction().execute((trx) => reindexContactPhones(trx, ctx, r, phones));
  }
  return rows.length;
}

// ---------------------------------------------------------------------------------------------- links

/** Operation states that count as open, for a link and for triage's count: planned (a draft), approved, running. */
export const OPEN_OPERATION_STATUSES = ['draft', 'approved', 'active'] as const;

/** One record sharing an identifier, as the link query returns it: one row per shared hash. */
export interface LinkRow {
  record_type: 'tip' | 'operation' | 'business' | 'release';
  record_id: string;
  label: string;
  status: string;
  blind: string;
  at: string;
}

/**
 * The records other than tip `excludeTipId` holding any of `blinds` (the hashes, or a tip whose hashes
 * they are) that `actor` may see, one row per (record, shared hash). The four kinds of record are four
 * branches of one query, each filtered by its own read grant in SQL — `tip.read`, `operation.read` for
 * subjects, `contact.read` for contacts (shown as their operation), `business.read` for the campaign's
 * businesses — so a record the actor may not see is never read, not even counted.
 *
 * With `releasesAt` (an ISO time), a fifth branch: clients' releases whose shared contact details hold
 * the hash, filtered by the recipient's grant at that moment (`release.readShared`: the agency and person
 * the release names, while it is active, started and unexpired). Without it, no release is ever read:
 * the callers that count tips and operations for a queue have no use for them.
 */
export function linkQuery(db: Queryable, actor: Actor, hashes: readonly string[] | { ofTip: string }, excludeTipId: string | null, opts: { releasesAt?: string } = {}) {
  const blinds = 'ofTip' in hashes ? db.selectFrom('record_identifier as own').select('own.blind').where('own.record_type', '=', 'tip').where('own.record_id', '=', hashes.ofTip) : hashes;
  const tips = db
    .selectFrom('record_identifier as ri')
    .innerJoin('tip as t', 't.id', 'ri.record_id')
    .select([sql.lit('tip').as('record_type'), 't.id as record_id', 't.received_at as label', 't.status as status', 'ri.blind as blind', 't.received_at as at'])
    .where('ri.blind', 'in', blinds)
    .where('ri.record_type', '=', 'tip')
    .where('ri.record_id', '!=', excludeTipId ?? '')
    .where(tipAccess.grants['tip.read'].where(actor));
  const subjects = db
    .selectFrom('record_identifier as ri')
    .innerJoin('operation', 'operation.id', 'ri.parent_id')
    .select([sql.lit('operation').as('record_type'), 'operation.id as record_id', 'operation.name as label', 'operation.status as status', 'ri.blind as blind', 'operation.starts_at as at'])
    .where('ri.blind', 'in', blinds)
    .where('ri.record_type', '=', 'operation_subject')
    .where(operationAccess.grants['operation.read'].where(actor));
  const contacts = db
    .selectFrom('record_identifier as ri')
    .innerJoin('contact as c', 'c.id', 'ri.record_id')
    .innerJoin('operation as o', 'o.id', 'c.operation_id')
    .select([sql.lit('operation').as('record_type'), 'o.id as record_id', 'o.name as label', 'o.status as status', 'ri.blind as blind', 'o.starts_at as at'])
    .where('ri.blind', 'in', blinds)
    .where('ri.record_type', '=', 'contact')
    .where(contactAccess.grants['contact.read'].where(actor));
  // Businesses of the campaign (issue #11) sharing a phone, address, handle or name, by `business.read`.
  const businesses = db
    .selectFrom('record_identifier as ri')
    .innerJoin('business as b', 'b.id', 'ri.record_id')
    .select([sql.lit('business').as('record_type'), 'b.id as record_id', 'b.name as label', 'b.stage as status', 'ri.blind as blind', 'b.created_at as at'])
    .where('ri.blind', 'in', blinds)
    .where('ri.record_type', '=', 'business')
    .where(businessAccess.grants['business.read'].where(actor));
  const all = tips.unionAll(subjects).unionAll(contacts).unionAll(businesses);
  if (opts.releasesAt === undefined) return all;
  // Labelled with the advocate agency that shared; `rel` is the alias the release grant is written for.
  const releases = db
    .selectFrom('record_identifier as ri')
    .innerJoin('client_release as rel', 'rel.id', 'ri.record_id')
    .innerJoin('agency as from_agency', 'from_agency.id', 'rel.agency_id')
    .select([sql.lit('release').as('record_type'), 'rel.id as record_id', 'from_agency.name as label', 'rel.status as status', 'ri.blind as blind', 'rel.starts_at as at'])
    .where('ri.blind', 'in', blinds)
    .where('ri.record_type', '=', 'release')
    .where(releaseAccessAt(opts.releasesAt).grants['release.readShared'].where(actor));
  return all.unionAll(releases);
}

/** How a record sharing an identifier is named to the viewer: the tip's date, a name, or who shared under a release. */
export function linkLabel(row: Pick<LinkRow, 'record_type' | 'label'>): string {
  if (row.record_type === 'tip') return `Tip received ${row.label.slice(0, 10)}`;
  if (row.record_type === 'release') return `Shared by ${row.label} (release)`;
  return row.label;
}

/** The links of a set of hashes (kind and hint of each, as the tip holds them), strongest first. */
function toLinks(rows: LinkRow[], mine: ReadonlyMap<string, { kind: IdentifierKind; hint: string }>): TipLink[] {
  const byRecord = new Map<string, { row: LinkRow; blinds: Set<string> }>();
  for (const r of rows) {
    const key = `${r.record_type}:${r.record_id}`;
    const entry = byRecord.get(key) ?? { row: r, blinds: new Set<string>() };
    entry.blinds.add(r.blind);
    byRecord.set(key, entry);
  }
  const links = [...byRecord.values()].map(({ row, blinds }) => {
    const shared = [...blinds].map((b) => mine.get(b)!).sort((a, b) => a.kind.localeCompare(b.kind) || a.hint.localeCompare(b.hint));
    return {
      link: {
        recordType: row.record_type,
        recordId: row.record_id,
        label: linkLabel(row),
        shared,
        strength: linkStrength(shared.map((s) => s.kind)),
        open: row.record_type === 'operation' && (OPEN_OPERATION_STATUSES as readonly string[]).includes(row.status),
      } satisfies TipLink,
      at: row.at,
    };
  });
  links.sort(
    (a, b) =>
      Number(b.link.strength === 'strong') - Number(a.link.strength === 'strong') ||
      Number(b.link.open) - Number(a.link.open) ||
      b.link.shared.length - a.link.shared.length ||
      b.at.localeCompare(a.at) ||
      a.link.recordId.localeCompare(b.link.recordId),
  );
  return links.map((l) => l.link);
}

/**
 * Strong evidence: an email shared (one person's mailbox), or two or more distinct identifiers; weak: a
 * single phone, plate, address, business or handle (a phone changes hands, an address houses many).
 */
export function linkStrength(kinds: readonly IdentifierKind[]): 'weak' | 'strong' {
  return kinds.includes('email') || kinds.length >= 2 ? 'strong' : 'weak';
}

/**
 * The other records sharing an identifier with a tip that the actor may see (issue #10, item 7),
 * strongest first. Records the actor may not see never appear, not even as a count: the grants filter
 * the query itself. A tip the actor may not read has no links for them. Each shared identifier comes
 * with the tip's own masked value as its hint, never the other record's. A client's release holding a
 * shared phone is a link only for its recipient while it is in effect (`release.readShared` at this
 * moment, issue #12 item 4): revoked or expired, it is gone from the next read.
 */
export async function linksForTip(ctx: AppContext, actor: Actor, tipId: string): Promise<TipLink[]> {
  // The tip's own identifiers (where the actor's right to read the tip is checked) and the records
  // sharing them, at once: on PostgreSQL two connections, so a link costs one round trip. The second
  // query's rows are dropped unread when the first finds nothing the actor may read.
  const [own, rows] = await Promise.all([
    ctx.db
      .selectFrom('record_identifier as ri')
      .innerJoin('tip as t', 't.id', 'ri.record_id')
      .select(['ri.id', 'ri.kind', 'ri.blind', 'ri.hint'])
      .where('ri.record_type', '=', 'tip')
      .where('ri.record_id', '=', tipId)
      .where(tipAccess.grants['tip.read'].where(actor))
      .execute(),
    linkQuery(ctx.db, actor, { ofTip: tipId }, tipId, { releasesAt: ctx.clock.now().toISOString() }).execute() as Promise<LinkRow[]>,
  ]);
  if (own.length === 0 || rows.length === 0) return [];
  const shared = new Set(rows.map((r) => r.blind));
  const mine = new Map(
    own
      .filter((r) => shared.has(r.blind))
      .map((r) => [r.blind, { kind: r.kind as IdentifierKind, hint: r.hint ? unseal(ctx.keyring, 'record_identifier', 'hint', r.id, r.hint) : r.kind }] as const),
  );
  return toLinks(rows, mine);
}
