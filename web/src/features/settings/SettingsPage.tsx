import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { settings } from '../../api/endpoints.ts';
import { hotlineQuery, keys } from '../../api/queries.ts';
import type { HotlineDto } from '../../api/types.ts';
import { useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { checkHotline, type HotlineProblem } from './hotline-form.ts';
import { SiteForm } from './SiteForm.tsx';
import { siteQuery } from './site-form.ts';

/** The hotline form, started from the saved values. */
function HotlineForm({ saved, editable }: { saved: HotlineDto; editable: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState(saved.phone);
  const [text, setText] = useState(saved.text);
  const [problems, setProblems] = useState<HotlineProblem[]>([]);
  const [done, setDone] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();

  const save = useMutation({
    mutationFn: () => settings.setHotline({ phone: phone.trim(), text: text.trim() }),
    onMutate: () => setDone(false),
    onSuccess: (dto) => {
      queryClient.setQueryData(keys.hotline, dto);
      setDone(true);
    },
    onError: () => focusFirstError(),
  });

  const labels = { phone: t('settings.hotline.phone'), text: t('settings.hotline.text') };
  const placed = splitServerError(save.error, labels);
  const errorOf = (field: HotlineProblem) => (problems.includes(field) ? t(`settings.hotline.invalid.${field}`) : placed.fields[field]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    const found = checkHotline({ phone, text });
    setProblems(found);
    if (found.length > 0) {
      focusFirstError();
      return;
    }
    save.mutate();
  };

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit}>
      {done ? (
        <Alert type="success" slim>
          {t('settings.hotline.saved')}
        </Alert>
      ) : null}
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TextField
        id="hotline-phone"
        label={labels.phone}
        hint={t('settings.hotline.phoneHint')}
        inputMode="tel"
        autoComplete="off"
        readOnly={!editable}
        value={phone}
        onChange={(e) => {
          setPhone(e.target.value);
          setDone(false);
        }}
        error={errorOf('phone')}
        maxLength={20}
      />
      <TextField
        id="hotline-text"
        label={labels.text}
        hint={t('settings.hotline.textHint')}
        inputMode="numeric"
        autoComplete="off"
        readOnly={!editable}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setDone(false);
        }}
        error={errorOf('text')}
        maxLength={8}
      />
      {editable ? (
        <FormActions pending={save.isPending} submitLabel={t('settings.hotline.save')} />
      ) : null}
    </form>
  );
}

/** Platform settings (platform administrators): the task force's name and mark, and the hotline printed on every public page and release. */
export function SettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const hotline = useQuery(hotlineQuery);
  const site = useQuery(siteQuery);
  const editable = me.abilities['settings.update'] === true;
  return (
    <>
      <PageTitle title={t('settings.title')} lead={t('settings.lead')} />
      <section className="lantern-section lantern-section--first" aria-labelledby="settings-site">
        <h2 id="settings-site">{t('settings.site.heading')}</h2>
        <p>{t('settings.site.lead')}</p>
        {editable ? null : (
          <Alert type="info" slim announce={false}>
            {t('settings.site.adminsOnly')}
          </Alert>
        )}
        {site.isPending ? <Loading /> : site.isError ? <LoadError error={site.error} /> : <SiteForm saved={site.data} editable={editable} />}
      </section>
      <section className="lantern-section" aria-labelledby="settings-hotline">
        <h2 id="settings-hotline">{t('settings.hotline.heading')}</h2>
        <p>{t('settings.hotline.lead')}</p>
        {editable ? null : (
          <Alert type="info" slim announce={false}>
            {t('settings.hotline.adminsOnly')}
          </Alert>
        )}
        {hotline.isPending ? (
          <Loading />
        ) : hotline.isError ? (
          <LoadError error={hotline.error} />
        ) : (
          <HotlineForm saved={hotline.data} editable={editable} />
        )}
      </section>
    </>
  );
}
