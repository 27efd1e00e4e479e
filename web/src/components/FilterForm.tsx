import type { FormEvent, ReactNode } from 'react';

interface FilterFormProps {
  /** The search landmark's name (the form has role="search"). */
  label: string;
  /** The fields, laid out in the filter grid. */
  children: ReactNode;
  applyLabel: string;
  /** Called on submit (the browser's own submit is prevented). */
  onApply: () => void;
  clearLabel: string;
  /** Given while filters are applied: shows the button that clears them. */
  onClear?: () => void;
  /** Further actions after apply and clear (a download of the same list). */
  actions?: ReactNode;
}

/**
 * A list's filters above it: a search landmark with the fields in a grid, then "apply" and, while
 * filters are applied, "clear". The page keeps the fields' state and puts the applied filters in the URL.
 */
export function FilterForm({ label, children, applyLabel, onApply, clearLabel, onClear, actions }: FilterFormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply();
  };
  return (
    <form className="usa-form lantern-filter-form" role="search" aria-label={label} onSubmit={submit}>
      <div className="lantern-filter-grid">{children}</div>
      <div className="lantern-actions">
        <button type="submit" className="usa-button usa-button--outline">
          {applyLabel}
        </button>
        {onClear ? (
          <button type="button" className="usa-button usa-button--unstyled" onClick={onClear}>
            {clearLabel}
          </button>
        ) : null}
        {actions}
      </div>
    </form>
  );
}
