import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from './clipboard.ts';

/** A value to hand over once (a temporary password, an MFA secret) with a copy button. `copyValue` is
 * what goes to the clipboard when the shown text is formatted for reading. */
export function SecretValue({ value, copyValue }: { value: string; copyValue?: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'' | 'copied' | 'copyFailed'>('');
  return (
    <div className="lantern-secret-block">
      <p>
        <span className="lantern-secret lantern-code">
          {value}
        </span>
      </p>
      <button
        type="button"
        className="usa-button usa-button--outline"
        onClick={async () => setStatus((await copyText(copyValue ?? value)) ? 'copied' : 'copyFailed')}
      >
        {t('common.copy')}
      </button>
      <span role="status" className="lantern-muted">
        {status === 'copied' ? t('common.copied') : status === 'copyFailed' ? t('common.copyFailed') : ''}
      </span>
    </div>
  );
}
