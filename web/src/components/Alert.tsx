import type { ReactNode } from 'react';

export type AlertType = 'info' | 'success' | 'warning' | 'error';

interface AlertProps {
  type: AlertType;
  heading?: ReactNode;
  headingLevel?: 'h2' | 'h3' | 'h4';
  slim?: boolean;
  children?: ReactNode;
  className?: string;
  /** Errors and confirmations of an action are announced; standing notices are not. */
  announce?: boolean;
}

/** A USWDS alert. Errors are announced with role="alert", successes with role="status". */
export function Alert({ type, heading, headingLevel = 'h2', slim, children, className, announce }: AlertProps) {
  const Heading = headingLevel;
  const classes = ['usa-alert', `usa-alert--${type}`, slim ? 'usa-alert--slim' : '', className ?? ''].filter(Boolean).join(' ');
  const shouldAnnounce = announce ?? (type === 'error' || type === 'success');
  const role = shouldAnnounce ? (type === 'error' ? 'alert' : 'status') : undefined;
  return (
    <div className={classes} role={role}>
      <div className="usa-alert__body">
        {heading ? <Heading className="usa-alert__heading">{heading}</Heading> : null}
        {typeof children === 'string' ? <p className="usa-alert__text">{children}</p> : <div className="usa-alert__text">{children}</div>}
      </div>
    </div>
  );
}
