import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { navItems, type NavKey } from '../../app/nav.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useMe } from '../../app/me.ts';

type CardKey = Exclude<NavKey, 'home'>;

/**
 * Home: who you are here, and — until operations, tips and cases arrive in later modules — a calm
 * empty state that lists what this account can do next.
 */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const cards = navItems(me).filter((item): item is typeof item & { key: CardKey } => item.key !== 'home');
  const firstName = me.user.displayName.split(/\s+/)[0] ?? me.user.displayName;

  return (
    <>
      <PageTitle title={t('home.title', { name: firstName })} lead={t('home.lead', { agency: me.agency.name })} />
      <EmptyState heading={t('home.emptyHeading')}>
        <p>{t('home.empty')}</p>
      </EmptyState>
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
