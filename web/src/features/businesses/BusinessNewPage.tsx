import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { BUSINESS_FACT_KINDS, BUSINESS_LIMITS, OPERATOR_KINDS, OPERATOR_ROLES, type BusinessFactKind, type OperatorKind, type OperatorRole } from '../../../../common/businesses.ts';
import { useCan, useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fieldset, SelectField, TextField } from '../../components/Field.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { setFlash } from '../../components/flash.ts';
import { placeServerError, useErrorFocus } from '../../components/forms.ts';
import { useStateCounties } from '../operations/geo.ts';
import { businessKeys, businessesApi, type NewBusinessInput } from './api.ts';
import { EMPTY_FACT, EMPTY_OPERATOR, emptyDraft, factInputId, inputIdOfPath, newBusinessInputOf, operatorInputId, type BusinessDraft, type FactPlace, type OperatorRow } from './draft.ts';
import { duplicateOf } from './pipeline.ts';

type TopKey = Exclude<keyof BusinessDraft, 'facts' | 'operators'>;
const REQUIRED: TopKey[] = ['name', 'address', 'city', 'source'];
const REQUIRED_WITH_TASK_FORCE: TopKey[] = [...REQUIRED, 'taskForceId'];

/** The duplicate caught at entry: the server's words and a link to the business already there. */
export function DuplicateAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const duplicate = duplicateOf(error);
  if (!duplicate) return null;
  return (
    <div tabIndex={-1} data-form-error className="lantern-focusable">
      <Alert type="error" heading={t('businesses.new.duplicateHeading')}>
        <p className="usa-alert__text">{duplicate.message}</p>
        {duplicate.id ? (
          <p className="usa-alert__text">
            <Link to="/businesses/$businessId" params={{ businessId: duplicate.id }} className="usa-link">
              {t('businesses.new.openExisting')}
            </Link>
          </p>
        ) : null}
      </Alert>
    </div>
  );
}

