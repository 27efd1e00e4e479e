import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { custodyListQuery, inboxQuery, operationsQuery, pressReleasesQuery, referralsQuery } from '../../api/queries.ts';
import type { OperationSummaryDto, ReceivedReferralDto } from '../../api/types.ts';
import { keepsHandOffs, navItems, plansOperations, publishesStatistics, recordsContacts, receivesHandOffs, receivesReferrals, seesOperations, writesPressReleases, type NavKey } from '../../app/nav.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useMe } from '../../app/me.ts';
import { StatementCountdown } from '../custody/StatementCountdown.tsx';
import { NoticeLink } from '../inbox/notice-link.tsx';
import { ConflictBadge, OperationStatusTag, OperationWindow } from '../operations/labels.tsx';

type CardKey = Exclude<NavKey, 'home'>;

function WorkList({ id, heading, children, more }: { id: string; heading: string; children: ReactNode; more?: ReactNode }) {
  return (
    <section className="lantern-home-block" aria-labelledby={id}>
      <h3 id={id}>{heading}</h3>
      <ul className="lantern-card-list">{children}</ul>
      {more ? <p>{more}</p> : null}
    </section>
  );
}

function OperationItem({ op, field }: { op: OperationSummaryDto; field?: boolean }) {
  const { t } = useTranslation();
  return (
    <li className="lantern-contact-card">
      <p className="lantern-contact-card__title">
        <Link to={field ? '/operations/$operationId/field' : '/operations/$operationId'} params={{ operationId: op.id }} className="usa-link">
          {field ? t('home.fieldLogOf', { name: op.name }) : op.name}
        </Link>
      </p>
      <p className="lantern-contact-card__meta">
        <OperationWindow startsAt={op.startsAt} endsAt={op.endsAt} />
      </p>
      <p className="lantern-tags">
        <OperationStatusTag status={op.status} />
        <ConflictBadge count={op.openConflicts} />
      </p>
    </li>
  );
}

