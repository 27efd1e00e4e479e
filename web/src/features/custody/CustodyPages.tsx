import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { NAME_MAX, LONG_TEXT_MAX } from '../../../../common/limits.ts';
import { PARENT_NOTIFICATION_METHODS, PARENT_NOTIFICATION_OUTCOMES, PLACEMENT_TYPES } from '../../../../common/operations.ts';
import { custody } from '../../api/endpoints.ts';
import { contactQuery, custodyListQuery, custodyQuery, keys, operationQuery, taskForceQuery } from '../../api/queries.ts';
import type { CustodyDto, HandOffInput } from '../../api/types.ts';
import { useMe } from '../../app/me.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Fieldset, Radio, SelectField, TextField, TextareaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { TimeField } from '../../components/TimeField.tsx';
import { setFlash, useFlash } from '../../components/flash.ts';
import { isoToLocalInput, localInputToIso } from '../../components/format.ts';
import { placeServerError } from '../../components/forms.ts';
import { workPhoneQuery } from '../account/work-phone.ts';
import { OperationHeader } from '../operations/OperationNav.tsx';
import { HandOffForm } from './HandOffForm.tsx';
import { StatementCountdown } from './StatementCountdown.tsx';

const newRoute = getRouteApi('/app/contacts/$contactId/custody');
const detailRoute = getRouteApi('/app/custody/$handoffId');
const operationRoute = getRouteApi('/app/operations/$operationId/custody');

const nowLocal = () => isoToLocalInput(new Date().toISOString());

// ------------------------------------------------------------------------------------------ hand-off

/** Record a child's protective-custody hand-off from the child's contact. */
export function HandOffNewPage() {
  const { t } = useTranslation();
  const { contactId } = newRoute.useParams();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contact = useQuery(contactQuery(contactId));
  const op = useQuery({ ...operationQuery(contact.data?.operationId ?? ''), enabled: Boolean(contact.data) });
  const taskForce = useQuery({ ...taskForceQuery(op.data?.taskForce.id ?? ''), enabled: Boolean(op.data), retry: false });
  const myPhone = useQuery({ ...workPhoneQuery, retry: false });

  const handOff = useMutation({
    mutationFn: (input: HandOffInput) => custody.handOff(contactId, input),
    onSuccess: (h) => {
      queryClient.setQueryData(keys.custody(h.id), h);
      void queryClient.invalidateQueries({ queryKey: keys.custodyAll });
      void queryClient.invalidateQueries({ queryKey: keys.contact(contactId) });
      if (h.operation) void queryClient.invalidateQueries({ queryKey: keys.operation(h.operation.id) });
      setFlash(t('handOff.recorded', { label: h.child.label, agency: h.toAgency.name }));
      void navigate({ to: '/custody/$handoffId', params: { handoffId: h.id } });
    },
  });

  const back = (
    <BackLink to="/contacts/$contactId" params={{ contactId }}>
      {contact.data?.label ?? t('contactPage.titleLoading')}
    </BackLink>
  );
  if (contact.isPending || contact.isError || op.isPending || op.isError || taskForce.isPending || myPhone.isPending) {
    const error = contact.error ?? op.error;
    return (
      <>
        {back}
        <PageTitle title={t('handOff.title')} />
        {error ? <LoadError error={error} /> : <Loading />}
      </>
    );
  }
  const c = contact.data;
  const agencies = new Map<string, { id: string; name: string; inOperation: boolean }>();
  for (const p of op.data.participants) if (p.role === 'child_welfare') agencies.set(p.agencyId, { id: p.agencyId, name: p.name, inOperation: true });
  for (const m of taskForce.data?.members ?? []) {
    if (m.kind === 'child_welfare' && !agencies.has(m.agencyId)) agencies.set(m.agencyId, { id: m.agencyId, name: m.name, inOperation: false });
  }
  const officers = op.data.assignments.filter((a) => a.agencyName === op.data.leadAgency.name).map((a) => ({ id: a.userId, name: a.name }));
  if (!officers.some((o) => o.id === me.user.id)) officers.unshift({ id: me.user.id, name: me.user.displayName });

  return (
    <>
      {back}
      <PageTitle title={t('handOff.title')} lead={t('handOff.lead', { label: c.label })} />
      {c.custodyHandoffId ? (
        <Alert type="info" announce={false}>
          <p className="usa-alert__text">{t('handOff.already')}</p>
          <Link to="/custody/$handoffId" params={{ handoffId: c.custodyHandoffId }} className="usa-link">
            {t('contactPage.seeHandOff')}
          </Link>
        </Alert>
      ) : c.abilities['contact.handOff'] ? (
        <HandOffForm
          personLabel={c.label}
          agencies={[...agencies.values()].sort((a, b) => Number(b.inOperation) - Number(a.inOperation) || a.name.localeCompare(b.name))}
          officers={officers}
          myUserId={me.user.id}
          myPhone={myPhone.data?.phone}
          pending={handOff.isPending}
          error={handOff.error}
          onSubmit={(input) => handOff.mutate(input)}
          onCancel={() => void navigate({ to: '/contacts/$contactId', params: { contactId } })}
        />
      ) : (
        <Alert type="info" announce={false}>
          {c.role === 'minor' ? t('handOff.notAllowed') : t('handOff.minorsOnly')}
        </Alert>
      )}
    </>
  );
}

