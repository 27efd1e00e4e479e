import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http.ts';
import type { AppContext } from '../../context.ts';
import { html, raw, type Html } from '../../lib/html.ts';
import { list, t, type Lang, type MessageKey } from '../../lib/i18n.ts';
import { AppError } from '../../lib/errors.ts';
import { hotlineLinks, langOf, publicFrame, publicPage, withLang, type PublicFrame } from '../disclosure/public-layout.ts';
import { language } from '../../../common/schemas/disclosure.ts';
import { tipFields, type TipFields } from '../../../common/schemas/tips.ts';
import { SAFE_CONTACT_METHODS, TIP_LIMITS, type TipsterStatus } from '../../../common/tips.ts';
import { addTipsterMessage, tipsterView, type TipsterView } from './tips.tipster.ts';
import { countiesOfZip, ipHash, RateLimited, submitPublicTip } from './tips.tipster.intake.ts';

/**
 * The tipster's pages (issue #10, items 1 and 3): the tip form at /tip (and /tips), the receipt shown once,
 * and /tip/status to read the status and the conversation and to write back. Server-rendered, English and
 * Spanish, complete without JavaScript; /tip/form.js only adds the proof of work and the 911 panel.
 *
 * CSRF: these forms have no session and set no cookie, so a forged cross-site post can do nothing the
 * forger could not do by posting from their own browser; the receipt, the only key, is never in a URL.
 * Form bodies are accepted on these routes only: the rest of the app stays JSON-only.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = fs.readFileSync(path.resolve(here, 'tips.form.js'), 'utf8');

/** A whole tip, percent-encoded: the limit of the JSON body with room for encoding (ñ is six bytes encoded). */
const FORM_BODY_LIMIT = 4 * TIP_LIMITS.bodyBytes;
const langQuery = z.object({ lang: language.optional() });

type Words = (key: string, values?: Record<string, string | number>) => string;
const wordsOf =
  (lang: Lang): Words =>
  (key, values) =>
    t(lang, `tip.${key}` as MessageKey, values);

/** What the tipster typed, as typed: put back into the form when it comes back with errors. */
type FormValues = Record<string, string>;
/** The form field → what is wrong with it, in the reader's language. */
type FieldErrors = Map<string, string>;

const TEXT_FIELDS = ['narrative', 'address', 'city', 'zip', 'county', 'countyFips', 'when', 'people', 'vehicles', 'phones', 'emails', 'online', 'businesses', 'contactName', 'contactPhone', 'contactEmail', 'safeMethod', 'safeTimes', 'altcha', 'language'] as const;
const LIST_FIELDS = ['phones', 'emails', 'online', 'businesses'] as const;

const formValues = (form: unknown): FormValues => {
  const out: FormValues = {};
  if (!(form instanceof URLSearchParams)) return out;
  for (const name of [...TEXT_FIELDS, 'minorInvolved', 'immediateDanger', 'receipt', 'message']) {
    const value = form.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
};

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const given = (text: string | undefined) => (text && text.trim() ? text : undefined);

/** The form as the shared schema expects it: checkboxes as true/false, one list item per line, empty as absent. */
export function unverifiedTipFields(v: FormValues, lang: Lang): Record<string, unknown> {
  const contact = {
    name: given(v.contactName),
    phone: given(v.contactPhone),
    email: given(v.contactEmail),
    safeMethod: given(v.safeMethod),
    safeTimes: given(v.safeTimes),
  };
  return {
    narrative: v.narrative ?? '',
    address: given(v.address),
    city: given(v.city),
    zip: given(v.zip)?.trim(),
    county: given(v.county),
    countyFips: given(v.countyFips),
    when: given(v.when),
    people: given(v.people),
    vehicles: given(v.vehicles),
    ...Object.fromEntries(LIST_FIELDS.map((f) => [f, lines(v[f])])),
    minorInvolved: v.minorInvolved === 'yes',
    immediateDanger: v.immediateDanger === 'yes',
    language: v.language === 'en' || v.language === 'es' ? v.language : lang,
    ...(Object.values(contact).some(Boolean) ? { contact } : {}),
  };
}

const CONTACT_FIELDS: Record<string, string> = { name: 'contactName', phone: 'contactPhone', email: 'contactEmail', safeMethod: 'safeMethod', safeTimes: 'safeTimes' };

/** Each problem zod found, beside the form field it concerns, in the reader's words. */
function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], w: Words): FieldErrors {
  const errors: FieldErrors = new Map();
  for (const issue of issues) {
    const [head, sub] = issue.path;
    const field = head === 'contact' ? CONTACT_FIELDS[String(sub)] ?? 'contactName' : String(head ?? 'narrative');
    if (errors.has(field)) continue;
    const max = (issue as { maximum?: number | bigint }).maximum;
    let message: string;
    if (field === 'narrative' && issue.code === 'too_small') message = w('errors.narrativeRequired');
    else if (field === 'zip') message = w('errors.zip');
    else if (field === 'countyFips') message = w('errors.countyFips');
    else if (issue.code === 'too_big' && (issue as { origin?: string }).origin === 'array') message = w('errors.tooManyLines', { max: Number(max) });
    else if (issue.code === 'too_big') message = w('errors.tooLong', { max: Number(max) });
    else if (issue.code === 'invalid_value') message = w('errors.choose');
    else message = w('errors.invalid');
    errors.set(field, message);
  }
  return errors;
}