/** The entry form: the business, where each fact came from, its phones, sites, handles, former names and operators. */
export function BusinessEntryForm({ pending, error, onSubmit }: { pending?: boolean; error?: unknown; onSubmit: (input: NewBusinessInput) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<BusinessDraft>(emptyDraft);
  const [missing, setMissing] = useState<TopKey[]>([]);
  const sent = useRef<{ places: FactPlace[]; operatorRows: number[] }>({ places: [], operatorRows: [] });
  const counties = useStateCounties();
  const me = useMe();
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  useEffect(() => {
    if (error) focusFirstError();
  }, [error, focusFirstError]);

  const labels: Record<TopKey, string> = {
    name: t('businesses.new.name'),
    address: t('businesses.new.address'),
    city: t('businesses.new.city'),
    zip: t('businesses.new.zip'),
    countyFips: t('businesses.new.county'),
    hours: t('businesses.new.hours'),
    licenseNumber: t('businesses.new.licenseNumber'),
    licenseIssuer: t('businesses.new.licenseIssuer'),
    licenseIssued: t('businesses.new.licenseIssued'),
    licenseExpires: t('businesses.new.licenseExpires'),
    licenseStatus: t('businesses.new.licenseStatus'),
    source: t('businesses.new.source'),
    taskForceId: t('businesses.new.taskForce'),
  };
  const labelOfInput = (id: string): string | undefined => {
    const top = id.replace(/^business-/, '');
    if (top in labels) return labels[top as TopKey];
    const fact = /^business-fact-([a-z_]+)-(\d+)-(value|source)$/.exec(id);
    if (fact) return fact[3] === 'source' ? t('businesses.new.factSource') : t(`businesses.factKinds.${fact[1] as BusinessFactKind}`);
    const op = /^business-operator-(\d+)-(\w+)$/.exec(id);
    if (op) return t(`businesses.new.operator.${op[2] as keyof OperatorRow}`);
    return undefined;
  };
  const duplicate = duplicateOf(error);
  const placed = placeServerError(duplicate ? undefined : error, (path) => {
    const id = inputIdOfPath(path, sent.current.places, sent.current.operatorRows);
    return id ? labelOfInput(id) : undefined;
  });
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(placed.fields)) {
    const id = inputIdOfPath(path, sent.current.places, sent.current.operatorRows);
    if (id) errors[id] = message;
  }
  for (const key of missing) errors[`business-${key}`] = t('form.required', { label: labels[key] });

  const text = (key: TopKey) => ({
    id: `business-${key}`,
    label: labels[key],
    value: d[key],
    error: errors[`business-${key}`],
    onChange: (e: { target: { value: string } }) => {
      setD((x) => ({ ...x, [key]: e.target.value }));
      setMissing((m) => m.filter((k) => k !== key));
    },
  });

  const setFact = (kind: BusinessFactKind, row: number, field: 'value' | 'source', value: string) =>
    setD((x) => ({ ...x, facts: { ...x.facts, [kind]: x.facts[kind].map((f, i) => (i === row ? { ...f, [field]: value } : f)) } }));
  const addFact = (kind: BusinessFactKind) => setD((x) => ({ ...x, facts: { ...x.facts, [kind]: [...x.facts[kind], { ...EMPTY_FACT }] } }));
  const removeFact = (kind: BusinessFactKind, row: number) => setD((x) => ({ ...x, facts: { ...x.facts, [kind]: x.facts[kind].filter((_, i) => i !== row) } }));
  const setOperator = (row: number, patch: Partial<OperatorRow>) => setD((x) => ({ ...x, operators: x.operators.map((o, i) => (i === row ? { ...o, ...patch } : o)) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = (me.taskForces.length > 1 ? REQUIRED_WITH_TASK_FORCE : REQUIRED).filter((k) => !d[k].trim());
    if (empty.length) {
      setMissing(empty);
      focusFirstError();
      return;
    }
    const { input, places, operatorRows } = newBusinessInputOf(d);
    sent.current = { places, operatorRows };
    onSubmit(input);
  };

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit}>
      {duplicate ? <DuplicateAlert error={error} /> : placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TextField {...text('name')} maxLength={BUSINESS_LIMITS.nameMax} autoComplete="off" />
      <TextField {...text('source')} hint={t('businesses.new.sourceHint')} maxLength={BUSINESS_LIMITS.sourceMax} />
      {me.taskForces.length > 1 ? (
        <SelectField id="business-taskForceId" label={labels.taskForceId} hint={t('businesses.new.taskForceHint')} value={d.taskForceId} error={errors['business-taskForceId']} onChange={text('taskForceId').onChange}>
          <option value="">{t('form.select')}</option>
          {me.taskForces.map((tf) => (
            <option key={tf.id} value={tf.id}>
              {tf.name}
            </option>
          ))}
        </SelectField>
      ) : null}

      <Fieldset legend={t('businesses.new.whereLegend')}>
        <TextField {...text('address')} maxLength={BUSINESS_LIMITS.addressMax} autoComplete="off" />
        <TextField {...text('city')} maxLength={BUSINESS_LIMITS.cityMax} autoComplete="off" />
        <TextField {...text('zip')} optional inputMode="numeric" autoComplete="off" maxLength={5} className="usa-input--small" />
        <SelectField id="business-countyFips" label={labels.countyFips} hint={t('businesses.new.countyHint')} optional value={d.countyFips} error={errors['business-countyFips']} onChange={(e) => setD((x) => ({ ...x, countyFips: e.target.value }))}>
          <option value="">{t('businesses.new.countyFromZip')}</option>
          {(counties.data ?? []).map((c) => (
            <option key={c.fips} value={c.fips}>
              {c.name}
            </option>
          ))}
        </SelectField>
      </Fieldset>

      <TextField {...text('hours')} hint={t('businesses.new.hoursHint')} optional maxLength={BUSINESS_LIMITS.hoursMax} />

      <Fieldset legend={t('businesses.new.licenseLegend')} hint={t('businesses.new.licenseHint')}>
        <TextField {...text('licenseNumber')} optional maxLength={100} />
        <TextField {...text('licenseIssuer')} optional maxLength={200} />
        <TextField {...text('licenseIssued')} type="date" optional />
        <TextField {...text('licenseExpires')} type="date" optional />
        <TextField {...text('licenseStatus')} optional maxLength={100} />
      </Fieldset>

      {BUSINESS_FACT_KINDS.map((kind) => (
        <Fieldset key={kind} legend={t(`businesses.new.factLegend.${kind}`)} hint={t('businesses.new.factHint')}>
          {d.facts[kind].map((f, row) => (
            <div key={row} className="lantern-repeat-row">
              <TextField
                id={factInputId(kind, row, 'value')}
                label={`${t(`businesses.factKinds.${kind}`)} ${row + 1}`}
                value={f.value}
                error={errors[factInputId(kind, row, 'value')]}
                maxLength={BUSINESS_LIMITS.factValueMax}
                autoComplete="off"
                onChange={(e) => setFact(kind, row, 'value', e.target.value)}
              />
              <TextField
                id={factInputId(kind, row, 'source')}
                label={t('businesses.new.factSourceOf', { what: `${t(`businesses.factKinds.${kind}`)} ${row + 1}` })}
                optional
                value={f.source}
                error={errors[factInputId(kind, row, 'source')]}
                maxLength={BUSINESS_LIMITS.sourceMax}
                onChange={(e) => setFact(kind, row, 'source', e.target.value)}
              />
              <button type="button" className="usa-button usa-button--unstyled" onClick={() => removeFact(kind, row)}>
                {t('businesses.new.remove', { what: `${t(`businesses.factKinds.${kind}`)} ${row + 1}` })}
              </button>
            </div>
          ))}
          <button type="button" className="usa-button usa-button--outline" onClick={() => addFact(kind)}>
            {t(`businesses.new.add.${kind}`)}
          </button>
        </Fieldset>
      ))}

      <Fieldset legend={t('businesses.new.operatorsLegend')} hint={t('businesses.new.operatorsHint')}>
        {d.operators.map((o, row) => (
          <div key={row} className="lantern-repeat-row">
            <SelectField id={operatorInputId(row, 'kind')} label={t('businesses.new.operator.kindOf', { n: row + 1 })} value={o.kind} error={errors[operatorInputId(row, 'kind')]} onChange={(e) => setOperator(row, { kind: e.target.value as OperatorKind })}>
              {OPERATOR_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`businesses.operatorKinds.${k}`)}
                </option>
              ))}
            </SelectField>
            <SelectField id={operatorInputId(row, 'role')} label={t('businesses.new.operator.roleOf', { n: row + 1 })} value={o.role} error={errors[operatorInputId(row, 'role')]} onChange={(e) => setOperator(row, { role: e.target.value as OperatorRole })}>
              {OPERATOR_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`businesses.operatorRoles.${r}`)}
                </option>
              ))}
            </SelectField>
            <TextField id={operatorInputId(row, 'name')} label={t('businesses.new.operator.nameOf', { n: row + 1 })} value={o.name} error={errors[operatorInputId(row, 'name')]} maxLength={BUSINESS_LIMITS.nameMax} autoComplete="off" onChange={(e) => setOperator(row, { name: e.target.value })} />
            <TextField id={operatorInputId(row, 'detail')} label={t('businesses.new.operator.detailOf', { n: row + 1 })} optional value={o.detail} error={errors[operatorInputId(row, 'detail')]} maxLength={1000} onChange={(e) => setOperator(row, { detail: e.target.value })} />
            <TextField id={operatorInputId(row, 'source')} label={t('businesses.new.operator.sourceOf', { n: row + 1 })} optional value={o.source} error={errors[operatorInputId(row, 'source')]} maxLength={BUSINESS_LIMITS.sourceMax} onChange={(e) => setOperator(row, { source: e.target.value })} />
            <button type="button" className="usa-button usa-button--unstyled" onClick={() => setD((x) => ({ ...x, operators: x.operators.filter((_, i) => i !== row) }))}>
              {t('businesses.new.removeOperator', { n: row + 1 })}
            </button>
          </div>
        ))}
        <button type="button" className="usa-button usa-button--outline" onClick={() => setD((x) => ({ ...x, operators: [...x.operators, { ...EMPTY_OPERATOR }] }))}>
          {t('businesses.new.addOperator')}
        </button>
      </Fieldset>

      <button type="submit" className="usa-button" disabled={pending}>
        {pending ? t('common.saving') : t('businesses.new.submit')}
      </button>
    </form>
  );
}

/** `/businesses/new`: a business entered into the campaign (issue #11, item 1); duplicates are caught with a link. */
export function BusinessNewPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (input: NewBusinessInput) => businessesApi.create(input),
    onSuccess: (business) => {
      void queryClient.invalidateQueries({ queryKey: businessKeys.all });
      setFlash(t('businesses.new.entered', { name: business.name }));
      void navigate({ to: '/businesses/$businessId', params: { businessId: business.id } });
    },
  });

  return (
    <>
      <BackLink to="/businesses">{t('businesses.title')}</BackLink>
      <PageTitle title={t('businesses.new.title')} lead={t('businesses.new.lead')} />
      {!can('business.create') ? (
        <Alert type="info" announce={false}>
          {t('errors.forbiddenPage')}
        </Alert>
      ) : (
        <BusinessEntryForm pending={create.isPending} error={create.error} onSubmit={(input) => create.mutate(input)} />
      )}
    </>
  );
}
