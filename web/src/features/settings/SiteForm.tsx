import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SiteDto } from '../../../../common/schemas/site.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FieldFrame, TextField, describedBy } from '../../components/Field.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { checkSite, markFromFile, siteApi, siteQuery, type SiteProblem } from './site-form.ts';

/** The task force's name (English and Spanish) and mark, printed in the public site's header. */
export function SiteForm({ saved, editable }: { saved: SiteDto; editable: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [nameEn, setNameEn] = useState(saved.name.en);
  const [nameEs, setNameEs] = useState(saved.name.es);
  const [mark, setMark] = useState<string | null>(saved.mark);
  const [fileProblem, setFileProblem] = useState<'type' | 'size' | null>(null);
  const [problems, setProblems] = useState<SiteProblem[]>([]);
  const [done, setDone] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const save = useMutation({
    mutationFn: () => siteApi.put({ name: { en: nameEn.trim(), es: nameEs.trim() }, mark }),
    onMutate: () => setDone(false),
    onSuccess: (dto) => {
      queryClient.setQueryData(siteQuery.queryKey, dto);
      setDone(true);
    },
    onError: () => focusFirstError(),
  });

  const labels: Record<SiteProblem, string> = { 'name.en': t('settings.site.nameEn'), 'name.es': t('settings.site.nameEs'), mark: t('settings.site.mark') };
  const placed = splitServerError(save.error, labels);
  const errorOf = (field: SiteProblem) => (problems.includes(field) ? t(`settings.site.invalid.${field === 'mark' ? 'mark' : 'name'}`) : placed.fields[field]);
  const markError = fileProblem ? t(`settings.site.invalid.${fileProblem}`) : errorOf('mark');
  const changed = () => setDone(false);

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    changed();
    if (!file) return;
    const read = await markFromFile(file);
    if ('problem' in read) {
      setFileProblem(read.problem);
      return;
    }
    setFileProblem(null);
    setMark(read.mark);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    const found = checkSite({ name: { en: nameEn, es: nameEs }, mark });
    setProblems(found);
    if (found.length > 0 || fileProblem) {
      focusFirstError();
      return;
    }
    save.mutate();
  };

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit}>
      {done ? (
        <Alert type="success" slim>
          {t('settings.site.saved')}
        </Alert>
      ) : null}
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TextField
        id="site-name-en"
        label={labels['name.en']}
        hint={t('settings.site.nameHint', { name: saved.shownName.en })}
        readOnly={!editable}
        value={nameEn}
        onChange={(e) => {
          setNameEn(e.target.value);
          changed();
        }}
        error={errorOf('name.en')}
        maxLength={100}
      />
      <TextField
        id="site-name-es"
        label={labels['name.es']}
        hint={t('settings.site.nameHint', { name: saved.shownName.es })}
        lang="es"
        readOnly={!editable}
        value={nameEs}
        onChange={(e) => {
          setNameEs(e.target.value);
          changed();
        }}
        error={errorOf('name.es')}
        maxLength={100}
      />
      <FieldFrame id="site-mark" label={labels.mark} hint={t('settings.site.markHint')} error={markError}>
        <div className="lantern-site-mark">
          <img src={mark ?? '/static/lantern-mark.svg'} alt={mark ? t('settings.site.markShown') : t('settings.site.markDefault')} width={48} height={48} />
          {editable ? (
            <input
              id="site-mark"
              className={markError ? 'usa-file-input usa-input--error' : 'usa-file-input'}
              type="file"
              accept="image/png,image/jpeg,image/svg+xml"
              aria-invalid={markError ? true : undefined}
              aria-describedby={describedBy('site-mark', true, markError)}
              onChange={(e) => void chooseFile(e)}
            />
          ) : null}
        </div>
      </FieldFrame>
      {editable ? (
        <div className="lantern-actions">
          <button type="submit" className="usa-button" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('settings.site.save')}
          </button>
          {mark ? (
            <button
              type="button"
              className="usa-button usa-button--outline"
              onClick={() => {
                setMark(null);
                setFileProblem(null);
                changed();
              }}
            >
              {t('settings.site.useDefaultMark')}
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
