import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BUSINESS_FACT_KINDS, BUSINESS_LIMITS, OPERATOR_KINDS, OPERATOR_ROLES, type BusinessFactKind, type OperatorKind, type OperatorRole } from '../../../../common/businesses.ts';
import { Alert } from '../../components/Alert.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { businessKeys, businessesApi, type BusinessFactInput, type BusinessOperatorInput } from './api.ts';

type Field = 'kind' | 'role' | 'name' | 'value' | 'detail' | 'source';

/** A small form on the business page: its fields, the server's error beside the one it names, and a notice once done. */
function useAddition<I>(businessId: string, send: (id: string, input: I) => Promise<unknown>, labels: Partial<Record<Field, string>>) {
  const queryClient = useQueryClient();
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const [done, setDone] = useState(false);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const mutation = useMutation({
    mutationFn: (input: I) => send(businessId, input),
    onSuccess: () => {
      setDone(true);
      void queryClient.invalidateQueries({ queryKey: businessKeys.all });
    },
  });
  useEffect(() => {
    if (mutation.error) focusFirstError();
  }, [mutation.error, focusFirstError]);
  const placed = placeServerError(mutation.error, (path) => labels[path.split('.')[0] as Field]);
  const errors: Partial<Record<Field, string>> = { ...missing };
  for (const [path, message] of Object.entries(placed.fields)) errors[path.split('.')[0] as Field] ??= message;
  return { ref, focusFirstError, mutation, errors, formError: placed.form, setMissing, done, setDone };
}

/** "Add a phone, website, handle or former name" with its source. */
export function AddFactForm({ businessId }: { businessId: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<BusinessFactKind>('phone');
  const [value, setValue] = useState('');
  const [source, setSource] = useState('');
  const labels = { kind: t('businesses.add.factKind'), value: t('businesses.add.factValue'), source: t('businesses.new.factSource') };
  const a = useAddition<BusinessFactInput>(businessId, businessesApi.addFact, labels);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    a.setDone(false);
    const missing = { ...(value.trim() ? {} : { value: t('form.required', { label: labels.value }) }), ...(source.trim() ? {} : { source: t('form.required', { label: labels.source }) }) };
    a.setMissing(missing);
    if (Object.keys(missing).length) return a.focusFirstError();
    a.mutation.mutate({ kind, value: value.trim(), source: source.trim() }, { onSuccess: () => setValue('') });
  };
  return (
    <form ref={a.ref} className="usa-form" noValidate onSubmit={submit} aria-labelledby="business-add-fact">
      <h3 id="business-add-fact">{t('businesses.add.factHeading')}</h3>
      {a.done ? (
        <Alert type="success" slim>
          {t('businesses.add.factAdded')}
        </Alert>
      ) : null}
      {a.formError ? <ErrorAlert error={a.formError} /> : null}
      <SelectField id="add-fact-kind" label={labels.kind} value={kind} error={a.errors.kind} onChange={(e) => setKind(BUSINESS_FACT_KINDS.find((k) => k === e.target.value) ?? 'phone')}>
        {BUSINESS_FACT_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`businesses.factKinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextField id="add-fact-value" label={labels.value} value={value} error={a.errors.value} maxLength={BUSINESS_LIMITS.factValueMax} autoComplete="off" onChange={(e) => setValue(e.target.value)} />
      <TextField id="add-fact-source" label={labels.source} value={source} error={a.errors.source} maxLength={BUSINESS_LIMITS.sourceMax} onChange={(e) => setSource(e.target.value)} />
      <button type="submit" className="usa-button usa-button--outline" disabled={a.mutation.isPending}>
        {a.mutation.isPending ? t('common.saving') : t('businesses.add.factSubmit')}
      </button>
    </form>
  );
}

/** "Add an operator or owner": a person or company, their role, and the source. */
export function AddOperatorForm({ businessId }: { businessId: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<OperatorKind>('person');
  const [role, setRole] = useState<OperatorRole>('operator');
  const [name, setName] = useState('');
  const [detail, setDetail] = useState('');
  const [source, setSource] = useState('');
  const labels = { kind: t('businesses.new.operator.kind'), role: t('businesses.new.operator.role'), name: t('businesses.new.operator.name'), detail: t('businesses.new.operator.detail'), source: t('businesses.new.operator.source') };
  const a = useAddition<BusinessOperatorInput>(businessId, businessesApi.addOperator, labels);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    a.setDone(false);
    const missing = { ...(name.trim() ? {} : { name: t('form.required', { label: labels.name }) }), ...(source.trim() ? {} : { source: t('form.required', { label: labels.source }) }) };
    a.setMissing(missing);
    if (Object.keys(missing).length) return a.focusFirstError();
    a.mutation.mutate({ kind, role, name: name.trim(), ...(detail.trim() ? { detail: detail.trim() } : {}), source: source.trim() }, {
      onSuccess: () => {
        setName('');
        setDetail('');
      },
    });
  };
  return (
    <form ref={a.ref} className="usa-form" noValidate onSubmit={submit} aria-labelledby="business-add-operator">
      <h3 id="business-add-operator">{t('businesses.add.operatorHeading')}</h3>
      {a.done ? (
        <Alert type="success" slim>
          {t('businesses.add.operatorAdded')}
        </Alert>
      ) : null}
      {a.formError ? <ErrorAlert error={a.formError} /> : null}
      <SelectField id="add-operator-kind" label={labels.kind} value={kind} onChange={(e) => setKind(OPERATOR_KINDS.find((k) => k === e.target.value) ?? 'person')}>
        {OPERATOR_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`businesses.operatorKinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <SelectField id="add-operator-role" label={labels.role} value={role} error={a.errors.role} onChange={(e) => setRole(OPERATOR_ROLES.find((r) => r === e.target.value) ?? 'operator')}>
        {OPERATOR_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`businesses.operatorRoles.${r}`)}
          </option>
        ))}
      </SelectField>
      <TextField id="add-operator-name" label={labels.name} value={name} error={a.errors.name} maxLength={BUSINESS_LIMITS.nameMax} autoComplete="off" onChange={(e) => setName(e.target.value)} />
      <TextField id="add-operator-detail" label={labels.detail} optional value={detail} error={a.errors.detail} maxLength={1000} onChange={(e) => setDetail(e.target.value)} />
      <TextField id="add-operator-source" label={labels.source} value={source} error={a.errors.source} maxLength={BUSINESS_LIMITS.sourceMax} onChange={(e) => setSource(e.target.value)} />
      <button type="submit" className="usa-button usa-button--outline" disabled={a.mutation.isPending}>
        {a.mutation.isPending ? t('common.saving') : t('businesses.add.operatorSubmit')}
      </button>
    </form>
  );
}
