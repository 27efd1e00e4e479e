import { Suspense, lazy, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import { ApiError } from '../../api/client.ts';
import { operations } from '../../api/endpoints.ts';
import { keys, operationQuery } from '../../api/queries.ts';
import type { ConflictDto, OperationDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { Tag, type TagTone } from '../../components/Tag.tsx';
import { useFlashNotice } from '../../components/flash.ts';
import { OperationWindow } from './labels.tsx';
import { OperationHeader } from './OperationNav.tsx';

const OperationMap = lazy(() => import('./OperationMap.tsx'));

const route = getRouteApi('/app/operations/$operationId');

type Step = 'approve' | 'activate' | 'close';

const CONFLICT_TONE: Record<ConflictDto['status'], TagTone> = { open: 'danger', resolved: 'ok', waived: 'warn', cleared: 'quiet' };

/** A phone number as a `tel:` link (digits and a leading + only). */
export function PhoneLink({ phone }: { phone: string }) {
  const digits = phone.replace(/[^\d+]/g, '');
  if (!digits) return <>{phone}</>;
  return (
    <a className="usa-link" href={`tel:${digits}`}>
      {phone}
    </a>
  );
}

/** Starting more than a day before the planned window asks twice (issue #9, item 3). */
export const EARLY_START_MS = 24 * 60 * 60_000;
export const startsEarly = (startsAt: string, now: number) => Date.parse(startsAt) - now > EARLY_START_MS;

function ConflictCard({ c, canResolve, onResolve }: { c: ConflictDto; canResolve: boolean; onResolve: (c: ConflictDto) => void }) {
  const { t } = useTranslation();
  const informs = c.status === 'open' && !c.blocking;
  return (
    <li className={c.blocking ? 'lantern-conflict is-open' : 'lantern-conflict'}>
      <div className="lantern-conflict__head">
        <h4 className="lantern-conflict__title">{t(`operation.conflictKinds.${c.kind}`)}</h4>
        <Tag tone={informs ? 'quiet' : CONFLICT_TONE[c.status]}>{informs ? t('operation.conflictInforms') : t(`operation.conflictStatus.${c.status}`)}</Tag>
      </div>
      {informs ? <p className="lantern-muted">{t('operation.conflictInformsLead')}</p> : null}
      <dl className="lantern-facts lantern-facts--compact">
        <dt>{c.mine.type === 'location' ? t('operation.ourLocation') : t('operation.ourSubject')}</dt>
        <dd>{c.mine.label}</dd>
        {c.other.sameAgency && c.other.operationId ? (
          <>
            <dt>{t('operation.ownOperation')}</dt>
            <dd>
              <Link to="/operations/$operationId" params={{ operationId: c.other.operationId }} className="usa-link">
                {c.other.operationName}
              </Link>{' '}
              <span className="lantern-muted">({t('operation.ownOperationLead', { agency: c.other.agencyName })})</span>
            </dd>
          </>
        ) : c.other.sameAgency ? (
          <>
            <dt>{t('operation.ownOperation')}</dt>
            <dd>{t('operation.ownOperationUnnamed', { agency: c.other.agencyName })}</dd>
          </>
        ) : (
          <>
            <dt>{t('operation.otherAgency')}</dt>
            <dd>{c.other.agencyName}</dd>
          </>
        )}
        <dt>{c.other.sameAgency ? t('operation.ownCommander') : t('operation.otherCommander')}</dt>
        <dd>
          {c.other.commanderName || t('common.unknown')}
          {c.other.commanderPhone ? (
            <>
              {' · '}
              <PhoneLink phone={c.other.commanderPhone} />
            </>
          ) : null}
        </dd>
        <dt>{t('operation.detectedAt')}</dt>
        <dd>
          <DateTime value={c.detectedAt} />
        </dd>
        {c.resolution ? (
          <>
            <dt>{t('operation.resolution')}</dt>
            <dd>
              {c.resolution}
              {c.resolvedAt ? (
                <>
                  {' '}
                  <span className="lantern-muted">
                    (<DateTime value={c.resolvedAt} />)
                  </span>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {canResolve && c.status === 'open' ? (
        <button type="button" className="usa-button usa-button--outline" onClick={() => onResolve(c)}>
          {t('operation.resolve')}
          <span className="usa-sr-only"> {t('operation.resolveWhich', { label: c.mine.label, agency: c.other.sameAgency ? (c.other.operationName ?? c.other.agencyName) : c.other.agencyName })}</span>
        </button>
      ) : null}
    </li>
  );
}

/**
 * The operation's conflicts: those that hold now (open, resolved, waived, or open with a closed or past
 * operation, which only informs), and below them past ones whose plan changed since, kept with the note
 * of what was agreed (issue #9, item 5).
 */
export function ConflictsPanel({ op, onResolve }: { op: OperationDto; onResolve: (c: ConflictDto) => void }) {
  const { t } = useTranslation();
  const canResolve = op.abilities['operation.resolveConflict'] === true;
  const current = op.conflicts.filter((c) => c.status !== 'cleared');
  const past = op.conflicts.filter((c) => c.status === 'cleared');
  return (
    <section className="lantern-section" aria-labelledby="op-conflicts" id="conflicts" tabIndex={-1}>
      <h2 id="op-conflicts">{t('operation.conflictsHeading')}</h2>
      {current.length === 0 ? (
        <p>{op.status === 'closed' ? t('operation.noConflictsClosed') : t('operation.noConflicts')}</p>
      ) : (
        <>
          <p className="lantern-muted">{t('operation.conflictsLead')}</p>
          <h3 className="usa-sr-only">{t('operation.currentConflicts', { count: current.length })}</h3>
          <ul className="lantern-card-list">
            {current.map((c) => (
              <ConflictCard key={c.id} c={c} canResolve={canResolve} onResolve={onResolve} />
            ))}
          </ul>
        </>
      )}
      {past.length > 0 ? (
        <>
          <h3>{t('operation.pastConflicts', { count: past.length })}</h3>
          <p className="lantern-muted">{t('operation.pastConflictsLead')}</p>
          <ul className="lantern-card-list">
            {past.map((c) => (
              <ConflictCard key={c.id} c={c} canResolve={false} onResolve={onResolve} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Why a step was refused, said beside its button: the server's reason, or what to do about conflicts. */
function StepRefusal({ error, step }: { error: Error; step: Step | undefined }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'unresolved_conflicts') {
    return (
      <Alert type="error" slim announce>
        {t('operation.refused.conflicts', { step: step ? t(`operation.steps.${step}`) : '' })} {error.message}{' '}
        <a className="usa-link" href="#conflicts">
          {t('operation.seeConflicts')}
        </a>
      </Alert>
    );
  }
  return <ErrorAlert error={error} />;
}

/** One operation: what it is, its state and next step, its conflicts, who takes part, where. */
export function OperationPage() {
  const { t } = useTranslation();
  const { operationId } = route.useParams();
  const queryClient = useQueryClient();
  const flashed = useFlashNotice();
  // The plan form's message is the moment of saving; once anything happens here it is dropped, and its
  // count of conflicts is never repeated: the conflicts below say how things stand (issue #9, item 2).
  const [flash, setFlashShown] = useState(flashed);
  const op = useQuery(operationQuery(operationId));
  const [confirming, setConfirming] = useState<Step>();
  const [resolving, setResolving] = useState<ConflictDto>();
  const [waiving, setWaiving] = useState(false);
  const [notice, setNotice] = useState<string>();

  const store = (dto: OperationDto) => {
    setFlashShown(undefined);
    queryClient.setQueryData(keys.operation(operationId), dto);
    void queryClient.invalidateQueries({ queryKey: keys.operationsAll });
    // Notices settle when their work is done: the header's count follows.
    void queryClient.invalidateQueries({ queryKey: keys.inboxAll });
  };

  const step = useMutation({
    mutationFn: (which: Step) => operations[which](operationId),
    onMutate: () => setNotice(undefined),
    onSuccess: (dto, which) => {
      store(dto);
      setNotice(t(`operation.done.${which}`));
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: keys.operation(operationId) }),
    onSettled: () => setConfirming(undefined),
  });
  const resolve = useMutation({
    mutationFn: ({ conflict, note }: { conflict: ConflictDto; note: string }) => operations.resolveConflict(operationId, conflict.id, note),
    onSuccess: (dto, { conflict }) => {
      store(dto);
      step.reset();
      setResolving(undefined);
      setNotice(conflict.other.sameAgency || conflict.status !== 'open' || !conflict.blocking ? t('operation.done.resolveOwn') : t('operation.done.resolve', { agency: conflict.other.agencyName }));
    },
  });
  const waive = useMutation({
    mutationFn: (reason: string) => operations.waive(operationId, reason),
    onSuccess: (dto) => {
      const others = op.data?.conflicts.filter((c) => c.blocking && !c.other.sameAgency) ?? [];
      store(dto);
      step.reset();
      setWaiving(false);
      setNotice(others.length > 0 ? t('operation.done.waive') : t('operation.done.waiveOwn'));
    },
  });

  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('operation.titleLoading')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }

  const o = op.data;
  const ab = o.abilities;
  // What blocks a start is derived from the conflicts as they stand, never from the last message.
  const openConflicts = o.conflicts.filter((c) => c.blocking);
  const ownOnly = openConflicts.every((c) => c.other.sameAgency);
  const blockedNow = (o.status === 'draft' || o.status === 'approved') && openConflicts.length > 0;
  const nextSteps: Step[] = (['approve', 'activate', 'close'] as const).filter((s) => ab[`operation.${s}`] === true);
  const early = startsEarly(o.startsAt, Date.now());
  const editButton = ab['operation.update'] ? (
    <Link to="/operations/$operationId/edit" params={{ operationId }} className="usa-button usa-button--outline">
      {t('operation.edit')}
    </Link>
  ) : null;

  return (
    <>
      <OperationHeader op={o} current="overview" title={o.name} actions={editButton} />
      {flash ? (
        flash.tone === 'warning' && openConflicts.length > 0 ? (
          <Alert type="warning" announce>
            {ownOnly ? t('operation.savedWithOwnConflicts', { count: openConflicts.length }) : t('planForm.savedWithConflicts', { count: openConflicts.length })}
          </Alert>
        ) : (
          <Alert type="success" slim announce>
            {flash.tone === 'warning' ? t('operation.saved') : flash.message}
          </Alert>
        )
      ) : null}
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}

      {nextSteps.length > 0 || blockedNow ? (
        <section className="lantern-next-step" aria-labelledby="op-next">
          <h2 id="op-next">{t('operation.nextHeading')}</h2>
          {blockedNow ? (
            <Alert type="warning" heading={t('operation.blockedHeading', { count: openConflicts.length })} headingLevel="h3">
              <p className="usa-alert__text">{ownOnly ? t('operation.blockedOwn') : t('operation.blocked')}</p>
              <p className="usa-alert__text">
                <a className="usa-link" href="#conflicts">
                  {t('operation.seeConflicts')}
                </a>
              </p>
              {ab['operation.waive'] ? (
                <>
                  <p className="usa-alert__text">{t('operation.waiverLead')}</p>
                  <button type="button" className="usa-button usa-button--secondary" onClick={() => setWaiving(true)}>
                    {t('operation.waive')}
                  </button>
                </>
              ) : null}
            </Alert>
          ) : null}
          {nextSteps.length > 0 ? (
            <>
              <p>{t(`operation.nextLead.${o.status}`)}</p>
              <ul className="usa-button-group">
                {nextSteps.map((s) => (
                  <li key={s} className="usa-button-group__item">
                    <button
                      type="button"
                      // A start that conflicts would refuse is not the primary action; it still says why when tried.
                      className={s === 'activate' && blockedNow ? 'usa-button usa-button--outline' : 'usa-button'}
                      disabled={step.isPending}
                      aria-describedby={step.error && step.variables === s ? 'op-step-refusal' : undefined}
                      onClick={() => {
                        step.reset();
                        setConfirming(s);
                      }}
                    >
                      {t(`operation.steps.${s}`)}
                    </button>
                  </li>
                ))}
              </ul>
              {step.error ? (
                <div className="lantern-step-refusal" id="op-step-refusal">
                  <StepRefusal error={step.error} step={step.variables} />
                </div>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      <section className="lantern-section" aria-labelledby="op-summary">
        <h2 id="op-summary">{t('operation.summaryHeading')}</h2>
        <dl className="lantern-facts">
          <dt>{t('operation.type')}</dt>
          <dd>{t(`operations.types.${o.type}`)}</dd>
          <dt>{t('operation.window')}</dt>
          <dd>
            <OperationWindow startsAt={o.startsAt} endsAt={o.endsAt} />
          </dd>
          <dt>{t('operation.taskForce')}</dt>
          <dd>{o.taskForce.name}</dd>
          <dt>{t('operation.leadAgency')}</dt>
          <dd>{o.leadAgency.name}</dd>
          <dt>{t('operation.commander')}</dt>
          <dd>
            {o.commander.name} · <PhoneLink phone={o.commander.phone} />
          </dd>
          <dt>{t('operation.hold')}</dt>
          <dd>{o.investigationHold ? t('operation.holdOn') : t('operation.holdOff')}</dd>
          <dt>{t('operation.contacts')}</dt>
          <dd>{o.contacts}</dd>
          {o.approvedAt ? (
            <>
              <dt>{t('operation.approvedAt')}</dt>
              <dd>
                <DateTime value={o.approvedAt} />
              </dd>
            </>
          ) : null}
          {o.activatedAt ? (
            <>
              <dt>{t('operation.activatedAt')}</dt>
              <dd>
                <DateTime value={o.activatedAt} />
              </dd>
            </>
          ) : null}
          {o.closedAt ? (
            <>
              <dt>{t('operation.closedAt')}</dt>
              <dd>
                <DateTime value={o.closedAt} />
              </dd>
            </>
          ) : null}
        </dl>
        <ul className="lantern-link-list">
          {ab['operation.readContacts'] || ab['operation.recordContact'] ? (
            <li>
              <Link to="/operations/$operationId/field" params={{ operationId }} className="usa-link">
                {o.status === 'active' && ab['operation.recordContact'] ? t('operation.openFieldLog') : t('operation.seeFieldLog')}
              </Link>
            </li>
          ) : null}
          {ab['operation.readOutcome'] ? (
            <li>
              <Link to="/operations/$operationId/outcome" params={{ operationId }} className="usa-link">
                {t('operation.seeOutcome')}
              </Link>
            </li>
          ) : null}
        </ul>
      </section>

      <ConflictsPanel op={o} onResolve={(c) => setResolving(c)} />

      {o.briefing ? (
        <section className="lantern-section" aria-labelledby="op-briefing">
          <h2 id="op-briefing">{t('operation.briefingHeading')}</h2>
          <div className="lantern-briefing">{o.briefing}</div>
        </section>
      ) : o.briefingRestricted ? (
        <section className="lantern-section" aria-labelledby="op-briefing">
          <h2 id="op-briefing">{t('operation.briefingHeading')}</h2>
          <p className="lantern-muted">{t('operation.briefingRestricted')}</p>
        </section>
      ) : null}

      <section className="lantern-section" aria-labelledby="op-agencies">
        <h2 id="op-agencies">{t('operation.participantsHeading')}</h2>
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('operation.participantsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('operation.agency')}</th>
                <th scope="col">{t('operation.role')}</th>
              </tr>
            </thead>
            <tbody>
              {o.participants.map((p) => (
                <tr key={p.agencyId}>
                  <th scope="row" data-label={t('operation.agency')}>
                    {p.name}
                  </th>
                  <td data-label={t('operation.role')}>{t(`participantRoles.${p.role}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>{t('operation.assignmentsHeading', { count: o.assignments.length })}</h3>
        {o.assignments.length === 0 ? (
          <p>{t('operation.noAssignments')}</p>
        ) : (
          <ul className="lantern-plain-list">
            {o.assignments.map((a) => (
              <li key={a.userId}>
                {a.name} <span className="lantern-muted">· {a.agencyName}</span>
                {o.commander.userId === a.userId ? <> {' '}<Tag tone="info">{t('operation.commanderTag')}</Tag></> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="lantern-section" aria-labelledby="op-where">
        <h2 id="op-where">{t('operation.locationsHeading')}</h2>
        <div className="lantern-map-layout">
          <ol className="lantern-locations">
            {o.locations.map((l) => (
              <li key={l.id}>
                <strong>{l.label}</strong>
                <br />
                {l.countyName ? t('operation.county', { name: l.countyName }) : l.countyFips}
                <br />
                <span className="lantern-muted">
                  {t('operation.point', { lat: l.lat.toFixed(5), lng: l.lng.toFixed(5), radius: l.radiusM })}
                </span>
              </li>
            ))}
          </ol>
          <Suspense fallback={<Loading label={t('operation.mapLoading')} />}>
            <OperationMap locations={o.locations} />
          </Suspense>
        </div>
      </section>

      {o.subjects && o.subjects.length > 0 ? (
        <section className="lantern-section" aria-labelledby="op-subjects">
          <h2 id="op-subjects">{t('operation.subjectsHeading')}</h2>
          <ul className="lantern-plain-list">
            {o.subjects.map((s) => (
              <li key={s.id}>
                <span className="lantern-muted">{t(`subjectKinds.${s.kind}`)}:</span> {s.value}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <ConfirmDialog
        open={confirming !== undefined}
        title={confirming ? t(`operation.confirm.${confirming}.title`, { name: o.name }) : ''}
        confirmLabel={confirming ? t(`operation.steps.${confirming}`) : ''}
        danger={confirming === 'close'}
        pending={step.isPending}
        onConfirm={() => confirming && step.mutate(confirming)}
        onCancel={() => setConfirming(undefined)}
      >
        {confirming ? t(`operation.confirm.${confirming}.body`, { name: o.name, count: openConflicts.length }) : ''}
        {confirming === 'activate' && early ? (
          <Alert type="warning" slim>
            {t('operation.confirm.activateEarly', { when: formatDateTime(o.startsAt) })}
          </Alert>
        ) : null}
        {confirming === 'activate' && openConflicts.length > 0 ? (
          <Alert type="warning" slim>
            {t('operation.confirm.activateBlocked', { count: openConflicts.length })}
          </Alert>
        ) : null}
      </ConfirmDialog>
      <PromptDialog
        open={resolving !== undefined}
        title={t('operation.resolveTitle')}
        label={t('operation.resolveNote')}
        hint={t('operation.resolveNoteHint')}
        requiredMessage={t('operation.resolveNoteRequired')}
        maxLength={SHORT_TEXT_MAX}
        confirmLabel={t('operation.resolveConfirm')}
        pending={resolve.isPending}
        error={resolve.error}
        onSubmit={(note) => resolving && resolve.mutate({ conflict: resolving, note })}
        onCancel={() => {
          resolve.reset();
          setResolving(undefined);
        }}
      >
        {resolving
          ? resolving.other.sameAgency && resolving.other.operationName
            ? t('operation.resolveBodyOwn', { label: resolving.mine.label, operation: resolving.other.operationName, commander: resolving.other.commanderName })
            : t('operation.resolveBody', { label: resolving.mine.label, agency: resolving.other.agencyName, commander: resolving.other.commanderName })
          : ''}
      </PromptDialog>
      <PromptDialog
        open={waiving}
        title={t('operation.waiverTitle')}
        label={t('operation.waiverReason')}
        hint={t('operation.waiverReasonHint')}
        requiredMessage={t('operation.waiverReasonRequired')}
        maxLength={SHORT_TEXT_MAX}
        confirmLabel={t('operation.waive')}
        danger
        pending={waive.isPending}
        error={waive.error}
        onSubmit={(reason) => waive.mutate(reason)}
        onCancel={() => {
          waive.reset();
          setWaiving(false);
        }}
      >
        {t('operation.waiverBody', { count: openConflicts.length })}
      </PromptDialog>
    </>
  );
}