const html200 = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');
/** Pages holding a receipt or a conversation are never kept by a browser or a proxy. */
const noStore = (reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');

const fieldId = (name: string) => `tip-${name}`;

/** The USWDS error summary: what is wrong, each a link to its field. */
function errorSummary(w: Words, errors: FieldErrors, labels: Record<string, string>, general: string[] = []): Html {
  if (!errors.size && !general.length) return html``;
  return html`<div class="usa-alert usa-alert--error margin-bottom-3" id="tip-errors" role="alert" tabindex="-1">
<div class="usa-alert__body">
<h2 class="usa-alert__heading">${w('errorHeading')}</h2>
<ul class="usa-list">
${general.map((g) => html`<li>${g}</li>`)}
${[...errors].map(([field, message]) => html`<li><a class="usa-link" href="#${fieldId(field)}">${labels[field] ?? field}: ${message}</a></li>`)}
</ul>
</div>
</div>`;
}

interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
  kind?: 'input' | 'textarea';
  type?: 'text' | 'email' | 'tel';
  maxLength?: number;
  rows?: number;
  autocomplete?: string;
  inputmode?: string;
  optional?: boolean;
}

/** A labelled field in the USWDS pattern, its error (if any) between label and input, named by aria-describedby. */
function field(o: FieldOptions, values: FormValues, errors: FieldErrors): Html {
  const id = fieldId(o.name);
  const error = errors.get(o.name);
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${o.name}"${described ? html` aria-describedby="${described}"` : ''}${error ? raw(' aria-invalid="true"') : ''}${o.maxLength ? html` maxlength="${o.maxLength}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}`;
  const control =
    o.kind === 'textarea'
      ? html`<textarea class="usa-textarea${error ? ' usa-input--error' : ''}" ${common} rows="${o.rows ?? 4}">${values[o.name] ?? ''}</textarea>`
      : html`<input class="usa-input${error ? ' usa-input--error' : ''}" type="${o.type ?? 'text'}" ${common}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''} value="${values[o.name] ?? ''}">`;
  return html`<div class="usa-form-group${error ? ' usa-form-group--error' : ''}">
