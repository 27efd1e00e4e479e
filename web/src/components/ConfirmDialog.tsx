import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Destructive actions get a red button. */
  danger?: boolean;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A confirmation before a destructive action, built on the native `<dialog>` (modal: the page behind
 * is inert, focus stays inside, Escape cancels) with USWDS modal styling. Focus starts on "Cancel"
 * so a stray Enter never confirms.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, pending, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="lantern-dialog"
      aria-labelledby={headingId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      {open ? (
        <div className="usa-modal">
          <div className="usa-modal__content">
            <div className="usa-modal__main">
              <h2 className="usa-modal__heading" id={headingId}>
                {title}
              </h2>
              <div className="usa-prose" id={descriptionId}>
                {typeof children === 'string' ? <p>{children}</p> : children}
              </div>
              <div className="usa-modal__footer">
                <ul className="usa-button-group">
                  <li className="usa-button-group__item">
                    <button
                      type="button"
                      className={danger ? 'usa-button usa-button--secondary' : 'usa-button'}
                      disabled={pending}
                      onClick={onConfirm}
                    >
                      {pending ? t('common.working') : confirmLabel}
                    </button>
                  </li>
                  <li className="usa-button-group__item">
                    <button ref={cancelRef} type="button" className="usa-button usa-button--outline" disabled={pending} onClick={onCancel}>
                      {t('common.cancel')}
                    </button>
                  </li>
                </ul>
              </div>
            </div>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
