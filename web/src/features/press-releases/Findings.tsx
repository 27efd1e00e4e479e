import { useTranslation } from 'react-i18next';
import type { GuardProblemDto } from '../../api/types.ts';
import { findingId, findingsId, inReadingOrder, isTextField, problemsByField, segments, type TextField } from './problems.ts';

/**
 * A field's text, read-only, with each passage the guards flagged inside a `<mark>`. The text is
 * rendered as React text nodes, so whatever it holds (`<b>`, `&amp;`, a script tag) shows as typed
 * and is never parsed as markup. Screen readers hear where each flagged passage starts and ends.
 */
export function HighlightedText({ text, problems }: { text: string; problems: readonly Pick<GuardProblemDto, 'start' | 'end' | 'excerpt'>[] }) {
  const { t } = useTranslation();
  return (
    <div className="lantern-marked">
      {segments(text, problems).map((segment, i) =>
        segment.problems.length === 0 ? (
          segment.text
        ) : (
          <span key={i}>
            <span className="usa-sr-only">{t('pressRelease.flagStart')}</span>
            <mark className="lantern-flag">{segment.text}</mark>
            <span className="usa-sr-only">{t('pressRelease.flagEnd')}</span>
          </span>
        ),
      )}
    </div>
  );
}

/**
 * "Names a person recorded for this operation: “Ann Lee”", "Gives a phone number recorded for this
 * operation: “(816) 555-0142”": what kind of problem, and the words.
 */
export function ProblemLabel({ problem }: { problem: Pick<GuardProblemDto, 'code' | 'excerpt' | 'kind'> }) {
  const { t } = useTranslation();
  const kind = problem.code === 'identifying' && problem.kind ? t(`pressRelease.identifyingKinds.${problem.kind}`) : t(`pressRelease.problemCodes.${problem.code}`);
  return <>{t('pressRelease.problem', { kind, excerpt: problem.excerpt })}</>;
}

/** The field's label as a sentence's subject: "Body (English) contains a name recorded for this operation." */
function detail(fieldLabel: string, message: string): string {
  const m = message.trim().replace(/[.]$/, '');
  return m ? `${fieldLabel} ${m}.` : '';
}

export function useFieldLabel(): (field: string) => string {
  const { t } = useTranslation();
  return (field) => (isTextField(field) ? t(`pressRelease.fields.${field}`) : field);
}

interface FieldFindingsProps {
  field: TextField;
  /** The text the problems' offsets point into: the saved text (or, for a refused correction, the text sent). */
  text: string;
  problems: readonly GuardProblemDto[];
  /** Says which text the preview shows. */
  caption: string;
}

/**
 * Beside a field: what the guards found in it, then the field's text with the words marked. The
 * textarea names this block in `aria-describedby`, and the summary at the top links to each item.
 */
export function FieldFindings({ field, text, problems, caption }: FieldFindingsProps) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel()(field);
  if (problems.length === 0) return null;
  return (
    <div className="lantern-findings" id={findingsId(field)} tabIndex={-1}>
      <p className="lantern-findings__title">{t('pressRelease.findingsIn', { count: problems.length, field: fieldLabel })}</p>
      <ul className="lantern-findings__list">
        {problems.map((p, i) => (
          <li key={`${p.start}-${p.end}-${p.code}-${i}`} id={findingId(field, i)} tabIndex={-1}>
            <strong>
              <ProblemLabel problem={p} />
            </strong>{' '}
            <span className="lantern-muted">{detail(fieldLabel, p.message)}</span>
          </li>
        ))}
      </ul>
      <p className="lantern-findings__caption">{caption}</p>
      <HighlightedText text={text} problems={problems} />
    </div>
  );
}

interface ProblemSummaryProps {
  problems: readonly GuardProblemDto[];
  /** Link to each finding (they are on the page), or only to its field's findings. */
  linkTo: 'finding' | 'field';
}

/** The list at the top: every problem in reading order, each a link to where it is described. */
export function ProblemSummaryList({ problems, linkTo }: ProblemSummaryProps) {
  const fieldLabel = useFieldLabel();
  const byField = problemsByField(problems);
  const ordered = inReadingOrder(problems);
  const seen = new Map<string, number>();
  return (
    <ol className="lantern-problem-summary">
      {ordered.map((p) => {
        const index = seen.get(p.field) ?? 0;
        seen.set(p.field, index + 1);
        const href = linkTo === 'finding' && byField.has(p.field as TextField) ? `#${findingId(p.field, index)}` : `#${findingsId(p.field)}`;
        return (
          <li key={`${p.field}-${index}`}>
            <a className="usa-link" href={href}>
              <ProblemLabel problem={p} />
            </a>{' '}
            <span className="lantern-muted">({fieldLabel(p.field)})</span>
          </li>
        );
      })}
    </ol>
  );
}
