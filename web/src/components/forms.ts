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
    const find = (root: HTMLElement) => root.querySelector<HTMLElement>('[aria-invalid="true"], .usa-form-group--error fieldset, [data-form-error]');
    requestAnimationFrame(() => {
      const root = ref.current;
      if (!root) return;
      const target = find(root);
      if (target) {
        target.focus();
        return;
      }
      // On a busy machine the render that marks the field can come after this frame: wait for it to
      // appear rather than give up (the time limit only stops watching a form that never shows one).
      const observer = new MutationObserver(() => {
        const late = find(root);
        if (!late) return;
        observer.disconnect();
        late.focus();
      });
      observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-invalid', 'class', 'data-form-error'] });
      setTimeout(() => observer.disconnect(), 5_000);
    });
  }, []);
  return { ref, focusFirstError };
}

const CONTAINERS = /^(body|query|querystring|params)[./]/;

/**
 * The full path of the field a server error names, without its container: `body.locations.0.lat`
 * and `/locations/0/lat` both become `locations.0.lat`. Forms with repeatable parts (locations,
 * subjects) place the message beside the exact input.
 */
export function errorPath(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const path = error.field.replace(/^\//, '').replaceAll('/', '.').replace(CONTAINERS, '');
  return path || undefined;
}

/**
 * Places a failed request's error beside the field at its path when `labelFor` knows that path (it
 * returns the field's label), else above the form. The message keeps the server's words.
 */
export function placeServerError(error: unknown, labelFor: (path: string) => string | undefined): { fields: Record<string, string>; form: unknown } {
  if (!error) return { fields: {}, form: undefined };
  const path = errorPath(error);
  const label = path ? labelFor(path) : undefined;
  if (path && label && error instanceof ApiError) {
    const message = error.message.startsWith(`${error.field}:`) ? error.message.slice(error.field!.length + 1).trim() : error.message;
    return { fields: { [path]: fieldMessage(label, new ApiError(error.status, error.code, message, path)) }, form: undefined };
  }
  return { fields: {}, form: error };
}
