import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { newsUrls, pressReleases } from '../../api/endpoints.ts';
import { keys, pressReleaseQuery } from '../../api/queries.ts';
import type { PressReleaseDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { useFlashNotice } from '../../components/flash.ts';
import { approvalsOpenTo, currentApproval, voidedApproval, type ApprovalKind } from './approval.ts';
import { CorrectionForm } from './CorrectionForm.tsx';
import { ProblemSummaryList, useFieldLabel } from './Findings.tsx';
import { ReleaseField } from './ReleaseField.tsx';
import { HoldNotice, ReleaseStatusTag } from './labels.tsx';
import { distinctProblems, problemsByField, problemsOf, type TextField } from './problems.ts';
import { draftFromRelease, missingFields, releaseChanges, updateInput, type ReleaseDraft } from './release-form.ts';

const route = getRouteApi('/app/press-releases/$releaseId');

type Notice = 'saved' | 'approved' | 'published' | 'corrected';

/** "Pat Information, Oct 24, 2020, 9:45 AM", "Not yet", or an approval the text has since outgrown. */
function ApprovalState({ release, kind }: { release: PressReleaseDto; kind: ApprovalKind }) {
  const { t } = useTranslation();
  const current = currentApproval(release, kind);
  if (current) {
    return (
      <>
        {t('pressRelease.approvedBy', { name: current.userName })} · <DateTime value={current.approvedAt} />
      </>
    );
  }
  const voided = voidedApproval(release, kind);
  if (voided) return <>{t('pressRelease.approvalVoided', { name: voided.userName })}</>;
  return <>{t('pressRelease.notYetApproved')}</>;
}

function ApprovalList({ release }: { release: PressReleaseDto }) {
  const { t } = useTranslation();
  return (
    <dl className="lantern-facts">
      <dt>{t('pressRelease.approvalKinds.pio')}</dt>
      <dd>
        <ApprovalState release={release} kind="pio" />
      </dd>
      <dt>{t('pressRelease.approvalKinds.coordinator')}</dt>
      <dd>
        <ApprovalState release={release} kind="coordinator" />
      </dd>
    </dl>
  );
}

interface DraftViewProps {
  release: PressReleaseDto;
  onStored: (dto: PressReleaseDto, notice?: Notice) => void;
  /** An action started: the last one's confirmation no longer applies. */
  onStart: () => void;
}

/**
 * A draft: the text in both languages side by side (stacked on a phone) with the guards' findings
 * beside each field, then approval and publishing. Keyed by version, so a save starts it afresh.
 */
function DraftView({ release: r, onStored, onStart }: DraftViewProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const saved = draftFromRelease(r);
  const [draft, setDraft] = useState<ReleaseDraft>(saved);
  const [missing, setMissing] = useState<TextField[]>([]);
  const [nothingChanged, setNothingChanged] = useState(false);
  const [saveFirst, setSaveFirst] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const { ref: formRef, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const refusalRef = useRef<HTMLDivElement>(null);
  const publishRefusalRef = useRef<HTMLDivElement>(null);
  const fieldLabel = useFieldLabel();
  const canEdit = r.abilities['pressRelease.update'] === true;
  const dirty = Object.keys(releaseChanges(saved, draft)).length > 0;
  const byField = problemsByField(r.problems);

  const save = useMutation({
    mutationFn: () => pressReleases.update(r.id, updateInput(saved, draft, r.version)),
    onMutate: onStart,
    onSuccess: (dto) => onStored(dto, 'saved'),
    onError: () => focusFirstError(),
  });
  const approve = useMutation({
    mutationFn: (as: ApprovalKind | null) => pressReleases.approve(r.id, as ?? undefined),
    onMutate: () => {
      setSaveFirst(false);
      onStart();
    },
    onSuccess: (dto) => onStored(dto, 'approved'),
    onError: () => {
      // The server found something (or the text changed under us): show what it has now.
      void queryClient.invalidateQueries({ queryKey: keys.pressRelease(r.id) });
    },
  });
  const publish = useMutation({
    mutationFn: () => pressReleases.publish(r.id),
    onMutate: onStart,
    onSuccess: (dto) => {
      setPublishing(false);
      onStored(dto, 'published');
    },
    onError: () => {
      setPublishing(false);
      void queryClient.invalidateQueries({ queryKey: keys.pressRelease(r.id) });
    },
  });

  const labels = Object.fromEntries((Object.keys(saved) as TextField[]).map((f) => [f, fieldLabel(f)])) as Record<TextField, string>;
  const placed = splitServerError(save.error, labels);
  const stale = save.error instanceof ApiError && save.error.status === 409;
  const errorOf = (f: TextField) => (missing.includes(f) ? t('form.required', { label: labels[f] }) : placed.fields[f]);

  const set = (f: TextField) => (value: string) => {
    setDraft((d) => ({ ...d, [f]: value }));
    setNothingChanged(false);
    setSaveFirst(false);
    if (missing.includes(f) && value.trim()) setMissing((m) => m.filter((x) => x !== f));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    const empty = missingFields(draft);
    setMissing(empty);
    if (empty.length > 0) {
      focusFirstError();
      return;
    }
    if (!dirty) {
      setNothingChanged(true);
      return;
    }
    save.mutate();
  };

  // A refusal takes focus, so keyboard and screen-reader users land on what to fix.
  useEffect(() => {
    if (approve.error) refusalRef.current?.focus();
  }, [approve.error]);
  useEffect(() => {
    if (publish.error) publishRefusalRef.current?.focus();
  }, [publish.error]);

  const guardRefusal = (error: unknown) => (error instanceof ApiError && error.code === 'guard_failed' ? distinctProblems(problemsOf(error.details)) : null);
  const refused = guardRefusal(approve.error);
  // Publishing asks the statistics again, so an approved release can still be refused (issue #8, item 3).
  const publishRefused = guardRefusal(publish.error);
  const found = distinctProblems(r.problems);
  const kinds = approvalsOpenTo(r);
  const hasCurrentApprovals = r.approvals.some((a) => a.current);
  const caption = t('pressRelease.previewCaptionSaved');
  const field = (f: TextField, rows: number, lang?: 'en' | 'es', hint?: string) => (
    <ReleaseField
      field={f}
      value={draft[f]}
      onChange={set(f)}
      error={errorOf(f)}
      hint={hint}
      rows={rows}
      lang={lang}
      problems={byField.get(f) ?? []}
      savedText={saved[f]}
      caption={caption}
      readOnly={!canEdit}
    />
  );

  return (
    <>
      {found.length > 0 ? (
        <Alert type="warning" heading={t('pressRelease.problemsHeading', { count: found.length })} headingLevel="h2" announce={false}>
          <p className="usa-alert__text">{t('pressRelease.problemsLead')}</p>
          <ProblemSummaryList problems={r.problems} linkTo="finding" />
        </Alert>
      ) : (
        <Alert type="success" slim announce={false}>
          {t('pressRelease.noProblems')}
        </Alert>
      )}

      <section className="lantern-section" aria-labelledby="release-text">
        <h2 id="release-text">{t('pressRelease.textHeading')}</h2>
        <p className="lantern-muted">{canEdit ? t('pressRelease.textLead') : t('pressRelease.textReadOnly')}</p>
        <form ref={formRef} className="usa-form usa-form--large lantern-release-form" noValidate onSubmit={submit}>
          {stale ? (
            <div tabIndex={-1} data-form-error className="lantern-focusable">
              <Alert type="error" heading={t('pressRelease.staleHeading')} headingLevel="h3">
                <p className="usa-alert__text">{t('pressRelease.stale')}</p>
                <button type="button" className="usa-button usa-button--outline" onClick={() => void queryClient.invalidateQueries({ queryKey: keys.pressRelease(r.id) })}>
                  {t('pressRelease.reload')}
                </button>
              </Alert>
            </div>
          ) : placed.form ? (
            <ErrorAlert error={placed.form} />
          ) : null}
          {nothingChanged ? (
            <Alert type="info" slim announce>
              {t('pressRelease.nothingChanged')}
            </Alert>
          ) : null}
          <div className="lantern-release-grid">
            <fieldset className="usa-fieldset lantern-release-lang">
              <legend className="usa-legend usa-legend--large">{t('pressRelease.english')}</legend>
              {field('titleEn', 3, 'en')}
              {field('bodyEn', 14, 'en')}
              {field('quoteEn', 3, 'en', t('pressRelease.quoteHint'))}
            </fieldset>
            <fieldset className="usa-fieldset lantern-release-lang">
              <legend className="usa-legend usa-legend--large">{t('pressRelease.spanish')}</legend>
              {field('titleEs', 3, 'es')}
              {field('bodyEs', 14, 'es')}
              {field('quoteEs', 3, 'es', t('pressRelease.quoteHintEs'))}
            </fieldset>
          </div>
          <div className="lantern-release-quote-by">{field('quoteBy', 1, undefined, t('pressRelease.quoteByHint'))}</div>
          {canEdit ? (
            <>
              {dirty && hasCurrentApprovals ? (
                <Alert type="warning" slim announce={false}>
                  {t('pressRelease.saveVoidsApprovals')}
                </Alert>
              ) : null}
              <div className="lantern-actions">
                <button type="submit" className="usa-button" disabled={save.isPending}>
                  {save.isPending ? t('common.saving') : t('pressRelease.save')}
                </button>
                {dirty ? (
                  <button
                    type="button"
                    className="usa-button usa-button--unstyled"
                    onClick={() => {
                      setDraft(saved);
                      setMissing([]);
                      save.reset();
                    }}
                  >
                    {t('pressRelease.discard')}
                  </button>
                ) : null}
              </div>
            </>
          ) : null}
        </form>
      </section>

      <section className="lantern-section" aria-labelledby="release-approval">
        <h2 id="release-approval">{t('pressRelease.approvalHeading')}</h2>
        <p>{t('pressRelease.approvalLead')}</p>
        <ApprovalList release={r} />

        {refused ? (
          <div ref={refusalRef} tabIndex={-1} className="lantern-focusable">
            <Alert type="error" heading={t('pressRelease.refusedHeading', { count: refused.length })} headingLevel="h3">
              <p className="usa-alert__text">{t('pressRelease.refusedLead')}</p>
              <ProblemSummaryList problems={refused} linkTo="field" />
            </Alert>
          </div>
        ) : approve.error ? (
          <div ref={refusalRef} tabIndex={-1} className="lantern-focusable">
            <ErrorAlert error={approve.error} />
          </div>
        ) : null}
        {saveFirst ? (
          <Alert type="warning" slim announce>
            {t('pressRelease.saveFirst')}
          </Alert>
        ) : null}
        {publishRefused ? (
          <div ref={publishRefusalRef} tabIndex={-1} className="lantern-focusable">
            <Alert type="error" heading={t('pressRelease.publishRefusedHeading', { count: publishRefused.length })} headingLevel="h3">
              <p className="usa-alert__text">{t('pressRelease.publishRefusedLead')}</p>
              <ProblemSummaryList problems={publishRefused} linkTo="field" />
            </Alert>
          </div>
        ) : publish.error ? (
          <ErrorAlert error={publish.error} />
        ) : null}

        {kinds.length > 0 || r.abilities['pressRelease.publish'] ? (
          <ul className="usa-button-group lantern-release-actions">
            {kinds.map((kind) => (
              <li key={kind ?? 'any'} className="usa-button-group__item">
                <button
                  type="button"
                  className="usa-button"
                  disabled={approve.isPending}
                  onClick={() => {
                    if (dirty) {
                      setSaveFirst(true);
                      return;
                    }
                    approve.mutate(kind);
                  }}
                >
                  {approve.isPending && approve.variables === kind ? t('common.working') : kind ? t(`pressRelease.approveAs.${kind}`) : t('pressRelease.approve')}
                </button>
              </li>
            ))}
            {r.abilities['pressRelease.publish'] ? (
              <li className="usa-button-group__item">
                <button
                  type="button"
                  className="usa-button usa-button--secondary"
                  onClick={() => {
                    if (dirty) setSaveFirst(true);
                    else setPublishing(true);
                  }}
                >
                  {t('pressRelease.publish')}
                </button>
              </li>
            ) : null}
          </ul>
        ) : (
          <p className="lantern-muted">{t(`pressRelease.waiting.${waitingFor(r)}`)}</p>
        )}
        {kinds.length > 0 && r.problems.length > 0 ? <p className="lantern-muted">{t('pressRelease.approveWillBeRefused')}</p> : null}
      </section>

      <ConfirmDialog
        open={publishing}
        title={t('pressRelease.publishTitle')}
        confirmLabel={t('pressRelease.publish')}
        pending={publish.isPending}
        onConfirm={() => publish.mutate()}
        onCancel={() => setPublishing(false)}
      >
        <p>{t('pressRelease.publishBody')}</p>
        <p>{t('pressRelease.publishBodyCorrections')}</p>
      </ConfirmDialog>
    </>
  );
}

/** What a draft waits for, from this user's side (they can neither approve nor publish now). */
function waitingFor(r: PressReleaseDto): 'findings' | 'pio' | 'coordinator' | 'both' | 'publish' {
  if (r.problems.length > 0) return 'findings';
  const pio = currentApproval(r, 'pio');
  const coordinator = currentApproval(r, 'coordinator');
  if (pio && coordinator) return 'publish';
  if (pio) return 'coordinator';
  if (coordinator) return 'pio';
  return 'both';
}

/** A published release: its public addresses, its text as the public reads it, corrections. */
function PublishedView({ release: r, onStored }: { release: PressReleaseDto; onStored: (dto: PressReleaseDto, notice?: Notice) => void }) {
  const { t } = useTranslation();
  const urls = r.slug ? newsUrls(r.slug) : null;
  const newTab = (href: string, label: string) => (
    <a className="usa-link" href={href} target="_blank" rel="noopener">
      {label}
      <span className="usa-sr-only"> {t('pressRelease.newTab')}</span>
    </a>
  );
  return (
    <>
      <section className="lantern-section lantern-section--first" aria-labelledby="release-public">
        <h2 id="release-public">{t('pressRelease.publicHeading')}</h2>
        <p>
          {t('pressRelease.publishedOn')} <DateTime value={r.publishedAt} />
        </p>
        {urls ? (
          <ul className="lantern-link-list">
            <li>{newTab(urls.pageEn, t('pressRelease.links.pageEn'))}</li>
            <li>{newTab(urls.pageEs, t('pressRelease.links.pageEs'))}</li>
            <li>{newTab(urls.pdfEn, t('pressRelease.links.pdfEn'))}</li>
            <li>{newTab(urls.pdfEs, t('pressRelease.links.pdfEs'))}</li>
          </ul>
        ) : null}
      </section>

      <section className="lantern-section" aria-labelledby="release-published-text">
        <h2 id="release-published-text">{t('pressRelease.publishedTextHeading')}</h2>
        <div className="lantern-release-grid">
          {(['en', 'es'] as const).map((lang) => (
            <article key={lang} lang={lang} className="lantern-release-read" aria-labelledby={`release-read-${lang}`}>
              <p className="lantern-release-read__lang" lang="en">
                {lang === 'en' ? t('pressRelease.english') : t('pressRelease.spanish')}
              </p>
              <h3 id={`release-read-${lang}`}>{r[lang].title}</h3>
              <div className="lantern-release-read__body">{r[lang].body}</div>
              {r[lang].quote ? <blockquote className="lantern-release-read__quote">{r[lang].quote}</blockquote> : null}
              {r[lang].quote && r.quoteBy ? <p className="lantern-muted">— {r.quoteBy}</p> : null}
            </article>
          ))}
        </div>
      </section>

      <section className="lantern-section" aria-labelledby="release-corrections">
        <h2 id="release-corrections">{t('pressRelease.correctionsHeading')}</h2>
        {r.corrections.length === 0 ? (
          <p>{t('pressRelease.noCorrections')}</p>
        ) : (
          <ol className="lantern-card-list">
            {r.corrections.map((c) => (
              <li key={c.correctedAt} className="lantern-notice">
                <p className="lantern-notice__title">
                  <DateTime value={c.correctedAt} />
                </p>
                <p>{c.noteEn}</p>
                {c.noteEs && c.noteEs !== c.noteEn ? <p lang="es">{c.noteEs}</p> : null}
              </li>
            ))}
          </ol>
        )}
        {r.abilities['pressRelease.correct'] ? <CorrectionForm key={r.version} release={r} onCorrected={(dto) => onStored(dto, 'corrected')} /> : null}
      </section>

      <section className="lantern-section" aria-labelledby="release-approval">
        <h2 id="release-approval">{t('pressRelease.approvalsGiven')}</h2>
        <ApprovalList release={r} />
      </section>
    </>
  );
}

/** One press release: a draft to edit, approve and publish, or a published one to correct (issue #4). */
export function PressReleasePage() {
  const { t } = useTranslation();
  const { releaseId } = route.useParams();
  const queryClient = useQueryClient();
  const flash = useFlashNotice();
  const release = useQuery(pressReleaseQuery(releaseId));
  const [notice, setNotice] = useState<Notice>();

  const onStored = (dto: PressReleaseDto, next?: Notice) => {
    queryClient.setQueryData(keys.pressRelease(releaseId), dto);
    void queryClient.invalidateQueries({ queryKey: keys.pressReleaseLists });
    setNotice(next);
  };

  const back = <BackLink to="/press-releases">{t('pressReleases.title')}</BackLink>;
  if (release.isPending || release.isError) {
    return (
      <>
        {back}
        <PageTitle title={t('pressRelease.titleLoading')} />
        {release.isPending ? <Loading /> : <LoadError error={release.error} />}
      </>
    );
  }

  const r = release.data;
  return (
    <>
      {back}
      <PageTitle title={t('pressRelease.title', { name: r.operationName })} actions={<ReleaseStatusTag status={r.status} />} />
      {flash ? (
        <Alert type={flash.tone} slim announce>
          {flash.message}
        </Alert>
      ) : null}
      {notice ? (
        <Alert type="success" slim>
          {t(`pressRelease.done.${notice}`)}
        </Alert>
      ) : null}
      <dl className="lantern-facts">
        <dt>{t('pressRelease.operation')}</dt>
        <dd>
          <Link to="/operations/$operationId" params={{ operationId: r.operationId }} className="usa-link">
            {r.operationName}
          </Link>
        </dd>
        <dt>{t('pressRelease.hold')}</dt>
        <dd>{r.investigationHold ? t('pressRelease.holdOn') : t('pressRelease.holdOff')}</dd>
        <dt>{t('pressRelease.updatedAt')}</dt>
        <dd>
          <DateTime value={r.updatedAt} />
        </dd>
      </dl>
      <HoldNotice hold={r.investigationHold} />
      {r.status === 'draft' ? (
        <DraftView key={r.version} release={r} onStored={onStored} onStart={() => setNotice(undefined)} />
      ) : (
        <PublishedView release={r} onStored={onStored} />
      )}
    </>
  );
}
