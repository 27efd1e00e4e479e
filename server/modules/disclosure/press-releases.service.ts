import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { lockUntilCommit, type Queryable, type Trx } from '../../db/database.ts';
import type { PressReleaseRow } from '../../db/schema/index.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { county } from '../../lib/geography.ts';
import { newId } from '../../lib/ids.ts';
import type { ContactRole, Disposition, OperationType, Service, Sex, AgeBand } from '../../../common/operations.ts';
import type { CorrectPressReleaseInput, GuardProblemDto, PressReleaseDto, PublicPressReleaseDto, UpdatePressReleaseInput } from '../../../common/schemas/disclosure.ts';
import { unsafeDisclosureSources as contactSources } from '../contacts/contacts.service.ts';
import { unsafeOutcomeCells } from '../contacts/contacts.outcome.ts';
import { unsafeDisclosureSources as custodySources } from '../custody/custody.service.ts';
import { unsafeDisclosureSources as referralSources } from '../referrals/referrals.service.ts';
import { loadOperation, unsafeDisclosureSources as operationSources, unsafeOperationForRelease } from '../operations/operations.service.ts';
import { quoteSentence, type Lang } from './ap-style.ts';
import { agencyForms, attributionEn, attributionEs } from './ap-style.agencies.ts';
import { mergeSources } from './disclosure-sources.ts';
import { hotline } from './hotline.ts';
import { collapseFindings, inspectRelease, PROBLEM_ORDER, releaseFigures, type GuardInput, type ReleaseFigure } from './press-release.guards.ts';
import { draftText, type ReleaseFacts } from './press-release.text.ts';
import { pressReleasePolicy, type PressReleaseRecord } from './press-releases.policy.ts';
import { approvalKind, pressReleaseAccess, pressReleasesVisibleTo } from './press-releases.access.ts';
import { pressOperationOf, recordPublication } from './press-knowledge.service.ts';
import * as figuresQ from './press-figures.queries.ts';
import type { PressOperation } from './knowledge.ts';
import { assessPressFigures } from '../statistics/statistics.press.ts';
import { LEDGER_LOCK } from '../statistics/statistics.counting.ts';
import { describeKey } from '../statistics/statistics.service.ts';
import { fileApprovalNotices, settlePublishedNotices } from '../notifications/notifications.notices.ts';

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });

/** The operation's calendar date in the task force's time zone (ctx.jurisdiction). */
function localDate(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
  return parts.slice(0, 10);
}

