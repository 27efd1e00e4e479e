import { useEffect, useState } from 'react';
import { CUSTODY_STATEMENT_HOURS } from '../../../../common/operations.ts';

/** Under two hours left the countdown turns amber (the server's first alert goes out then too). */
export const WARN_MS = 2 * 60 * 60_000;
export const STATEMENT_MS = CUSTODY_STATEMENT_HOURS * 60 * 60_000;

export type CountdownTone = 'ok' | 'warn' | 'overdue' | 'filed';

export interface CountdownState {
  tone: CountdownTone;
  /** Milliseconds left (negative once overdue); 0 once filed. */
  remainingMs: number;
}

/** Where the 12-hour written-statement deadline (RSMo 210.125.2) stands at `nowMs`. */
export function countdownState(dueAtMs: number, nowMs: number, filed: boolean): CountdownState {
  if (filed) return { tone: 'filed', remainingMs: 0 };
  const remainingMs = dueAtMs - nowMs;
  if (remainingMs <= 0) return { tone: 'overdue', remainingMs };
  return { tone: remainingMs < WARN_MS ? 'warn' : 'ok', remainingMs };
}

/** Whole hours and minutes of a span (rounded up to the minute while time remains, down once overdue). */
export function hoursMinutes(ms: number): { hours: number; minutes: number } {
  const total = ms >= 0 ? Math.ceil(ms / 60_000) : Math.floor(-ms / 60_000);
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/**
 * The server's clock as this browser sees it: an answer carrying `msUntilDue` says how far the
 * server's "now" was from the due time when it answered, so a phone whose clock is off still counts
 * down correctly.
 */
export function serverSkewMs(dueAt: string, msUntilDue: number | null, fetchedAtMs: number): number {
  if (msUntilDue == null || !fetchedAtMs) return 0;
  return Date.parse(dueAt) - msUntilDue - fetchedAtMs;
}

/** The current time, updated every `intervalMs` (a countdown re-renders with it). */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
