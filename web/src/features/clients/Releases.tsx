import { useState, type FormEvent } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CONSENT_METHODS, RELEASE_SCOPES, REVOCATION_METHODS, type RevocationMethod } from '../../../../common/clients.ts';
import { LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX } from '../../../../common/limits.ts';
import { useMe } from '../../app/me.ts';
import { taskForces } from '../../api/endpoints.ts';
import { agenciesQuery } from '../../api/queries.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Checkbox, Fieldset, Radio, SelectField, TextField } from '../../components/Field.tsx';
import { PromptDialog } from '../../components/PromptDialog.tsx';
import { Tag } from '../../components/Tag.tsx';
import { splitServerError, useErrorFocus } from '../../components/forms.ts';
import { clientKeys, clientsApi, documentUrl, type ClientDto, type ReleaseDto } from './api.ts';
import { DocumentUpload } from './Documents.tsx';
import { scopeLabel, scopesText } from './labels.ts';
import { releaseInputOf, toggled, type ReleaseDraft, type ReleaseDraftField } from './release-draft.ts';


const EMPTY: ReleaseDraft = { recipientAgencyId: '', recipientUserId: '', scopes: [], purpose: '', startsAt: '', expiresAt: '', informed: false, consentMethod: 'signed_on_screen', signature: '', scanDocumentId: '' };

/** People of the task forces' member agencies the client may name (the directory's contacts). */
function useDirectoryPeople() {
  const me = useMe();
  const results = useQueries({
    queries: me.taskForces.map((tf) => ({ queryKey: ['task-forces', 'contacts', tf.id], queryFn: ({ signal }: { signal: AbortSignal }) => taskForces.contacts(tf.id, signal), retry: false })),
  });
  const people = new Map<string, { userId: string; name: string }[]>();
  for (const r of results) {
    for (const a of r.data?.agencies ?? []) {
      const list = people.get(a.agencyId) ?? [];
      for (const c of a.contacts) if (!list.some((p) => p.userId === c.userId)) list.push({ userId: c.userId, name: c.name });
      people.set(a.agencyId, list);
    }
  }
  return people;
}