<label class="usa-label${error ? ' usa-label--error' : ''}" for="${id}">${o.label}</label>
${o.hint ? html`<div class="usa-hint" id="${id}-hint">${o.hint}</div>` : ''}
${error ? html`<span class="usa-error-message" id="${id}-error" role="alert">${error}</span>` : ''}
${control}
</div>`;
}

function checkbox(name: string, label: string, values: FormValues): Html {
  return html`<div class="usa-checkbox"><input class="usa-checkbox__input" id="${fieldId(name)}" type="checkbox" name="${name}" value="yes"${values[name] === 'yes' ? raw(' checked') : ''}><label class="usa-checkbox__label" for="${fieldId(name)}">${label}</label></div>`;
}

/** "Call 911 now", as a tap-to-call button. */
const call911 = (w: Words) => html`<a class="usa-button usa-button--secondary lantern-tip-911" href="tel:911">${w('call911')}</a>`;

/** The alert at the top of every tip page: before anything else, where to turn when someone is in danger now. */
const dangerFirst = (w: Words) => html`<section class="usa-alert usa-alert--emergency lantern-tip-danger" aria-labelledby="tip-danger-heading">
<div class="usa-alert__body">
<h2 class="usa-alert__heading" id="tip-danger-heading">${w('dangerHeading')}</h2>
<p class="usa-alert__text">${w('dangerText')}</p>
<p class="margin-top-1">${call911(w)}</p>
</div>
</section>`;

/** Shown when the danger box is checked (by the script as it is checked; by the server on a page that comes back). */
const dangerNow = (w: Words, shown: boolean) => html`<div class="usa-alert usa-alert--error lantern-tip-danger-now" id="tip-danger-now"${shown ? '' : raw(' hidden')}>
<div class="usa-alert__body"><p class="usa-alert__text"><strong>${w('dangerChecked')}</strong></p><p class="margin-top-1">${call911(w)}</p></div>
</div>`;

interface FormState {
  values: FormValues;
  errors: FieldErrors;
  general: string[];
  /** The ZIP spans counties: the counties to choose from. */
  countyChoice: readonly { fips: string; name: string }[] | null;
}

function tipForm(lang: Lang, frame: PublicFrame, s: FormState): Html {
  const w = wordsOf(lang);
  const { values, errors } = s;
  const labels: Record<string, string> = Object.fromEntries(
    ['narrative', 'address', 'city', 'zip', 'county', 'countyFips', 'when', 'people', 'vehicles', 'phones', 'emails', 'online', 'businesses', 'contactName', 'contactPhone', 'contactEmail', 'safeMethod', 'safeTimes'].map((f) => [f, w(f)]),
  );
  const one = w('oneLine');
  const countyError = errors.get('countyFips');
  const countySelect = s.countyChoice
    ? html`<div class="usa-form-group${countyError ? ' usa-form-group--error' : ''}">
<label class="usa-label${countyError ? ' usa-label--error' : ''}" for="${fieldId('countyFips')}">${w('countyFips')}</label>
${countyError ? html`<span class="usa-error-message" id="${fieldId('countyFips')}-error" role="alert">${countyError}</span>` : ''}
<select class="usa-select${countyError ? ' usa-input--error' : ''}" id="${fieldId('countyFips')}" name="countyFips"${countyError ? raw(' aria-invalid="true"') : ''}${countyError ? html` aria-describedby="${fieldId('countyFips')}-error"` : ''}>
<option value="">${w('countyNone')}</option>
${s.countyChoice.map((c) => html`<option value="${c.fips}"${values.countyFips === c.fips ? raw(' selected') : ''}>${c.name}</option>`)}
</select>
</div>`
    : '';
  const safeError = errors.get('safeMethod');
  return html`${dangerFirst(w)}
