import type { ReactNode } from 'react';

export type TagTone = 'ok' | 'warn' | 'danger' | 'info' | 'quiet';

/** A USWDS tag with a color that keeps AA contrast. */
export function Tag({ tone, children }: { tone: TagTone; children: ReactNode }) {
  return <span className={`usa-tag lantern-tag--${tone}`}>{children}</span>;
}
