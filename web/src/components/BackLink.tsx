import type { ReactNode } from 'react';
import { Link, type LinkProps } from '@tanstack/react-router';

/** "← Agencies": the way back up from a detail page. */
export function BackLink({ children, ...link }: LinkProps & { children: ReactNode }) {
  return (
    <p className="lantern-back">
      <Link {...link} className="usa-link">
        <span aria-hidden="true">← </span>
        {children}
      </Link>
    </p>
  );
}