/** "Oak Grove" from "Oak Grove Police Department"; otherwise the first location's county. */
function defaultCity(leadAgency: string, countyFips: string | undefined, stateName: string): string {
  const m = /^(.+?)\s+(Police Department|Police|Sheriff's Office|Department of Public Safety)$/.exec(leadAgency);
  if (m && !/County|State/.test(m[1]!) && !m[1]!.endsWith(stateName)) return m[1]!;
  const c = countyFips ? county(countyFips) : null;
  return c ? `${c.name} County` : leadAgency;
}

/** What a release may say: the outcome's counts and the agencies' names. Unscoped: callers authorized the operation. */
async function unsafeFacts(ctx: AppContext, operationId: string, cityOverride?: string): Promise<{ facts: ReleaseFacts; allowedNames: string[] }> {
  const { operation: op, participants, locations } = await unsafeOperationForRelease(ctx, operationId);
  const cells = await unsafeOutcomeCells(ctx.db, operationId);
  const lead = participants.find((p) => p.role === 'lead')!;
  const servicesOffered: Partial<Record<Service, number>> = {};
  for (const s of cells.services) servicesOffered[s.service as Service] = s.offered;
  const facts: ReleaseFacts = {
    operationType: op.type as OperationType,
    // When it actually ran: made active, then closed (the plan's window is only what was intended).
    date: localDate(op.activated_at ?? op.starts_at, ctx.jurisdiction.timeZone),
    endDate: op.closed_at ? localDate(op.closed_at, ctx.jurisdiction.timeZone) : op.status === 'active' ? null : undefined,
    city: cityOverride || defaultCity(lead.name, locations[0]?.county_fips, ctx.jurisdiction.state.name.en),
    stateFips: locations[0]?.county_fips.slice(0, 2) ?? ctx.jurisdiction.state.fips,
    leadAgency: lead.name,
    partners: participants.filter((p) => p.role === 'participant').map((p) => p.name),
    advocates: participants.filter((p) => p.role === 'victim_services').map((p) => p.name),
    childWelfare: cells.receivingAgencies,
    groups: cells.groups.map((g) => ({ role: g.role as ContactRole, sex: g.sex as Sex, ageBand: g.ageBand as AgeBand, disposition: g.disposition as Disposition | null, count: g.count })),
    servicesOffered,
    hold: op.investigation_hold === 1,
    hotline: await hotline(ctx.db),
  };
  const agencies = [lead.name, ...participants.map((p) => p.name), ...cells.receivingAgencies];
  const allowedNames = [...agencies.flatMap(agencyForms), facts.city, 'National Human Trafficking Hotline', 'Línea Nacional contra la Trata de Personas'];
  return { facts, allowedNames };
}

async function guardInput(ctx: AppContext, release: Pick<PressReleaseRow, 'operation_id'>, city?: string): Promise<GuardInput> {
  const { facts, allowedNames } = await unsafeFacts(ctx, release.operation_id, city);
  const sources = mergeSources(
    await operationSources(ctx, release.operation_id),
    await contactSources(ctx, release.operation_id),
    await referralSources(ctx, release.operation_id),
    await custodySources(ctx, release.operation_id),
  );
  return { facts, identifying: sources.identifying, staffText: sources.staffText, allowedNames };
}

/** The whole text a reader sees in one language: title, body, and the quote. */
export function composed(row: Pick<PressReleaseRow, 'title_en' | 'body_en' | 'title_es' | 'body_es' | 'quote_en' | 'quote_es' | 'quote_by'>, lang: Lang) {
  const quote = lang === 'en' ? row.quote_en : row.quote_es;
  // The attribution is typed once; each language writes its title and agency as its own style does.
  const by = row.quote_by ? (lang === 'es' ? attributionEs(row.quote_by) : attributionEn(row.quote_by)) : null;
  const quoteParagraph = quote?.trim() ? quoteSentence(quote, by, lang) : null;
  return {
    title: lang === 'en' ? row.title_en : row.title_es,
    body: [lang === 'en' ? row.body_en : row.body_es, quoteParagraph].filter(Boolean).join('\n\n'),
  };
}

/** The guards' reading of a release's text: its problems, its figures, and the texts they point into. */
interface TextCheck {
  problems: GuardProblemDto[];
  figures: ReleaseFigure[];
  texts: Map<string, string>;
}

type ReleaseText = Pick<PressReleaseRow, 'operation_id' | 'title_en' | 'body_en' | 'title_es' | 'body_es' | 'quote_en' | 'quote_es' | 'quote_by'>;

/** Runs the guards over both languages; each problem says which field holds the offending words. */
async function checkText(ctx: AppContext, row: ReleaseText): Promise<TextCheck> {
  const input = await guardInput(ctx, row);
  const problems: GuardProblemDto[] = [];
  const texts = new Map<string, string>();
  const fieldFigures: { field: string; figures: ReturnType<typeof inspectRelease>['figures'] }[] = [];
  const fields: [string, string | null][] = [
    ['titleEn', row.title_en],
    ['bodyEn', row.body_en],
    ['quoteEn', row.quote_en],
    ['titleEs', row.title_es],
    ['bodyEs', row.body_es],
    ['quoteEs', row.quote_es],
    ['quoteBy', row.quote_by],
  ];
  for (const [field, value] of fields) {
    if (!value) continue;
    texts.set(field, value);
    // Names (quoteBy) are checked only for persons' identities, not for figures.
    const names = field === 'quoteBy';
    const found = inspectRelease(value, names ? { ...input, facts: { ...input.facts, groups: [] } } : input);
    for (const p of found.problems) if (!(names && p.code === 'figure')) problems.push({ ...p, field });
    if (!names) fieldFigures.push({ field, figures: found.figures });
  }
  return { problems, figures: releaseFigures(fieldFigures), texts };
}

/**
 * The statistics' question about a release's figures (issue #8, item 3): would they, with every
 * statistics release and press release already out, reveal a count the statistics withhold? Each
 * disclosure becomes a problem on the figures that cause it — or, when only all of them together do,
 * on each of them. Ask it in the transaction that publishes, holding the ledger lock.
 */
async function statisticsCheck(ctx: AppContext, db: Queryable, operationId: string, check: TextCheck): Promise<{ operation: PressOperation; problems: GuardProblemDto[] }> {
  const operation = await pressOperationOf(ctx, db, operationId);
  const figures = check.figures.map((f) => ({ ...operation, role: f.role, disposition: f.disposition, exact: f.exact, value: f.value }));
  const disclosures = await assessPressFigures(ctx, db, { operation, figures });
  const problems: GuardProblemDto[] = [];
  for (const d of disclosures) {
    const alone = d.figures.filter((i) => i >= 0 && i < check.figures.length);
    const which = alone.length ? alone : check.figures.map((_, i) => i);
    const message = alone.length
      ? `gives a figure that, with the statistics already published, would reveal a withheld count (${describeKey(d.key)})`
      : `gives figures that together, with the statistics already published, would reveal a withheld count (${describeKey(d.key)})`;
    for (const i of which) {
      for (const at of check.figures[i]!.at) {
        const text = check.texts.get(at.field) ?? '';
        problems.push({ code: 'statistics', message, excerpt: text.slice(at.start, at.end), field: at.field, start: at.start, end: at.end });
      }
    }
  }
  return { operation, problems };
}

/**
 * Every problem of a release's text. A draft's figures are also put to the statistics (a published
 * release's are already out, so asking would change nothing).
 */
async function problemsOf(ctx: AppContext, row: PressReleaseRow): Promise<GuardProblemDto[]> {
  const check = await checkText(ctx, row);
  if (row.status !== 'draft') return check.problems;
  // A figure the statistics object to may also be one the guards flagged: one finding for the words.
  const all = [...check.problems, ...(await statisticsCheck(ctx, ctx.db, row.operation_id, check)).problems];
  return collapseFindings(all, (p) => check.texts.get(p.field) ?? '');
}

/** Serializes publications and corrections, so each one's statistics check sees every earlier one's figures. */
const PRESS_LEDGER_LOCK = 'press_release.ledger';

/**
 * Takes the locks a publication's statistics check needs until commit: the statistics ledger shared (a
 * statistics release, which takes it exclusively, cannot come out between the check and the commit, nor
 * plan without this release's figures), then the press ledger.
 */
async function lockLedgers(ctx: AppContext, db: Trx) {
  await lockUntilCommit(ctx.dialect, db, LEDGER_LOCK, 'shared');
  await lockUntilCommit(ctx.dialect, db, PRESS_LEDGER_LOCK);
}

const textHash = (r: Pick<PressReleaseRow, 'title_en' | 'body_en' | 'title_es' | 'body_es' | 'quote_en' | 'quote_es' | 'quote_by'>) =>
  sha256Hex(JSON.stringify([r.title_en, r.body_en, r.title_es, r.body_es, r.quote_en, r.quote_es, r.quote_by]));

async function approvalsOf(db: Queryable, row: PressReleaseRow) {
  return db
    .selectFrom('press_release_approval as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.kind', 'a.user_id', 'a.text_hash', 'a.version', 'a.approved_at', 'u.display_name'])
    .where('a.release_id', '=', row.id)
    .execute();
}

