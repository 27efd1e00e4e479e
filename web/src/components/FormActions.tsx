import { useTranslation } from 'react-i18next';

interface FormActionsProps {
  pending: boolean;
  /** The submit button's words; "Save changes" unless told. */
  submitLabel?: string;
  /** The submit button's words while the request is on its way; "Saving…" unless told. */
  pendingLabel?: string;
  /** Without it there is no Cancel button. */
  onCancel?: () => void;
  className?: string;
  /** Extra classes of the submit button (the field log's big, wide one). */
  submitClassName?: string;
}

/**
 * The Save/Cancel row at the foot of a form. Many forms had the same two buttons written out by hand;
 * this keeps their markup (a submit that is disabled while pending, an unstyled Cancel) in one place.
 */
export function FormActions({ pending, submitLabel, pendingLabel, onCancel, className = 'lantern-actions', submitClassName }: FormActionsProps) {
  const { t } = useTranslation();
  return (
    <div className={className}>
      <button type="submit" className={submitClassName ? `usa-button ${submitClassName}` : 'usa-button'} disabled={pending}>
        {pending ? (pendingLabel ?? t('common.saving')) : (submitLabel ?? t('common.saveChanges'))}
      </button>
      {onCancel ? (
        <button type="button" className="usa-button usa-button--unstyled" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      ) : null}
    </div>
  );
}
