import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { contacts } from '../../api/endpoints.ts';
import { contactQuery, keys, operationQuery, referralsQuery } from '../../api/queries.ts';
import type { ContactDto, SentReferralDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { setFlash, useFlash } from '../../components/flash.ts';
import { formatDate } from '../../components/format.ts';
import { ReferralStatusTag } from '../referrals/labels.tsx';
import { ContactForm } from './ContactForm.tsx';
import { draftFromContact, updateInput } from './contact-form.ts';
import { useContactTitle } from './FieldLogPage.tsx';
import { addToLiveList } from './live-contacts.ts';

const route = getRouteApi('/app/contacts/$contactId');

function ContactReferrals({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const list = useQuery(referralsQuery({ contactId }));
  if (list.isPending) return <Loading label={t('referrals.loading')} />;
  if (list.isError) return <LoadError error={list.error} />;
  const sent = list.data.referrals.filter((r): r is SentReferralDto => r.view === 'referring');
  if (sent.length === 0) return <p>{t('contactPage.noReferrals')}</p>;
  return (
    <ul className="lantern-plain-list">
      {sent.map((r) => (
        <li key={r.id}>
          <Link to="/referrals/$referralId" params={{ referralId: r.id }} className="usa-link">
            {r.toAgency.name}
          </Link>{' '}
          <ReferralStatusTag status={r.status} /> <span className="lantern-muted">· {t('referrals.sentOn', { date: formatDate(r.sentAt) })}</span>
        </li>
      ))}
    </ul>
  );
}

function Facts({ c }: { c: ContactDto }) {
  const { t } = useTranslation();
  const none = <span className="lantern-muted">{t('common.none')}</span>;
  const offered = c.services.filter((s) => s.offered);
  return (
    <dl className="lantern-facts">
      <dt>{t('contact.role')}</dt>
      <dd>
        {t(`contactRoles.${c.role}`)}
        {c.suspectType ? ` (${t(`suspectTypes.${c.suspectType}`)})` : ''}
      </dd>
      <dt>{t('contact.sex')}</dt>
      <dd>{t(`sexes.${c.sex}`)}</dd>
      <dt>{t('contact.ageBand')}</dt>
      <dd>
        {t(`ageBands.${c.ageBand}`)}
        {c.estimatedAge != null ? ` · ${t('contact.aboutAge', { age: c.estimatedAge })}` : ''}
      </dd>
      <dt>{t('contact.disposition')}</dt>
      <dd>{c.disposition ? t(`dispositions.${c.disposition}`) : t('contact.noDisposition')}</dd>
      {c.charges.length ? (
        <>
          <dt>{t('contact.charges')}</dt>
          <dd>{c.charges.join('; ')}</dd>
        </>
      ) : null}
      <dt>{t('contact.name')}</dt>
      <dd>{c.name || none}</dd>
      {c.aliases.length ? (
        <>
          <dt>{t('contact.aliases')}</dt>
          <dd>{c.aliases.join(', ')}</dd>
        </>
      ) : null}
      <dt>{t('contact.dob')}</dt>
      <dd>{c.dob ? formatDate(`${c.dob}T12:00:00`) : none}</dd>
      <dt>{t('contact.phones')}</dt>
      <dd>{c.phones.length ? c.phones.join(', ') : none}</dd>
      {c.role === 'adult_victim' ? (
        <>
          <dt>{t('contact.screening')}</dt>
          <dd>{c.screening ? `${t(`screeningTools.${c.screening.tool}`)}: ${t(`screeningResults.${c.screening.result}`)}` : t('contact.notScreened')}</dd>
          <dt>{t('contact.servicesOffered')}</dt>
          <dd>{offered.length ? offered.map((s) => t(`services.${s.service}`)).join(', ') : none}</dd>
          <dt>{t('contact.servicesAccepted')}</dt>
          <dd>{offered.some((s) => s.accepted) ? offered.filter((s) => s.accepted).map((s) => t(`services.${s.service}`)).join(', ') : none}</dd>
        </>
      ) : null}
      <dt>{t('contactPage.recorded')}</dt>
      <dd>
        {t('contact.recordedBy', { name: c.recordedBy.name, agency: c.recordedBy.agencyName })} · <DateTime value={c.recordedAt} />
      </dd>
    </dl>
  );
}

/** One person's record: what was recorded, and what to do next (refer, hand off, correct). */
export function ContactPage() {
  const { t } = useTranslation();
  const { contactId } = route.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const title = useContactTitle();
  const contact = useQuery(contactQuery(contactId));
  const operationId = contact.data?.operationId;
  const op = useQuery({ ...operationQuery(operationId ?? ''), enabled: Boolean(operationId), retry: false });
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const flash = useFlash();

  const save = useMutation({
    mutationFn: ({ c, draft, reason }: { c: ContactDto; draft: Parameters<typeof updateInput>[0]; reason?: string }) =>
      contacts.update(c.id, updateInput(draft, c.version, reason)),
    onSuccess: (updated) => {
      if (updated.restricted) {
        setFlash(t('contactPage.nowSealed', { label: updated.label }));
        void navigate({ to: '/operations/$operationId/field', params: { operationId: updated.operationId } });
        return;
      }
      queryClient.setQueryData(keys.contact(contactId), updated);
      addToLiveList(queryClient, updated.operationId, updated);
      setEditing(false);
      setSaved(true);
    },
  });

  const back = op.data ? (
    <BackLink to="/operations/$operationId/field" params={{ operationId: op.data.id }}>
      {t('contactPage.backToLog', { name: op.data.name })}
    </BackLink>
  ) : (
    <BackLink to="/home">{t('nav.home')}</BackLink>
  );

  if (contact.isPending || contact.isError) {
    return (
      <>
        {back}
        <PageTitle title={t('contactPage.titleLoading')} />
        {contact.isPending ? <Loading /> : <LoadError error={contact.error} />}
      </>
    );
  }
  const c = contact.data;
  const ab = c.abilities;
  const correction = c.operationStatus === 'closed';

  return (
    <>
      {back}
      <PageTitle title={title(c)} actions={c.sealed ? <Tag tone="warn">{t('contact.sealed')}</Tag> : null} />
      {c.sealed ? (
        <Alert type="info" slim announce={false}>
          {t('contactPage.sealedNotice')}
        </Alert>
      ) : null}
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      {saved ? (
        <Alert type="success" slim>
          {t('contactPage.saved')}
        </Alert>
      ) : null}

      {ab['contact.handOff'] && !c.custodyHandoffId ? (
        <Alert type="warning" heading={t('contactPage.handOffHeading')} headingLevel="h2" announce={false}>
          <p className="usa-alert__text">{t('contactPage.handOffLead')}</p>
          <Link to="/contacts/$contactId/custody" params={{ contactId: c.id }} className="usa-button">
            {t('field.recordHandOff', { label: c.label })}
          </Link>
        </Alert>
      ) : null}
      {c.custodyHandoffId ? (
        <p>
          <Link to="/custody/$handoffId" params={{ handoffId: c.custodyHandoffId }} className="usa-button usa-button--outline">
            {t('contactPage.seeHandOff')}
          </Link>
        </p>
      ) : null}

      {editing ? (
        <section className="lantern-section" aria-labelledby="contact-edit">
          <h2 id="contact-edit">{correction ? t('contactPage.correctHeading') : t('contactPage.editHeading')}</h2>
          <ContactForm
            idPrefix="edit"
            initial={draftFromContact(c)}
            operationDay={op.data?.startsAt.slice(0, 10) ?? c.recordedAt.slice(0, 10)}
            submitLabel={t('common.saveChanges')}
            pending={save.isPending}
            serverError={save.error}
            correction={correction}
            onSubmit={(draft, reason) => save.mutate({ c, draft, reason })}
            onCancel={() => {
              save.reset();
              setEditing(false);
            }}
          />
        </section>
      ) : (
        <section className="lantern-section" aria-labelledby="contact-facts">
          <h2 id="contact-facts">{t('contactPage.factsHeading')}</h2>
          <Facts c={c} />
          {ab['contact.update'] ? (
            <button
              type="button"
              className="usa-button usa-button--outline"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {correction ? t('contactPage.correct') : t('contactPage.edit')}
            </button>
          ) : null}
        </section>
      )}

      {c.role === 'adult_victim' ? (
        <section className="lantern-section" aria-labelledby="contact-referrals">
          <h2 id="contact-referrals">{t('contactPage.referralsHeading')}</h2>
          <ContactReferrals contactId={c.id} />
          {ab['contact.refer'] ? (
            <Link to="/contacts/$contactId/refer" params={{ contactId: c.id }} className="usa-button">
              {t('field.refer', { label: c.label })}
            </Link>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