async function recordOf(ctx: AppContext, row: PressReleaseRow, taskForceId: string): Promise<PressReleaseRecord> {
  const approvals = (await approvalsOf(ctx.db, row)).filter((a) => a.version === row.version);
  return {
    agencyId: row.agency_id,
    taskForceId,
    status: row.status as PressReleaseRecord['status'],
    approvedBy: { pio: approvals.find((a) => a.kind === 'pio')?.user_id ?? null, coordinator: approvals.find((a) => a.kind === 'coordinator')?.user_id ?? null },
  };
}

/** Loads a release through its operation: not visible unless the operation is, then by the release policy. */
async function loadRelease(ctx: AppContext, actor: Actor, id: string) {
  const row = await ctx.db.selectFrom('press_release').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('press release');
  let op;
  try {
    op = await loadOperation(ctx, actor, row.operation_id);
  } catch {
    throw notFound('press release');
  }
  const record = await recordOf(ctx, row, op.row.task_force_id);
  if (!can(actor, pressReleasePolicy, 'pressRelease.read', record)) throw notFound('press release');
  return { row, record, op };
}

async function toDto(ctx: AppContext, actor: Actor, row: PressReleaseRow, record: PressReleaseRecord, operationName: string, hold: boolean): Promise<PressReleaseDto> {
  const approvals = await approvalsOf(ctx.db, row);
  const corrections = await ctx.db.selectFrom('press_release_correction').select(['note_en', 'note_es', 'corrected_at']).where('release_id', '=', row.id).orderBy('corrected_at').execute();
  return {
    id: row.id,
    operationId: row.operation_id,
    operationName,
    status: row.status as PressReleaseDto['status'],
    slug: row.slug,
    en: { title: row.title_en, body: row.body_en, quote: row.quote_en },
    es: { title: row.title_es, body: row.body_es, quote: row.quote_es },
    quoteBy: row.quote_by,
    investigationHold: hold,
    approvals: approvals.map((a) => ({ kind: a.kind as 'pio' | 'coordinator', userName: a.display_name, approvedAt: a.approved_at, current: a.version === row.version })),
    problems: await problemsOf(ctx, row),
    corrections: corrections.map((c) => ({ noteEn: c.note_en, noteEs: c.note_es, correctedAt: c.corrected_at })),
    publishedAt: row.published_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: abilitiesFor(actor, pressReleasePolicy, record),
  };
}

