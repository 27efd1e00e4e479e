import { useTranslation } from 'react-i18next';

/** A calm, announced "loading" line with a spinner that stops for reduced motion. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="lantern-loading" role="status">
      {label ?? t('common.loading')}
    </p>
  );
}
