import type { AppContext } from '../../context.ts';
import type { Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { html, page, type Html } from '../../lib/html.ts';
import { heading, pageFooters, paragraph, table, taggedPdf } from '../../lib/pdf.ts';
import {
  AGE_BAND_LABELS,
  AGE_BANDS,
  CONTACT_ROLE_LABELS,
  CONTACT_ROLES,
  DISPOSITION_LABELS,
  DISPOSITIONS,
  OPERATION_TYPE_LABELS,
  PARTICIPANT_ROLE_LABELS,
  SERVICE_LABELS,
  SERVICES,
  type OperationType,
  type ParticipantRole,
} from '../../../common/operations.ts';
import type { OutcomeDto } from '../../../common/schemas/contacts.ts';
import { getOutcome } from '../contacts/contacts.service.ts';
import { loadOperation } from './operations.service.ts';
import { operationPolicy } from './operations.policy.ts';
import * as q from './operations.queries.ts';

/** Times in reports are shown in the task force's time zone (the jurisdiction's, LANTERN_TIME_ZONE). */
const when = (r: Pick<AfterAction, 'timeZone'>, iso: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: r.timeZone.id, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

interface TimelineEntry {
  at: string;
  text: string;
}

export interface AfterAction {
  operation: { id: string; name: string; type: string; status: string; startsAt: string; endsAt: string; hold: boolean; closedAt: string | null };
  leadAgency: string;
  participants: { name: string; role: string }[];
  commander: string;
  outcome: OutcomeDto;
  timeline: TimelineEntry[];
  generatedAt: string;
  generatedBy: string;
  /** The zone every time is printed in: its IANA name and how the report names it ("Central time"). */
  timeZone: { id: string; name: string };
}

/** One line of the timeline for an event: what happened, never who was contacted beyond "Person N". */
function describe(kind: string, detail: Record<string, unknown>, actorName: string | null): string {
  const by = actorName ? ` (${actorName})` : '';
  const person = detail.personNumber ? `Person ${String(detail.personNumber)}` : 'A person';
  switch (kind) {
    case 'planned':
      return `Operation planned${by}`;
    case 'approved':
      return `Plan approved${by}`;
    case 'active':
      return `Operation started${by}`;
    case 'closed':
      return `Operation closed${by}`;
    case 'returned_to_draft':
      return `Approved plan changed, returned to draft${by}`;
    case 'conflict_resolved':
      return `Deconfliction conflict (${String(detail.kind)}) resolved ${detail.sameAgency === true ? 'with another operation of the agency' : 'with the other agency'}${by}`;
    case 'waiver':
      return `Emergency waiver recorded over ${String(detail.conflicts)} conflict${detail.conflicts === 1 ? '' : 's'}${by}`;
    case 'contact_recorded':
      return `${person} recorded: ${CONTACT_ROLE_LABELS[detail.role as keyof typeof CONTACT_ROLE_LABELS] ?? String(detail.role)}${detail.disposition ? `, ${DISPOSITION_LABELS[detail.disposition as keyof typeof DISPOSITION_LABELS] ?? String(detail.disposition)}` : ''}${by}`;
    case 'contact_updated':
      return `${person} updated${by}`;
    case 'contact_corrected':
      return `${person} corrected after closing${by}`;
    case 'referral_sent':
      return `${person} referred to ${String(detail.toAgency ?? 'victim services')}${by}`;
    case 'referral_accepted':
      return `Referral of ${person} accepted by ${String(detail.toAgency ?? 'the advocates')}`;
    case 'referral_declined':
      return `Referral of ${person} declined by ${String(detail.toAgency ?? 'the advocates')}`;
    case 'custody_handoff':
      return `${person} taken into protective custody, hand-off to ${String(detail.toAgency ?? "the Children's Division")}${by}`;
    case 'parent_notification':
      return `Parent notification attempt for ${person}${detail.outcome ? `: ${String(detail.outcome).replace(/_/g, ' ')}` : ''}${by}`;
    case 'custody_statement_filed':
      return `Written statement for ${person} filed with the juvenile officer${by}`;
    case 'custody_received':
      return `${person} received by the caseworker${detail.placementType ? ` (${String(detail.placementType).replace(/_/g, ' ')})` : ''}${by}`;
    default:
      return `${kind.replace(/_/g, ' ')}${by}`;
  }
}

/**
 * The after-action report (issue #3, item 6): the outcome summary and the timeline. Every figure comes
 * from the recorded contacts (through the outcome), every line of the timeline from the operation's
 * event log. Counts and "Person N" only — no identity.
 */
export async function buildAfterAction(ctx: AppContext, actor: Actor, operationId: string, meta: RequestMeta): Promise<AfterAction> {
  const { row, record } = await loadOperation(ctx, actor, operationId);
  authorize(actor, operationPolicy, 'operation.readOutcome', record);
  const outcome = await getOutcome(ctx, actor, operationId, meta);
  const participants = await q.participantsOf(ctx.db, operationId);
  const lead = participants.find((p) => p.role === 'lead');
  const events = await ctx.db
    .selectFrom('operation_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .select(['e.at', 'e.kind', 'e.detail', 'u.display_name'])
    .where('e.operation_id', '=', operationId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  return {
    operation: {
      id: row.id,
      name: row.name,
      type: OPERATION_TYPE_LABELS[row.type as OperationType] ?? row.type,
      status: row.status,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      hold: row.investigation_hold === 1,
      closedAt: row.closed_at,
    },
    leadAgency: lead?.name ?? '',
    participants: participants.filter((p) => p.role !== 'lead').map((p) => ({ name: p.name, role: PARTICIPANT_ROLE_LABELS[p.role as ParticipantRole] ?? p.role })),
    commander: row.commander_name,
    outcome,
    timeline: events.map((e) => ({ at: e.at, text: describe(e.kind, JSON.parse(e.detail) as Record<string, unknown>, e.display_name) })),
    generatedAt: ctx.clock.now().toISOString(),
    generatedBy: actor.displayName,
    timeZone: { id: ctx.jurisdiction.timeZone, name: ctx.jurisdiction.timeZoneName('en') },
  };
}

type Row = [string, ...(string | number)[]];

/** The report's tables, shared by the HTML and the PDF so both say the same. */
export function reportTables(r: AfterAction): { title: string; headers: string[]; rows: Row[] }[] {
  const o = r.outcome;
  const sexes = ['female', 'male', 'unknown'] as const;
  return [
    {
      title: 'Persons contacted, by role and sex',
      headers: ['Role', 'Female', 'Male', 'Unknown', 'Total'],
      rows: [
        ...CONTACT_ROLES.map((role): Row => [CONTACT_ROLE_LABELS[role], ...sexes.map((s) => o.byRoleAndSex[role]?.[s] ?? 0), o.byRole[role] ?? 0]),
        ['All persons', ...sexes.map((s) => o.bySex[s] ?? 0), o.total],
      ],
    },
    { title: 'Dispositions', headers: ['Disposition', 'Persons'], rows: [...DISPOSITIONS.map((d): Row => [DISPOSITION_LABELS[d], o.byDisposition[d] ?? 0]), ['Not yet recorded', o.dispositionPending]] },
    { title: 'Age bands', headers: ['Age band', 'Persons'], rows: AGE_BANDS.map((b): Row => [AGE_BAND_LABELS[b], o.byAgeBand[b] ?? 0]) },
    {
      title: 'Victim services',
      headers: ['Service', 'Offered', 'Accepted'],
      rows: SERVICES.filter((s) => (o.servicesOffered[s] ?? 0) > 0 || (o.servicesAccepted[s] ?? 0) > 0).map((s): Row => [SERVICE_LABELS[s], o.servicesOffered[s] ?? 0, o.servicesAccepted[s] ?? 0]),
    },
    {
      title: 'Referrals to victim-services agencies',
      headers: ['Agency', 'Referrals'],
      rows: [...o.referrals.byAgency.map((a): Row => [a.agencyName, a.count]), ['Sent, awaiting answer', o.referrals.byStatus.sent ?? 0], ['Accepted', o.referrals.byStatus.accepted ?? 0], ['Declined', o.referrals.byStatus.declined ?? 0]],
    },
    {
      title: 'Protective custody (RSMo 210.125)',
      headers: ['', 'Children'],
      rows: [
        ['Taken into protective custody', o.protectiveCustody.count],
        ['Handed off', o.protectiveCustody.handedOff],
        ['Receipt recorded by the caseworker', o.protectiveCustody.received],
        ['Released to', o.protectiveCustody.releasedTo.join(', ') || '—'],
      ],
    },
  ];
}

export function afterActionHtml(r: AfterAction): string {
  const tables = reportTables(r).map(
    (t) => html`<h2>${t.title}</h2>
<table class="usa-table usa-table--borderless">
<thead><tr>${t.headers.map((h, i) => html`<th scope="col"${i > 0 ? html` class="lantern-figure"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${t.rows.map((row) => html`<tr><th scope="row">${row[0]}</th>${row.slice(1).map((c) => html`<td class="lantern-figure">${c}</td>`)}</tr>`)}</tbody>
</table>`,
  );
  const body: Html = html`<main class="lantern-report" id="main-content">
<p class="lantern-confidential">Law-enforcement sensitive — for the task force only. ${r.operation.hold ? 'Under investigation hold.' : ''}</p>
<p class="lantern-meta lantern-no-print"><a href="/api/operations/${r.operation.id}/after-action.pdf">Download as PDF</a></p>
<h1>After-action report: ${r.operation.name}</h1>
<p class="lantern-meta">${r.operation.type} led by ${r.leadAgency}. ${when(r, r.operation.startsAt)} to ${when(r, r.operation.endsAt)} (${r.timeZone.name}). On-scene commander: ${r.commander}. Status: ${r.operation.status}${r.operation.closedAt ? `, closed ${when(r, r.operation.closedAt)}` : ''}.</p>
<h2>Partner agencies</h2>
<ul>${r.participants.map((p) => html`<li>${p.name} — ${p.role}</li>`)}</ul>
${tables}
<h2>Timeline</h2>
<ol class="lantern-timeline">${r.timeline.map((e) => html`<li><time datetime="${e.at}">${when(r, e.at)}</time>${e.text}</li>`)}</ol>
<p class="lantern-meta">Every figure comes from the ${r.outcome.total} recorded contacts. Generated ${when(r, r.generatedAt)} for ${r.generatedBy}.</p>
</main>`;
  return page({ title: `After-action report: ${r.operation.name}`, lang: 'en', body, internal: true });
}

export async function afterActionPdf(r: AfterAction): Promise<Buffer> {
  const pdf = taggedPdf({ title: `After-action report: ${r.operation.name}`, lang: 'en-US', subject: 'After-action report', author: r.leadAgency });
  paragraph(pdf, `Law-enforcement sensitive — for the task force only.${r.operation.hold ? ' Under investigation hold.' : ''}`, { size: 9 });
  heading(pdf, `After-action report: ${r.operation.name}`, 1);
  paragraph(pdf, `${r.operation.type} led by ${r.leadAgency}. ${when(r, r.operation.startsAt)} to ${when(r, r.operation.endsAt)} (${r.timeZone.name}). On-scene commander: ${r.commander}. Status: ${r.operation.status}${r.operation.closedAt ? `, closed ${when(r, r.operation.closedAt)}` : ''}.`);
  heading(pdf, 'Partner agencies');
  paragraph(pdf, r.participants.map((p) => `${p.name} (${p.role.toLowerCase()})`).join('; ') || 'None.');
  for (const t of reportTables(r)) {
    heading(pdf, t.title);
    table(pdf, t.headers, t.rows);
  }
  heading(pdf, 'Timeline');
  table(pdf, [`When (${r.timeZone.name})`, 'What happened'], r.timeline.map((e) => [when(r, e.at), e.text]), [130, '*']);
  paragraph(pdf, `Every figure comes from the ${r.outcome.total} recorded contacts. Generated ${when(r, r.generatedAt)} for ${r.generatedBy}.`, { italic: true, size: 9 });
  pageFooters(pdf, `Lantern — after-action report — ${r.operation.name} — law-enforcement sensitive`);
  return pdf.finish();
}