/**
 * Why a conditional write on a release updated nothing: someone else changed it between this request's
 * read and its write. Says what changed, so the person can reload and decide again.
 */
async function lostRace(db: Queryable, seen: Pick<PressReleaseRow, 'id' | 'status' | 'version'>, doing: string): Promise<AppError> {
  const now = await db.selectFrom('press_release').select(['status', 'version']).where('id', '=', seen.id).executeTakeFirst();
  if (!now) return notFound('press release');
  if (now.status !== seen.status) return conflict(`status: this release was ${now.status} by someone else a moment ago, so it could not be ${doing}; reload`, 'status');
  return conflict(`version: someone else changed this release a moment ago (version ${seen.version} is now ${now.version}), so it could not be ${doing}; reload`, 'version');
}

/**
 * Drafts a release from the operation's recorded outcome, in English and Spanish (issue #4, item 1).
 * The draft passes its own guards; staff edit it from there.
 */
export async function draftPressRelease(ctx: AppContext, actor: Actor, operationId: string, opts: { datelineCity?: string | undefined }, meta: RequestMeta) {
  const { row: op } = await loadOperation(ctx, actor, operationId);
  const record: PressReleaseRecord = { agencyId: op.agency_id, taskForceId: op.task_force_id, status: 'draft', approvedBy: { pio: null, coordinator: null } };
  authorize(actor, pressReleasePolicy, 'pressRelease.create', record);
  if (op.status !== 'active' && op.status !== 'closed') throw conflict('status: a release is drafted from an active or closed operation’s outcome');
  const { facts } = await unsafeFacts(ctx, operationId, opts.datelineCity);
  const en = draftText(facts, 'en');
  const es = draftText(facts, 'es');
  const now = ctx.clock.now().toISOString();
  const row: PressReleaseRow = {
    id: newId(),
    operation_id: operationId,
    agency_id: op.agency_id,
    slug: null,
    status: 'draft',
    title_en: en.title,
    body_en: en.paragraphs.join('\n\n'),
    title_es: es.title,
    body_es: es.paragraphs.join('\n\n'),
    quote_en: null,
    quote_es: null,
    quote_by: null,
    text_hash: '',
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
    published_at: null,
    published_by: null,
    version: 1,
  };
  row.text_hash = textHash(row);
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await tx.db.insertInto('press_release').values(row).execute();
    tx.audit({ action: 'pressRelease.create', recordType: 'press_release', recordId: row.id, recordAgencyId: row.agency_id, detail: { operationId } });
  });
  return toDto(ctx, actor, row, record, op.name, op.investigation_hold === 1);
}

