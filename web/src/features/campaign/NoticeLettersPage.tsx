import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_STAGES, BUSINESS_STAGE_LABELS, LETTER_MERGE_FIELDS, type BusinessStage } from '../../../../common/businesses.ts';
import { ApiError, fieldMessage } from '../../api/client.ts';
import { useCan } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Checkbox, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { hasErrors, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import {
  batchQuery,
  businessesAtStageQuery,
  campaignApi,
  campaignKeys,
  isBatchFinished,
  templateQuery,
  type BusinessListItem,
  type LetterBatchDto,
  type NoticeTemplateDto,
} from './api.ts';
import { batchPercent, insertMergeField, mergeToken, templateErrorField, unknownMergeFields, type TemplateField } from './campaign.ts';
import './campaign.css';

/**
 * Notice letters (issue #11, item 4): the attorney general's template, edited by those allowed to and
 * read by the rest, and letters generated for many businesses at once with the batch's progress, every
 * letter made and every business refused with its reason.
 */
export function NoticeLettersPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('campaign.letters.title')} lead={t('campaign.letters.lead')} />
      <TemplateSection />
      <BatchSection />
    </>
  );
}

// ------------------------------------------------------------------------------------------ template

interface TemplateForm {
  title: string;
  body: string;
  legalBasis: string;
  responseDays: string;
}
const formOf = (tpl: NoticeTemplateDto): TemplateForm => ({ title: tpl.title, body: tpl.body, legalBasis: tpl.legalBasis, responseDays: String(tpl.responseDays) });

function TemplateSection() {
  const { t } = useTranslation();
  const template = useQuery(templateQuery);
  const can = useCan();
  const editable = can('notice.editTemplate') || template.data?.abilities['notice.editTemplate'] === true;
  const [saved, setSaved] = useState<number | undefined>();
  return (
    <section className="lantern-section" aria-labelledby="campaign-template">
      <h2 id="campaign-template">{t('campaign.template.heading')}</h2>
      {template.isPending ? (
        <Loading />
      ) : template.isError ? (
        <LoadError error={template.error} />
      ) : (
        <>
          <p className="lantern-muted">
            {template.data.version === 0 || template.data.updatedAt === null
              ? t('campaign.template.default')
              : t('campaign.template.version', { version: template.data.version, by: template.data.updatedBy ?? t('common.unknown') })}{' '}
            {template.data.updatedAt ? <DateTime value={template.data.updatedAt} /> : null}
          </p>
          {saved !== undefined && saved === template.data.version ? (
            <Alert type="success" slim>
              {t('campaign.template.saved', { version: saved })}
            </Alert>
          ) : null}
          {editable ? <TemplateEditor key={template.data.version} template={template.data} onSaved={setSaved} /> : <TemplateView template={template.data} />}
        </>
      )}
    </section>
  );
}

function TemplateView({ template }: { template: NoticeTemplateDto }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert type="info" slim>
        {t('campaign.template.readOnly')}
      </Alert>
      <dl className="lantern-campaign-details">
        <dt>{t('campaign.template.titleLabel')}</dt>
        <dd>{template.title}</dd>
        <dt>{t('campaign.template.body')}</dt>
        <dd className="lantern-campaign-pre" data-testid="template-body">
          {template.body}
        </dd>
        <dt>{t('campaign.template.legalBasis')}</dt>
        <dd className="lantern-campaign-pre">{template.legalBasis}</dd>
        <dt>{t('campaign.template.responseDays')}</dt>
        <dd>{t('campaign.template.days', { count: template.responseDays })}</dd>
      </dl>
    </>
  );
}

