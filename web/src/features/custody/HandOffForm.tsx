import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTODY_REASONS } from '../../../../common/operations.ts';
import { LONG_TEXT_MAX } from '../../../../common/limits.ts';
import type { HandOffInput } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fieldset, Radio, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { formatDateTime, isoToLocalInput, localInputToIso } from '../../components/format.ts';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { STATEMENT_MS } from './countdown.ts';
import { TimeField } from '../../components/TimeField.tsx';

type Field = 'takenAt' | 'officerUserId' | 'officerPhone' | 'reason' | 'reasonDetail' | 'juvenileOfficerNotifiedAt' | 'childrensDivisionNotifiedAt' | 'toAgencyId';

/** A device clock a little ahead of the server's is still "now" (the server allows 2 minutes). */
const SKEW_MS = 2 * 60_000;

export interface HandOffFormProps {
  personLabel: string;
  /** Child-welfare agencies of the operation (`inOperation`) or its task force. */
  agencies: { id: string; name: string; inOperation?: boolean }[];
  /** The lead agency's users assigned to the operation; the caller is the default officer. */
  officers: { id: string; name: string }[];
  myUserId: string;
  /** The caller's own work phone, when their account has one: the officer's phone starts as it. */
  myPhone?: string | null;
  pending?: boolean;
  error?: unknown;
  onSubmit: (input: HandOffInput) => void;
  onCancel: () => void;
}

/**
 * A child's protective-custody hand-off (RSMo 210.125): when the child was taken and why, who was
 * notified when, and the child-welfare agency receiving the child. The written statement falls due
 * 12 hours after the time taken; the form says when as soon as the time is entered.
 */