export async function listPressReleases(ctx: AppContext, actor: Actor, filter: { operationId?: string | undefined; awaitingMyApproval?: 'true' | undefined }) {
  let query = ctx.db
    .selectFrom('press_release as r')
    .innerJoin('operation', 'operation.id', 'r.operation_id')
    .select(['r.id', 'r.operation_id', 'r.status', 'r.slug', 'r.published_at', 'r.updated_at', 'r.title_en', 'r.agency_id', 'operation.name as operation_name', 'operation.task_force_id'])
    .where(pressReleasesVisibleTo(actor));
  if (filter.operationId) query = query.where('r.operation_id', '=', filter.operationId);
  // Those whose approval is the actor's to give (issue #9, item 7: the coordinator's home lists them).
  if (filter.awaitingMyApproval) query = query.where(pressReleaseAccess.grants['pressRelease.approve'].where(actor));
  const rows = await query.orderBy('r.updated_at', 'desc').limit(200).execute();
  const visible = rows;
  return {
    pressReleases: visible.map((r) => ({
      id: r.id,
      operationId: r.operation_id,
      operationName: r.operation_name,
      status: r.status as 'draft' | 'published',
      slug: r.slug,
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      title: r.title_en,
    })),
  };
}

export async function getPressRelease(ctx: AppContext, actor: Actor, id: string) {
  const { row, record, op } = await loadRelease(ctx, actor, id);
  return toDto(ctx, actor, row, record, op.row.name, op.row.investigation_hold === 1);
}

/**
 * Edits a draft. Every edit makes a new version; a change of text voids the approvals of the old one
 * in the same transaction (an edit that leaves the text as it was carries them to the new version).
 */
export async function updatePressRelease(ctx: AppContext, actor: Actor, id: string, input: UpdatePressReleaseInput, meta: RequestMeta) {
  const { row, record, op } = await loadRelease(ctx, actor, id);
  authorize(actor, pressReleasePolicy, 'pressRelease.update', record);
  if (input.version !== undefined && input.version !== row.version) throw conflict('version: someone else changed this release since you opened it; reload', 'version');
  const next: PressReleaseRow = {
    ...row,
    ...(input.titleEn !== undefined ? { title_en: input.titleEn } : {}),
    ...(input.bodyEn !== undefined ? { body_en: input.bodyEn } : {}),
    ...(input.titleEs !== undefined ? { title_es: input.titleEs } : {}),
    ...(input.bodyEs !== undefined ? { body_es: input.bodyEs } : {}),
    ...(input.quoteEn !== undefined ? { quote_en: input.quoteEn || null } : {}),
    ...(input.quoteEs !== undefined ? { quote_es: input.quoteEs || null } : {}),
    ...(input.quoteBy !== undefined ? { quote_by: input.quoteBy || null } : {}),
    updated_at: ctx.clock.now().toISOString(),
    version: row.version + 1,
  };
  next.text_hash = textHash(next);
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    const r = await tx.db
      .updateTable('press_release')
      .set({ title_en: next.title_en, body_en: next.body_en, title_es: next.title_es, body_es: next.body_es, quote_en: next.quote_en, quote_es: next.quote_es, quote_by: next.quote_by, text_hash: next.text_hash, updated_at: next.updated_at, version: next.version })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw await lostRace(tx.db, row, 'edited');
    // The update holds the release's row until commit: an approval racing this edit either committed
    // before it (and is voided here) or finds the version moved and is refused.
    if (next.text_hash !== row.text_hash) await tx.db.deleteFrom('press_release_approval').where('release_id', '=', id).execute();
    else await tx.db.updateTable('press_release_approval').set({ version: next.version }).where('release_id', '=', id).where('version', '=', row.version).execute();
    tx.audit({ action: 'pressRelease.update', recordType: 'press_release', recordId: id, recordAgencyId: row.agency_id, changedFields: Object.keys(input).filter((k) => k !== 'version') });
  });
  const fresh = await recordOf(ctx, next, op.row.task_force_id);
  return toDto(ctx, actor, next, fresh, op.row.name, op.row.investigation_hold === 1);
}

