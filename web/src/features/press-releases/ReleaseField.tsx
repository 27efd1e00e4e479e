import type { GuardProblemDto } from '../../api/types.ts';
import { FieldFrame, describedBy } from '../../components/Field.tsx';
import { FieldFindings, useFieldLabel } from './Findings.tsx';
import { findingsId, type TextField } from './problems.ts';
import { MAX_LENGTH, REQUIRED } from './release-form.ts';

interface ReleaseFieldProps {
  field: TextField;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  rows: number;
  lang?: 'en' | 'es';
  /** What the guards found in the saved text of this field, and that text. */
  problems: readonly GuardProblemDto[];
  savedText: string;
  caption: string;
  readOnly?: boolean;
}

/** One field of a release: label, hint, error, the textarea, then the guards' findings in it. */
export function ReleaseField({ field, value, onChange, error, hint, rows, lang, problems, savedText, caption, readOnly }: ReleaseFieldProps) {
  const label = useFieldLabel()(field);
  const id = `release-${field}`;
  const flagged = problems.length > 0;
  const describedByIds = [describedBy(id, hint, error), flagged ? findingsId(field) : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={!REQUIRED.has(field)} className={flagged ? 'lantern-flagged-field' : undefined}>
      <textarea
        id={id}
        className={['usa-textarea', field.startsWith('title') ? 'lantern-textarea--title' : '', error || flagged ? 'usa-input--error' : ''].filter(Boolean).join(' ')}
        aria-invalid={error || flagged ? true : undefined}
        aria-describedby={describedByIds}
        lang={lang}
        rows={rows}
        maxLength={MAX_LENGTH[field]}
        value={value}
        readOnly={readOnly}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldFindings field={field} text={savedText} problems={problems} caption={caption} />
    </FieldFrame>
  );
}
