import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert.tsx';
import { BackLink } from '../../components/BackLink.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { useFlash } from '../../components/flash.ts';
import { formatDateTime } from '../../components/format.ts';
import { useTaskForceAgencies } from './agencies.ts';
import { tipQuery, type TipDto } from './api.ts';
import { closeReasonLabel, eventText, kindLabel, routingText, sourceLabel, strengthText, TipStatusTag, TriageReasons, UrgencyTags } from './labels.tsx';
import { AssignForm, MessageForm, MoveForm, StatusForm } from './TipActions.tsx';

const route = getRouteApi('/app/tip-queue/$tipId');

/** "Call now" comes first: danger now in red, a minor in yellow, both in words. */
export function UrgencyBanner({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  return (
    <>
      {tip.immediateDanger ? (
        <Alert type="error" heading={t('tips.detail.dangerHeading')} announce={false}>
          {t('tips.detail.danger')}
        </Alert>
      ) : null}
      {tip.minorInvolved ? (
        <Alert type="warning" heading={t('tips.detail.minorHeading')} announce={false}>
          {t('tips.detail.minor')}
        </Alert>
      ) : null}
    </>
  );
}

function Value({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  return value ? <span className="lantern-tip-narrative">{value}</span> : <span className="lantern-muted">{t('tips.detail.notGiven')}</span>;
}

function ValueList({ values }: { values: string[] }) {
  const { t } = useTranslation();
  if (values.length === 0) return <span className="lantern-muted">{t('tips.detail.notGiven')}</span>;
  return (
    <ul className="usa-list usa-list--unstyled">
      {values.map((v, i) => (
        <li key={`${i}-${v}`}>{v}</li>
      ))}
    </ul>
  );
}

function Facts({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  const where = [tip.countyName ?? t('tips.countyUnknown'), tip.zip ? t('tips.zip', { zip: tip.zip }) : ''].filter(Boolean).join(' · ');
  return (
    <section className="lantern-section lantern-section--first" aria-labelledby="tip-facts">
      <h2 id="tip-facts">{t('tips.detail.facts')}</h2>
      <dl className="lantern-facts">
        <dt>{t('tips.detail.received')}</dt>
        <dd>
          <DateTime value={tip.receivedAt} />
        </dd>
        <dt>{t('tips.detail.source')}</dt>
        <dd>{sourceLabel(t, tip.source)}</dd>
        <dt>{t('tips.detail.location')}</dt>
        <dd>{where}</dd>
        <dt>{t('tips.detail.queue')}</dt>
        <dd>
          {tip.agency.name}
          {tip.sharedWithUs ? (
            <>
              {' '}
              <Tag tone="quiet">{t('tips.sharedWithUs')}</Tag>
            </>
          ) : null}
        </dd>
        <dt>{t('tips.detail.assigned')}</dt>
        <dd>{tip.assignedTo ? tip.assignedTo.name : t('tips.unassigned')}</dd>
        <dt>{t('tips.detail.language')}</dt>
        <dd>{t(`tips.detail.languages.${tip.language}`)}</dd>
        {tip.closeReason ? (
          <>
            <dt>{t('tips.detail.closeReason')}</dt>
            <dd>{closeReasonLabel(t, tip.closeReason)}</dd>
          </>
        ) : null}
        <dt>{t('tips.reasons.heading')}</dt>
        <dd>
          <span className="lantern-muted">{t('tips.detail.score', { score: tip.score })}</span>
          <TriageReasons reasons={tip.reasons} emptyText />
        </dd>
      </dl>
    </section>
  );
}

function Narrative({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  const d = tip.details;
  return (
    <section className="lantern-section" aria-labelledby="tip-narrative">
      <h2 id="tip-narrative">{t('tips.detail.narrativeHeading')}</h2>
      <p className="lantern-tip-narrative" lang={tip.language}>
        {tip.narrative}
      </p>
      <h3>{t('tips.detail.details')}</h3>
      <dl className="lantern-facts" lang={tip.language}>
        <dt>{t('tips.detail.address')}</dt>
        <dd>
          <Value value={d.address} />
        </dd>
        <dt>{t('tips.detail.city')}</dt>
        <dd>
          <Value value={d.city} />
        </dd>
        <dt>{t('tips.detail.county')}</dt>
        <dd>
          <Value value={d.county} />
        </dd>
        <dt>{t('tips.detail.when')}</dt>
        <dd>
          <Value value={d.when} />
        </dd>
        <dt>{t('tips.detail.people')}</dt>
        <dd>
          <Value value={d.people} />
        </dd>
        <dt>{t('tips.detail.vehicles')}</dt>
        <dd>
          <Value value={d.vehicles} />
        </dd>
        <dt>{t('tips.detail.phones')}</dt>
        <dd>
          <ValueList values={d.phones} />
        </dd>
        <dt>{t('tips.detail.emails')}</dt>
        <dd>
          <ValueList values={d.emails} />
        </dd>
        <dt>{t('tips.detail.online')}</dt>
        <dd>
          <ValueList values={d.online} />
        </dd>
        <dt>{t('tips.detail.businesses')}</dt>
        <dd>
          <ValueList values={d.businesses} />
        </dd>
      </dl>
    </section>
  );
}

/** "Tipster", unless they gave contact details and the viewer may read them. */
function Tipster({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  const c = tip.tipster.contact;
  return (
    <section className="lantern-section" aria-labelledby="tip-tipster">
      <h2 id="tip-tipster">{t('tips.detail.tipsterHeading')}</h2>
      <p className="text-bold">{tip.tipster.label}</p>
      {c ? (
        <dl className="lantern-facts">
          {c.name ? (
            <>
              <dt>{t('tips.detail.tipsterName')}</dt>
              <dd>{c.name}</dd>
            </>
          ) : null}
          {c.phone ? (
            <>
              <dt>{t('tips.detail.tipsterPhone')}</dt>
              <dd>{c.phone}</dd>
            </>
          ) : null}
          {c.email ? (
            <>
              <dt>{t('tips.detail.tipsterEmail')}</dt>
              <dd>{c.email}</dd>
            </>
          ) : null}
          {c.safeMethod ? (
            <>
              <dt>{t('tips.detail.safeMethod')}</dt>
              <dd>{t(`tips.detail.safeMethods.${c.safeMethod}`)}</dd>
            </>
          ) : null}
          {c.safeTimes ? (
            <>
              <dt>{t('tips.detail.safeTimes')}</dt>
              <dd>{c.safeTimes}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p>{t('tips.detail.tipsterAnonymous')}</p>
      )}
    </section>
  );
}

function Routing({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="tip-routing">
      <h2 id="tip-routing">{t('tips.detail.routingHeading')}</h2>
      <p>{routingText(t, tip.routing, tip.countyName)}</p>
      {tip.sharedWith.length > 0 ? (
        <>
          <h3>{t('tips.detail.sharedWith')}</h3>
          <ul className="usa-list">
            {tip.sharedWith.map((s) => (
              <li key={s.agencyId}>{t('tips.detail.sharedEntry', { agency: s.agencyName, date: formatDateTime(s.at), reason: s.reason })}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Operations, tips, businesses and releases naming the viewer that share identifiers; weak and strong told apart in words. */
export function Links({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="tip-links">
      <h2 id="tip-links">{t('tips.links.heading')}</h2>
      <p className="lantern-muted">{t('tips.links.lead')}</p>
      {tip.links.length === 0 ? (
        <p>{t('tips.links.empty')}</p>
      ) : (
        <ul className="lantern-card-list">
          {tip.links.map((l) => (
            <li key={`${l.recordType}-${l.recordId}`} className="lantern-contact-card">
              <h3 className="lantern-contact-card__title">
                {l.recordType === 'operation' ? (
                  <Link to="/operations/$operationId" params={{ operationId: l.recordId }} className="usa-link">
                    {l.label}
                  </Link>
                ) : l.recordType === 'business' ? (
                  <Link to="/businesses/$businessId" params={{ businessId: l.recordId }} className="usa-link">
                    {l.label}
                  </Link>
                ) : l.recordType === 'release' ? (
                  <Link to="/releases/$releaseId" params={{ releaseId: l.recordId }} className="usa-link">
                    {l.label}
                  </Link>
                ) : (
                  <Link to="/tip-queue/$tipId" params={{ tipId: l.recordId }} className="usa-link">
                    {l.label}
                  </Link>
                )}
              </h3>
              <p className="lantern-tags">
                <Tag tone="quiet">{t(`tips.links.${l.recordType}`)}</Tag>
                <Tag tone={l.strength === 'strong' ? 'ok' : 'warn'}>{l.strength === 'strong' ? t('tips.links.strong') : t('tips.links.weak')}</Tag>
                {l.open ? <Tag tone="danger">{t('tips.links.open')}</Tag> : null}
              </p>
              <p className="lantern-contact-card__meta">{t('tips.links.shares', { list: l.shared.map((s) => `${kindLabel(t, s.kind)} ${s.hint}`).join(', ') })}</p>
              <p className="lantern-muted">{strengthText(t, l)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Conversation({ tip, onNotice }: { tip: TipDto; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  return (
    <section className="lantern-section" aria-labelledby="tip-conversation">
      <h2 id="tip-conversation">{t('tips.conversation.heading')}</h2>
      <p className="lantern-muted">{t('tips.conversation.lead')}</p>
      {tip.messages.length === 0 ? (
        <p>{t('tips.conversation.empty')}</p>
      ) : (
        <ol className="lantern-tip-messages" aria-labelledby="tip-conversation">
          {tip.messages.map((m) => (
            <li key={m.id} className={m.fromTipster ? 'is-tipster' : undefined}>
              <span className="text-bold">{m.fromTipster ? t('tips.conversation.tipster') : m.from}</span> · <DateTime value={m.at} />
              <p lang={m.fromTipster ? tip.language : undefined}>{m.body}</p>
              {m.fromTipster || m.readAt === undefined ? null : (
                <p className="lantern-muted">{m.readAt ? t('tips.conversation.readByTipster', { date: formatDateTime(m.readAt) }) : t('tips.conversation.notYetRead')}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {tip.abilities['tip.message'] ? <MessageForm tip={tip} onNotice={onNotice} /> : <p className="lantern-muted">{t('tips.conversation.cannot')}</p>}
    </section>
  );
}

function History({ tip }: { tip: TipDto }) {
  const { t } = useTranslation();
  const { agencies } = useTaskForceAgencies();
  const names = new Map([...agencies.map((a) => [a.id, a.name] as const), ...tip.sharedWith.map((s) => [s.agencyId, s.agencyName] as const), [tip.agency.id, tip.agency.name] as const]);
  return (
    <section className="lantern-section" aria-labelledby="tip-history">
      <h2 id="tip-history">{t('tips.detail.historyHeading')}</h2>
      {tip.history.length === 0 ? (
        <p>{t('tips.detail.historyEmpty')}</p>
      ) : (
        <ol className="lantern-note-history" aria-labelledby="tip-history">
          {tip.history.map((e, i) => (
            <li key={`${e.at}-${i}`} className="lantern-note-history__item">
              <p className="lantern-note-history__meta">
                <DateTime value={e.at} /> · {e.by ? t('tips.detail.by', { name: e.by }) : t('tips.detail.bySystem')}
              </p>
              <p className="margin-0">{eventText(t, e.kind, e.detail, (id) => names.get(id))}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The actions the tip's `abilities` allow, and only those. */
export function Actions({ tip, onNotice }: { tip: TipDto; onNotice: (message: string) => void }) {
  const { t } = useTranslation();
  const { agencies } = useTaskForceAgencies();
  const a = tip.abilities;
  const any = a['tip.assign'] || a['tip.triage'] || a['tip.reroute'] || a['tip.share'];
  return (
    <section className="lantern-section" aria-labelledby="tip-actions">
      <h2 id="tip-actions">{t('tips.actions.heading')}</h2>
      {any ? (
        <div className="lantern-tip-actions">
          {a['tip.assign'] ? <AssignForm tip={tip} onNotice={onNotice} /> : null}
          {a['tip.triage'] ? <StatusForm key={`${tip.status}-${tip.version}`} tip={tip} onNotice={onNotice} /> : null}
          {a['tip.reroute'] ? <MoveForm tip={tip} which="reroute" agencies={agencies} onNotice={onNotice} /> : null}
          {a['tip.share'] ? <MoveForm tip={tip} which="share" agencies={agencies} onNotice={onNotice} /> : null}
        </div>
      ) : (
        <p>{t('tips.actions.none')}</p>
      )}
    </section>
  );
}

/** The whole tip for staff who may read it (GET /api/tips/:id). */
export function TipView({ tip }: { tip: TipDto }) {
  const [notice, setNotice] = useState<string>();
  return (
    <>
      <UrgencyBanner tip={tip} />
      {notice ? (
        <Alert type="success" slim>
          {notice}
        </Alert>
      ) : null}
      <Facts tip={tip} />
      <Actions tip={tip} onNotice={setNotice} />
      <Narrative tip={tip} />
      <Tipster tip={tip} />
      <Conversation tip={tip} onNotice={setNotice} />
      <Links tip={tip} />
      <Routing tip={tip} />
      <History tip={tip} />
    </>
  );
}

export function TipPage() {
  const { t } = useTranslation();
  const { tipId } = route.useParams();
  const flash = useFlash();
  const tip = useQuery(tipQuery(tipId));
  const back = <BackLink to="/tip-queue">{t('tips.detail.back')}</BackLink>;
  if (tip.isPending || tip.isError) {
    return (
      <>
        {back}
        <PageTitle title={t('tips.detail.titleLoading')} />
        {tip.isPending ? <Loading /> : <LoadError error={tip.error} />}
      </>
    );
  }
  const d = tip.data;
  return (
    <>
      {back}
      <PageTitle
        title={t('tips.detail.title', { date: formatDateTime(d.receivedAt) })}
        actions={
          <span className="lantern-tags">
            <UrgencyTags tip={d} />
            <TipStatusTag status={d.status} />
          </span>
        }
      />
      {flash ? (
        <Alert type="success" slim>
          {flash}
        </Alert>
      ) : null}
      <TipView key={d.id} tip={d} />
    </>
  );
}
