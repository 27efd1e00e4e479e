import { useTranslation } from 'react-i18next';
import { TextField } from './Field.tsx';
import { isoToLocalInput } from './format.ts';

interface TimeFieldProps {
  id: string;
  label: string;
  hint?: string;
  optional?: boolean;
  /** A `datetime-local` value in the user's time zone. */
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}

/**
 * A date and time in the user's own time zone (the API gets ISO instants), with a "Now" button:
 * in the field, most times are recorded as they happen.
 */
export function TimeField({ id, label, hint, optional, value, onChange, error }: TimeFieldProps) {
  const { t } = useTranslation();
  return (
    <div className="lantern-time-field">
      <TextField id={id} type="datetime-local" label={label} hint={hint} optional={optional} value={value} onChange={(e) => onChange(e.target.value)} error={error} />
      <button type="button" className="usa-button usa-button--outline lantern-now" onClick={() => onChange(isoToLocalInput(new Date().toISOString()))}>
        {t('form.now')}
        <span className="usa-sr-only">: {label}</span>
      </button>
    </div>
  );
}