/**
 * Home: the next things for this person's roles — a coordinator's drafts and open conflicts, an
 * officer's running operations and custody statements falling due, an advocate's new referrals, a
 * caseworker's hand-offs awaiting receipt, releases awaiting the reader's approval, and (for the PIO)
 * closed operations without a release — then unread notices and what the account can do.
 */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const cards = navItems(me).filter((item): item is typeof item & { key: CardKey } => item.key !== 'home' && item.key !== 'inbox');
  const firstName = me.user.displayName.split(/\s+/)[0] ?? me.user.displayName;

  const ops = useQuery({ ...operationsQuery({}), enabled: seesOperations(me) });
  const referrals = useQuery({ ...referralsQuery({ status: 'sent' }), enabled: receivesReferrals(me) });
  const handoffs = useQuery({ ...custodyListQuery({}), enabled: receivesHandOffs(me) || keepsHandOffs(me), refetchInterval: 60_000 });
  const notices = useQuery({ ...inboxQuery(true), retry: false });
  const approvals = useQuery({ ...pressReleasesQuery({ awaitingMyApproval: 'true' }), enabled: writesPressReleases(me) });
  // The PIO's list (statistics are published by PIOs only): closed operations no release was drafted from.
  const isPio = publishesStatistics(me) && writesPressReleases(me);
  const closedOps = useQuery({ ...operationsQuery({ status: 'closed' }), enabled: isPio });
  const releases = useQuery({ ...pressReleasesQuery({}), enabled: isPio });

  const all = ops.data?.operations ?? [];
  const drafts = plansOperations(me) ? all.filter((o) => o.status === 'draft') : [];
  const conflicted = plansOperations(me) ? all.filter((o) => o.openConflicts > 0 && o.status !== 'closed') : [];
  const active = all.filter((o) => o.status === 'active');
  const newReferrals = (referrals.data?.referrals ?? []).filter((r): r is ReceivedReferralDto => r.view === 'receiving' && r.status === 'sent');
  const due = (handoffs.data?.handoffs ?? []).filter((h) => (receivesHandOffs(me) ? !h.receipt : !h.statementFiledAt));
  const unread = (notices.data?.items ?? []).slice(0, 5);
  const awaitingApproval = approvals.data?.pressReleases.filter((r) => r.status === 'draft') ?? [];
  const released = new Set((releases.data?.pressReleases ?? []).map((r) => r.operationId));
  const unreleased = isPio && releases.data ? (closedOps.data?.operations ?? []).filter((o) => !released.has(o.id)) : [];

  const loading = (ops.isPending && ops.fetchStatus !== 'idle') || (referrals.isPending && referrals.fetchStatus !== 'idle') || (handoffs.isPending && handoffs.fetchStatus !== 'idle');
  const anything = drafts.length + conflicted.length + active.length + newReferrals.length + due.length + unread.length + awaitingApproval.length + unreleased.length > 0;

  return (
    <>
      <PageTitle
        title={t('home.title', { name: firstName })}
        lead={t('home.lead', { agency: me.agency.name })}
        actions={
          plansOperations(me) ? (
            <Link to="/operations/new" className="usa-button">
              {t('operations.plan')}
            </Link>
          ) : null
        }
      />
      {loading ? (
        <Loading label={t('home.loading')} />
      ) : !anything ? (
        <EmptyState heading={t('home.emptyHeading')}>
          <p>{t('home.empty')}</p>
        </EmptyState>
      ) : (
        <section className="lantern-home" aria-labelledby="home-work">
          <h2 id="home-work">{t('home.workHeading')}</h2>
          <div className="lantern-home-grid">
            {conflicted.length ? (
              <WorkList id="home-conflicts" heading={t('home.conflicts', { count: conflicted.length })}>
                {conflicted.map((op) => (
                  <OperationItem key={op.id} op={op} />
                ))}
              </WorkList>
            ) : null}
            {drafts.length ? (
              <WorkList
                id="home-drafts"
                heading={t('home.drafts', { count: drafts.length })}
                more={
                  <Link to="/operations" search={{ status: 'draft' }} className="usa-link">
                    {t('home.allDrafts')}
                  </Link>
                }
              >
                {drafts.slice(0, 5).map((op) => (
                  <OperationItem key={op.id} op={op} />
                ))}
              </WorkList>
            ) : null}
            {active.length ? (
              <WorkList id="home-active" heading={recordsContacts(me) && !plansOperations(me) ? t('home.activeAssigned', { count: active.length }) : t('home.active', { count: active.length })}>
                {active.map((op) => (
                  <OperationItem key={op.id} op={op} field={recordsContacts(me)} />
                ))}
              </WorkList>
            ) : null}
            {due.length ? (
              <WorkList
                id="home-handoffs"
                heading={receivesHandOffs(me) ? t('home.awaitingReceipt', { count: due.length }) : t('home.statementsDue', { count: due.length })}
                more={
                  receivesHandOffs(me) ? (
                    <Link to="/custody" className="usa-link">
                      {t('home.allHandOffs')}
                    </Link>
                  ) : null
                }
              >
                {due.map((h) => (
                  <li key={h.id} className="lantern-contact-card">
                    <p className="lantern-contact-card__title">
                      <Link to="/custody/$handoffId" params={{ handoffId: h.id }} className="usa-link">
                        {t('home.handOffOf', { label: h.child.label, agency: receivesHandOffs(me) ? h.fromAgency.name : h.toAgency.name })}
                      </Link>
                    </p>
                    <StatementCountdown handoff={h} fetchedAt={handoffs.dataUpdatedAt} compact />
                  </li>
                ))}
              </WorkList>
            ) : null}
            {newReferrals.length ? (
              <WorkList
                id="home-referrals"
                heading={t('home.newReferrals', { count: newReferrals.length })}
                more={
                  <Link to="/referrals" className="usa-link">
                    {t('home.allReferrals')}
                  </Link>
                }
              >
                {newReferrals.map((r) => (
                  <li key={r.id} className="lantern-contact-card">
                    <p className="lantern-contact-card__title">
                      <Link to="/referrals/$referralId" params={{ referralId: r.id }} className="usa-link">
                        {t('referrals.cardTitle', { name: r.firstName, agency: r.referringAgency.name })}
                      </Link>
                    </p>
                    <p className="lantern-contact-card__meta lantern-muted">
                      {t('referrals.sent')} <DateTime value={r.sentAt} />
                    </p>
                  </li>
                ))}
              </WorkList>
            ) : null}
            {awaitingApproval.length ? (
              <WorkList
                id="home-approvals"
                heading={t('home.awaitingApproval', { count: awaitingApproval.length })}
                more={
                  <Link to="/press-releases" className="usa-link">
                    {t('home.allReleases')}
                  </Link>
                }
              >
                {awaitingApproval.slice(0, 5).map((r) => (
                  <li key={r.id} className="lantern-contact-card">
                    <p className="lantern-contact-card__title">
                      <Link to="/press-releases/$releaseId" params={{ releaseId: r.id }} className="usa-link">
                        {r.title}
                      </Link>
                    </p>
                    <p className="lantern-contact-card__meta lantern-muted">
                      {r.operationName} · <DateTime value={r.updatedAt} />
                    </p>
                  </li>
                ))}
              </WorkList>
            ) : null}
            {unreleased.length ? (
              <WorkList id="home-unreleased" heading={t('home.withoutRelease', { count: unreleased.length })}>
                {unreleased.slice(0, 5).map((op) => (
                  <li key={op.id} className="lantern-contact-card">
                    <p className="lantern-contact-card__title">
                      <Link to="/operations/$operationId/press-releases" params={{ operationId: op.id }} className="usa-link">
                        {t('home.draftReleaseFor', { name: op.name })}
                      </Link>
                    </p>
                    <p className="lantern-contact-card__meta">
                      <OperationWindow startsAt={op.startsAt} endsAt={op.endsAt} />
                    </p>
                  </li>
                ))}
              </WorkList>
            ) : null}
            {unread.length ? (
              <WorkList
                id="home-inbox"
                heading={t('home.unread', { count: notices.data?.unread ?? unread.length })}
                more={
                  <Link to="/inbox" className="usa-link">
                    {t('home.allNotices')}
                  </Link>
                }
              >
                {unread.map((item) => (
                  <li key={item.id} className="lantern-contact-card">
                    <p className="lantern-contact-card__title">
                      <NoticeLink item={item}>{item.title}</NoticeLink>
                    </p>
                    <p className="lantern-contact-card__meta lantern-muted">
                      <DateTime value={item.createdAt} />
                    </p>
                  </li>
                ))}
              </WorkList>
            ) : null}
          </div>
        </section>
      )}
      <section className="lantern-section" aria-labelledby="home-next">
        <h2 id="home-next">{t('home.nextHeading')}</h2>
        <ul className="usa-card-group lantern-cards">
          {cards.map((item) => (
            <li key={item.key} className="usa-card tablet:grid-col-6 desktop:grid-col-4">
              <div className="usa-card__container">
                <div className="usa-card__header">
                  <h3 className="usa-card__heading">{t(`home.cards.${item.key}.heading`)}</h3>
                </div>
                <div className="usa-card__body">
                  <p>{t(`home.cards.${item.key}.body`)}</p>
                </div>
                <div className="usa-card__footer">
                  <Link to={item.to} className="usa-button usa-button--outline">
                    {t(`home.cards.${item.key}.action`)}
                  </Link>
                </div>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
