import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { abilitiesFor, authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { Queryable } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { NoticeTemplateRow } from '../../db/schema/index.ts';
import { conflict, forbidden, invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { DEFAULT_RESPONSE_DAYS, LETTER_MERGE_FIELDS, type LetterMergeField } from '../../../common/businesses.ts';
import type { NoticeTemplateDto, noticeTemplateInput } from '../../../common/schemas/businesses.ts';
import { worksCampaign } from './businesses.access.ts';
import { noticeTemplatePolicy } from './businesses.policy.ts';
import { who } from './businesses.landlords.ts';

/**
 * The attorney general's notice template (issue #11, item 4): one per task force, each edit a new version
 * (the letters keep the version they were merged from). Placeholders are `{{merge_field}}`
 * (LETTER_MERGE_FIELDS); an unknown one is refused when the template is saved, naming it.
 */

export type TemplateInput = z.infer<typeof noticeTemplateInput>;

/** The letter Lantern offers until the attorney general's office writes its own (version 0, never stored until used). */
export const DEFAULT_TEMPLATE = {
  title: 'Notice to property owner: illicit massage business at {{property}}',
  body: [
    '{{date}}',
    '{{owner}}\nc/o {{agent}}',
    'Re: {{business_name}}, {{property}}',
    'Dear {{owner}}:',
    'Our office, working with the law-enforcement agencies of our task force, has reason to believe that the business operating as {{business_name}} at your property, {{property}}, is an illicit massage business where people may be exploited for commercial sex or forced labor.',
    'Investigators have recorded the following signs at the property:\n{{evidence_summary}}',
    'We are writing to you as the owner of the property. {{legal_basis}}',
    'We ask that you review the lease of this tenant and tell us in writing, by {{response_deadline}}, what you will do about it (for example, not renewing or ending the lease). Please quote the letter number {{letter_number}} in your reply.',
    'This letter does not accuse you of any wrongdoing. It is sent so that you know what is happening at your property and can act on it. If you believe this business is legitimate, please tell us why.',
    'Sincerely,',
  ].join('\n\n'),
  legalBasis:
    'Under state law, a building used for prostitution or human trafficking may be declared a public nuisance, and an owner who knows of that use and does not act may be subject to a civil action to abate it.',
  responseDays: DEFAULT_RESPONSE_DAYS,
};

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The merge fields a text uses, in order of first use. */
export function mergeFieldsUsed(...texts: string[]): string[] {
  const out: string[] = [];
  for (const t of texts) for (const m of t.matchAll(PLACEHOLDER)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/** Refuses a placeholder that is not a merge field (400 naming the field of the template it is in). */
export function checkPlaceholders(input: { title: string; body: string; legalBasis: string }) {
  for (const field of ['title', 'body', 'legalBasis'] as const) {
    const unknown = mergeFieldsUsed(input[field]).filter((f) => !(LETTER_MERGE_FIELDS as readonly string[]).includes(f));
    if (field === 'legalBasis' && mergeFieldsUsed(input.legalBasis).length) {
      throw invalid('legalBasis', 'must be plain text: it is itself the {{legal_basis}} merge field');
    }
    if (unknown.length) {
      throw invalid(field, `{{${unknown[0]}}} is not a merge field; use ${LETTER_MERGE_FIELDS.map((f) => `{{${f}}}`).join(', ')}`);
    }
  }
}

/** The task force whose template the actor reads or edits: the first they belong to. */
function templateTaskForce(actor: Actor): string {
  const tf = actor.taskForceIds[0];
  if (!tf) throw forbidden('Only the campaign staff of a task force read its notice template.');
  return tf;
}

export async function latestTemplate(db: Queryable, taskForceId: string): Promise<NoticeTemplateRow | undefined> {
  return db.selectFrom('notice_template').selectAll().where('task_force_id', '=', taskForceId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** A task force's template row for a letter: its latest, or the default stored as version 1 by the first letter drafted. */
export async function templateForLetter(ctx: AppContext, db: Queryable, taskForceId: string, agencyId: string, userId: string): Promise<NoticeTemplateRow> {
  const found = await latestTemplate(db, taskForceId);
  if (found) return found;
  await db
    .insertInto('notice_template')
    .values({
      id: newId(),
      task_force_id: taskForceId,
      agency_id: agencyId,
      version: 1,
      title: DEFAULT_TEMPLATE.title,
      body: DEFAULT_TEMPLATE.body,
      legal_basis: DEFAULT_TEMPLATE.legalBasis,
      response_days: DEFAULT_TEMPLATE.responseDays,
      updated_by: userId,
      updated_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['task_force_id', 'version']).doNothing())
    .execute();
  return (await latestTemplate(db, taskForceId))!;
}

async function toDto(db: Queryable, actor: Actor, taskForceId: string, row: NoticeTemplateRow | undefined): Promise<NoticeTemplateDto> {
  const abilities = abilitiesFor(actor, noticeTemplatePolicy, { taskForceId });
  if (!row) {
    return { id: null, version: 0, ...DEFAULT_TEMPLATE, updatedAt: null, updatedBy: null, mergeFields: [...LETTER_MERGE_FIELDS], abilities };
  }
  const user = await db.selectFrom('app_user').select('display_name').where('id', '=', row.updated_by).executeTakeFirst();
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    body: row.body,
    legalBasis: row.legal_basis,
    responseDays: row.response_days,
    updatedAt: row.updated_at,
    updatedBy: user?.display_name ?? null,
    mergeFields: [...LETTER_MERGE_FIELDS],
    abilities,
  };
}

/** GET /api/notice-template: the latest version, or Lantern's default letter (version 0). */
export async function getTemplate(ctx: AppContext, actor: Actor): Promise<NoticeTemplateDto> {
  const taskForceId = templateTaskForce(actor);
  if (!worksCampaign(actor)) throw forbidden('Only the campaign staff read the notice template.');
  return toDto(ctx.db, actor, taskForceId, await latestTemplate(ctx.db, taskForceId));
}

/** PUT /api/notice-template: a new version (the attorney general's staff); a stale version is refused (409). */
export async function saveTemplate(ctx: AppContext, actor: Actor, input: TemplateInput, meta: RequestMeta): Promise<NoticeTemplateDto> {
  const taskForceId = templateTaskForce(actor);
  authorize(actor, noticeTemplatePolicy, 'notice.editTemplate', { taskForceId });
  checkPlaceholders(input);
  const used = new Set(mergeFieldsUsed(input.title, input.body));
  if (!used.has('owner') && !used.has('agent')) throw invalid('body', 'must address the landlord: use {{owner}} (or {{agent}})');
  try {
    return await ctx.audit.transact(who(actor, meta), async (tx) => {
      const current = await latestTemplate(tx.db, taskForceId);
      const currentVersion = current?.version ?? 0;
      if ((input.version ?? 0) !== currentVersion) {
        throw conflict(
          current ? `The template was changed by someone else (it is now at version ${currentVersion}); reload it and make your changes again.` : 'There is no saved template yet: save it without a version.',
          'version',
        );
      }
      const id = newId();
      const row: NoticeTemplateRow = {
        id,
        task_force_id: taskForceId,
        agency_id: actor.agencyId,
        version: currentVersion + 1,
        title: input.title,
        body: input.body,
        legal_basis: input.legalBasis,
        response_days: input.responseDays,
        updated_by: actor.userId,
        updated_at: ctx.clock.now().toISOString(),
      };
      await tx.db.insertInto('notice_template').values(row).execute();
      const changedFields = current
        ? (['title', 'body', 'legalBasis', 'responseDays'] as const).filter((f) => {
            const before = { title: current.title, body: current.body, legalBasis: current.legal_basis, responseDays: current.response_days };
            return before[f] !== input[f];
          })
        : ['title', 'body', 'legalBasis', 'responseDays'];
      tx.audit({ action: 'notice.editTemplate', recordType: 'notice_template', recordId: id, recordAgencyId: actor.agencyId, changedFields: [...changedFields], detail: { version: row.version } });
      return toDto(tx.db, actor, taskForceId, row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('The template was changed by someone else at the same moment; reload it and make your changes again.', 'version');
    throw err;
  }
}

export type { LetterMergeField };