/** "Take a release" (issue #12, item 2): informed, signed on screen or on a scanned form, one recipient, named scopes, a purpose and dates. */
function ReleaseForm({ client, onDone, onCancel }: { client: ClientDto; onDone: (release: ReleaseDto) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const agencies = useQuery(agenciesQuery);
  const people = useDirectoryPeople();
  const [d, setD] = useState<ReleaseDraft>(EMPTY);
  const [missing, setMissing] = useState<ReleaseDraftField[]>([]);
  const { ref, focusFirstError } = useErrorFocus<HTMLFormElement>();
  const create = useMutation({
    mutationFn: (input: Parameters<typeof clientsApi.createRelease>[1]) => clientsApi.createRelease(client.id, input),
    onSuccess: (release) => {
      void queryClient.invalidateQueries({ queryKey: clientKeys.detail(client.id) });
      void queryClient.invalidateQueries({ queryKey: clientKeys.list });
      onDone(release);
    },
    onError: () => focusFirstError(),
  });
  const labels = {
    recipientAgencyId: t('clients.releases.recipientAgency'),
    recipientUserId: t('clients.releases.recipientUser'),
    scopes: t('clients.releases.scopes'),
    purpose: t('clients.releases.purpose'),
    startsAt: t('clients.releases.startsAt'),
    expiresAt: t('clients.releases.expiresAt'),
    informed: t('clients.releases.informed'),
    signature: t('clients.releases.signature'),
    scanDocumentId: t('clients.releases.scanDocument'),
  };
  const placed = splitServerError(create.error, labels);
  const errorOf = (f: keyof typeof labels): string | undefined => {
    if ((missing as string[]).includes(f)) return f === 'informed' ? t('clients.releases.informedRequired') : t('form.required', { label: labels[f] });
    return placed.fields[f];
  };
  const set = <K extends keyof ReleaseDraft>(key: K, value: ReleaseDraft[K]) => {
    setD((x) => ({ ...x, [key]: value, ...(key === 'recipientAgencyId' ? { recipientUserId: '' } : {}) }));
    setMissing((m) => m.filter((f) => f !== key));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = releaseInputOf(d);
    if (!result.input) {
      setMissing(result.missing);
      focusFirstError();
      return;
    }
    create.mutate(result.input);
  };
  const recipients = (agencies.data?.agencies ?? []).filter((a) => a.id !== me.agency.id);
  const named = people.get(d.recipientAgencyId) ?? [];

  return (
    <form ref={ref} className="usa-form usa-form--large lantern-form-wide" noValidate onSubmit={submit} aria-labelledby="release-form-heading">
      <h3 id="release-form-heading">{t('clients.releases.formHeading')}</h3>
      {placed.form ? <ErrorAlert error={placed.form} /> : null}
      <SelectField id="release-recipientAgencyId" label={labels.recipientAgencyId} value={d.recipientAgencyId} error={errorOf('recipientAgencyId')} onChange={(e) => set('recipientAgencyId', e.target.value)}>
        <option value="">{t('form.select')}</option>
        {recipients.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </SelectField>
      <SelectField id="release-recipientUserId" label={labels.recipientUserId} hint={t('clients.releases.recipientUserHint')} optional value={d.recipientUserId} error={errorOf('recipientUserId')} disabled={!d.recipientAgencyId} onChange={(e) => set('recipientUserId', e.target.value)}>
        <option value="">{t('clients.releases.anyone')}</option>
        {named.map((p) => (
          <option key={p.userId} value={p.userId}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <Fieldset id="release-scopes" legend={labels.scopes} error={errorOf('scopes')}>
        {RELEASE_SCOPES.map((s) => (
          <Checkbox key={s} id={`release-scope-${s}`} label={scopeLabel(s)} checked={d.scopes.includes(s)} onChange={(e) => set('scopes', toggled(RELEASE_SCOPES, d.scopes, s, e.target.checked))} />
        ))}
      </Fieldset>
      <TextField id="release-purpose" label={labels.purpose} hint={t('clients.releases.purposeHint')} value={d.purpose} maxLength={SHORT_TEXT_MAX} error={errorOf('purpose')} onChange={(e) => set('purpose', e.target.value)} />
      <TextField id="release-startsAt" type="datetime-local" label={labels.startsAt} hint={t('clients.releases.startsAtHint')} optional value={d.startsAt} error={errorOf('startsAt')} onChange={(e) => set('startsAt', e.target.value)} />
      <TextField id="release-expiresAt" type="datetime-local" label={labels.expiresAt} hint={t('clients.releases.expiresAtHint')} optional value={d.expiresAt} error={errorOf('expiresAt')} onChange={(e) => set('expiresAt', e.target.value)} />
      <div className={errorOf('informed') ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
        {errorOf('informed') ? (
          <span className="usa-error-message" id="release-informed-error">
            {errorOf('informed')}
          </span>
        ) : null}
        <Checkbox
          id="release-informed"
          label={labels.informed}
          checked={d.informed}
          aria-invalid={errorOf('informed') ? true : undefined}
          aria-describedby={errorOf('informed') ? 'release-informed-error' : undefined}
          onChange={(e) => set('informed', e.target.checked)}
        />
      </div>
      <Fieldset legend={t('clients.releases.consentMethod')}>
        {CONSENT_METHODS.map((m) => (
          <Radio key={m} id={`release-consent-${m}`} name="release-consent" value={m} label={t(`clients.releases.consentMethods.${m}`)} checked={d.consentMethod === m} onChange={() => set('consentMethod', m)} />
        ))}
      </Fieldset>
      {d.consentMethod === 'signed_on_screen' ? (
        <TextField id="release-signature" label={labels.signature} hint={t('clients.releases.signatureHint')} value={d.signature} maxLength={NAME_MAX} autoComplete="off" error={errorOf('signature')} onChange={(e) => set('signature', e.target.value)} />
      ) : (
        <>
          <SelectField id="release-scanDocumentId" label={labels.scanDocumentId} hint={t('clients.releases.scanDocumentHint')} value={d.scanDocumentId} error={errorOf('scanDocumentId')} onChange={(e) => set('scanDocumentId', e.target.value)}>
            <option value="">{t('form.select')}</option>
            {client.documents.map((doc) => (
              <option key={doc.id} value={doc.id}>
                {doc.name}
              </option>
            ))}
          </SelectField>
          <DocumentUpload
            clientId={client.id}
            id="release-scan-file"
            label={t('clients.releases.scanUpload')}
            submitLabel={t('clients.releases.scanUploadSubmit')}
            onUploaded={(doc) => set('scanDocumentId', doc.id)}
          />
        </>
      )}
      <ul className="usa-button-group">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button" disabled={create.isPending}>
            {create.isPending ? t('common.saving') : t('clients.releases.submit')}
          </button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--outline" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </li>
      </ul>
    </form>
  );
}

/** One release: its recipient, scopes, dates, status, shares, and what the advocate may do with it now. */
function ReleaseItem({ release: r, clientId, notify }: { release: ReleaseDto; clientId: string; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<'share' | 'revoke'>();
  const [method, setMethod] = useState<RevocationMethod>('oral');
  const agency = r.recipientAgency.name;
  const done = (message: string) => {
    void queryClient.invalidateQueries({ queryKey: clientKeys.detail(clientId) });
    void queryClient.invalidateQueries({ queryKey: clientKeys.list });
    setAsking(undefined);
    notify(message);
  };
  const share = useMutation({ mutationFn: (statement?: string) => clientsApi.share(r.id, statement ? { statement } : {}), onSuccess: () => done(t('clients.releases.shared', { agency })) });
  const revoke = useMutation({ mutationFn: (note: string) => clientsApi.revokeRelease(r.id, { method, ...(note ? { note } : {}) }), onSuccess: () => done(t('clients.releases.revoked', { agency })) });
  const cancel = () => {
    share.reset();
    revoke.reset();
    setAsking(undefined);
  };
  const headingId = `release-${r.id}`;
  return (
    <li className="lantern-contact-card">
      <h3 className="lantern-contact-card__title" id={headingId}>
        {t('clients.releases.forAgency', { agency })} {r.recipientUser ? t('clients.releases.person', { name: r.recipientUser.name }) : null}
      </h3>
      <p className="lantern-tags">
        <Tag tone={r.status === 'active' ? 'info' : 'danger'}>{t(`clients.releases.statuses.${r.status}`)}</Tag>
        <Tag tone={r.inEffect ? 'ok' : 'quiet'}>{r.inEffect ? t('clients.releases.inEffect') : t('clients.releases.notInEffect')}</Tag>
      </p>
      <dl className="lantern-facts">
        <dt>{t('clients.releases.scopes')}</dt>
        <dd>{scopesText(r.scopes)}</dd>
        <dt>{t('clients.releases.purpose')}</dt>
        <dd>{r.purpose}</dd>
        <dt>{t('clients.releases.consentMethod')}</dt>
        <dd>
          {t(`clients.releases.consentMethods.${r.consentMethod}`)}
          {r.scanDocument ? (
            <>
              {' — '}
              <a className="usa-link" href={documentUrl(clientId, r.scanDocument.id)} download={r.scanDocument.name}>
                {t('clients.releases.scannedForm')}: {r.scanDocument.name}
              </a>
            </>
          ) : null}
        </dd>
        <dt>{t('clients.releases.starts')}</dt>
        <dd>
          <DateTime value={r.startsAt} />
        </dd>
        <dt>{t('clients.releases.expires')}</dt>
        <dd>
          <DateTime value={r.expiresAt} />
        </dd>
        {r.revokedAt ? (
          <>
            <dt>{t('clients.releases.revokedOn')}</dt>
            <dd>
              <DateTime value={r.revokedAt} /> {r.revocationMethod ? `— ${t(`clients.releases.revocationMethods.${r.revocationMethod}`)}` : null}
            </dd>
          </>
        ) : null}
        <dt>{t('clients.releases.shares')}</dt>
        <dd>
          {r.shares.length === 0 ? (
            t('clients.releases.noShares')
          ) : (
            <ul className="usa-list usa-list--unstyled">
              {r.shares.map((s) => (
                <li key={s.id}>
                  <DateTime value={s.at} /> — {scopesText(s.scopes)} <span className="lantern-muted">{t('clients.releases.sharedBy', { name: s.by })}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {r.abilities['client.share'] || r.abilities['client.release'] ? (
        <ul className="usa-button-group">
          {r.abilities['client.share'] ? (
            <li className="usa-button-group__item">
              <button type="button" className="usa-button" onClick={() => setAsking('share')}>
                {t('clients.releases.share')}
                <span className="usa-sr-only">: {agency}</span>
              </button>
            </li>
          ) : null}
          {r.abilities['client.release'] ? (
            <li className="usa-button-group__item">
              <button type="button" className="usa-button usa-button--secondary" onClick={() => setAsking('revoke')}>
                {t('clients.releases.revoke')}
                <span className="usa-sr-only">: {agency}</span>
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
      {r.scopes.includes('statement') ? (
        <PromptDialog
          open={asking === 'share'}
          title={t('clients.releases.shareTitle')}
          label={t('clients.releases.statementLabel')}
          hint={t('clients.releases.statementHint')}
          requiredMessage={t('clients.releases.statementRequired')}
          maxLength={LONG_TEXT_MAX}
          confirmLabel={t('clients.releases.share')}
          pending={share.isPending}
          error={share.error}
          onSubmit={(statement) => share.mutate(statement)}
          onCancel={cancel}
        >
          {t('clients.releases.shareBody', { agency, scopes: scopesText(r.scopes) })}
        </PromptDialog>
      ) : (
        <ConfirmDialog open={asking === 'share'} title={t('clients.releases.shareTitle')} confirmLabel={t('clients.releases.share')} pending={share.isPending} onConfirm={() => share.mutate(undefined)} onCancel={cancel}>
          <p>{t('clients.releases.shareBody', { agency, scopes: scopesText(r.scopes) })}</p>
          {share.error ? <ErrorAlert error={share.error} /> : null}
        </ConfirmDialog>
      )}
      <PromptDialog
        open={asking === 'revoke'}
        title={t('clients.releases.revokeTitle')}
        fields={
          <Fieldset legend={t('clients.releases.revokeHow')}>
            {REVOCATION_METHODS.map((m) => (
              <Radio key={m} id={`revoke-${r.id}-${m}`} name={`revoke-${r.id}`} value={m} label={t(`clients.releases.revocationMethods.${m}`)} checked={method === m} onChange={() => setMethod(m)} />
            ))}
          </Fieldset>
        }
        label={t('clients.releases.revokeNote')}
        maxLength={SHORT_TEXT_MAX}
        confirmLabel={t('clients.releases.revoke')}
        danger
        pending={revoke.isPending}
        error={revoke.error}
        onSubmit={(note) => revoke.mutate(note)}
        onCancel={cancel}
      >
        {t('clients.releases.revokeBody', { agency })}
      </PromptDialog>
    </li>
  );
}

/** The client's releases of information, and taking a new one. */
export function ReleasesSection({ client, notify }: { client: ClientDto; notify: (s: string) => void }) {
  const { t } = useTranslation();
  const [taking, setTaking] = useState(false);
  return (
    <section className="lantern-section" aria-labelledby="client-releases">
      <h2 id="client-releases">{t('clients.releases.heading')}</h2>
      <p className="lantern-muted">{t('clients.releases.lead')}</p>
      {client.releases.length === 0 ? (
        <p>{t('clients.releases.empty')}</p>
      ) : (
        <ul className="lantern-card-list" aria-labelledby="client-releases">
          {client.releases.map((r) => (
            <ReleaseItem key={r.id} release={r} clientId={client.id} notify={notify} />
          ))}
        </ul>
      )}
      {client.abilities['client.release'] ? (
        taking ? (
          <ReleaseForm
            client={client}
            onCancel={() => setTaking(false)}
            onDone={(r) => {
              setTaking(false);
              notify(t('clients.releases.created', { agency: r.recipientAgency.name }));
            }}
          />
        ) : (
          <button type="button" className="usa-button usa-button--outline" onClick={() => setTaking(true)}>
            {t('clients.releases.take')}
          </button>
        )
      ) : null}
    </section>
  );
}