function TemplateEditor({ template, onSaved }: { template: NoticeTemplateDto; onSaved: (version: number) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const bodyId = useId();
  const [form, setForm] = useState<TemplateForm>(() => formOf(template));
  const [errors, setErrors] = useState<FieldErrors<TemplateField>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const labels: Record<TemplateField, string> = {
    title: t('campaign.template.titleLabel'),
    body: t('campaign.template.body'),
    legalBasis: t('campaign.template.legalBasis'),
    responseDays: t('campaign.template.responseDays'),
  };
  const fields = template.mergeFields.length > 0 ? template.mergeFields : [...LETTER_MERGE_FIELDS];

  const save = useMutation({
    mutationFn: () =>
      campaignApi.saveTemplate({
        title: form.title.trim(),
        body: form.body,
        legalBasis: form.legalBasis.trim(),
        responseDays: Number(form.responseDays),
        ...(template.version > 0 ? { version: template.version } : {}),
      }),
    onSuccess: (next) => {
      onSaved(next.version);
      queryClient.setQueryData(campaignKeys.template, next);
    },
    onError: (error) => {
      const field = error instanceof ApiError ? templateErrorField(error.field) : undefined;
      if (field && error instanceof ApiError) setErrors({ [field]: fieldMessage(labels[field], new ApiError(error.status, error.code, error.message, field)) });
      focusFirstError();
    },
  });
  const stale = save.error instanceof ApiError && save.error.status === 409;
  const placed = save.error instanceof ApiError && templateErrorField(save.error.field) !== undefined;
  const formError = stale || placed ? undefined : save.error;

  const set = (field: TemplateField, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const insert = (field: string) => {
    const area = document.getElementById(bodyId) as HTMLTextAreaElement | null;
    const start = area?.selectionStart ?? form.body.length;
    const end = area?.selectionEnd ?? start;
    const next = insertMergeField(form.body, start, end, field);
    set('body', next.text);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(next.caret, next.caret);
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors<TemplateField> = {};
    if (!form.title.trim()) found.title = t('form.required', { label: labels.title });
    if (!form.body.trim()) found.body = t('form.required', { label: labels.body });
    else {
      const unknown = unknownMergeFields(form.body, fields);
      if (unknown.length > 0) found.body = t('campaign.template.unknownField', { fields: unknown.map(mergeToken).join(', '), count: unknown.length });
    }
    if (!form.legalBasis.trim()) found.legalBasis = t('form.required', { label: labels.legalBasis });
    const days = Number(form.responseDays);
    if (!Number.isInteger(days) || days < 1 || days > 365) found.responseDays = t('campaign.template.daysInvalid');
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstError();
      return;
    }
    save.mutate();
  };

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit}>
      {stale ? (
        <div tabIndex={-1} data-form-error>
          <Alert type="error" heading={t('campaign.template.staleHeading')} headingLevel="h3">
            <p className="usa-alert__text">{t('campaign.template.stale')}</p>
            <button type="button" className="usa-button usa-button--outline" onClick={() => void queryClient.invalidateQueries({ queryKey: campaignKeys.template })}>
              {t('campaign.template.reload')}
            </button>
          </Alert>
        </div>
      ) : null}
      {formError ? <ErrorAlert error={formError} /> : null}
      <TextField label={labels.title} value={form.title} error={errors.title} maxLength={300} onChange={(e) => set('title', e.target.value)} />
      <TextareaField
        id={bodyId}
        label={labels.body}
        hint={t('campaign.template.bodyHint', { example: mergeToken('owner') })}
        value={form.body}
        error={errors.body}
        rows={16}
        onChange={(e) => set('body', e.target.value)}
      />
      <p className="margin-bottom-05" id={`${bodyId}-fields`}>
        {t('campaign.template.insertLead')}
      </p>
      <ul className="lantern-campaign-merge-fields" aria-labelledby={`${bodyId}-fields`}>
        {fields.map((f) => (
          <li key={f}>
            <button type="button" className="usa-button usa-button--outline usa-button--small" onClick={() => insert(f)} aria-label={t('campaign.template.insert', { field: mergeToken(f), what: t(`campaign.mergeFields.${f}`, { defaultValue: f }) })}>
              {mergeToken(f)}
            </button>{' '}
            <span className="lantern-muted">{t(`campaign.mergeFields.${f}`, { defaultValue: '' })}</span>
          </li>
        ))}
      </ul>
      <TextareaField label={labels.legalBasis} hint={t('campaign.template.legalBasisHint', { token: mergeToken('legal_basis') })} value={form.legalBasis} error={errors.legalBasis} rows={4} onChange={(e) => set('legalBasis', e.target.value)} />
      <TextField
        label={labels.responseDays}
        hint={t('campaign.template.responseDaysHint', { token: mergeToken('response_deadline') })}
        value={form.responseDays}
        error={errors.responseDays}
        inputMode="numeric"
        className="usa-input--sm"
        onChange={(e) => set('responseDays', e.target.value)}
      />
      <button type="submit" className="usa-button" disabled={save.isPending}>
        {save.isPending ? t('common.saving') : t('campaign.template.save')}
      </button>
    </form>
  );
}

