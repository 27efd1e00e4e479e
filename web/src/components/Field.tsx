import { useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  className?: string;
  children: ReactNode;
}

function hintId(id: string) {
  return `${id}-hint`;
}
function errorId(id: string) {
  return `${id}-error`;
}

/** `aria-describedby` for a control: its hint and its error, when present. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? hintId(id) : '', error ? errorId(id) : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** USWDS form group: label, hint, error message (beside the field), then the control. */
export function FieldFrame({ id, label, hint, error, optional, className, children }: FieldFrameProps) {
  const { t } = useTranslation();
  const groupClass = ['usa-form-group', error ? 'usa-form-group--error' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <div className={groupClass}>
      <label className={error ? 'usa-label usa-label--error' : 'usa-label'} htmlFor={id}>
        {label}
        {optional ? <span className="usa-hint"> {t('form.optional')}</span> : null}
      </label>
      {hint ? (
        <div className="usa-hint" id={hintId(id)}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="usa-error-message" id={errorId(id)}>
          {error}
        </span>
      ) : null}
      {children}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  groupClassName?: string;
};

export function TextField({ id, label, hint, error, optional, groupClassName, className, ...input }: InputProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={optional} className={groupClassName}>
      <input
        id={fieldId}
        className={['usa-input', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        type="text"
        {...input}
      />
    </FieldFrame>
  );
}

/** A password field with a "Show password" toggle (USWDS pattern) so long passphrases can be checked. */
export function PasswordField({ id, label, hint, error, groupClassName, className, ...input }: InputProps) {
  const { t } = useTranslation();
  const generated = useId();
  const fieldId = id ?? generated;
  const [shown, setShown] = useState(false);
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} className={groupClassName}>
      <input
        id={fieldId}
        className={['usa-input', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...input}
        type={shown ? 'text' : 'password'}
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
      />
      <button
        type="button"
        className="usa-button usa-button--unstyled lantern-toggle"
        aria-controls={fieldId}
        aria-pressed={shown}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? t('form.hidePassword') : t('form.showPassword')}
      </button>
    </FieldFrame>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  groupClassName?: string;
  children: ReactNode;
};

export function SelectField({ id, label, hint, error, optional, groupClassName, className, children, ...select }: SelectProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={optional} className={groupClassName}>
      <select
        id={fieldId}
        className={['usa-select', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...select}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

type TextareaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
};

export function TextareaField({ id, label, hint, error, optional, className, ...textarea }: TextareaProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        id={fieldId}
        className={['usa-textarea', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        {...textarea}
      />
    </FieldFrame>
  );
}

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> & {
  id?: string;
  label: ReactNode;
  description?: ReactNode;
  tile?: boolean;
};

export function Checkbox({ id, label, description, tile, ...input }: CheckboxProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="usa-checkbox">
      <input
        id={fieldId}
        className={tile ? 'usa-checkbox__input usa-checkbox__input--tile' : 'usa-checkbox__input'}
        type="checkbox"
        {...input}
      />
      <label className="usa-checkbox__label" htmlFor={fieldId}>
        {label}
        {description ? <span className="usa-checkbox__label-description">{description}</span> : null}
      </label>
    </div>
  );
}

interface FieldsetProps {
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  id?: string;
  children: ReactNode;
}

/** A group of checkboxes or radios with a legend; errors go beside the group like any field. */
export function Fieldset({ legend, hint, error, id, children }: FieldsetProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className={error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <fieldset className="usa-fieldset" aria-describedby={describedBy(fieldId, hint, error)} id={fieldId} tabIndex={-1}>
        <legend className={error ? 'usa-legend usa-label--error' : 'usa-legend'}>{legend}</legend>
        {hint ? (
          <div className="usa-hint" id={hintId(fieldId)}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="usa-error-message" id={errorId(fieldId)}>
            {error}
          </span>
        ) : null}
        {children}
      </fieldset>
    </div>
  );
}

/** A USWDS radio button; `tile` gives it a large tap target (the field log on a phone). */
export function Radio({ id, label, description, tile, ...input }: CheckboxProps) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="usa-radio">
      <input id={fieldId} className={tile ? 'usa-radio__input usa-radio__input--tile' : 'usa-radio__input'} type="radio" {...input} />
      <label className="usa-radio__label" htmlFor={fieldId}>
        {label}
        {description ? <span className="usa-radio__label-description">{description}</span> : null}
      </label>
    </div>
  );
}
