import type { ReactNode } from 'react';

interface EmptyStateProps {
  heading: string;
  headingLevel?: 'h2' | 'h3';
  children?: ReactNode;
  action?: ReactNode;
}

/** What to show instead of an empty table: what this is, and what to do next. */
export function EmptyState({ heading, headingLevel = 'h2', children, action }: EmptyStateProps) {
  const Heading = headingLevel;
  return (
    <div className="lantern-empty">
      <Heading>{heading}</Heading>
      {typeof children === 'string' ? <p>{children}</p> : children}
      {action ? <div className="lantern-empty__action">{action}</div> : null}
    </div>
  );
}