// --------------------------------------------------------------------------------------------- batch

function BatchSection() {
  const { t } = useTranslation();
  const [stage, setStage] = useState<BusinessStage>('landlord_identified');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [batchId, setBatchId] = useState<string | undefined>();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [missing, setMissing] = useState(false);
  const list = useQuery(businessesAtStageQuery(stage));
  const items = useMemo(() => list.data?.items ?? [], [list.data]);

  const start = useMutation({
    mutationFn: (ids: string[]) => campaignApi.startBatch(ids),
    onSuccess: (batch) => setBatchId(batch.id),
  });

  const toggle = (id: string, on: boolean) =>
    setChosen((c) => {
      const next = new Set(c);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ids = items.filter((b) => chosen.has(b.id)).map((b) => b.id);
    if (ids.length === 0) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setNames(new Map(items.map((b) => [b.id, b.name])));
    start.mutate(ids);
  };

  return (
    <section className="lantern-section" aria-labelledby="campaign-batch">
      <h2 id="campaign-batch">{t('campaign.batch.heading')}</h2>
      <p>{t('campaign.batch.lead')}</p>
      {batchId ? (
        <>
          <BatchProgress id={batchId} names={names} />
          <button
            type="button"
            className="usa-button usa-button--outline margin-top-2"
            onClick={() => {
              setBatchId(undefined);
              setChosen(new Set());
              start.reset();
            }}
          >
            {t('campaign.batch.another')}
          </button>
        </>
      ) : (
        <form className="usa-form usa-form--large" noValidate onSubmit={submit}>
          <SelectField
            label={t('campaign.batch.stage')}
            hint={t('campaign.batch.stageHint')}
            value={stage}
            onChange={(e) => {
              setStage(e.target.value as BusinessStage);
              setChosen(new Set());
            }}
          >
            {BUSINESS_STAGES.map((s) => (
              <option key={s} value={s}>
                {BUSINESS_STAGE_LABELS[s]}
              </option>
            ))}
          </SelectField>
          {list.isPending ? (
            <Loading />
          ) : list.isError ? (
            <LoadError error={list.error} />
          ) : items.length === 0 ? (
            <p>{t('campaign.batch.noneAtStage', { stage: BUSINESS_STAGE_LABELS[stage] })}</p>
          ) : (
            <BusinessChoices items={items} total={list.data.total} chosen={chosen} missing={missing} onToggle={toggle} onAll={(on) => setChosen(on ? new Set(items.map((b) => b.id)) : new Set())} />
          )}
          {start.isError ? <ErrorAlert error={start.error} /> : null}
          <button type="submit" className="usa-button" disabled={start.isPending || items.length === 0}>
            {start.isPending ? t('common.working') : t('campaign.batch.start', { count: chosen.size })}
          </button>
        </form>
      )}
    </section>
  );
}

function BusinessChoices({
  items,
  total,
  chosen,
  missing,
  onToggle,
  onAll,
}: {
  items: BusinessListItem[];
  total: number;
  chosen: ReadonlySet<string>;
  missing: boolean;
  onToggle: (id: string, on: boolean) => void;
  onAll: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const all = items.every((b) => chosen.has(b.id));
  return (
    <div className={missing ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <fieldset className="usa-fieldset" aria-describedby={missing ? 'campaign-batch-missing' : undefined}>
        <legend className="usa-legend">{t('campaign.batch.choose', { count: items.length })}</legend>
        {total > items.length ? <p className="usa-hint">{t('campaign.batch.more', { shown: items.length, total })}</p> : null}
        {missing ? (
          <span className="usa-error-message" id="campaign-batch-missing">
            {t('campaign.batch.missing')}
          </span>
        ) : null}
        <Checkbox label={t('campaign.batch.all')} checked={all} onChange={(e) => onAll(e.target.checked)} />
        <div className="lantern-campaign-batch-list">
          {items.map((b) => (
            <Checkbox key={b.id} label={b.name} description={`${b.address}, ${b.city} · ${b.countyName}`} checked={chosen.has(b.id)} onChange={(e) => onToggle(b.id, e.target.checked)} />
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** A batch's progress bar, polled until the batch is done; then the letters made and every refusal. */
export function BatchProgress({ id, names }: { id: string; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const labelId = useId();
  const batch = useQuery(batchQuery(id));
  const queryClient = useQueryClient();
  const finished = isBatchFinished(batch.data);
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: ['businesses'] });
  }, [finished, queryClient]);
  if (batch.isPending) return <Loading label={t('campaign.batch.starting')} />;
  if (batch.isError) return <LoadError error={batch.error} />;
  const b = batch.data;
  const percent = batchPercent(b);
  return (
    <div className="lantern-job-progress">
      <p id={labelId} className="text-bold">
        {t('campaign.batch.progressLabel')}
      </p>
      <progress className="lantern-campaign-progress" aria-labelledby={labelId} max={Math.max(1, b.total)} value={b.processed} aria-valuetext={t('campaign.batch.progress', { processed: b.processed, total: b.total, percent })} />
      <p role="status" data-testid="batch-status">
        {b.status === 'done'
          ? t('campaign.batch.done', { generated: b.generated, refused: b.refused.length })
          : b.status === 'failed'
            ? t('campaign.batch.failed', { processed: b.processed, total: b.total })
            : t('campaign.batch.progress', { processed: b.processed, total: b.total, percent })}
      </p>
      {finished ? <BatchResults batch={b} names={names} /> : null}
    </div>
  );
}

function BatchResults({ batch, names }: { batch: LetterBatchDto; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('campaign.batch.generated', { count: batch.letters.length })}</h3>
      {batch.letters.length === 0 ? (
        <p>{t('campaign.batch.noLetters')}</p>
      ) : (
        <table className="usa-table usa-table--borderless usa-table--compact">
          <thead>
            <tr>
              <th scope="col">{t('campaign.letter.number')}</th>
              <th scope="col">{t('campaign.batch.business')}</th>
              <th scope="col">{t('campaign.letter.files')}</th>
            </tr>
          </thead>
          <tbody>
            {batch.letters.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.number}</th>
                <td>
                  <Link to="/businesses/$businessId" params={{ businessId: l.businessId }} className="usa-link">
                    {names.get(l.businessId) ?? t('campaign.batch.unnamed')}
                  </Link>
                </td>
                <td>
                  <LetterLinks id={l.id} number={l.number} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('campaign.batch.refused', { count: batch.refused.length })}</h3>
      {batch.refused.length === 0 ? (
        <p>{t('campaign.batch.noRefusals')}</p>
      ) : (
        <ul className="usa-list" data-testid="batch-refusals">
          {batch.refused.map((r) => (
            <li key={r.businessId}>
              <Link to="/businesses/$businessId" params={{ businessId: r.businessId }} className="usa-link">
                {r.businessName ?? names.get(r.businessId) ?? t('campaign.batch.unnamed')}
              </Link>
              {': '}
              {r.field ? t('campaign.unfilled.short', { field: t(`campaign.mergeFields.${r.field}`, { defaultValue: r.field }) }) + ' ' : ''}
              {r.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The PDF and Word links of a letter (downloads through the signed-in session). */
export function LetterLinks({ id, number }: { id: string; number: string }) {
  const { t } = useTranslation();
  const enc = encodeURIComponent(id);
  return (
    <span className="lantern-campaign-actions">
      <a className="usa-link" href={`/api/letters/${enc}/pdf`} aria-label={t('campaign.letter.pdfOf', { number })}>
        {t('campaign.letter.pdf')}
      </a>
      <a className="usa-link" href={`/api/letters/${enc}/docx`} aria-label={t('campaign.letter.docxOf', { number })}>
        {t('campaign.letter.docx')}
      </a>
    </span>
  );
}
