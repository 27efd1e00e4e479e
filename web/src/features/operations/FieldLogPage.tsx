import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { operations } from '../../api/endpoints.ts';
import { keys, operationQuery } from '../../api/queries.ts';
import type { ContactSummaryDto, OperationDto, RecordedContactDto } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useFlash } from '../../components/flash.ts';
import { Tag } from '../../components/Tag.tsx';
import { ContactForm } from './ContactForm.tsx';
import { recordInput, type ContactDraft } from './contact-form.ts';
import { addToLiveList, useLiveContacts } from './live-contacts.ts';
import { OperationHeader } from './OperationNav.tsx';

const route = getRouteApi('/app/operations/$operationId/field');

/**
 * The id that makes a retried submission safe: the server records one contact per `clientRef`.
 * `crypto.randomUUID` exists only on secure origins; elsewhere a v4 UUID from `getRandomValues`.
 */
export function newClientRef(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "Person 7 — Adult potential victim — Offered services". */
export function useContactTitle() {
  const { t } = useTranslation();
  return (c: Pick<ContactSummaryDto, 'label' | 'role' | 'disposition'>) =>
    [c.label, t(`contactRoles.${c.role}`), c.disposition ? t(`dispositions.${c.disposition}`) : t('contact.noDisposition')].join(' — ');
}

export function ContactCard({ contact }: { contact: ContactSummaryDto }) {
  const { t } = useTranslation();
  const title = useContactTitle();
  return (
    <li className="lantern-contact-card">
      <h3 className="lantern-contact-card__title">
        <Link to="/contacts/$contactId" params={{ contactId: contact.id }} className="usa-link">
          {title(contact)}
        </Link>
      </h3>
      <p className="lantern-contact-card__meta">
        {t(`sexes.${contact.sex}`)} · {t(`ageBands.${contact.ageBand}`)}
        {contact.estimatedAge != null ? ` · ${t('contact.aboutAge', { age: contact.estimatedAge })}` : ''}
        {contact.suspectType ? ` · ${t(`suspectTypes.${contact.suspectType}`)}` : ''}
      </p>
      <p className="lantern-contact-card__meta lantern-muted">
        {t('contact.recordedBy', { name: contact.recordedBy.name, agency: contact.recordedBy.agencyName })} · <DateTime value={contact.recordedAt} />
      </p>
      {contact.sealed || contact.referralCount > 0 || contact.custodyHandoffId ? (
        <p className="lantern-tags">
          {contact.sealed ? <Tag tone="warn">{t('contact.sealed')}</Tag> : null}
          {contact.referralCount > 0 ? <Tag tone="info">{t('contact.referred', { count: contact.referralCount })}</Tag> : null}
          {contact.custodyHandoffId ? <Tag tone="info">{t('contact.handedOff')}</Tag> : null}
        </p>
      ) : null}
    </li>
  );
}

function RecordedNotice({ contact }: { contact: RecordedContactDto }) {
  const { t } = useTranslation();
  const title = useContactTitle();
  if (contact.restricted) {
    return (
      <Alert type="success" heading={t('field.recordedSealedHeading', { label: contact.label })} headingLevel="h2">
        <p className="usa-alert__text">{t('field.recordedSealed')}</p>
      </Alert>
    );
  }
  const needsHandOff = contact.role === 'minor' && contact.abilities['contact.handOff'] && !contact.custodyHandoffId;
  return (
    <Alert type="success" heading={t('field.recordedHeading', { title: title(contact) })} headingLevel="h2">
      {needsHandOff ? <p className="usa-alert__text">{t('field.handOffNow')}</p> : null}
      <ul className="lantern-link-list">
        {needsHandOff ? (
          <li>
            <Link to="/contacts/$contactId/custody" params={{ contactId: contact.id }} className="usa-button">
              {t('field.recordHandOff', { label: contact.label })}
            </Link>
          </li>
        ) : null}
        {contact.abilities['contact.refer'] ? (
          <li>
            <Link to="/contacts/$contactId/refer" params={{ contactId: contact.id }} className="usa-link">
              {t('field.refer', { label: contact.label })}
            </Link>
          </li>
        ) : null}
        <li>
          <Link to="/contacts/$contactId" params={{ contactId: contact.id }} className="usa-link">
            {t('field.open', { label: contact.label })}
          </Link>
        </li>
      </ul>
    </Alert>
  );
}

export function Recorder({ op }: { op: OperationDto }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [clientRef, setClientRef] = useState(newClientRef);
  const [formKey, setFormKey] = useState(0);
  const [recorded, setRecorded] = useState<RecordedContactDto>();

  const record = useMutation({
    mutationFn: ({ draft, ref }: { draft: ContactDraft; ref: string }) => operations.recordContact(op.id, recordInput(draft, ref)),
    onMutate: () => setRecorded(undefined),
    onSuccess: (contact) => {
      setRecorded(contact);
      if (!contact.restricted) addToLiveList(queryClient, op.id, contact);
      void queryClient.invalidateQueries({ queryKey: keys.liveContacts(op.id) });
      // The next person gets a new id; a retry of this one kept the old.
      setClientRef(newClientRef());
      setFormKey((k) => k + 1);
      requestAnimationFrame(() => document.getElementById('field-record')?.focus());
    },
  });
  // A failure that may not have reached the server: the entry stays in the form, and sending it again
  // with the same clientRef records it once.
  const unsure = record.error instanceof ApiError && (record.error.status === 0 || record.error.status >= 500);

  return (
    <section aria-labelledby="field-record" className="lantern-field-form">
      <h2 id="field-record" tabIndex={-1}>
        {t('field.recordHeading')}
      </h2>
      {recorded ? <RecordedNotice contact={recorded} /> : null}
      <ContactForm
        key={formKey}
        idPrefix="field"
        operationDay={op.startsAt.slice(0, 10)}
        submitLabel={record.isPending ? t('field.recording') : t('field.record')}
        pending={record.isPending}
        serverError={unsure ? undefined : record.error}
        onSubmit={(draft) => record.mutate({ draft, ref: clientRef })}
        footer={
          unsure ? (
            <Alert type="warning" heading={t('field.notSentHeading')} headingLevel="h3">
              <p className="usa-alert__text">{t('field.notSent')}</p>
            </Alert>
          ) : null
        }
      />
    </section>
  );
}

/** The field log of a running operation: record a person in a few taps, and see everyone's entries live. */
export function FieldLogPage() {
  const { t } = useTranslation();
  const { operationId } = route.useParams();
  const flash = useFlash();
  const op = useQuery(operationQuery(operationId));
  const canRead = op.data?.abilities['operation.readContacts'] === true;
  const live = useLiveContacts(operationId, canRead, op.data?.status === 'active');

  if (op.isPending || op.isError) {
    return (
      <>
        <BackLink to="/operations">{t('operations.title')}</BackLink>
        <PageTitle title={t('field.title')} />
        {op.isPending ? <Loading /> : <LoadError error={op.error} />}
      </>
    );
  }
  const o = op.data;
  const canRecord = o.abilities['operation.recordContact'] === true;

  return (
    <>
      <OperationHeader op={o} current="field" title={t('field.title')} />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <div className="lantern-field-layout">
        {canRecord ? (
          <Recorder op={o} />
        ) : (
          <Alert type="info" announce={false}>
            {o.status === 'active' ? t('field.notAssigned') : t(`field.notRunning.${o.status}`)}
          </Alert>
        )}
        {canRead ? (
          <section aria-labelledby="field-list" className="lantern-field-list">
            <h2 id="field-list">{t('field.listHeading', { count: live.data?.total ?? o.contacts })}</h2>
            {o.status === 'active' ? <p className="lantern-muted">{t('field.listLead')}</p> : null}
            {live.isPending ? (
              <Loading label={t('field.loading')} />
            ) : live.isError && !live.data ? (
              <LoadError error={live.error} />
            ) : live.data && live.data.contacts.length === 0 && live.data.sealedCount === 0 ? (
              <EmptyState heading={t('field.emptyHeading')} headingLevel="h3">
                {canRecord ? t('field.emptyCanRecord') : t('field.empty')}
              </EmptyState>
            ) : live.data ? (
              <>
                {live.isError ? (
                  <Alert type="warning" slim announce={false}>
                    {t('field.pollFailed')}
                  </Alert>
                ) : null}
                {live.data.sealedCount > 0 ? <p className="lantern-muted">{t('field.sealedCount', { count: live.data.sealedCount })}</p> : null}
                <ul className="lantern-card-list" aria-live="polite" aria-relevant="additions">
                  {live.data.contacts.map((c) => (
                    <ContactCard key={c.id} contact={c} />
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        ) : null}
      </div>
    </>
  );
}
