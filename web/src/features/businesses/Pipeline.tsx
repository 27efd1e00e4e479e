import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BUSINESS_LIMITS, CLEARABLE_STAGES, type BusinessStage } from '../../../../common/businesses.ts';
import { Alert } from '../../components/Alert.tsx';
import { SelectField } from '../../components/Field.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { businessKeys, businessesApi, type BusinessDto, type StageChange } from './api.ts';
import { outcomeLabel, stageLabel } from './labels.tsx';
import { outcomesFor } from './pipeline.ts';
import { StageSteps } from './StageSteps.tsx';

/**
 * The confirmation before a stage change (the shared PromptDialog, a modal `<dialog>`): the outcome
 * where the stage has one, an optional note, and the server's refusal (an out-of-order change names the
 * allowed stages) shown inside it.
 */
export function StageDialog({ to, pending, error, onConfirm, onCancel }: { to: BusinessStage | undefined; pending: boolean; error: unknown; onConfirm: (change: Omit<StageChange, 'version'>) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState('');
  const [missing, setMissing] = useState(false);
  const outcomes = to ? outcomesFor(to) : [];

  useEffect(() => {
    if (!to) return;
    setOutcome('');
    setMissing(false);
  }, [to]);

  const outcomeField = outcomes.length ? (
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
  ) : null;

  return (
    <PromptDialog
      open={to !== undefined}
      title={to ? t('businesses.pipeline.confirmTitle', { stage: stageLabel(to) }) : ''}
      fields={outcomeField}
      validate={() => {
        if (outcomes.length && !outcome) {
          setMissing(true);
          return false;
        }
        return true;
      }}
      label={t('businesses.pipeline.note')}
      hint={t('businesses.pipeline.noteHint')}
      maxLength={BUSINESS_LIMITS.reasonMax}
      confirmLabel={to ? t('businesses.pipeline.moveTo', { stage: stageLabel(to) }) : ''}
      pending={pending}
      error={error}
      onSubmit={(note) => {
        if (to) onConfirm({ to, ...(outcome ? { outcome } : {}), ...(note ? { note } : {}) });
      }}
      onCancel={onCancel}
    >
      {t('businesses.pipeline.confirmBody')}
    </PromptDialog>
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
