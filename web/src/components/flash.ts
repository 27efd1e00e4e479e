import { useState } from 'react';

export type FlashTone = 'success' | 'warning';

/**
 * A one-time message carried across a navigation ("Agency added.") and shown by the next page that
 * asks for it. Kept in memory only: a reload drops it, which is what a confirmation should do.
 */
let pending: { message: string; tone: FlashTone } | undefined;

export function setFlash(message: string, tone: FlashTone = 'success'): void {
  pending = { message, tone };
}

/** Takes the pending message and its tone (once) when the page mounts. */
export function useFlashNotice(): { message: string; tone: FlashTone } | undefined {
  const [notice] = useState(() => {
    const n = pending;
    pending = undefined;
    return n;
  });
  return notice;
}

/** Takes the pending message (once) when the page mounts. */
export function useFlash(): string | undefined {
  return useFlashNotice()?.message;
}
