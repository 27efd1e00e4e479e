import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BUSINESS_LIMITS, CLEARABLE_STAGES, type BusinessStage } from '../../../../common/businesses.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SelectField, TextareaField } from '../../components/Field.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { businessKeys, businessesApi, type BusinessDto, type StageChange } from './api.ts';
import { outcomeLabel, stageLabel } from './labels.tsx';
import { outcomesFor } from './pipeline.ts';
import { StageSteps } from './StageSteps.tsx';

/**
 * The confirmation before a stage change (a modal `<dialog>` with USWDS modal styling): the outcome
 * where the stage has one, an optional note, and the server's refusal (an out-of-order change names the
 * allowed stages) shown inside it.
 */
export function StageDialog({ to, pending, error, onConfirm, onCancel }: { to: BusinessStage | undefined; pending: boolean; error: unknown; onConfirm: (change: Omit<StageChange, 'version'>) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const outcomes = to ? outcomesFor(to) : [];

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (to && !dialog.open) {
      setOutcome('');
      setNote('');
      setMissing(false);
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      requestAnimationFrame(() => dialog.querySelector<HTMLElement>('select, textarea')?.focus());
    } else if (!to && dialog.open) {
      dialog.close();
    }
  }, [to]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!to) return;
    if (outcomes.length && !outcome) {
      setMissing(true);
      return;
    }
    onConfirm({ to, ...(outcome ? { outcome } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <dialog
      ref={ref}
      className="lantern-dialog"
      aria-labelledby={headingId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      {to ? (
        <div className="usa-modal">
          <div className="usa-modal__content">
            <form className="usa-modal__main" noValidate onSubmit={submit}>
              <h2 className="usa-modal__heading" id={headingId}>
                {t('businesses.pipeline.confirmTitle', { stage: stageLabel(to) })}
              </h2>
              <div className="usa-prose">
                <p>{t('businesses.pipeline.confirmBody')}</p>
              </div>
              {error ? <ErrorAlert error={error} /> : null}
              {outcomes.length ? (
                <SelectField id="stage-outcome" label={t('businesses.pipeline.outcome')} value={outcome} error={missing ? t('form.required', { label: t('businesses.pipeline.outcome') }) : undefined} onChange={(e) => {
                  setOutcome(e.target.value);
                  setMissing(false);
                }}>
                  <option value="">{t('form.select')}</option>
                  {outcomes.map((o) => (
                    <option key={o} value={o}>
                      {outcomeLabel(t, o)}
                    </option>
                  ))}
                </SelectField>
              ) : null}
              <TextareaField id="stage-note" label={t('businesses.pipeline.note')} hint={t('businesses.pipeline.noteHint')} optional rows={3} maxLength={BUSINESS_LIMITS.reasonMax} value={note} onChange={(e) => setNote(e.target.value)} />
              <div className="usa-modal__footer">
                <ul className="usa-button-group">
                  <li className="usa-button-group__item">
                    <button type="submit" className="usa-button" disabled={pending}>
                      {pending ? t('common.working') : t('businesses.pipeline.moveTo', { stage: stageLabel(to) })}
                    </button>
                  </li>
                  <li className="usa-button-group__item">
                    <button type="button" className="usa-button usa-button--outline" disabled={pending} onClick={onCancel}>
                      {t('common.cancel')}
                    </button>
                  </li>
                </ul>
              </div>
            </form>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}

/** The pipeline: where the business stands, the next stages it may move to, and clearing a legitimate business. */
export function PipelineSection({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [to, setTo] = useState<BusinessStage | undefined>();
  const [clearing, setClearing] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const done = (message: string) => {
    void queryClient.invalidateQueries({ queryKey: businessKeys.all });
    setNotice(message);
  };
  const move = useMutation({
    mutationFn: (change: StageChange) => businessesApi.changeStage(business.id, change),
    onSuccess: (answer) => {
      setTo(undefined);
      done(answer.outcome ? t('businesses.pipeline.movedWith', { stage: stageLabel(answer.stage), outcome: outcomeLabel(t, answer.outcome) }) : t('businesses.pipeline.moved', { stage: stageLabel(answer.stage) }));
    },
  });
  const clear = useMutation({
    mutationFn: (reason: string) => businessesApi.clear(business.id, reason, business.version),
    onSuccess: () => {
      setClearing(false);
      done(t('businesses.pipeline.clearedNotice'));
    },
  });
  const mayAdvance = business.abilities['business.advance'] === true;
  const mayClear = business.abilities['business.clear'] === true && CLEARABLE_STAGES.includes(business.stage);

  return (
    <section className="lantern-section" aria-labelledby="business-pipeline">
      <h2 id="business-pipeline">{t('businesses.pipeline.heading')}</h2>
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      {business.stage === 'cleared' ? <p>{t('businesses.pipeline.leftCleared')}</p> : <StageSteps stage={business.stage} />}
      {business.stage !== 'cleared' && mayAdvance ? (
        business.nextStages.length ? (
          <>
            <h3>{t('businesses.pipeline.nextHeading')}</h3>
            <ul className="usa-button-group">
              {business.nextStages.map((s) => (
                <li key={s} className="usa-button-group__item">
                  <button
                    type="button"
                    className="usa-button"
                    onClick={() => {
                      move.reset();
                      setTo(s);
                    }}
                  >
                    {t('businesses.pipeline.moveTo', { stage: stageLabel(s) })}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t('businesses.pipeline.noNext')}</p>
        )
      ) : business.stage !== 'cleared' ? (
        <p className="lantern-muted">{t('businesses.pipeline.cannotAdvance')}</p>
      ) : null}
      {mayClear ? (
        <>
          <h3>{t('businesses.pipeline.clearHeading')}</h3>
          <p className="lantern-muted">{t('businesses.pipeline.clearLead')}</p>
          <button
            type="button"
            className="usa-button usa-button--secondary"
            onClick={() => {
              clear.reset();
              setClearing(true);
            }}
          >
            {t('businesses.pipeline.clear')}
          </button>
        </>
      ) : null}
      <StageDialog
        to={to}
        pending={move.isPending}
        error={move.error}
        onConfirm={(change) => move.mutate({ ...change, version: business.version })}
        onCancel={() => {
          setTo(undefined);
          move.reset();
        }}
      />
      <PromptDialog
        open={clearing}
        title={t('businesses.pipeline.clearTitle', { name: business.name })}
        label={t('businesses.pipeline.clearReason')}
        hint={t('businesses.pipeline.clearHint')}
        requiredMessage={t('form.required', { label: t('businesses.pipeline.clearReason') })}
        maxLength={BUSINESS_LIMITS.reasonMax}
        confirmLabel={t('businesses.pipeline.clearConfirm')}
        danger
        pending={clear.isPending}
        error={clear.error}
        onSubmit={(reason) => clear.mutate(reason)}
        onCancel={() => {
          setClearing(false);
          clear.reset();
        }}
      >
        {t('businesses.pipeline.clearBody')}
      </PromptDialog>
    </section>
  );
}
