import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { unseal } from '../../lib/sealed.ts';
import { heading, pageFooters, paragraph, table, taggedPdf } from '../../lib/pdf.ts';
import { RELEASE_SCOPE_LABELS, type ReleaseScope, type RevocationMethod } from '../../../common/clients.ts';
import { clientPolicy } from './clients.policy.ts';
import { isCompartmentStaff, releaseInEffect } from './clients.access.ts';
import * as q from './clients.queries.ts';

export const PRINTOUT_LANGS = ['en', 'es'] as const;
export type PrintoutLang = (typeof PRINTOUT_LANGS)[number];

/** The printout's words, in the two languages the client may ask for. */
const WORDS = {
  en: {
    title: 'Your releases of information',
    intro: (agency: string, name: string, day: string) =>
      `${agency} prepared this list for ${name} on ${day}. It shows every release of information you signed and everything shared under each one. You may revoke a release at any time, orally or in writing; a revoked release stops any further sharing at once.`,
    none: 'You have not signed any release of information.',
    release: (n: number, to: string) => `Release ${n}: to ${to}`,
    person: 'Named person',
    anyone: 'Anyone at the agency with a need to know',
    scopes: 'What may be shared',
    purpose: 'Purpose',
    starts: 'Starts',
    expires: 'Expires',
    status: 'Status',
    statuses: { active: 'In effect', revoked: 'Revoked', expired: 'Expired', pending: 'Not yet started' },
    revoked: 'Revoked on',
    method: 'How it was revoked',
    methods: { oral: 'Orally, recorded by staff', written: 'In writing' } satisfies Record<RevocationMethod, string>,
    consent: 'How you signed',
    consents: { signed_on_screen: 'Signed on screen', scan: (file: string) => `A signed paper form, scanned and kept with your record (${file})` },
    shares: 'Shared under this release',
    noShares: 'Nothing has been shared under this release.',
    sharedOn: 'Date',
    sharedScopes: 'What was shared',
    footer: 'Releases of information',
    lang: 'en-US',
  },
  es: {
    title: 'Sus autorizaciones para compartir información',
    intro: (agency: string, name: string, day: string) =>
      `${agency} preparó esta lista para ${name} el ${day}. Muestra cada autorización para compartir información que usted firmó y todo lo que se compartió con cada una. Puede revocar una autorización en cualquier momento, de palabra o por escrito; una autorización revocada detiene de inmediato cualquier otro envío.`,
    none: 'Usted no ha firmado ninguna autorización para compartir información.',
    release: (n: number, to: string) => `Autorización ${n}: para ${to}`,
    person: 'Persona nombrada',
    anyone: 'Cualquier persona de la agencia que necesite saberlo',
    scopes: 'Qué se puede compartir',
    purpose: 'Propósito',
    starts: 'Comienza',
    expires: 'Vence',
    status: 'Estado',
    statuses: { active: 'Vigente', revoked: 'Revocada', expired: 'Vencida', pending: 'Todavía no comienza' },
    revoked: 'Revocada el',
    method: 'Cómo se revocó',
    methods: { oral: 'De palabra, registrada por el personal', written: 'Por escrito' } satisfies Record<RevocationMethod, string>,
    consent: 'Cómo la firmó',
    consents: { signed_on_screen: 'Firmada en la pantalla', scan: (file: string) => `Un formulario en papel firmado, escaneado y guardado con su expediente (${file})` },
    shares: 'Lo compartido con esta autorización',
    noShares: 'No se ha compartido nada con esta autorización.',
    sharedOn: 'Fecha',
    sharedScopes: 'Qué se compartió',
    footer: 'Autorizaciones para compartir información',
    lang: 'es-US',
  },
} as const;

/**
 * The client's printout of every release and every share made under it (issue #12, item 2), in English or
 * Spanish: for the case team (`client.read`); anyone else gets the client routes' 404. Audited as a read.
 */
