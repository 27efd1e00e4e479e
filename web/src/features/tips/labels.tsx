import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { TIP_CLOSE_REASONS, TIP_SOURCES, TIP_STATUSES, TRIAGE_REPEATS_COUNTED, type TipStatus } from '../../../../common/tips.ts';
import type { TipLink, TriageReason } from '../../../../common/schemas/tips.ts';
import { TRIAGE_REASON_CODES, type TriageReasonCode } from '../../../../common/schemas/tip-queue.ts';
import { Tag, type TagTone } from '../../components/Tag.tsx';

const STATUS_TONE: Record<TipStatus, TagTone> = { new: 'info', assigned: 'info', under_review: 'warn', linked: 'ok', referred: 'ok', closed: 'quiet' };

export function TipStatusTag({ status }: { status: TipStatus }) {
  const { t } = useTranslation();
  return <Tag tone={STATUS_TONE[status]}>{t(`tips.status.${status}`)}</Tag>;
}

/**
 * "Urgent" in words on a red tag, with why (a minor, danger now) in words beside it: never colour alone.
 */
export function UrgencyTags({ tip }: { tip: { urgent: boolean; minorInvolved: boolean; immediateDanger: boolean } }) {
  const { t } = useTranslation();
  if (!tip.urgent && !tip.minorInvolved && !tip.immediateDanger) return null;
  return (
    <>
      {tip.urgent ? <Tag tone="danger">{t('tips.urgent')}</Tag> : null}
      {tip.immediateDanger ? <Tag tone="danger">{t('tips.dangerNow')}</Tag> : null}
      {tip.minorInvolved ? <Tag tone="warn">{t('tips.minor')}</Tag> : null}
    </>
  );
}

const isStatus = (s: string): s is TipStatus => (TIP_STATUSES as readonly string[]).includes(s);
export const statusLabel = (t: TFunction, s: string) => (isStatus(s) ? t(`tips.status.${s}`) : s);
export const sourceLabel = (t: TFunction, s: string) => ((TIP_SOURCES as readonly string[]).includes(s) ? t(`tips.source.${s as (typeof TIP_SOURCES)[number]}`) : s);
export const closeReasonLabel = (t: TFunction, r: string) =>
  (TIP_CLOSE_REASONS as readonly string[]).includes(r) ? t(`tips.closeReasons.${r as (typeof TIP_CLOSE_REASONS)[number]}`) : r;

const KINDS = ['phone', 'email', 'plate', 'address', 'business', 'handle'] as const;
type Kind = (typeof KINDS)[number];
const isKind = (k: string): k is Kind => (KINDS as readonly string[]).includes(k);
/** "a phone", "an email address": the kind of an identifier in a sentence. */
export const kindWithArticle = (t: TFunction, k: string) => (isKind(k) ? t(`tips.kindA.${k}`) : t('tips.kindA.other'));
/** "Phone", "Email address": the kind as a label. */
export const kindLabel = (t: TFunction, k: string) => (isKind(k) ? t(`tips.kind.${k}`) : k);

/** The triage's codes (common/schemas/tip-queue.ts), each to the sentence that explains it. */
const REASON_WORDS: Record<TriageReasonCode, 'typology' | 'sharedIdentifiers' | 'openOperation' | 'minor' | 'danger'> = {
  typology_terms: 'typology',
  repeated_identifiers: 'sharedIdentifiers',
  open_operation: 'openOperation',
  minor_involved: 'minor',
  immediate_danger: 'danger',
};
const isReasonCode = (code: string): code is TriageReasonCode => (TRIAGE_REASON_CODES as readonly string[]).includes(code);

/**
 * One reason behind a tip's rank, in words: "Typology words: massage, debt", "Shares a phone with 2
 * other tips", "Linked to an open operation". A code this page does not know is still shown, in the
 * server's own code words, so nothing the rank rests on is hidden.
 */
export function reasonText(t: TFunction, reason: TriageReason): string {
  const kind = isReasonCode(reason.code) ? REASON_WORDS[reason.code] : undefined;
  const count = reason.count ?? 1;
  const terms = reason.terms ?? [];
  switch (kind) {
    case 'typology':
      return terms.length ? t('tips.reasons.typology', { terms: terms.join(', ') }) : t('tips.reasons.typologyCount', { count });
    case 'sharedIdentifiers': {
      if (count >= TRIAGE_REPEATS_COUNTED) return t('tips.reasons.sharesIdentifiersMany', { count: TRIAGE_REPEATS_COUNTED });
      // `terms` here names the identifier kinds shared (phone, email…), when the triage gives them.
      const kinds = terms.filter(isKind);
      return kinds.length === 1
        ? t('tips.reasons.sharesKind', { what: kindWithArticle(t, kinds[0]!), count })
        : t('tips.reasons.sharesIdentifiers', { count });
    }
    case 'openOperation':
      return t('tips.reasons.openOperation', { count });
    case 'minor':
      return t('tips.reasons.minor');
    case 'danger':
      return t('tips.reasons.danger');
    default: {
      const words = reason.code.replace(/[_.-]+/g, ' ').trim();
      const label = words.charAt(0).toUpperCase() + words.slice(1);
      const extra = [reason.count !== undefined ? String(reason.count) : '', terms.join(', ')].filter(Boolean).join(': ');
      return extra ? `${label} (${extra})` : label;
    }
  }
}