function refuseProblems(problems: GuardProblemDto[]) {
  if (problems.length === 0) return;
  // What identifies a person is the most serious finding; name it first.
  const order: readonly string[] = PROBLEM_ORDER;
  const first = [...problems].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code))[0]!;
  const err = new AppError('guard_failed', 422, `The release cannot be approved: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}. First: “${first.excerpt}” ${first.message}.`, first.field) as AppError & { details?: GuardProblemDto[] };
  err.details = problems;
  throw err;
}

/**
 * Approves the current text as the task force's PIO or as the operation's lead coordinator — refused,
 * pointing at the words, while the guards find anything. The approval names the version it approved,
 * and is written only while the release is still that draft version; the database holds at most one
 * approval per person and version, so two approvals are always two people.
 */
export async function approvePressRelease(ctx: AppContext, actor: Actor, id: string, as: 'pio' | 'coordinator' | undefined, meta: RequestMeta) {
  const { row, record, op } = await loadRelease(ctx, actor, id);
  authorize(actor, pressReleasePolicy, 'pressRelease.approve', record);
  const kind = approvalKind(actor, record, as);
  if (!kind) throw new AppError('forbidden', 403, `You cannot approve this release${as ? ` as ${as}` : ''}.`);
  refuseProblems(await problemsOf(ctx, row));
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    // Claims the release's row until commit (a write that changes nothing), if it is still the draft
    // version whose text the guards just read. An edit racing this approval waits, or has won.
    const claimed = await tx.db
      .updateTable('press_release')
      .set((eb) => ({ version: eb.ref('version') }))
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw await lostRace(tx.db, row, 'approved');
    // An approval of an older text (kept from before approvals named their version) makes way.
    await tx.db
      .deleteFrom('press_release_approval')
      .where('release_id', '=', id)
      .where('kind', '=', kind)
      .where((eb) => eb.or([eb('version', 'is', null), eb('version', '!=', row.version)]))
      .execute();
    const inserted = await tx.db
      .insertInto('press_release_approval')
      .values({ release_id: id, kind, user_id: actor.userId, text_hash: row.text_hash, version: row.version, approved_at: ctx.clock.now().toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
      const given = await tx.db.selectFrom('press_release_approval').select(['kind', 'user_id']).where('release_id', '=', id).where('version', '=', row.version).execute();
      const mine = given.find((a) => a.user_id === actor.userId);
      if (mine) throw conflict(`approvals: you already approved this text as ${mine.kind}; the other approval must come from someone else`, 'approvals');
      throw conflict(`approvals: someone else approved this text as ${kind} a moment ago`, 'approvals');
    }
    await fileApprovalNotices(tx.db, ctx, { id, agencyId: row.agency_id, taskForceId: op.row.task_force_id, version: row.version, operationName: op.row.name }, actor.userId);
    tx.audit({ action: 'pressRelease.approve', recordType: 'press_release', recordId: id, recordAgencyId: row.agency_id, detail: { as: kind } });
  });
  return toDto(ctx, actor, row, await recordOf(ctx, row, op.row.task_force_id), op.row.name, op.row.investigation_hold === 1);
}

/** "2020-10-24-human-trafficking-operation-in-oak-grove": the date, then whole words of the title. */
function slugFor(title: string, at: string) {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let base = '';
  for (const w of words) {
    if ((base ? base.length + 1 : 0) + w.length > 60) break;
    base = base ? `${base}-${w}` : w;
  }
  return `${at.slice(0, 10)}-${base || 'release'}`;
}

