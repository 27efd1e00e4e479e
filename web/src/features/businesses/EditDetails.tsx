import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BUSINESS_LIMITS } from '../../../../common/businesses.ts';
import { ApiError } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fieldset, TextField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { businessKeys, businessQuery, businessesApi, type BusinessDto, type BusinessLicense, type UpdateBusinessInput } from './api.ts';
import { DuplicateAlert } from './BusinessNewPage.tsx';
import { duplicateOf } from './pipeline.ts';

const LICENSE_KEYS = ['number', 'issuer', 'issued', 'expires', 'status'] as const;
type LicenseKey = (typeof LICENSE_KEYS)[number];
type Field = 'name' | 'hours' | 'source' | `license.${LicenseKey}`;
type Draft = Record<Field, string>;

const draftOf = (b: BusinessDto): Draft => ({
  name: b.name,
  hours: b.hours ?? '',
  source: '',
  ...(Object.fromEntries(LICENSE_KEYS.map((k) => [`license.${k}`, b.license[k] ?? ''])) as Record<`license.${LicenseKey}`, string>),
});

/** The license as the form holds it: the facts filled in, blanks left out (the API refuses an empty date). */
const licenseOf = (d: Draft): BusinessLicense => Object.fromEntries(LICENSE_KEYS.map((k) => [k, d[`license.${k}`].trim()]).filter(([, v]) => v));
const sameLicense = (a: BusinessLicense, b: BusinessLicense) => LICENSE_KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''));

/** What the correction sends: only the fields that changed, with the source and the version read; undefined when nothing changed. */
export function correctionOf(b: BusinessDto, d: Draft): UpdateBusinessInput | undefined {
  const name = d.name.trim();
  const hours = d.hours.trim();
  const license = licenseOf(d);
  const input: UpdateBusinessInput = { version: b.version, source: d.source.trim() };
  if (name !== b.name) input.name = name;
  if (hours !== (b.hours ?? '')) input.hours = hours;
  if (!sameLicense(license, b.license)) input.license = license;
  return input.name === undefined && input.hours === undefined && input.license === undefined ? undefined : input;
}

const isStale = (error: unknown) => error instanceof ApiError && error.status === 409 && error.field === 'version';

/**
 * "Edit details" on a business's page (issue #11, item 1): corrects its name, hours or license facts with
 * the source of the correction. Shown only when the server's `abilities` allow `business.update`.
 */
export function EditDetails({ business }: { business: BusinessDto }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!open && returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [open]);
  if (!business.abilities['business.update']) return null;
  const close = (done: boolean) => {
    returnFocus.current = true;
    setSaved(done);
    setOpen(false);
  };
  return (
    <div>
      {saved ? (
        <Alert type="success" slim>
          {t('businessEdit.saved')}
        </Alert>
      ) : null}
      {open ? (
        <EditDetailsForm business={business} onSaved={() => close(true)} onCancel={() => close(false)} />
      ) : (
        <button
          ref={button}
          type="button"
          className="usa-button usa-button--outline"
          onClick={() => {
            setSaved(false);
            setOpen(true);
          }}
        >
          {t('businessEdit.open')}
        </button>
      )}
    </div>
  );
}