export function HandOffForm({ personLabel, agencies, officers, myUserId, myPhone, pending, error, onSubmit, onCancel }: HandOffFormProps) {
  const { t } = useTranslation();
  const [takenAt, setTakenAt] = useState(() => isoToLocalInput(new Date().toISOString()));
  const [officerUserId, setOfficerUserId] = useState(myUserId);
  const [officerPhone, setOfficerPhone] = useState(myPhone ?? '');
  const [reason, setReason] = useState('');
  const [reasonDetail, setReasonDetail] = useState('');
  const [juvenile, setJuvenile] = useState('');
  const [division, setDivision] = useState('');
  const partners = agencies.filter((a) => a.inOperation);
  const [toAgencyId, setToAgencyId] = useState(agencies.length === 1 ? agencies[0]!.id : partners.length === 1 ? partners[0]!.id : '');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const labels: Record<Field, string> = {
    takenAt: t('handOff.takenAt'),
    officerUserId: t('handOff.officer'),
    officerPhone: t('handOff.officerPhone'),
    reason: t('handOff.reason'),
    reasonDetail: t('handOff.reasonDetail'),
    juvenileOfficerNotifiedAt: t('handOff.juvenileNotified'),
    childrensDivisionNotifiedAt: t('handOff.divisionNotified'),
    toAgencyId: t('handOff.toAgency'),
  };
  const placed = placeServerError(error, (path) => labels[path as Field]);
  const errorAt = (f: Field) => problems[f] ?? placed.fields[f];

  // My number follows me: another officer chosen, it goes (the server then uses theirs), and comes back.
  const chooseOfficer = (id: string) => {
    setOfficerUserId(id);
    if (!myPhone) return;
    if (id !== myUserId && officerPhone.trim() === myPhone) setOfficerPhone('');
    if (id === myUserId && !officerPhone.trim()) setOfficerPhone(myPhone);
  };

  const takenIso = localInputToIso(takenAt);
  const dueAt = takenIso ? new Date(Date.parse(takenIso) + STATEMENT_MS).toISOString() : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    const now = Date.now() + SKEW_MS;
    if (!takenIso) next.takenAt = t('form.required', { label: labels.takenAt });
    else if (Date.parse(takenIso) > now) next.takenAt = t('handOff.inFuture', { label: labels.takenAt });
    if (!reason) next.reason = t('handOff.reasonRequired');
    if (reason === 'other' && !reasonDetail.trim()) next.reasonDetail = t('handOff.reasonDetailRequired');
    for (const [field, value] of [
      ['juvenileOfficerNotifiedAt', juvenile],
      ['childrensDivisionNotifiedAt', division],
    ] as const) {
      const iso = localInputToIso(value);
      if (!iso) continue;
      if (Date.parse(iso) > now) next[field] = t('handOff.inFuture', { label: labels[field] });
      else if (takenIso && Date.parse(iso) < Date.parse(takenIso)) next[field] = t('handOff.beforeTaken', { label: labels[field] });
    }
    if (!toAgencyId) next.toAgencyId = t('handOff.toAgencyRequired');
    setProblems(next);
    if (Object.keys(next).length > 0) {
      focusFirstError();
      return;
    }
    onSubmit({
      takenAt: takenIso!,
      ...(officerUserId && officerUserId !== myUserId ? { officerUserId } : {}),
      ...(officerPhone.trim() ? { officerPhone: officerPhone.trim() } : {}),
      reason: reason as HandOffInput['reason'],
      reasonDetail: reasonDetail.trim() || null,
      juvenileOfficerNotifiedAt: localInputToIso(juvenile) ?? null,
      childrensDivisionNotifiedAt: localInputToIso(division) ?? null,
      toAgencyId,
    });
  };

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TimeField
        id="handoff-taken"
        label={labels.takenAt}
        hint={dueAt ? t('handOff.dueHint', { due: formatDateTime(dueAt) }) : t('handOff.takenAtHint')}
        value={takenAt}
        onChange={setTakenAt}
        error={errorAt('takenAt')}
      />
      {officers.length > 1 ? (
        <SelectField id="handoff-officer" label={labels.officerUserId} hint={t('handOff.officerHint')} value={officerUserId} onChange={(e) => chooseOfficer(e.target.value)} error={errorAt('officerUserId')}>
          {officers.map((o) => (
            <option key={o.id} value={o.id}>
              {o.id === myUserId ? t('handOff.me', { name: o.name }) : o.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextField
        id="handoff-officer-phone"
        label={labels.officerPhone}
        hint={t('handOff.officerPhoneHint')}
        type="tel"
        autoComplete="tel"
        inputMode="tel"
        maxLength={40}
        value={officerPhone}
        onChange={(e) => setOfficerPhone(e.target.value)}
        error={errorAt('officerPhone')}
      />
      <Fieldset id="handoff-reason" legend={labels.reason} hint={t('handOff.reasonHint')} error={errorAt('reason')}>
        {CUSTODY_REASONS.map((r) => (
          <Radio key={r} id={`handoff-reason-${r}`} name="handoff-reason" tile label={t(`custodyReasons.${r}`)} checked={reason === r} onChange={() => setReason(r)} />
        ))}
      </Fieldset>
      {reason === 'other' || reasonDetail ? (
        <TextareaField
          id="handoff-reason-detail"
          label={labels.reasonDetail}
          optional={reason !== 'other'}
          rows={3}
          maxLength={LONG_TEXT_MAX}
          value={reasonDetail}
          onChange={(e) => setReasonDetail(e.target.value)}
          error={errorAt('reasonDetail')}
        />
      ) : null}
      <TimeField id="handoff-juvenile" label={labels.juvenileOfficerNotifiedAt} optional hint={t('handOff.notifiedHint')} value={juvenile} onChange={setJuvenile} error={errorAt('juvenileOfficerNotifiedAt')} />
      <TimeField id="handoff-division" label={labels.childrensDivisionNotifiedAt} optional hint={t('handOff.notifiedHint')} value={division} onChange={setDivision} error={errorAt('childrensDivisionNotifiedAt')} />
      <Fieldset id="handoff-agency" legend={labels.toAgencyId} error={errorAt('toAgencyId')}>
        {agencies.length === 0 ? <p>{t('handOff.noAgencies')}</p> : null}
        {agencies.map((a) => (
          <Radio
            key={a.id}
            id={`handoff-agency-${a.id}`}
            name="handoff-agency"
            tile
            label={a.name}
            description={a.inOperation ? t('referralForm.inOperation') : undefined}
            checked={toAgencyId === a.id}
            onChange={() => setToAgencyId(a.id)}
          />
        ))}
      </Fieldset>
      <FormActions pending={pending ?? false} submitLabel={t('handOff.submit', { label: personLabel })} onCancel={onCancel} />
    </form>
  );
}