<h1>${w('title')}</h1>
${errorSummary(w, errors, labels, s.general)}
<p class="usa-intro">${w('lead')}</p>
<p>${w('hotline')}: ${hotlineLinks(lang, frame.hotline)}</p>
<section class="lantern-tip-box" aria-labelledby="tip-privacy">
<h2 id="tip-privacy">${w('privacyHeading')}</h2>
<ul class="usa-list">${list(lang, 'tip.privacy').map((p) => html`<li>${p}</li>`)}</ul>
</section>
<section class="usa-alert usa-alert--warning" aria-labelledby="tip-receipt-warning">
<div class="usa-alert__body"><h2 class="usa-alert__heading" id="tip-receipt-warning">${w('receiptHeading')}</h2><p class="usa-alert__text">${w('receiptWarning')}</p></div>
</section>
<form class="usa-form usa-form--large lantern-tip-form" id="tip-form" method="post" action="${withLang('/tip', lang)}" data-checking="${w('checking')}" data-checked="${w('checked')}">
<input type="hidden" name="language" value="${lang}">
<input type="hidden" name="altcha" value="">
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${w('safetyHeading')}</legend>
${checkbox('immediateDanger', w('danger'), values)}
${dangerNow(w, values.immediateDanger === 'yes')}
${checkbox('minorInvolved', w('minor'), values)}
</fieldset>
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${w('whatHeading')}</legend>
${field({ name: 'narrative', label: w('narrative'), hint: w('narrativeHint'), kind: 'textarea', rows: 8, maxLength: TIP_LIMITS.narrative }, values, errors)}
${field({ name: 'when', label: w('when'), hint: w('whenHint'), maxLength: TIP_LIMITS.shortText }, values, errors)}
</fieldset>
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${w('whereHeading')}</legend>
<p class="usa-hint">${w('whereHint')}</p>
${field({ name: 'address', label: w('address'), maxLength: TIP_LIMITS.shortText, autocomplete: 'off' }, values, errors)}
${field({ name: 'city', label: w('city'), maxLength: 100, autocomplete: 'off' }, values, errors)}
${field({ name: 'zip', label: w('zip'), maxLength: 5, inputmode: 'numeric', autocomplete: 'off' }, values, errors)}
${field({ name: 'county', label: w('county'), maxLength: 100, autocomplete: 'off' }, values, errors)}
${countySelect}
</fieldset>
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${w('detailsHeading')}</legend>
${field({ name: 'people', label: w('people'), hint: w('peopleHint'), kind: 'textarea', maxLength: TIP_LIMITS.mediumText }, values, errors)}
${field({ name: 'vehicles', label: w('vehicles'), hint: w('vehiclesHint'), kind: 'textarea', maxLength: TIP_LIMITS.mediumText }, values, errors)}
${field({ name: 'phones', label: w('phones'), hint: one, kind: 'textarea', rows: 3 }, values, errors)}
${field({ name: 'emails', label: w('emails'), hint: one, kind: 'textarea', rows: 3 }, values, errors)}
${field({ name: 'online', label: w('online'), hint: one, kind: 'textarea', rows: 3 }, values, errors)}
${field({ name: 'businesses', label: w('businesses'), hint: w('businessesHint'), kind: 'textarea', rows: 3 }, values, errors)}
</fieldset>
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${w('contactHeading')}</legend>
<p class="usa-hint">${w('contactHint')}</p>
${field({ name: 'contactName', label: w('contactName'), maxLength: TIP_LIMITS.shortText, autocomplete: 'off' }, values, errors)}
${field({ name: 'contactPhone', label: w('contactPhone'), type: 'tel', maxLength: 40, autocomplete: 'off' }, values, errors)}
${field({ name: 'contactEmail', label: w('contactEmail'), type: 'email', maxLength: 254, autocomplete: 'off' }, values, errors)}
<div class="usa-form-group${safeError ? ' usa-form-group--error' : ''}">
<label class="usa-label${safeError ? ' usa-label--error' : ''}" for="${fieldId('safeMethod')}">${w('safeMethod')}</label>
${safeError ? html`<span class="usa-error-message" id="${fieldId('safeMethod')}-error" role="alert">${safeError}</span>` : ''}
<select class="usa-select" id="${fieldId('safeMethod')}" name="safeMethod"${safeError ? html` aria-invalid="true" aria-describedby="${fieldId('safeMethod')}-error"` : ''}>
<option value="">${w('countyNone')}</option>
${SAFE_CONTACT_METHODS.map((m) => html`<option value="${m}"${values.safeMethod === m ? raw(' selected') : ''}>${w(`safeMethods.${m}`)}</option>`)}
</select>
</div>
${field({ name: 'safeTimes', label: w('safeTimes'), hint: w('safeTimesHint'), maxLength: TIP_LIMITS.shortText, autocomplete: 'off' }, values, errors)}
</fieldset>
<p class="lantern-tip-proof" id="tip-proof-note" role="status" aria-live="polite"></p>
<button class="usa-button usa-button--big" type="submit">${w('submit')}</button>
</form>
<p class="margin-top-4"><a class="usa-link" href="${withLang('/tip/status', lang)}">${w('statusLink')}</a></p>`;
}

/** The receipt, big, in groups of four (easier to write down and to read aloud). */
const grouped = (receipt: string) => receipt.match(/.{1,4}/g) ?? [receipt];

function receiptPage(lang: Lang, typed: string, queued: boolean, danger: boolean): Html {
  const w = wordsOf(lang);
  // Intake hands the receipt over grouped; it is regrouped here the one way the page prints it.
  const receipt = typed.replace(/\s+/g, '');
  return html`${danger ? dangerNow(w, true) : dangerFirst(w)}