export async function releasePrintout(ctx: AppContext, actor: Actor, clientId: string, lang: PrintoutLang, meta: RequestMeta): Promise<Buffer> {
  if (!isCompartmentStaff(actor)) throw notFound('client');
  const row = await q.findVisible(ctx.db, actor, clientId);
  if (!row) throw notFound('client');
  authorize(actor, clientPolicy, 'client.read', { id: row.id, agencyId: row.agency_id, assigned: Number(row.assigned) === 1 });
  const releases = await q.releasesOf(ctx.db, clientId);
  const shares = await q.sharesOf(
    ctx.db,
    releases.map((r) => r.id),
  );
  const agency = await ctx.db.selectFrom('agency').select('name').where('id', '=', row.agency_id).executeTakeFirstOrThrow();
  const now = ctx.clock.now().toISOString();
  const day = (iso: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone: ctx.jurisdiction.timeZone });
  const w = WORDS[lang];
  const scopeList = (json: string) => (JSON.parse(json) as ReleaseScope[]).map((s) => RELEASE_SCOPE_LABELS[s][lang]).join('; ');
  const name = unseal(ctx.keyring, 'client', 'name', row.id, row.name);
  const scanName = (r: q.ReleaseListRow) => (r.scan_document_id && r.scan_document_name ? unseal(ctx.keyring, 'client_document', 'name', r.scan_document_id, r.scan_document_name) : '');

  const pdf = taggedPdf({ title: w.title, lang: w.lang, subject: w.title, author: agency.name });
  heading(pdf, w.title, 1);
  paragraph(pdf, w.intro(agency.name, name, day(now)));
  if (releases.length === 0) paragraph(pdf, w.none, { italic: true });
  // Oldest first (ids are UUIDv7, in creation order), numbered, so the client can refer to "release 2".
  const oldestFirst = <T extends { id: string }>(rows: T[], at: (r: T) => string) => [...rows].sort((a, b) => at(a).localeCompare(at(b)) || a.id.localeCompare(b.id));
  for (const [i, r] of oldestFirst(releases, (x) => x.created_at).entries()) {
    heading(pdf, w.release(i + 1, r.recipient_agency_name), 2);
    const status =
      r.status === 'revoked' ? w.statuses.revoked : releaseInEffect({ status: r.status, startsAt: r.starts_at, expiresAt: r.expires_at }, now) ? w.statuses.active : r.starts_at > now ? w.statuses.pending : w.statuses.expired;
    const rows: [string, string][] = [
      [w.person, r.recipient_user_name ?? w.anyone],
      [w.scopes, scopeList(r.scopes)],
      [w.purpose, r.purpose],
      [w.consent, r.consent_method === 'scan' ? w.consents.scan(scanName(r)) : w.consents.signed_on_screen],
      [w.starts, day(r.starts_at)],
      [w.expires, day(r.expires_at)],
      [w.status, status],
    ];
    if (r.revoked_at) rows.push([w.revoked, day(r.revoked_at)], [w.method, r.revocation_method ? w.methods[r.revocation_method as RevocationMethod] : '']);
    for (const [label, value] of rows) paragraph(pdf, `${label}: ${value}`);
    heading(pdf, w.shares, 3);
    const under = oldestFirst(
      shares.filter((s) => s.release_id === r.id),
      (s) => s.shared_at,
    );
    if (under.length === 0) paragraph(pdf, w.noShares, { italic: true });
    else
      table(
        pdf,
        [w.sharedOn, w.sharedScopes],
        under.map((s) => [day(s.shared_at), scopeList(s.scopes)]),
        [100, '*'],
      );
  }
  pageFooters(pdf, w.footer);
  const file = await pdf.finish();
  await ctx.audit.record({ actor: auditActor(actor), meta }, { action: 'client.read', recordType: 'client', recordId: clientId, recordAgencyId: row.agency_id, detail: { printout: 'releases', lang, releases: releases.length } });
  return file;
}
