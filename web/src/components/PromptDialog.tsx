import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert.tsx';
import { TextareaField } from './Field.tsx';

interface PromptDialogProps {
  open: boolean;
  title: string;
  /** What the action does and why the text is asked for. */
  children?: ReactNode;
  /**
   * Fields the action also needs, shown above the text field (the outcome of a stage change). Their
   * state and errors are the caller's; focus starts in the first of them.
   */
  fields?: ReactNode;
  /** Checks the caller's `fields` on submit: false keeps the dialog open (the caller shows the error). */
  validate?: () => boolean;
  label: string;
  hint?: string;
  /** Shown beside the field when it is required and left empty. */
  requiredMessage?: string;
  maxLength?: number;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  /** An error from the request the dialog started: shown inside the dialog, which stays open. */
  error?: unknown;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}

/**
 * A confirmation that asks for a short text first (a resolution note, the reason for an emergency
 * waiver): the native modal `<dialog>` like ConfirmDialog, with one labelled field and its error
 * beside it, and any other fields the action needs above it. Focus starts in the first field; Escape
 * cancels.
 */
export function PromptDialog({
  open,
  title,
  children,
  fields,
  validate,
  label,
  hint,
  requiredMessage,
  maxLength,
  confirmLabel,
  danger,
  pending,
  error,
  onSubmit,
  onCancel,
}: PromptDialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const fieldId = useId();
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState(false);
  const withFields = fields != null;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setValue('');
      setMissing(false);
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      requestAnimationFrame(() => (withFields ? dialog.querySelector<HTMLElement>('select, textarea, input') : document.getElementById(fieldId))?.focus());
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, fieldId, withFields]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (validate && !validate()) return;
    const trimmed = value.trim();
    if (requiredMessage && !trimmed) {
      setMissing(true);
      document.getElementById(fieldId)?.focus();
      return;
    }
    onSubmit(trimmed);
  };

  return (
    <dialog
      ref={ref}
      className="lantern-dialog"
      aria-labelledby={headingId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      {open ? (
        <div className="usa-modal">
          <div className="usa-modal__content">
            <form className="usa-modal__main" noValidate onSubmit={submit}>
              <h2 className="usa-modal__heading" id={headingId}>
                {title}
              </h2>
              {children ? <div className="usa-prose">{typeof children === 'string' ? <p>{children}</p> : children}</div> : null}
              {error ? <ErrorAlert error={error} /> : null}
              {fields}
              <TextareaField
                id={fieldId}
                label={label}
                hint={hint}
                optional={!requiredMessage}
                maxLength={maxLength}
                rows={3}
                value={value}
                onChange={(e) => {
                  setValue(e.target.value);
                  if (e.target.value.trim()) setMissing(false);
                }}
                error={missing ? requiredMessage : undefined}
              />
              <div className="usa-modal__footer">
                <ul className="usa-button-group">
                  <li className="usa-button-group__item">
                    <button type="submit" className={danger ? 'usa-button usa-button--secondary' : 'usa-button'} disabled={pending}>
                      {pending ? t('common.working') : confirmLabel}
                    </button>
                  </li>
                  <li className="usa-button-group__item">
                    <button type="button" className="usa-button usa-button--outline" disabled={pending} onClick={onCancel}>
                      {t('common.cancel')}
                    </button>
                  </li>
                </ul>
              </div>
            </form>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
