import { useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import { ApiError } from '../../api/client.ts';
import { pressReleases } from '../../api/endpoints.ts';
import type { CorrectPressReleaseInput, PressReleaseDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Checkbox, TextareaField } from '../../components/Field.tsx';
import { hasErrors, splitServerError, useErrorFocus } from '../../components/forms.ts';
import { ProblemSummaryList, useFieldLabel } from './Findings.tsx';
import { ReleaseField } from './ReleaseField.tsx';
import { distinctProblems, problemsByField, problemsOf } from './problems.ts';

const CORRECTABLE = ['titleEn', 'bodyEn', 'titleEs', 'bodyEs'] as const;
type Correctable = (typeof CORRECTABLE)[number];
type NoteField = 'noteEn' | 'noteEs';

function textOf(r: PressReleaseDto): Record<Correctable, string> {
  return { titleEn: r.en.title, bodyEn: r.en.body, titleEs: r.es.title, bodyEs: r.es.body };
}

/** The correction to send: the note(s) and only the text that changed. */
export function correctionInput(r: PressReleaseDto, notes: Record<NoteField, string>, text: Record<Correctable, string> | null): CorrectPressReleaseInput {
  const input: CorrectPressReleaseInput = { noteEn: notes.noteEn.trim() };
  if (notes.noteEs.trim()) input.noteEs = notes.noteEs.trim();
  if (text) {
    const before = textOf(r);
    for (const f of CORRECTABLE) if (text[f].trim() !== before[f].trim()) input[f] = text[f];
  }
  return input;
}

/**
 * A published release changes only by a correction with a note readers see (issue #4, item 2): the
 * note is required; the text may change too. The guards check the corrected text; a refusal shows the
 * words they flagged in the text that was sent.
 */
export function CorrectionForm({ release: r, onCorrected }: { release: PressReleaseDto; onCorrected: (dto: PressReleaseDto) => void }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const [notes, setNotes] = useState<Record<NoteField, string>>({ noteEn: '', noteEs: '' });
  const [changeText, setChangeText] = useState(false);
  const [text, setText] = useState<Record<Correctable, string>>(() => textOf(r));
  const [problems, setProblems] = useState<Partial<Record<NoteField | Correctable, string>>>({});
  const [confirming, setConfirming] = useState(false);
  const sent = useRef<Record<Correctable, string>>(textOf(r));
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const correct = useMutation({
    mutationFn: (input: CorrectPressReleaseInput) => pressReleases.correct(r.id, input),
    onSuccess: (dto) => {
      setConfirming(false);
      onCorrected(dto);
    },
    onError: (error) => {
      setConfirming(false);
      // Refused for words already in the text: open the text, where the findings are shown.
      if (error instanceof ApiError && error.code === 'guard_failed') setChangeText(true);
      focusFirstError();
    },
  });

  const labels: Record<NoteField | Correctable, string> = {
    noteEn: t('pressRelease.correction.noteEn'),
    noteEs: t('pressRelease.correction.noteEs'),
    titleEn: fieldLabel('titleEn'),
    bodyEn: fieldLabel('bodyEn'),
    titleEs: fieldLabel('titleEs'),
    bodyEs: fieldLabel('bodyEs'),
  };
  const refused = correct.error instanceof ApiError && correct.error.code === 'guard_failed' ? distinctProblems(problemsOf(correct.error.details)) : null;
  const placed = refused ? { fields: {}, form: undefined } : splitServerError(correct.error, labels);
  const byField = problemsByField(refused ?? []);
  const errorOf = (f: NoteField | Correctable) => problems[f] ?? (placed.fields as Partial<Record<string, string>>)[f];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    correct.reset();
    const found: Partial<Record<NoteField | Correctable, string>> = {};
    if (!notes.noteEn.trim()) found.noteEn = t('pressRelease.correction.noteRequired');
    if (changeText) for (const f of CORRECTABLE) if (!text[f].trim()) found[f] = t('form.required', { label: labels[f] });
    setProblems(found);
    if (hasErrors(found)) {
      focusFirstError();
      return;
    }
    setConfirming(true);
  };

  const send = () => {
    sent.current = changeText ? { ...text } : textOf(r);
    correct.mutate(correctionInput(r, notes, changeText ? text : null));
  };

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-release-form lantern-correction-form" noValidate onSubmit={submit} aria-labelledby="correction-heading">
      <h3 id="correction-heading">{t('pressRelease.correction.heading')}</h3>
      <p>{t('pressRelease.correction.lead')}</p>
      {refused ? (
        <div tabIndex={-1} data-form-error className="lantern-focusable">
          <Alert type="error" heading={t('pressRelease.correction.refusedHeading', { count: refused.length })} headingLevel="h4">
            <p className="usa-alert__text">{t('pressRelease.correction.refusedLead')}</p>
            <ProblemSummaryList problems={refused} linkTo="finding" />
          </Alert>
        </div>
      ) : placed.form ? (
        <ErrorAlert error={placed.form} />
      ) : null}
      <TextareaField
        id="correction-noteEn"
        label={labels.noteEn}
        hint={t('pressRelease.correction.noteEnHint')}
        rows={3}
        maxLength={SHORT_TEXT_MAX}
        value={notes.noteEn}
        onChange={(e) => setNotes((n) => ({ ...n, noteEn: e.target.value }))}
        error={errorOf('noteEn')}
      />
      <TextareaField
        id="correction-noteEs"
        label={labels.noteEs}
        hint={t('pressRelease.correction.noteEsHint')}
        optional
        lang="es"
        rows={3}
        maxLength={SHORT_TEXT_MAX}
        value={notes.noteEs}
        onChange={(e) => setNotes((n) => ({ ...n, noteEs: e.target.value }))}
        error={errorOf('noteEs')}
      />
      <Checkbox id="correction-change-text" label={t('pressRelease.correction.changeText')} description={t('pressRelease.correction.changeTextHint')} checked={changeText} onChange={(e) => setChangeText(e.target.checked)} />
      {changeText ? (
        <div className="lantern-release-grid">
          {(['en', 'es'] as const).map((lang) => (
            <fieldset key={lang} className="usa-fieldset lantern-release-lang">
              <legend className="usa-legend usa-legend--large">{lang === 'en' ? t('pressRelease.english') : t('pressRelease.spanish')}</legend>
              {(lang === 'en' ? (['titleEn', 'bodyEn'] as const) : (['titleEs', 'bodyEs'] as const)).map((f) => (
                <ReleaseField
                  key={f}
                  field={f}
                  value={text[f]}
                  onChange={(value) => setText((x) => ({ ...x, [f]: value }))}
                  error={errorOf(f)}
                  rows={f.startsWith('title') ? 3 : 12}
                  lang={lang}
                  problems={byField.get(f) ?? []}
                  savedText={sent.current[f]}
                  caption={t('pressRelease.previewCaptionSent')}
                />
              ))}
            </fieldset>
          ))}
        </div>
      ) : null}
      <div className="lantern-actions">
        <button type="submit" className="usa-button" disabled={correct.isPending}>
          {t('pressRelease.correction.submit')}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('pressRelease.correction.confirmTitle')}
        confirmLabel={t('pressRelease.correction.confirm')}
        pending={correct.isPending}
        onConfirm={send}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('pressRelease.correction.confirmBody')}</p>
        <p>
          <strong>{labels.noteEn}:</strong> {notes.noteEn.trim()}
        </p>
      </ConfirmDialog>
    </form>
  );
}
