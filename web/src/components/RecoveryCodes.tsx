import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from './Alert.tsx';
import { Checkbox } from './Field.tsx';
import { copyText, downloadText } from './clipboard.ts';

interface RecoveryCodesProps {
  codes: string[];
  /** Shown on the continue button; the button stays disabled until "I have saved these" is ticked. */
  continueLabel: string;
  onContinue: () => void;
  headingLevel?: 'h1' | 'h2';
}

/**
 * Recovery codes, shown once: copy, print or download them, confirm they are saved, then continue.
 * The codes never go into the query cache or local storage.
 */
export function RecoveryCodes({ codes, continueLabel, onContinue, headingLevel = 'h2' }: RecoveryCodesProps) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const [status, setStatus] = useState<'' | 'copied' | 'copyFailed'>('');
  const headingId = useId();
  const Heading = headingLevel;
  const text = `${t('recoveryCodes.fileHeader')}\n\n${codes.join('\n')}\n`;

  return (
    <section aria-labelledby={headingId} className="lantern-recovery">
      <Heading id={headingId} tabIndex={-1}>
        {t('recoveryCodes.heading')}
      </Heading>
      <Alert type="warning" announce={false} slim>
        {t('recoveryCodes.once')}
      </Alert>
      <p>{t('recoveryCodes.explain', { count: codes.length })}</p>
      <ul className="lantern-codes lantern-code" aria-label={t('recoveryCodes.listLabel')}>
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <ul className="usa-button-group lantern-print-hide">
        <li className="usa-button-group__item">
          <button
            type="button"
            className="usa-button usa-button--outline"
            onClick={async () => setStatus((await copyText(codes.join('\n'))) ? 'copied' : 'copyFailed')}
          >
            {t('recoveryCodes.copy')}
          </button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--outline" onClick={() => window.print()}>
            {t('recoveryCodes.print')}
          </button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--outline" onClick={() => downloadText('lantern-recovery-codes.txt', text)}>
            {t('recoveryCodes.download')}
          </button>
        </li>
      </ul>
      <p role="status" className="lantern-muted lantern-print-hide">
        {status === 'copied' ? t('recoveryCodes.copied') : status === 'copyFailed' ? t('recoveryCodes.copyFailed') : ''}
      </p>
      <div className="lantern-print-hide">
        <Checkbox label={t('recoveryCodes.saved')} checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        <div className="lantern-actions">
          <button type="button" className="usa-button" disabled={!saved} onClick={onContinue}>
            {continueLabel}
          </button>
        </div>
      </div>
    </section>
  );
}