<h1>${w('sentTitle')}</h1>
${queued ? html`<p>${w('queued')}</p>` : ''}
<div class="usa-alert usa-alert--warning"><div class="usa-alert__body"><p class="usa-alert__text"><strong>${w('receiptLead')}</strong></p></div></div>
<section class="lantern-tip-receipt" aria-labelledby="tip-receipt-label">
<h2 id="tip-receipt-label">${w('receiptLabel')}</h2>
<p class="lantern-tip-receipt-number" data-receipt="${receipt}">${grouped(receipt).map((g) => html`<span>${g}</span> `)}</p>
</section>
<p class="lantern-no-print">${w('receiptUse')}</p>
<p><a class="usa-link" href="${withLang('/tip/status', lang)}">${w('statusLink')}</a></p>
<p class="lantern-no-print">${w('leave')}</p>`;
}

interface StatusState {
  receipt: string;
  view: TipsterView | null;
  errors: FieldErrors;
  general: string[];
  sent?: boolean;
  message?: string;
}

function statusPage(lang: Lang, s: StatusState): Html {
  const w = wordsOf(lang);
  const labels = { receipt: w('receiptInput'), message: w('message') };
  if (!s.view) {
    return html`${dangerFirst(w)}
<h1>${w('statusTitle')}</h1>
${errorSummary(w, s.errors, labels, s.general)}
<p class="usa-intro">${w('statusLead')}</p>
<form class="usa-form" method="post" action="${withLang('/tip/status', lang)}">
${field({ name: 'receipt', label: w('receiptInput'), hint: w('receiptHint'), maxLength: 100, autocomplete: 'off', inputmode: 'numeric' }, { receipt: s.receipt }, s.errors)}
<button class="usa-button" type="submit">${w('statusSubmit')}</button>
</form>
<p>${w('leave')}</p>`;
  }
  const status: TipsterStatus = s.view.status;
  return html`${dangerFirst(w)}
<h1>${w('statusTitle')}</h1>
${errorSummary(w, s.errors, labels, s.general)}
${s.sent ? html`<div class="usa-alert usa-alert--success" role="status"><div class="usa-alert__body"><p class="usa-alert__text">${w('sent')}</p></div></div>` : ''}
<section aria-labelledby="tip-status">
<h2 id="tip-status">${w('statusHeading')}: <span class="lantern-tip-status">${w(`statuses.${status}`)}</span></h2>
<p>${w(`statusExplain.${status}`)}</p>
</section>
<section aria-labelledby="tip-messages">
<h2 id="tip-messages">${w('messagesHeading')}</h2>
${
  s.view.messages.length
    ? html`<ol class="lantern-timeline lantern-tip-messages">${s.view.messages.map(
        (m) => html`<li class="${m.fromTipster ? 'lantern-tip-mine' : 'lantern-tip-theirs'}"><strong>${m.fromTipster ? w('you') : w('investigator')}</strong> <time datetime="${m.at}">${new Date(m.at).toLocaleString(lang === 'es' ? 'es-US' : 'en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC</time><p class="lantern-tip-body">${m.body}</p></li>`,
      )}</ol>`
    : html`<p>${w('noMessages')}</p>`
}
</section>
<form class="usa-form usa-form--large" method="post" action="${withLang('/tip/status/message', lang)}">
<input type="hidden" name="receipt" value="${s.receipt}">
<fieldset class="usa-fieldset">
<legend class="usa-legend usa-legend--large">${w('addHeading')}</legend>
${field({ name: 'message', label: w('message'), kind: 'textarea', rows: 6, maxLength: TIP_LIMITS.message }, { message: s.message ?? '' }, s.errors)}
</fieldset>
<button class="usa-button" type="submit">${w('send')}</button>
</form>
<p>${w('leave')}</p>`;
}

