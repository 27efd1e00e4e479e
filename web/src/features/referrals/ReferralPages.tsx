import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LONG_TEXT_MAX } from '../../../../common/limits.ts';
import { SERVICES, type ReferralStatus } from '../../../../common/operations.ts';
import { referrals } from '../../api/endpoints.ts';
import { contactQuery, keys, operationQuery, referralQuery, referralsQuery, taskForceQuery } from '../../api/queries.ts';
import type { ReceivedReferralDto, ReferContactInput, ReferralDto, SentReferralDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { TextareaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { Tag } from '../../components/Tag.tsx';
import { setFlash, useFlash } from '../../components/flash.ts';
import { workPhoneQuery } from '../account/work-phone.ts';
import { OperationHeader } from '../operations/OperationNav.tsx';
import { ReferralStatusTag } from './labels.tsx';
import { Part2Notice } from './Part2Notice.tsx';
import { ReferralForm } from './ReferralForm.tsx';
import { OpenClientRecord } from '../clients/OpenClientRecord.tsx';

const newRoute = getRouteApi('/app/contacts/$contactId/refer');
const listRoute = getRouteApi('/app/referrals');
const detailRoute = getRouteApi('/app/referrals/$referralId');
const operationRoute = getRouteApi('/app/operations/$operationId/referrals');

// ------------------------------------------------------------------------------------------ sending

/** Refer an adult potential victim, with their consent, to a victim-services agency of the task force. */
export function ReferralNewPage() {
  const { t } = useTranslation();
  const { contactId } = newRoute.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contact = useQuery(contactQuery(contactId));
  const op = useQuery({ ...operationQuery(contact.data?.operationId ?? ''), enabled: Boolean(contact.data) });
  const taskForce = useQuery({ ...taskForceQuery(op.data?.taskForce.id ?? ''), enabled: Boolean(op.data), retry: false });
  // The callback number starts as the officer's work phone; without one (or if it cannot be read) it starts empty.
  const myPhone = useQuery({ ...workPhoneQuery, retry: false });

  const send = useMutation({
    mutationFn: (input: ReferContactInput) => referrals.create(contactId, input),
    onSuccess: (sent) => {
      void queryClient.invalidateQueries({ queryKey: keys.referralsAll });
      void queryClient.invalidateQueries({ queryKey: keys.contact(contactId) });
      setFlash(t('referralForm.sent', { agency: sent.toAgency.name }));
      void navigate({ to: '/contacts/$contactId', params: { contactId } });
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
        <PageTitle title={t('referralForm.title')} />
        {error ? <LoadError error={error} /> : <Loading />}
      </>
    );
  }
  const c = contact.data;
  const agencies = new Map<string, { id: string; name: string; inOperation: boolean }>();
  for (const p of op.data.participants) if (p.role === 'victim_services') agencies.set(p.agencyId, { id: p.agencyId, name: p.name, inOperation: true });
  for (const m of taskForce.data?.members ?? []) {
    if (m.kind === 'victim_services' && !agencies.has(m.agencyId)) agencies.set(m.agencyId, { id: m.agencyId, name: m.name, inOperation: false });
  }
  const offered = c.services.filter((s) => s.offered);
  const wanted = offered.some((s) => s.accepted) ? offered.filter((s) => s.accepted) : offered;

  return (
    <>
      {back}
      <PageTitle title={t('referralForm.title')} lead={t('referralForm.lead', { label: c.label })} />
      {c.abilities['contact.refer'] ? (
        <ReferralForm
          agencies={[...agencies.values()].sort((a, b) => Number(b.inOperation) - Number(a.inOperation) || a.name.localeCompare(b.name))}
          initialServices={SERVICES.filter((s) => wanted.some((w) => w.service === s))}
          personLabel={c.label}
          defaultCallbackPhone={myPhone.data?.phone}
          pending={send.isPending}
          error={send.error}
          onSubmit={(input) => send.mutate(input)}
          onCancel={() => void navigate({ to: '/contacts/$contactId', params: { contactId } })}
        />
      ) : (
        <Alert type="info" announce={false}>
          {c.role === 'adult_victim' ? t('referralForm.notAllowed') : t('referralForm.adultsOnly')}
        </Alert>
      )}
    </>
  );
}

// ------------------------------------------------------------------------------------------ receiving

function ServicesList({ services }: { services: ReferralDto['services'] }) {
  const { t } = useTranslation();
  return <>{services.map((s) => t(`services.${s}`)).join(', ')}</>;
}

/** Referrals sent to my agency (advocates): only what each referral carries. */
export function ReferralsPage() {
  const { t } = useTranslation();
  const search = listRoute.useSearch();
  const flash = useFlash();
  const list = useQuery(referralsQuery(search.status ? { status: search.status } : {}));
  const received = (list.data?.referrals ?? []).filter((r): r is ReceivedReferralDto => r.view === 'receiving');
  const tabs: (Exclude<ReferralStatus, 'closed'> | undefined)[] = [undefined, 'sent', 'accepted', 'declined'];

  return (
    <>
      <PageTitle title={t('referrals.title')} lead={t('referrals.lead')} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <nav aria-label={t('referrals.statusFilter')} className="lantern-tabs">
        <ul>
          {tabs.map((status) => (
            <li key={status ?? 'all'}>
              <Link
                to="/referrals"
                search={status ? { status } : {}}
                className={search.status === status ? 'lantern-tabs__link is-current' : 'lantern-tabs__link'}
                aria-current={search.status === status ? 'page' : undefined}
              >
                {status ? t(`referrals.tabs.${status}`) : t('referrals.tabs.all')}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {list.isPending ? (
        <Loading label={t('referrals.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : received.length === 0 ? (
        <EmptyState heading={search.status ? t('referrals.noneWithStatus') : t('referrals.emptyHeading')}>{t('referrals.empty')}</EmptyState>
      ) : (
        <ul className="lantern-card-list">
          {received.map((r) => (
            <li key={r.id} className="lantern-contact-card">
              <h2 className="lantern-contact-card__title">
                <Link to="/referrals/$referralId" params={{ referralId: r.id }} className="usa-link">
                  {t('referrals.cardTitle', { name: r.firstName, agency: r.referringAgency.name })}
                </Link>
              </h2>
              <p className="lantern-contact-card__meta">
                <ServicesList services={r.services} /> · {t('referrals.languageIs', { language: r.language })}
              </p>
              <p className="lantern-tags">
                <ReferralStatusTag status={r.status} />
                {r.part2 ? <Tag tone="warn">{t('part2.tag')}</Tag> : null}
                <span className="lantern-muted">
                  {t('referrals.sent')} <DateTime value={r.sentAt} />
                </span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ReceivedReferral({ r }: { r: ReceivedReferralDto }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [answering, setAnswering] = useState<'accept' | 'decline'>();
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string>();

  const store = (dto: ReferralDto) => {
    queryClient.setQueryData(keys.referral(r.id), dto);
    void queryClient.invalidateQueries({ queryKey: keys.referralsAll });
  };
  const answer = useMutation({
    mutationFn: ({ which, note }: { which: 'accept' | 'decline'; note: string }) => referrals[which](r.id, note || undefined),
    onSuccess: (dto, { which }) => {
      store(dto);
      setAnswering(undefined);
      setNotice(t(`referral.done.${which}`));
    },
  });
  const saveNotes = useMutation({
    mutationFn: () => referrals.addNote(r.id, note.trim()),
    onSuccess: (dto) => {
      store(dto);
      setNote('');
      setNotice(t('referral.notesSaved'));
    },
  });

  return (
    <>
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      {r.part2Notice ? <Part2Notice notice={r.part2Notice} /> : null}
      <section className="lantern-section" aria-labelledby="referral-carries">
        <h2 id="referral-carries">{t('referral.carriesHeading')}</h2>
        <p className="lantern-muted">{t('referral.carriesLead')}</p>
        <dl className="lantern-facts">
          <dt>{t('referralForm.firstName')}</dt>
          <dd>{r.firstName}</dd>
          <dt>{t('referralForm.language')}</dt>
          <dd>{r.language}</dd>
          <dt>{t('referralForm.services')}</dt>
          <dd>
            <ServicesList services={r.services} />
          </dd>
          <dt>{t('referralForm.safeContact')}</dt>
          <dd className="lantern-briefing">{r.safeContact}</dd>
          <dt>{t('referral.from')}</dt>
          <dd>{r.referringAgency.name}</dd>
          <dt>{t('referral.officer')}</dt>
          <dd>{r.referringOfficer.name}</dd>
          <dt>{t('referral.officerPhone')}</dt>
          <dd>{r.referringOfficer.phone ? <a className="usa-link" href={`tel:${r.referringOfficer.phone.replace(/[^\d+]/g, '')}`}>{r.referringOfficer.phone}</a> : t('referral.noOfficerPhone')}</dd>
          <dt>{t('referrals.sent')}</dt>
          <dd>
            <DateTime value={r.sentAt} />
          </dd>
          <dt>{t('referral.status')}</dt>
          <dd>
            <ReferralStatusTag status={r.status} /> {r.respondedAt ? <DateTime value={r.respondedAt} /> : null}
          </dd>
        </dl>
        {r.abilities['referral.respond'] ? (
          <ul className="usa-button-group">
            <li className="usa-button-group__item">
              <button type="button" className="usa-button" onClick={() => setAnswering('accept')}>
                {t('referral.accept')}
              </button>
            </li>
            <li className="usa-button-group__item">
              <button type="button" className="usa-button usa-button--outline" onClick={() => setAnswering('decline')}>
                {t('referral.decline')}
              </button>
            </li>
          </ul>
        ) : null}
      </section>
      {r.status === 'accepted' ? <OpenClientRecord referralId={r.id} /> : null}
      {r.abilities['referral.annotate'] ? (
        <section className="lantern-section" aria-labelledby="referral-notes">
          <h2 id="referral-notes">{t('referral.notesHeading')}</h2>
          <p className="lantern-muted">{t('referral.notesLead')}</p>
          {r.notes.length === 0 ? (
            <p>{t('referral.notesEmpty')}</p>
          ) : (
            <ol className="lantern-note-history" aria-labelledby="referral-notes">
              {r.notes.map((n) => (
                <li key={n.id} className="lantern-note-history__item">
                  <p className="lantern-note-history__meta">
                    <DateTime value={n.at} /> · {n.author ? t('referral.noteBy', { name: n.author.name }) : t('referral.noteByUnknown')}
                  </p>
                  <p className="lantern-briefing">{n.text}</p>
                </li>
              ))}
            </ol>
          )}
          <form
            className="usa-form usa-form--large lantern-form-wide"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              saveNotes.mutate();
            }}
          >
            {saveNotes.error ? <ErrorAlert error={saveNotes.error} /> : null}
            <TextareaField id="referral-notes-text" label={t('referral.notes')} hint={t('referral.notesHint')} rows={4} maxLength={LONG_TEXT_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="submit" className="usa-button usa-button--outline" disabled={saveNotes.isPending}>
              {saveNotes.isPending ? t('common.saving') : t('referral.saveNotes')}
            </button>
          </form>
        </section>
      ) : null}
      <PromptDialog
        open={answering !== undefined}
        title={answering ? t(`referral.confirm.${answering}.title`, { name: r.firstName }) : ''}
        label={t('referral.answerNote')}
        hint={t('referral.answerNoteHint')}
        maxLength={LONG_TEXT_MAX}
        confirmLabel={answering ? t(`referral.${answering}`) : ''}
        danger={answering === 'decline'}
        pending={answer.isPending}
        error={answer.error}
        onSubmit={(note) => answering && answer.mutate({ which: answering, note })}
        onCancel={() => {
          answer.reset();
          setAnswering(undefined);
        }}
      >
        {answering ? t(`referral.confirm.${answering}.body`, { agency: r.referringAgency.name }) : ''}
      </PromptDialog>
    </>
  );
}

function SentReferral({ r }: { r: SentReferralDto }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="referral-sent">
      <h2 id="referral-sent">{t('referral.sentHeading')}</h2>
      <dl className="lantern-facts">
        <dt>{t('referral.person')}</dt>
        <dd>
          <Link to="/contacts/$contactId" params={{ contactId: r.contactId }} className="usa-link">
            {t('referral.personN', { n: r.personNumber })}
          </Link>
        </dd>
        <dt>{t('referral.to')}</dt>
        <dd>{r.toAgency.name}</dd>
        <dt>{t('referralForm.services')}</dt>
        <dd>
          <ServicesList services={r.services} />
          {r.part2 ? (
            <>
              {' '}
              <Tag tone="warn">{t('part2.tag')}</Tag>
            </>
          ) : null}
        </dd>
        <dt>{t('referrals.sent')}</dt>
        <dd>
          <DateTime value={r.sentAt} />
        </dd>
        <dt>{t('referral.status')}</dt>
        <dd>
          <ReferralStatusTag status={r.status} /> {r.respondedAt ? <DateTime value={r.respondedAt} /> : null}
        </dd>
      </dl>
      <p className="lantern-muted">{t('referral.notesPrivate')}</p>
    </section>
  );
}

/** One referral, as my side sees it: the advocates' view (what it carries, answer, notes) or the sender's (status). */
export function ReferralPage() {
  const { t } = useTranslation();
  const { referralId } = detailRoute.useParams();
  const referral = useQuery(referralQuery(referralId));

  if (referral.isPending || referral.isError) {
    return (
      <>
        <BackLink to="/referrals">{t('referrals.title')}</BackLink>
        <PageTitle title={t('referral.titleLoading')} />
        {referral.isPending ? <Loading /> : <LoadError error={referral.error} />}
      </>
    );
  }
  const r = referral.data;
  if (r.view === 'receiving') {
    return (
      <>
        <BackLink to="/referrals">{t('referrals.title')}</BackLink>
        <PageTitle title={t('referral.title', { name: r.firstName })} actions={<ReferralStatusTag status={r.status} />} />
        <ReceivedReferral key={r.id} r={r} />
      </>
    );
  }
  return (
    <>
      <BackLink to="/operations/$operationId/referrals" params={{ operationId: r.operationId }}>
        {t('referral.backToOperation')}
      </BackLink>
      <PageTitle title={t('referral.sentTitle', { n: r.personNumber, agency: r.toAgency.name })} actions={<ReferralStatusTag status={r.status} />} />
      <SentReferral r={r} />
    </>
  );
}

/** The referrals an operation sent, and what became of each (never the advocates' notes). */
export function OperationReferralsPage() {
  const { t } = useTranslation();
  const { operationId } = operationRoute.useParams();
  const op = useQuery(operationQuery(operationId));
  const list = useQuery(referralsQuery({ operationId }));

  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('operationReferrals.title')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }
  const sent = (list.data?.referrals ?? []).filter((r): r is SentReferralDto => r.view === 'referring');
  return (
    <>
      <OperationHeader op={op.data} current="referrals" title={t('operationReferrals.title')} />
      <p className="lantern-lead">{t('operationReferrals.lead')}</p>
      {list.isPending ? (
        <Loading label={t('referrals.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : sent.length === 0 ? (
        <EmptyState heading={t('operationReferrals.emptyHeading')}>{t('operationReferrals.empty')}</EmptyState>
      ) : (
        <div className="lantern-table-wrap">
          <table className="usa-table usa-table--borderless usa-table--stacked">
            <caption className="usa-sr-only">{t('operationReferrals.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('referral.person')}</th>
                <th scope="col">{t('referral.to')}</th>
                <th scope="col">{t('referralForm.services')}</th>
                <th scope="col">{t('referral.status')}</th>
                <th scope="col">{t('referrals.sent')}</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((r) => (
                <tr key={r.id}>
                  <th scope="row" data-label={t('referral.person')}>
                    <Link to="/referrals/$referralId" params={{ referralId: r.id }} className="usa-link">
                      {t('referral.personN', { n: r.personNumber })}
                    </Link>
                  </th>
                  <td data-label={t('referral.to')}>{r.toAgency.name}</td>
                  <td data-label={t('referralForm.services')}>
                    <ServicesList services={r.services} />
                    {r.part2 ? (
                      <>
                        {' '}
                        <Tag tone="warn">{t('part2.tag')}</Tag>
                      </>
                    ) : null}
                  </td>
                  <td data-label={t('referral.status')}>
                    <ReferralStatusTag status={r.status} />
                  </td>
                  <td data-label={t('referrals.sent')}>
                    <DateTime value={r.sentAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
