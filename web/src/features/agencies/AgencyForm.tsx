import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ori as oriSchema } from '../../../../common/schemas/directory.ts';
import { countiesOfState } from '../../../../common/schemas/jurisdiction.ts';
import { jurisdictionQuery } from '../../api/queries.ts';
import { NAME_MAX, SHORT_NAME_MAX } from '../../../../common/limits.ts';
import { AGENCY_KINDS, type AgencyKind } from '../../../../common/roles.ts';
import type { AgencyDto, CreateAgencyInput } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { hasErrors, splitServerError, useErrorFocus, type FieldErrors } from '../../components/forms.ts';
import { parseCounties } from './counties.ts';

type Field = 'name' | 'shortName' | 'kind' | 'ori' | 'counties';

export interface AgencyFormValues {
  name: string;
  shortName: string;
  kind: AgencyKind | '';
  ori: string;
  counties: string;
}

export function agencyToValues(agency?: AgencyDto): AgencyFormValues {
  return {
    name: agency?.name ?? '',
    shortName: agency?.shortName ?? '',
    kind: agency?.kind ?? '',
    ori: agency?.ori ?? '',
    counties: agency?.counties.join(', ') ?? '',
  };
}

interface AgencyFormProps {
  initial: AgencyFormValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: CreateAgencyInput) => void;
  onCancel: () => void;
}

/** Name, short name, kind, ORI and counties served; used to add and to edit an agency. */
export function AgencyForm({ initial, submitLabel, pending, error, onSubmit, onCancel }: AgencyFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field>>({});
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const jurisdiction = useQuery(jurisdictionQuery).data;
  const example = jurisdiction?.counties[0];

  const labels: Record<Field, string> = {
    name: t('agencies.name'),
    shortName: t('agencies.shortName'),
    kind: t('agencies.kind'),
    ori: t('agencies.ori'),
    counties: t('agencies.counties'),
  };
  const server = splitServerError(error, labels);
  const errors: FieldErrors<Field> = { ...server.fields, ...clientErrors };

  const set = (field: Field) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: FieldErrors<Field> = {};
    const name = values.name.trim();
    const ori = values.ori.trim().toUpperCase();
    const counties = parseCounties(values.counties);
    if (!name) next.name = t('form.required', { label: labels.name });
    if (!values.kind) next.kind = t('agencies.kindRequired');
    if (ori && !oriSchema.safeParse(ori).success) next.ori = t('agencies.oriInvalid');
    if (counties.invalid.length) next.counties = t('agencies.countiesInvalid', { codes: counties.invalid.slice(0, 5).join(', ') });
    else if (counties.codes.length > 200) next.counties = t('agencies.countiesTooMany');
    else if (jurisdiction) {
      // The server's own rule (common/schemas/jurisdiction.ts): every county served is one of the state's.
      const checked = countiesOfState(jurisdiction).safeParse(counties.codes);
      const outside = checked.success ? [] : checked.error.issues.map((i) => counties.codes[Number(i.path[0])]);
      if (outside.length) next.counties = t('agencies.countiesOutside', { state: jurisdiction.state.name.en, codes: outside.slice(0, 5).join(', ') });
    }
    setClientErrors(next);
    if (hasErrors(next) || !values.kind) {
      focusFirstError();
      return;
    }
    onSubmit({
      name,
      shortName: values.shortName.trim() || undefined,
      kind: values.kind,
      ori: ori || null,
      counties: counties.codes,
    });
  };

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
      {server.form ? <ErrorAlert error={server.form} /> : null}
      <TextField id="agency-name" label={labels.name} value={values.name} onChange={set('name')} maxLength={NAME_MAX} error={errors.name} />
      <TextField
        id="agency-short-name"
        label={labels.shortName}
        hint={t('agencies.shortNameHint')}
        optional
        value={values.shortName}
        onChange={set('shortName')}
        maxLength={SHORT_NAME_MAX}
        error={errors.shortName}
      />
      <SelectField id="agency-kind" label={labels.kind} value={values.kind} onChange={set('kind')} error={errors.kind}>
        <option value="">{t('form.select')}</option>
        {AGENCY_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {t(`agencyKinds.${kind}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        id="agency-ori"
        label={labels.ori}
        hint={t('agencies.oriHint')}
        optional
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={9}
        value={values.ori}
        onChange={set('ori')}
        error={errors.ori}
      />
      <TextareaField
        id="agency-counties"
        label={labels.counties}
        hint={jurisdiction && example ? t('agencies.countiesHint', { state: jurisdiction.state.name.en, fips: example.fips, county: example.name.en }) : t('agencies.countiesHintLoading')}
        optional
        rows={3}
        value={values.counties}
        onChange={set('counties')}
        error={errors.counties}
      />
      <FormActions pending={pending} submitLabel={submitLabel} onCancel={onCancel} />
    </form>
  );
}
