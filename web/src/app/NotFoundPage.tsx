import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/PageTitle.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="usa-prose">
      <PageTitle title={t('notFound.title')} />
      <p className="lantern-lead">{t('notFound.lead')}</p>
      <p>{t('notFound.help')}</p>
      <p>
        <Link to="/home" className="usa-button">
          {t('notFound.home')}
        </Link>
      </p>
    </div>
  );
}
