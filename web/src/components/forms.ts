import { useCallback, useRef } from 'react';
import { ApiError, errorField, fieldMessage } from '../api/client.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface SplitError<F extends string> {
  /** Messages to show beside fields of this form. */
  fields: FieldErrors<F>;
  /** An error that belongs to no field here: shown in an alert above the form. */
  form: unknown;
}

/**
 * Places a failed request's error: beside the field the server named (when the form has it), or
 * above the form. `labels` maps the API's field names to the labels the form shows.
 */
export function splitServerError<F extends string>(error: unknown, labels: Record<F, string>): SplitError<F> {
  if (!error) return { fields: {}, form: undefined };
  const field = errorField(error);
  if (error instanceof ApiError && field && Object.hasOwn(labels, field)) {
    const key = field as F;
    return { fields: { [key]: fieldMessage(labels[key], error) } as FieldErrors<F>, form: undefined };
  }
  return { fields: {}, form: error };
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}

/**
 * After a submit that failed, move focus to the first field in error (or the form's error alert)
 * so keyboard and screen-reader users land on what needs fixing.
 */
export function useErrorFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const focusFirstError = useCallback(() => {
    requestAnimationFrame(() => {
      const root = ref.current;
      if (!root) return;
      const target = root.querySelector<HTMLElement>(
        '[aria-invalid="true"], .usa-form-group--error fieldset, [data-form-error]',
      );
      target?.focus();
    });
  }, []);
  return { ref, focusFirstError };
}