/** A refusal the tipster can act on: 429 (with when to try again) or 400 naming a field; anything else is ours. */
function refusal(error: unknown): AppError | null {
  return error instanceof AppError && (error.status === 400 || error.status === 429) ? error : null;
}

function retryMinutes(error: AppError, reply: FastifyReply): number {
  const seconds = (error as AppError & { retryAfterSeconds?: number }).retryAfterSeconds ?? 60;
  reply.header('retry-after', String(seconds));
  return Math.max(1, Math.ceil(seconds / 60));
}

/** The counties to choose from when a ZIP spans several: the ZIP's own (routing's lookup), else the state's. */
async function countiesToChoose(ctx: AppContext, zip: string | undefined, lang: Lang): Promise<{ fips: string; name: string }[]> {
  const info = zip && /^\d{5}$/.test(zip) ? await countiesOfZip(zip) : null;
  if (info && info.counties.length > 1) return info.counties.map((c) => ({ fips: c.fips, name: ctx.jurisdiction.hasCounty(c.fips) ? ctx.jurisdiction.countyName(c.fips, lang) : c.name }));
  return ctx.jurisdiction.counties.map((c) => ({ fips: c.fips, name: c.name[lang] }));
}

export async function tipPages(app: App, ctx: AppContext) {
  const publicRate = { max: 120, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => ipHash(ctx, request.ip) };
  const config = { access: 'public' as const, rateLimit: publicRate };
  const tipHead = html`<link rel="stylesheet" href="/static/tips.css">`;

  const render = async (reply: FastifyReply, lang: Lang, title: string, path: string, body: Html, head: Html = tipHead) => {
    const frame = await publicFrame(ctx.db);
    return reply.send(publicPage({ ...frame, lang, title, path, current: 'tip', body, head }));
  };

  await app.register(async (scope) => {
    // Form bodies here only; URLSearchParams keeps a field sent twice from becoming a list.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    const showForm = async (request: FastifyRequest, reply: FastifyReply) => {
      const lang = langOf(request.query);
      const frame = await publicFrame(ctx.db);
      const body = tipForm(lang, frame, { values: {}, errors: new Map(), general: [], countyChoice: null });
      return html200(reply).send(
        publicPage({ ...frame, lang, title: wordsOf(lang)('title'), path: '/tip', current: 'tip', body, head: html`${tipHead}<link rel="canonical" href="${withLang('/tip', lang)}"><script src="/tip/form.js" defer></script>` }),
      );
    };
    scope.get('/tip', { schema: { hide: true, querystring: langQuery }, config }, showForm);
    // The tip page's old address, still answered for links already printed.
    scope.get('/tips', { schema: { hide: true, querystring: langQuery }, config }, showForm);

    const fileTip = async (request: FastifyRequest, reply: FastifyReply) => {
      const lang = langOf(request.query);
      const w = wordsOf(lang);
      const values = formValues(request.body);
      const parsed = tipFields.safeParse(unverifiedTipFields(values, lang));
      const again = async (status: number, state: Omit<FormState, 'values'>) => {
        const frame = await publicFrame(ctx.db);
        // A proof is good once: the script solves a new one for the next try.
        const body = tipForm(lang, frame, { ...state, values: { ...values, altcha: '' } });
        return noStore(reply)
          .status(status)
          .send(publicPage({ ...frame, lang, title: `${w('errorHeading')}: ${w('title')}`, path: '/tip', current: 'tip', body, head: html`${tipHead}<script src="/tip/form.js" defer></script>` }));
      };
      const countyChoice = values.countyFips ? await countiesToChoose(ctx, values.zip?.trim(), lang) : null;
      if (!parsed.success) return again(400, { errors: fieldErrorsOf(parsed.error.issues, w), general: [], countyChoice });
      const fields: TipFields = parsed.data;
      try {
        const filed = await submitPublicTip(ctx, { ip: request.ip, fields, altcha: given(values.altcha) ?? null });
        return noStore(reply)
          .status(200)
          .send(publicPage({ ...(await publicFrame(ctx.db)), lang, title: w('sentTitle'), path: '/tip', current: 'tip', body: receiptPage(lang, filed.receipt, filed.status === 202, fields.immediateDanger), head: tipHead }));
      } catch (error) {
        const refused = refusal(error);
        if (!refused) throw error;
        if (refused.status === 429) return again(429, { errors: new Map(), general: [w('errors.rateLimited', { minutes: retryMinutes(refused, reply) })], countyChoice });
        if (refused.field === 'countyFips') return again(400, { errors: new Map([['countyFips', refused.message.replace(/^countyFips: /, '')]]), general: [], countyChoice: await countiesToChoose(ctx, fields.zip, lang) });
        if (refused.field === 'zip') return again(400, { errors: new Map([['zip', w('errors.zipUnknown')]]), general: [], countyChoice });
        if (refused.field === 'altcha') return again(400, { errors: new Map(), general: [w('errors.proof')], countyChoice });
        if (refused.field && TEXT_FIELDS.includes(refused.field as (typeof TEXT_FIELDS)[number])) {
          return again(400, { errors: new Map([[refused.field, w('errors.invalid')]]), general: [], countyChoice });
        }
        return again(400, { errors: new Map(), general: [refused.message], countyChoice });
      }
    };
    scope.post('/tip', { schema: { hide: true, querystring: langQuery }, config, bodyLimit: FORM_BODY_LIMIT }, fileTip);
    scope.post('/tips', { schema: { hide: true, querystring: langQuery }, config, bodyLimit: FORM_BODY_LIMIT }, fileTip);

    scope.get('/tip/status', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
      const lang = langOf(request.query);
      return render(noStore(reply), lang, wordsOf(lang)('statusTitle'), '/tip/status', statusPage(lang, { receipt: '', view: null, errors: new Map(), general: [] }));
    });

    /** Looks up the receipt (and, posting a message, writes it), then draws the status page or the receipt form with what went wrong. */
    const statusRoute = (writing: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
      const lang = langOf(request.query);
      const w = wordsOf(lang);
      const values = formValues(request.body);
      const receipt = (values.receipt ?? '').trim().slice(0, 100);
      const title = w('statusTitle');
      const draw = (status: number, state: StatusState) => render(noStore(reply).status(status), lang, title, '/tip/status', statusPage(lang, state));
      if (!receipt) return draw(400, { receipt: '', view: null, errors: new Map([['receipt', w('errors.receiptRequired')]]), general: [] });
      try {
        let sent = false;
        const message = (values.message ?? '').trim();
        const errors: FieldErrors = new Map();
        if (writing) {
          if (!message) errors.set('message', w('errors.messageRequired'));
          else if (message.length > TIP_LIMITS.message) errors.set('message', w('errors.tooLong', { max: TIP_LIMITS.message }));
          else {
            await addTipsterMessage(ctx, { receipt, body: message, ip: request.ip });
            sent = true;
          }
        }
        const view = await tipsterView(ctx, { receipt, ip: request.ip, language: lang });
        return draw(errors.size ? 400 : 200, { receipt, view, errors, general: [], sent, ...(errors.size ? { message } : {}) });
      } catch (error) {
        if (!(error instanceof RateLimited)) throw error;
        return draw(429, { receipt: '', view: null, errors: new Map(), general: [w('errors.rateLimited', { minutes: retryMinutes(error, reply) })] });
      }
    };
    scope.post('/tip/status', { schema: { hide: true, querystring: langQuery }, config, bodyLimit: FORM_BODY_LIMIT }, statusRoute(false));
    scope.post('/tip/status/message', { schema: { hide: true, querystring: langQuery }, config, bodyLimit: FORM_BODY_LIMIT }, statusRoute(true));

    // The form's one script, same origin (CSP script-src 'self'): the proof of work and the 911 panel.
    scope.get('/tip/form.js', { schema: { hide: true }, config }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(SCRIPT),
    );
  });
}
