import { useState } from 'react';

/**
 * A one-time message carried across a navigation ("Agency added.") and shown by the next page that
 * asks for it. Kept in memory only: a reload drops it, which is what a confirmation should do.
 */
let pending: string | undefined;

export function setFlash(message: string): void {
  pending = message;
}

/** Takes the pending message (once) when the page mounts. */
export function useFlash(): string | undefined {
  const [message] = useState(() => {
    const m = pending;
    pending = undefined;
    return m;
  });
  return message;
}