// ------------------------------------------------------------------------------------------ lists

function HandOffTable({ handoffs, fetchedAt, showOperation }: { handoffs: CustodyDto[]; fetchedAt: number; showOperation?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="lantern-table-wrap">
      <table className="usa-table usa-table--borderless usa-table--stacked">
        <caption className="usa-sr-only">{t('custody.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('custody.child')}</th>
            <th scope="col">{showOperation ? t('custody.toAgency') : t('custody.fromAgency')}</th>
            <th scope="col">{t('custody.takenAt')}</th>
            <th scope="col">{t('custody.statement')}</th>
            <th scope="col">{t('custody.receipt')}</th>
          </tr>
        </thead>
        <tbody>
          {handoffs.map((h) => (
            <tr key={h.id}>
              <th scope="row" data-label={t('custody.child')}>
                <Link to="/custody/$handoffId" params={{ handoffId: h.id }} className="usa-link">
                  {h.child.label}
                </Link>
                <br />
                <span className="lantern-muted">
                  {t(`sexes.${h.child.sex}`)} · {t(`ageBands.${h.child.ageBand}`)}
                </span>
              </th>
              <td data-label={showOperation ? t('custody.toAgency') : t('custody.fromAgency')}>{showOperation ? h.toAgency.name : h.fromAgency.name}</td>
              <td data-label={t('custody.takenAt')}>
                <DateTime value={h.takenAt} />
              </td>
              <td data-label={t('custody.statement')}>
                <StatementCountdown handoff={h} fetchedAt={fetchedAt} compact />
              </td>
              <td data-label={t('custody.receipt')}>{h.receipt ? <Tag tone="ok">{t('custody.received')}</Tag> : <Tag tone="warn">{t('custody.awaitingReceipt')}</Tag>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Hand-offs sent to my agency (caseworkers), those awaiting receipt first. */
export function CustodyListPage() {
  const { t } = useTranslation();
  const flash = useFlash();
  const list = useQuery({ ...custodyListQuery({}), refetchInterval: 60_000 });
  const handoffs = [...(list.data?.handoffs ?? [])].sort((a, b) => Number(Boolean(a.receipt)) - Number(Boolean(b.receipt)) || b.takenAt.localeCompare(a.takenAt));
  return (
    <>
      <PageTitle title={t('custody.title')} lead={t('custody.lead')} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {list.isPending ? (
        <Loading label={t('custody.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : handoffs.length === 0 ? (
        <EmptyState heading={t('custody.emptyHeading')}>{t('custody.empty')}</EmptyState>
      ) : (
        <HandOffTable handoffs={handoffs} fetchedAt={list.dataUpdatedAt} />
      )}
    </>
  );
}

/** The hand-offs of one operation (the lead agency's assigned users). */
export function OperationCustodyPage() {
  const { t } = useTranslation();
  const { operationId } = operationRoute.useParams();
  const op = useQuery(operationQuery(operationId));
  const list = useQuery({ ...custodyListQuery({ operationId }), refetchInterval: 60_000 });
  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('operationCustody.title')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }
  return (
    <>
      <OperationHeader op={op.data} current="custody" title={t('operationCustody.title')} />
      <p className="lantern-lead">{t('operationCustody.lead')}</p>
      {list.isPending ? (
        <Loading label={t('custody.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.handoffs.length === 0 ? (
        <EmptyState heading={t('operationCustody.emptyHeading')}>{t('operationCustody.empty')}</EmptyState>
      ) : (
        <HandOffTable handoffs={list.data.handoffs} fetchedAt={list.dataUpdatedAt} showOperation />
      )}
    </>
  );
}

// ------------------------------------------------------------------------------------------ one hand-off

function TimesForm({ h, onSaved }: { h: CustodyDto; onSaved: (dto: CustodyDto) => void }) {
  const { t } = useTranslation();
  const [juvenile, setJuvenile] = useState(isoToLocalInput(h.juvenileOfficerNotifiedAt ?? undefined));
  const [division, setDivision] = useState(isoToLocalInput(h.childrensDivisionNotifiedAt ?? undefined));
  const [filed, setFiled] = useState(isoToLocalInput(h.statementFiledAt ?? undefined));
  const save = useMutation({
    mutationFn: () =>
      custody.update(h.id, {
        juvenileOfficerNotifiedAt: localInputToIso(juvenile) ?? null,
        childrensDivisionNotifiedAt: localInputToIso(division) ?? null,
        statementFiledAt: localInputToIso(filed) ?? null,
      }),
    onSuccess: onSaved,
  });
  const labels: Record<string, string> = {
    juvenileOfficerNotifiedAt: t('handOff.juvenileNotified'),
    childrensDivisionNotifiedAt: t('handOff.divisionNotified'),
    statementFiledAt: t('custody.statementFiled'),
  };
  const placed = placeServerError(save.error, (path) => labels[path]);
  return (
    <form
      className="usa-form usa-form--large lantern-form-wide"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TimeField id="custody-juvenile" label={labels.juvenileOfficerNotifiedAt!} optional value={juvenile} onChange={setJuvenile} error={placed.fields.juvenileOfficerNotifiedAt} />
      <TimeField id="custody-division" label={labels.childrensDivisionNotifiedAt!} optional value={division} onChange={setDivision} error={placed.fields.childrensDivisionNotifiedAt} />
      <TimeField id="custody-filed" label={labels.statementFiledAt!} hint={t('custody.statementFiledHint')} optional value={filed} onChange={setFiled} error={placed.fields.statementFiledAt} />
      <button type="submit" className="usa-button" disabled={save.isPending}>
        {save.isPending ? t('common.saving') : t('custody.saveTimes')}
      </button>
    </form>
  );
}

function ParentNotificationForm({ h, onSaved }: { h: CustodyDto; onSaved: (dto: CustodyDto) => void }) {
  const { t } = useTranslation();
  const [at, setAt] = useState(nowLocal);
  const [method, setMethod] = useState('');
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const add = useMutation({
    mutationFn: () =>
      custody.addParentNotification(h.id, {
        at: localInputToIso(at)!,
        method: method as (typeof PARENT_NOTIFICATION_METHODS)[number],
        outcome: outcome as (typeof PARENT_NOTIFICATION_OUTCOMES)[number],
        note: note.trim() || null,
      }),
    onSuccess: (dto) => {
      setAt(nowLocal());
      setMethod('');
      setOutcome('');
      setNote('');
      onSaved(dto);
    },
  });
  const labels: Record<string, string> = { at: t('parentNotice.at'), method: t('parentNotice.method'), outcome: t('parentNotice.outcome'), note: t('parentNotice.note') };
  const placed = placeServerError(add.error, (path) => labels[path]);
  const errorAt = (f: string) => problems[f] ?? placed.fields[f];
  return (
    <form
      className="usa-form usa-form--large lantern-form-wide"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const next: Record<string, string> = {};
        if (!localInputToIso(at)) next.at = t('form.required', { label: labels.at });
        if (!method) next.method = t('form.required', { label: labels.method });
        if (!outcome) next.outcome = t('form.required', { label: labels.outcome });
        setProblems(next);
        if (Object.keys(next).length === 0) add.mutate();
      }}
    >
      <h3>{t('parentNotice.addHeading')}</h3>
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TimeField id="parent-at" label={labels.at!} value={at} onChange={setAt} error={errorAt('at')} />
      <SelectField id="parent-method" label={labels.method} value={method} onChange={(e) => setMethod(e.target.value)} error={errorAt('method')}>
        <option value="">{t('form.select')}</option>
        {PARENT_NOTIFICATION_METHODS.map((m) => (
          <option key={m} value={m}>
            {t(`parentNotice.methods.${m}`)}
          </option>
        ))}
      </SelectField>
      <SelectField id="parent-outcome" label={labels.outcome} value={outcome} onChange={(e) => setOutcome(e.target.value)} error={errorAt('outcome')}>
        <option value="">{t('form.select')}</option>
        {PARENT_NOTIFICATION_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {t(`parentNotice.outcomes.${o}`)}
          </option>
        ))}
      </SelectField>
      <TextareaField id="parent-note" label={labels.note} optional rows={2} maxLength={LONG_TEXT_MAX} value={note} onChange={(e) => setNote(e.target.value)} error={errorAt('note')} />
      <button type="submit" className="usa-button usa-button--outline" disabled={add.isPending}>
        {add.isPending ? t('common.saving') : t('parentNotice.add')}
      </button>
    </form>
  );
}

function ReceiptForm({ h, onSaved }: { h: CustodyDto; onSaved: (dto: CustodyDto) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [name, setName] = useState(me.user.displayName);
  const [at, setAt] = useState(nowLocal);
  const [placement, setPlacement] = useState('');
  const [placementName, setPlacementName] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () =>
      custody.recordReceipt(h.id, {
        caseworkerName: name.trim(),
        receivedAt: localInputToIso(at)!,
        placementType: placement as (typeof PLACEMENT_TYPES)[number],
        placementName: placementName.trim(),
      }),
    onSuccess: onSaved,
  });
  const labels: Record<string, string> = {
    caseworkerName: t('receipt.caseworker'),
    receivedAt: t('receipt.receivedAt'),
    placementType: t('receipt.placement'),
    placementName: t('receipt.placementName'),
  };
  const placed = placeServerError(save.error, (path) => labels[path]);
  const errorAt = (f: string) => problems[f] ?? placed.fields[f];
  return (
    <form
      className="usa-form usa-form--large lantern-form-wide"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const next: Record<string, string> = {};
        if (!name.trim()) next.caseworkerName = t('form.required', { label: labels.caseworkerName });
        const iso = localInputToIso(at);
        if (!iso) next.receivedAt = t('form.required', { label: labels.receivedAt });
        else if (Date.parse(iso) < Date.parse(h.takenAt)) next.receivedAt = t('receipt.beforeTaken');
        if (!placement) next.placementType = t('receipt.placementRequired');
        if (!placementName.trim()) next.placementName = t('form.required', { label: labels.placementName });
        setProblems(next);
        if (Object.keys(next).length === 0) save.mutate();
      }}
    >
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <TextField id="receipt-name" label={labels.caseworkerName} maxLength={NAME_MAX} value={name} onChange={(e) => setName(e.target.value)} error={errorAt('caseworkerName')} />
      <TimeField id="receipt-at" label={labels.receivedAt!} value={at} onChange={setAt} error={errorAt('receivedAt')} />
      <Fieldset id="receipt-placement" legend={labels.placementType} error={errorAt('placementType')}>
        {PLACEMENT_TYPES.map((p) => (
          <Radio key={p} id={`receipt-placement-${p}`} name="receipt-placement" tile label={t(`placements.${p}`)} checked={placement === p} onChange={() => setPlacement(p)} />
        ))}
      </Fieldset>
      <TextField
        id="receipt-placement-name"
        label={labels.placementName!}
        hint={t('receipt.placementNameHint')}
        maxLength={NAME_MAX}
        autoComplete="off"
        value={placementName}
        onChange={(e) => setPlacementName(e.target.value)}
        error={errorAt('placementName')}
      />
      <button type="submit" className="usa-button" disabled={save.isPending}>
        {save.isPending ? t('common.saving') : t('receipt.submit')}
      </button>
    </form>
  );
}

/** One custody hand-off: the statement countdown, notifications, parent-notification attempts, receipt. */
export function CustodyPage() {
  const { t } = useTranslation();
  const { handoffId } = detailRoute.useParams();
  const queryClient = useQueryClient();
  const flash = useFlash();
  const handoff = useQuery({ ...custodyQuery(handoffId), refetchInterval: 60_000 });
  const [notice, setNotice] = useState<string>();

  const store = (message: string) => (dto: CustodyDto) => {
    queryClient.setQueryData(keys.custody(handoffId), dto);
    void queryClient.invalidateQueries({ queryKey: keys.custodyAll });
    setNotice(message);
  };

  if (handoff.isPending || handoff.isError) {
    return (
      <>
        <BackLink to="/custody">{t('custody.title')}</BackLink>
        <PageTitle title={t('custodyPage.titleLoading')} />
        {handoff.isPending ? <Loading /> : <LoadError error={handoff.error} />}
      </>
    );
  }
  const h = handoff.data;
  const ab = h.abilities;
  const none = <span className="lantern-muted">{t('custodyPage.notYet')}</span>;

  return (
    <>
      {h.operation ? (
        <BackLink to="/operations/$operationId/custody" params={{ operationId: h.operation.id }}>
          {h.operation.name}
        </BackLink>
      ) : (
        <BackLink to="/custody">{t('custody.title')}</BackLink>
      )}
      <PageTitle title={t('custodyPage.title', { label: h.child.label })} actions={h.receipt ? <Tag tone="ok">{t('custody.received')}</Tag> : <Tag tone="warn">{t('custody.awaitingReceipt')}</Tag>} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}

      <section aria-labelledby="custody-deadline" className="lantern-section lantern-section--first">
        <h2 id="custody-deadline">{t('custodyPage.deadlineHeading')}</h2>
        <StatementCountdown handoff={h} fetchedAt={handoff.dataUpdatedAt} />
        <p className="lantern-muted">{t('custodyPage.deadlineLead')}</p>
      </section>

      <section className="lantern-section" aria-labelledby="custody-facts">
        <h2 id="custody-facts">{t('custodyPage.factsHeading')}</h2>
        <dl className="lantern-facts">
          <dt>{t('custody.child')}</dt>
          <dd>
            {h.child.label}
            {h.child.name ? ` (${h.child.name})` : ''} · {t(`sexes.${h.child.sex}`)} · {t(`ageBands.${h.child.ageBand}`)}
            {h.child.estimatedAge != null ? ` · ${t('contact.aboutAge', { age: h.child.estimatedAge })}` : ''}
          </dd>
          <dt>{t('custody.takenAt')}</dt>
          <dd>
            <DateTime value={h.takenAt} />
          </dd>
          <dt>{t('handOff.officer')}</dt>
          <dd>
            {h.officer.name} · {h.fromAgency.name}
          </dd>
          <dt>{t('custodyPage.officerPhone')}</dt>
          <dd>
            {h.officer.phone ? (
              <a className="usa-link" href={`tel:${h.officer.phone.replace(/[^\d+]/g, '')}`}>
                {h.officer.phone}
              </a>
            ) : (
              t('custodyPage.noOfficerPhone')
            )}
          </dd>
          <dt>{t('handOff.reason')}</dt>
          <dd>
            {t(`custodyReasons.${h.reason}`)}
            {h.reasonDetail ? <span className="lantern-briefing">{`\n${h.reasonDetail}`}</span> : null}
          </dd>
          <dt>{t('handOff.juvenileNotified')}</dt>
          <dd>{h.juvenileOfficerNotifiedAt ? <DateTime value={h.juvenileOfficerNotifiedAt} /> : none}</dd>
          <dt>{t('handOff.divisionNotified')}</dt>
          <dd>{h.childrensDivisionNotifiedAt ? <DateTime value={h.childrensDivisionNotifiedAt} /> : none}</dd>
          <dt>{t('custody.toAgency')}</dt>
          <dd>{h.toAgency.name}</dd>
          <dt>{t('custody.statementFiled')}</dt>
          <dd>{h.statementFiledAt ? <DateTime value={h.statementFiledAt} /> : none}</dd>
        </dl>
        {h.operation ? (
          <p>
            <Link to="/contacts/$contactId" params={{ contactId: h.contactId }} className="usa-link">
              {t('custodyPage.openContact', { label: h.child.label })}
            </Link>
          </p>
        ) : null}
      </section>

      {ab['custody.update'] ? (
        <section className="lantern-section" aria-labelledby="custody-times">
          <h2 id="custody-times">{t('custodyPage.timesHeading')}</h2>
          <TimesForm key={h.updatedAt} h={h} onSaved={store(t('custodyPage.timesSaved'))} />
        </section>
      ) : null}

      <section className="lantern-section" aria-labelledby="custody-parents">
        <h2 id="custody-parents">{t('parentNotice.heading')}</h2>
        {h.parentNotifications.length === 0 ? (
          <p>{t('parentNotice.none')}</p>
        ) : (
          <div className="lantern-table-wrap">
            <table className="usa-table usa-table--borderless usa-table--stacked">
              <caption className="usa-sr-only">{t('parentNotice.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('parentNotice.at')}</th>
                  <th scope="col">{t('parentNotice.method')}</th>
                  <th scope="col">{t('parentNotice.outcome')}</th>
                  <th scope="col">{t('parentNotice.note')}</th>
                  <th scope="col">{t('parentNotice.recordedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {h.parentNotifications.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" data-label={t('parentNotice.at')}>
                      <DateTime value={p.at} />
                    </th>
                    <td data-label={t('parentNotice.method')}>{t(`parentNotice.methods.${p.method}`)}</td>
                    <td data-label={t('parentNotice.outcome')}>{t(`parentNotice.outcomes.${p.outcome}`)}</td>
                    <td data-label={t('parentNotice.note')}>{p.note ?? ''}</td>
                    <td data-label={t('parentNotice.recordedBy')}>{p.recordedBy.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {ab['custody.update'] ? <ParentNotificationForm h={h} onSaved={store(t('parentNotice.added'))} /> : null}
      </section>

      <section className="lantern-section" aria-labelledby="custody-receipt">
        <h2 id="custody-receipt">{t('receipt.heading')}</h2>
        {h.receipt ? (
          <dl className="lantern-facts">
            <dt>{t('receipt.caseworker')}</dt>
            <dd>{h.receipt.caseworkerName}</dd>
            <dt>{t('receipt.receivedAt')}</dt>
            <dd>
              <DateTime value={h.receipt.receivedAt} />
            </dd>
            <dt>{t('receipt.placement')}</dt>
            <dd>{t(`placements.${h.receipt.placementType}`)}</dd>
            {h.receipt.placementName ? (
              <>
                <dt>{t('receipt.placementName')}</dt>
                <dd>{h.receipt.placementName}</dd>
              </>
            ) : null}
          </dl>
        ) : ab['custody.receive'] ? (
          <>
            <p>{t('receipt.lead', { agency: h.fromAgency.name })}</p>
            <ReceiptForm h={h} onSaved={store(t('receipt.saved'))} />
          </>
        ) : (
          <p>{t('receipt.awaiting', { agency: h.toAgency.name })}</p>
        )}
      </section>
    </>
  );
}