function EditDetailsForm({ business, onSaved, onCancel }: { business: BusinessDto; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // The business as the form was opened on: its version is the one sent, so a change made meanwhile by
  // someone else is refused (409) rather than silently overwritten; "Reload" starts again from theirs.
  const [base, setBase] = useState(business);
  const [d, setD] = useState<Draft>(() => draftOf(business));
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const [unchanged, setUnchanged] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const labels: Record<Field, string> = {
    name: t('businesses.new.name'),
    hours: t('businesses.new.hours'),
    source: t('businessEdit.source'),
    'license.number': t('businesses.new.licenseNumber'),
    'license.issuer': t('businesses.new.licenseIssuer'),
    'license.issued': t('businesses.new.licenseIssued'),
    'license.expires': t('businesses.new.licenseExpires'),
    'license.status': t('businesses.new.licenseStatus'),
  };
  const save = useMutation({
    mutationFn: (input: UpdateBusinessInput) => businessesApi.update(base.id, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: businessKeys.all });
      onSaved();
    },
  });
  useEffect(() => {
    if (save.error) focusFirstError();
  }, [save.error, focusFirstError]);

  const stale = isStale(save.error);
  const duplicate = duplicateOf(save.error);
  const placed = placeServerError(stale || duplicate ? undefined : save.error, (path) => (Object.hasOwn(labels, path) ? labels[path as Field] : undefined));
  const errors: Partial<Record<Field, string>> = { ...placed.fields, ...missing };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = correctionOf(base, d);
    setUnchanged(!input);
    if (!input) return;
    const empty: Partial<Record<Field, string>> = {};
    if (input.name === '') empty.name = t('form.required', { label: labels.name });
    if (!input.source) empty.source = t('form.required', { label: labels.source });
    setMissing(empty);
    if (Object.keys(empty).length) return focusFirstError();
    save.mutate(input);
  };
  const reload = () =>
    queryClient.fetchQuery({ ...businessQuery(base.id), staleTime: 0 }).then(
      (fresh) => {
        save.reset();
        setBase(fresh);
        setD((x) => ({ ...draftOf(fresh), source: x.source }));
        void queryClient.invalidateQueries({ queryKey: businessKeys.all });
      },
      // A reload that fails leaves the alert up, to try again.
      () => undefined,
    );
  const field = (key: Field) => ({
    id: `business-edit-${key.replace('.', '-')}`,
    label: labels[key],
    value: d[key],
    error: errors[key],
    onChange: (e: { target: { value: string } }) => {
      setD((x) => ({ ...x, [key]: e.target.value }));
      setMissing((m) => ({ ...m, [key]: undefined }));
      setUnchanged(false);
    },
  });

  return (
    <form ref={ref} className="usa-form usa-form--large" noValidate onSubmit={submit} aria-labelledby="business-edit-heading">
      <h3 id="business-edit-heading" ref={heading} tabIndex={-1}>
        {t('businessEdit.heading')}
      </h3>
      <p className="usa-hint">{t('businessEdit.lead')}</p>
      {stale ? (
        <div tabIndex={-1} data-form-error className="lantern-focusable">
          <Alert type="error" heading={t('businessEdit.staleHeading')} headingLevel="h4">
            <p className="usa-alert__text">{t('businessEdit.stale')}</p>
            <button type="button" className="usa-button usa-button--outline" onClick={() => void reload()}>
              {t('businessEdit.reload')}
            </button>
          </Alert>
        </div>
      ) : duplicate ? (
        <DuplicateAlert error={save.error} />
      ) : placed.form ? (
        <ErrorAlert error={placed.form} />
      ) : null}
      {unchanged ? (
        <Alert type="info" slim announce>
          {t('businessEdit.unchanged')}
        </Alert>
      ) : null}
      <TextField {...field('name')} maxLength={BUSINESS_LIMITS.nameMax} autoComplete="off" />
      <TextField {...field('hours')} optional hint={t('businesses.new.hoursHint')} maxLength={BUSINESS_LIMITS.hoursMax} />
      <Fieldset legend={t('businesses.new.licenseLegend')} hint={t('businesses.new.licenseHint')}>
        <TextField {...field('license.number')} optional maxLength={100} />
        <TextField {...field('license.issuer')} optional maxLength={200} />
        <TextField {...field('license.issued')} type="date" optional />
        <TextField {...field('license.expires')} type="date" optional />
        <TextField {...field('license.status')} optional maxLength={100} />
      </Fieldset>
      <TextField {...field('source')} hint={t('businessEdit.sourceHint')} maxLength={BUSINESS_LIMITS.sourceMax} />
      <FormActions pending={save.isPending} onCancel={onCancel} />
    </form>
  );
}