/** The first of `base`, `base-2`, `base-3`… no release has; call it holding the slug lock. */
async function freeSlug(db: Queryable, base: string) {
  const taken = new Set((await db.selectFrom('press_release').select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

/**
 * Publishes an approved release at /news/<slug>; the guards run once more on the way out. What goes
 * public is exactly the version the two approvals name: the write is conditional on that version (and
 * its text), and the approvals are read again under the row it holds.
 */
export async function publishPressRelease(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta) {
  const { row, record } = await loadRelease(ctx, actor, id);
  authorize(actor, pressReleasePolicy, 'pressRelease.publish', record);
  const check = await checkText(ctx, row);
  refuseProblems(check.problems);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await lockLedgers(ctx, tx.db);
    // Publishers take turns choosing a slug, so two releases with one title never pick the same one.
    await lockUntilCommit(ctx.dialect, tx.db, 'press_release.slug');
    const slug = await freeSlug(tx.db, slugFor(row.title_en, now));
    const r = await tx.db
      .updateTable('press_release')
      .set({ status: 'published', slug, published_at: now, published_by: actor.userId, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .where('version', '=', row.version)
      .where('text_hash', '=', row.text_hash)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw await lostRace(tx.db, row, 'published');
    const approvals = await tx.db.selectFrom('press_release_approval').select(['kind', 'user_id', 'text_hash']).where('release_id', '=', id).where('version', '=', row.version).execute();
    const pio = approvals.find((a) => a.kind === 'pio' && a.text_hash === row.text_hash);
    const coordinator = approvals.find((a) => a.kind === 'coordinator' && a.text_hash === row.text_hash);
    if (!pio || !coordinator || pio.user_id === coordinator.user_id) throw conflict('approvals: this version no longer has two approvals from two people; reload', 'approvals');
    // Asked under the ledger locks, with everything published before this: refusing rolls it all back.
    const statistics = await statisticsCheck(ctx, tx.db, row.operation_id, check);
    refuseProblems(statistics.problems);
    await recordPublication(tx.db, { releaseId: id, version: row.version, operation: statistics.operation, figures: check.figures, publishedAt: now });
    await settlePublishedNotices(tx.db, ctx, id);
    tx.audit({ action: 'pressRelease.publish', recordType: 'press_release', recordId: id, recordAgencyId: row.agency_id, detail: { slug } });
  });
  return getPressRelease(ctx, actor, id);
}

/** A published release changes only with a visible correction note; the old text is kept. */
export async function correctPressRelease(ctx: AppContext, actor: Actor, id: string, input: CorrectPressReleaseInput, meta: RequestMeta) {
  const { row, record } = await loadRelease(ctx, actor, id);
  authorize(actor, pressReleasePolicy, 'pressRelease.correct', record);
  const next: PressReleaseRow = {
    ...row,
    title_en: input.titleEn ?? row.title_en,
    body_en: input.bodyEn ?? row.body_en,
    title_es: input.titleEs ?? row.title_es,
    body_es: input.bodyEs ?? row.body_es,
  };
  next.text_hash = textHash(next);
  const check = await checkText(ctx, next);
  refuseProblems(check.problems);
  const now = ctx.clock.now().toISOString();
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await lockLedgers(ctx, tx.db);
    const r = await tx.db
      .updateTable('press_release')
      .set({ title_en: next.title_en, body_en: next.body_en, title_es: next.title_es, body_es: next.body_es, text_hash: next.text_hash, updated_at: now, version: row.version + 1 })
      .where('id', '=', id)
      .where('status', '=', 'published')
      .where('version', '=', row.version)
      .executeTakeFirst();
    // The correction records the text it replaced: only if that is still the release's text.
    if (Number(r.numUpdatedRows) !== 1) throw await lostRace(tx.db, row, 'corrected');
    await tx.db
      .insertInto('press_release_correction')
      .values({
        id: newId(),
        release_id: id,
        note_en: input.noteEn,
        // Without a Spanish note, the Spanish page still says in Spanish what happened, and quotes the English note.
        note_es: input.noteEs ?? `Se corrigió este comunicado. Nota en inglés: «${input.noteEn}»`,
        previous: JSON.stringify({ titleEn: row.title_en, bodyEn: row.body_en, titleEs: row.title_es, bodyEs: row.body_es }),
        corrected_by: actor.userId,
        corrected_at: now,
      })
      .execute();
    // The corrected text is published too: its figures join the ledger (the old ones stay known).
    const statistics = await statisticsCheck(ctx, tx.db, row.operation_id, check);
    refuseProblems(statistics.problems);
    await recordPublication(tx.db, { releaseId: id, version: row.version + 1, operation: statistics.operation, figures: check.figures, publishedAt: now });
    tx.audit({ action: 'pressRelease.correct', recordType: 'press_release', recordId: id, recordAgencyId: row.agency_id, changedFields: Object.keys(input).filter((k) => !k.startsWith('note')) });
  });
  return getPressRelease(ctx, actor, id);
}

/**
 * Releases published before migration 0007 left nothing in the ledger: records each once, with the
 * figures of its text and of every text a correction replaced (all of them were public), as the guard
 * reads them against the outcome recorded now (a figure that no longer agrees is left out), and where
 * its operation is counted now. Derived from publications already audited, so it writes no audit row.
 * Run at start-up; cheap when there is nothing to do.
 */
export async function recordEarlierPressReleases(ctx: AppContext): Promise<number> {
  let recorded = 0;
  for (const row of await figuresQ.unrecordedPublishedReleases(ctx.db)) {
    const texts: ReleaseText[] = [row];
    for (const c of await figuresQ.correctionsOf(ctx.db, row.id)) {
      const previous = JSON.parse(c.previous) as { titleEn?: string; bodyEn?: string; titleEs?: string; bodyEs?: string };
      texts.push({ ...row, title_en: previous.titleEn ?? row.title_en, body_en: previous.bodyEn ?? row.body_en, title_es: previous.titleEs ?? row.title_es, body_es: previous.bodyEs ?? row.body_es });
    }
    // Read outside the transaction: the guards read through ctx.db, which SQLite's one connection would not serve inside it.
    const figures: ReleaseFigure[] = [];
    for (const t of texts) figures.push(...(await checkText(ctx, t)).figures);
    await ctx.db.transaction().execute(async (trx) => {
      await lockLedgers(ctx, trx);
      if (await figuresQ.hasPublication(trx, row.id)) return;
      const operation = await pressOperationOf(ctx, trx, row.operation_id);
      await recordPublication(trx, { releaseId: row.id, version: row.version, operation, figures, publishedAt: row.published_at ?? row.updated_at });
      recorded++;
    });
  }
  return recorded;
}

// ---------------------------------------------------------------------------------------------- public

/** Published releases, newest first, in one language (contract: slug, title, body as plain text, language, publishedAt). */
export async function publicPressReleases(db: Queryable, lang: Lang, limit = 50): Promise<PublicPressReleaseDto[]> {
  const rows = await db.selectFrom('press_release').selectAll().where('status', '=', 'published').orderBy('published_at', 'desc').limit(limit).execute();
  const out: PublicPressReleaseDto[] = [];
  for (const row of rows) out.push(await publicShape(db, row, lang));
  return out;
}

export async function publicPressRelease(db: Queryable, slug: string, lang: Lang): Promise<PublicPressReleaseDto | null> {
  const row = await db.selectFrom('press_release').selectAll().where('slug', '=', slug).where('status', '=', 'published').executeTakeFirst();
  return row ? publicShape(db, row, lang) : null;
}

async function publicShape(db: Queryable, row: PressReleaseRow, lang: Lang): Promise<PublicPressReleaseDto> {
  const corrections = await db.selectFrom('press_release_correction').select(['note_en', 'note_es', 'corrected_at']).where('release_id', '=', row.id).orderBy('corrected_at').execute();
  const text = composed(row, lang);
  return {
    slug: row.slug!,
    title: text.title,
    body: text.body,
    language: lang,
    publishedAt: row.published_at!,
    corrections: corrections.map((c) => ({ note: lang === 'en' ? c.note_en : c.note_es, correctedAt: c.corrected_at })),
  };
}
