import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { inbox } from '../../api/endpoints.ts';
import { inboxQuery, keys } from '../../api/queries.ts';
import type { InboxItemDto } from '../../api/types.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, LoadError } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { Tag } from '../../components/Tag.tsx';
import { NoticeLink } from './notice-link.tsx';

const route = getRouteApi('/app/inbox');

function Notice({ item, onRead, pending }: { item: InboxItemDto; onRead: () => void; pending: boolean }) {
  const { t } = useTranslation();
  return (
    <li className={item.read ? 'lantern-notice' : 'lantern-notice is-unread'}>
      <div className="lantern-notice__head">
        <h2 className="lantern-notice__title">
          <NoticeLink item={item}>
            {item.title}
          </NoticeLink>
        </h2>
        {item.read ? null : <Tag tone="info">{t('inbox.unread')}</Tag>}
      </div>
      <p className="lantern-notice__body">{item.body}</p>
      <p className="lantern-notice__meta lantern-muted">
        <DateTime value={item.createdAt} />
        {item.read ? null : (
          <>
            {' · '}
            <button type="button" className="usa-button usa-button--unstyled" disabled={pending} onClick={onRead}>
              {t('inbox.markRead')}
              <span className="usa-sr-only">: {item.title}</span>
            </button>
          </>
        )}
      </p>
    </li>
  );
}

/** Notices for me: deconfliction conflicts, referrals, custody deadlines, answers to what I sent. */
export function InboxPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const unreadOnly = search.unread === true;
  const list = useQuery(inboxQuery(unreadOnly));

  const markRead = useMutation({
    mutationFn: (id: string) => inbox.markRead(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.inboxAll }),
  });
  const markAll = useMutation({
    mutationFn: async (ids: string[]) => {
      for (const id of ids) await inbox.markRead(id);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.inboxAll }),
  });

  const unreadIds = (list.data?.items ?? []).filter((i) => !i.read).map((i) => i.id);

  return (
    <>
      <PageTitle
        title={t('inbox.title')}
        lead={t('inbox.lead')}
        actions={
          unreadIds.length > 0 ? (
            <button type="button" className="usa-button usa-button--outline" disabled={markAll.isPending} onClick={() => markAll.mutate(unreadIds)}>
              {markAll.isPending ? t('common.working') : t('inbox.markAllRead')}
            </button>
          ) : null
        }
      />
      <nav aria-label={t('inbox.filter')} className="lantern-tabs">
        <ul>
          <li>
            <Link to="/inbox" search={{}} className={unreadOnly ? 'lantern-tabs__link' : 'lantern-tabs__link is-current'} aria-current={unreadOnly ? undefined : 'page'}>
              {t('inbox.all')}
            </Link>
          </li>
          <li>
            <Link to="/inbox" search={{ unread: true }} className={unreadOnly ? 'lantern-tabs__link is-current' : 'lantern-tabs__link'} aria-current={unreadOnly ? 'page' : undefined}>
              {t('inbox.unreadOnly', { count: list.data?.unread ?? 0 })}
            </Link>
          </li>
        </ul>
      </nav>
      {markRead.error ? <ErrorAlert error={markRead.error} /> : null}
      {markAll.error ? <ErrorAlert error={markAll.error} /> : null}
      {list.isPending ? (
        <Loading label={t('inbox.loading')} />
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.items.length === 0 ? (
        <EmptyState heading={unreadOnly ? t('inbox.noUnreadHeading') : t('inbox.emptyHeading')} action={unreadOnly ? <button type="button" className="usa-button usa-button--outline" onClick={() => void navigate({ to: '/inbox', search: {} })}>{t('inbox.showAll')}</button> : null}>
          {t('inbox.empty')}
        </EmptyState>
      ) : (
        <ul className="lantern-card-list">
          {list.data.items.map((item) => (
            <Notice key={item.id} item={item} pending={markRead.isPending} onRead={() => markRead.mutate(item.id)} />
          ))}
        </ul>
      )}
    </>
  );
}
