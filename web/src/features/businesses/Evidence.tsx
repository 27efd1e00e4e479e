import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BUSINESS_INDICATORS, BUSINESS_LIMITS, type BusinessIndicator } from '../../../../common/businesses.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { Tag } from '../../components/Tag.tsx';
import { formatDate } from '../../components/format.ts';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { attachmentUrl, businessKeys, businessesApi, indicatorsQuery, type BusinessDto, type IndicatorDto, type IndicatorInput } from './api.ts';
import { indicatorLabel } from './labels.tsx';

const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Today as YYYY-MM-DD in the user's time zone. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A file's bytes as base64 (without the `data:` prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/** Why a chosen file cannot be attached, or undefined when it can. */
export function attachmentProblem(file: { type: string; size: number } | undefined): 'type' | 'size' | undefined {
  if (!file) return undefined;
  if (!ATTACHMENT_TYPES.includes(file.type as AttachmentType)) return 'type';
  if (file.size > BUSINESS_LIMITS.attachmentBytesMax) return 'size';
  return undefined;
}

type EvidenceField = 'indicator' | 'note' | 'observedOn' | 'attachment';

/** "Add evidence": the sign seen, a note, the day, and a photo or document. */
export function AddEvidenceForm({ businessId, onDone }: { businessId: string; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [indicator, setIndicator] = useState<BusinessIndicator | ''>('');
  const [note, setNote] = useState('');
  const [observedOn, setObservedOn] = useState(today());
  const [file, setFile] = useState<File | undefined>();
  const [fileKey, setFileKey] = useState(0);
  const [local, setLocal] = useState<Partial<Record<EvidenceField, string>>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const add = useMutation({
    mutationFn: async (input: IndicatorInput) => businessesApi.addIndicator(businessId, input),
    onSuccess: (dto) => {
      void queryClient.invalidateQueries({ queryKey: businessKeys.all });
      setIndicator('');
      setNote('');
      setObservedOn(today());
      setFile(undefined);
      setFileKey((k) => k + 1);
      onDone(t('businesses.evidence.added', { indicator: indicatorLabel(dto.indicator) }));
    },
  });
  useEffect(() => {
    if (add.error) focusFirstError();
  }, [add.error, focusFirstError]);

  const labels: Record<EvidenceField, string> = {
    indicator: t('businesses.evidence.indicator'),
    note: t('businesses.evidence.note'),
    observedOn: t('businesses.evidence.observedOn'),
    attachment: t('businesses.evidence.attachment'),
  };
  const placed = placeServerError(add.error, (path) => {
    const head = path.split('.')[0] as EvidenceField;
    return labels[head];
  });
  const errors: Partial<Record<EvidenceField, string>> = { ...local };
  for (const [path, message] of Object.entries(placed.fields)) errors[path.split('.')[0] as EvidenceField] ??= message;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Partial<Record<EvidenceField, string>> = {};
    if (!indicator) problems.indicator = t('form.required', { label: labels.indicator });
    if (!note.trim()) problems.note = t('form.required', { label: labels.note });
    if (!observedOn) problems.observedOn = t('form.required', { label: labels.observedOn });
    const fileProblem = attachmentProblem(file);
    if (fileProblem) problems.attachment = t(`businesses.evidence.file.${fileProblem}`);
    setLocal(problems);
    if (Object.keys(problems).length || !indicator) {
      focusFirstError();
      return;
    }
    const attachment = file ? { filename: file.name, contentType: file.type as AttachmentType, base64: await readBase64(file) } : undefined;
    add.mutate({ indicator, note: note.trim(), observedOn, ...(attachment ? { attachment } : {}) });
  };

  return (
    <form ref={ref} className="usa-form lantern-form-wide" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="business-add-evidence">
      <h3 id="business-add-evidence">{t('businesses.evidence.addHeading')}</h3>
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <SelectField id="evidence-indicator" label={labels.indicator} value={indicator} error={errors.indicator} onChange={(e) => setIndicator(BUSINESS_INDICATORS.find((i) => i === e.target.value) ?? '')}>
        <option value="">{t('form.select')}</option>
        {BUSINESS_INDICATORS.map((i) => (
          <option key={i} value={i}>
            {indicatorLabel(i)}
          </option>
        ))}
      </SelectField>
      <TextareaField id="evidence-note" label={labels.note} hint={t('businesses.evidence.noteHint')} rows={3} maxLength={BUSINESS_LIMITS.noteMax} value={note} error={errors.note} onChange={(e) => setNote(e.target.value)} />
      <TextField id="evidence-observedOn" type="date" label={labels.observedOn} value={observedOn} error={errors.observedOn} max={today()} onChange={(e) => setObservedOn(e.target.value)} />
      <TextField
        key={fileKey}
        id="evidence-attachment"
        type="file"
        label={labels.attachment}
        hint={t('businesses.evidence.attachmentHint')}
        optional
        accept={ATTACHMENT_TYPES.join(',')}
        className="usa-file-input__input"
        error={errors.attachment}
        onChange={(e) => {
          setFile(e.target.files?.[0]);
          setLocal((l) => ({ ...l, attachment: undefined }));
        }}
      />
      <button type="submit" className="usa-button" disabled={add.isPending}>
        {add.isPending ? t('common.saving') : t('businesses.evidence.submit')}
      </button>
    </form>
  );
}

/** One piece of evidence: the sign, the note, when and by whom, the attachment, and who verified it. */
function EvidenceItem({ item, business, onVerify, onWithdraw, pending }: { item: IndicatorDto; business: BusinessDto; onVerify: () => void; onWithdraw: () => void; pending: boolean }) {
  const { t } = useTranslation();
  // The server says per piece of evidence; without its word, the business's abilities and the recorder decide.
  const mayVerify = !item.recordedByMe && !item.verifiedAt && !item.withdrawnAt && (item.abilities['business.verify'] ?? business.abilities['business.verify'] === true);
  const mayWithdraw = !item.withdrawnAt && (item.abilities['business.withdrawIndicator'] ?? (item.recordedByMe || business.abilities['business.update'] === true));
  return (
    <li className={item.withdrawnAt ? 'lantern-contact-card lantern-muted' : 'lantern-contact-card'}>
      <h3 className="lantern-contact-card__title">{indicatorLabel(item.indicator)}</h3>
      <p className="lantern-tags">
        {item.withdrawnAt ? <Tag tone="quiet">{t('businesses.evidence.withdrawn')}</Tag> : item.verifiedAt ? <Tag tone="ok">{t('businesses.evidence.verified')}</Tag> : <Tag tone="warn">{t('businesses.evidence.unverified')}</Tag>}
      </p>
      <p className="lantern-tip-narrative">{item.note}</p>
      <p className="lantern-contact-card__meta">
        {t('businesses.evidence.seenOn', { date: formatDate(`${item.observedOn}T12:00:00`) })} · {t('businesses.evidence.recordedBy', { name: item.recordedBy })} <DateTime value={item.recordedAt} />
      </p>
      {item.attachment ? (
        <p>
          <a className="usa-link" href={attachmentUrl(item.attachment.id)} download={item.attachment.filename}>
            {t('businesses.evidence.download', { name: item.attachment.filename, size: Math.max(1, Math.round(item.attachment.size / 1024)) })}
          </a>
        </p>
      ) : null}
      {item.verifiedAt ? (
        <p className="lantern-contact-card__meta">
          {t('businesses.evidence.verifiedBy', { name: item.verifiedBy ?? '' })} <DateTime value={item.verifiedAt} />
        </p>
      ) : null}
      {item.withdrawnAt ? (
        <p className="lantern-contact-card__meta">
          {t('businesses.evidence.withdrawnBecause', { reason: item.withdrawnReason ?? '' })} <DateTime value={item.withdrawnAt} />
        </p>
      ) : null}
      {mayVerify || mayWithdraw ? (
        <div className="lantern-actions">
          {mayVerify ? (
            <button type="button" className="usa-button usa-button--outline" disabled={pending} onClick={onVerify} aria-label={t('businesses.evidence.verifyOf', { indicator: indicatorLabel(item.indicator) })}>
              {t('businesses.evidence.verify')}
            </button>
          ) : null}
          {mayWithdraw ? (
            <button type="button" className="usa-button usa-button--unstyled" disabled={pending} onClick={onWithdraw} aria-label={t('businesses.evidence.withdrawOf', { indicator: indicatorLabel(item.indicator) })}>
              {t('businesses.evidence.withdraw')}
            </button>
          ) : null}
        </div>
      ) : null}
      {item.recordedByMe && !item.verifiedAt && !item.withdrawnAt ? <p className="lantern-muted">{t('businesses.evidence.needsSecond')}</p> : null}
    </li>
  );
}

/** The business's evidence: each indicator recorded, verification by a second person, withdrawal with a reason. */
export function EvidenceSection({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery(indicatorsQuery(business.id));
  const [notice, setNotice] = useState<string | undefined>();
  const [withdrawing, setWithdrawing] = useState<IndicatorDto | undefined>();
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: businessKeys.all });
  const verify = useMutation({
    mutationFn: (item: IndicatorDto) => businessesApi.verifyIndicator(item.id, item.version),
    onSuccess: (dto) => {
      invalidate();
      setNotice(t('businesses.evidence.verifiedNotice', { indicator: indicatorLabel(dto.indicator) }));
    },
  });
  const withdraw = useMutation({
    mutationFn: ({ item, reason }: { item: IndicatorDto; reason: string }) => businessesApi.withdrawIndicator(item.id, reason, item.version),
    onSuccess: (dto) => {
      invalidate();
      setWithdrawing(undefined);
      setNotice(t('businesses.evidence.withdrawnNotice', { indicator: indicatorLabel(dto.indicator) }));
    },
  });

  return (
    <section className="lantern-section" aria-labelledby="business-evidence">
      <h2 id="business-evidence">{t('businesses.evidence.heading')}</h2>
      <p className="lantern-muted">{t('businesses.evidence.lead')}</p>
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      {verify.error ? <ErrorAlert error={verify.error} /> : null}
      {list.isPending ? (
        <Loading label={t('businesses.evidence.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p>{business.abilities['business.recordIndicator'] ? t('businesses.evidence.emptyCanAdd') : t('businesses.evidence.empty')}</p>
      ) : (
        <ul className="lantern-card-list" aria-label={t('businesses.evidence.listLabel')}>
          {list.data.items.map((item) => (
            <EvidenceItem key={item.id} item={item} business={business} pending={verify.isPending || withdraw.isPending} onVerify={() => verify.mutate(item)} onWithdraw={() => setWithdrawing(item)} />
          ))}
        </ul>
      )}
      {business.abilities['business.recordIndicator'] ? <AddEvidenceForm businessId={business.id} onDone={setNotice} /> : null}
      <PromptDialog
        open={withdrawing !== undefined}
        title={t('businesses.evidence.withdrawTitle', { indicator: withdrawing ? indicatorLabel(withdrawing.indicator) : '' })}
        label={t('businesses.evidence.withdrawReason')}
        hint={t('businesses.evidence.withdrawHint')}
        requiredMessage={t('form.required', { label: t('businesses.evidence.withdrawReason') })}
        maxLength={BUSINESS_LIMITS.reasonMax}
        confirmLabel={t('businesses.evidence.withdrawConfirm')}
        danger
        pending={withdraw.isPending}
        error={withdraw.error}
        onSubmit={(reason) => withdrawing && withdraw.mutate({ item: withdrawing, reason })}
        onCancel={() => {
          setWithdrawing(undefined);
          withdraw.reset();
        }}
      >
        {t('businesses.evidence.withdrawBody')}
      </PromptDialog>
    </section>
  );
}