/** The reasons behind a rank, as a short list of sentences (or "No indicators found"). */
export function TriageReasons({ reasons, emptyText }: { reasons: TriageReason[]; emptyText?: boolean }) {
  const { t } = useTranslation();
  if (reasons.length === 0) return emptyText ? <p className="lantern-muted">{t('tips.reasons.none')}</p> : null;
  return (
    <ul className="lantern-tip-reasons">
      {reasons.map((r, i) => (
        <li key={`${r.code}-${i}`}>{reasonText(t, r)}</li>
      ))}
    </ul>
  );
}

/** Why a link is weak or strong, in words a reader can weigh. */
export function strengthText(t: TFunction, link: TipLink): string {
  return link.strength === 'strong' ? t('tips.links.strongWhy') : t('tips.links.weakWhy');
}

/** How routing chose the queue, in words ("ZIP 64075 is in Jackson County; sent to the agency serving it."). */
export function routingText(t: TFunction, routing: Record<string, unknown>, countyName: string | null): string {
  const rule = typeof routing.rule === 'string' ? routing.rule : '';
  const zip = typeof routing.zip === 'string' ? routing.zip : '';
  const county = countyName ?? (typeof routing.countyFips === 'string' ? routing.countyFips : '');
  const chosenBy = typeof routing.countyChosenBy === 'string' ? routing.countyChosenBy : '';
  const parts: string[] = [];
  switch (rule) {
    case 'county':
      parts.push(zip && county ? t('tips.routing.zipCounty', { zip, county }) : county ? t('tips.routing.county', { county }) : t('tips.routing.countyUnknown'));
      break;
    case 'no_county':
      parts.push(t('tips.routing.noCounty'));
      break;
    case 'outside_served_counties':
      parts.push(t('tips.routing.outside', { county: county || t('tips.routing.itsCounty') }));
      break;
    case 'rerouted':
      parts.push(t('tips.routing.rerouted'));
      break;
    default:
      parts.push(t('tips.routing.unknown'));
  }
  if (chosenBy === 'largest_share') parts.push(t('tips.routing.largestShare'));
  else if (chosenBy === 'tipster') parts.push(t('tips.routing.chosenByTipster'));
  else if (chosenBy === 'address') parts.push(t('tips.routing.chosenByAddress'));
  else if (chosenBy === 'city') parts.push(t('tips.routing.chosenByCity'));
  else if (chosenBy === 'county_name') parts.push(t('tips.routing.chosenByCountyName'));
  return parts.join(' ');
}

/**
 * One history entry in words: "Assigned to Ann Analyst", "State changed to Closed (Duplicate)". The
 * entry names agencies by id; `agencyName` finds their names (the task force's agencies).
 */
export function eventText(t: TFunction, kind: string, detail: Record<string, unknown>, agencyName: (id: string) => string | undefined = () => undefined): string {
  const s = (key: string) => (typeof detail[key] === 'string' ? (detail[key] as string) : '');
  const agency = (id: string) => (id ? (agencyName(id) ?? t('tips.events.anotherAgency')) : t('tips.events.anotherAgency'));
  switch (kind) {
    case 'received':
      return t('tips.events.received', { source: sourceLabel(t, s('source') || 'web') });
    case 'routed':
      return t('tips.events.routed');
    case 'assigned': {
      const name = s('assignee') || s('toName') || s('assigneeName');
      return name ? t('tips.events.assignedTo', { name }) : t('tips.events.assigned');
    }
    case 'status': {
      const to = s('to') || s('status');
      const reason = s('reason');
      return reason ? t('tips.events.statusReason', { status: statusLabel(t, to), reason: closeReasonLabel(t, reason) }) : t('tips.events.status', { status: statusLabel(t, to) });
    }
    case 'message':
      return detail.fromTipster === true || detail.direction === 'from_tipster' ? t('tips.events.messageFromTipster') : t('tips.events.message');
    case 'rerouted':
      return t('tips.events.rerouted', { to: agency(s('to')), reason: s('reason') });
    case 'shared':
      return t('tips.events.shared', { to: agency(s('with') || s('agencyId')), reason: s('reason') });
    default: {
      const words = kind.replace(/[_.-]+/g, ' ').trim();
      return words.charAt(0).toUpperCase() + words.slice(1);
    }
  }
}
