import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { StatementCountdown } from './StatementCountdown.tsx';
import { countdownState, hoursMinutes, serverSkewMs, WARN_MS } from './countdown.ts';

const TAKEN = Date.parse('2020-10-23T23:00:00.000Z');
const DUE = new Date(TAKEN + 12 * 3_600_000).toISOString();
const HOUR = 3_600_000;

function handoff(overrides: Partial<{ statementFiledAt: string | null; msUntilDue: number | null }> = {}) {
  return { statementDueAt: DUE, statementFiledAt: null, msUntilDue: null, ...overrides };
}

const timer = () => screen.getByRole('timer');

describe('countdownState', () => {
  it('is calm with time left, amber under two hours, red once overdue, settled once filed', () => {
    const due = Date.parse(DUE);
    expect(countdownState(due, due - 3 * HOUR, false)).toEqual({ tone: 'ok', remainingMs: 3 * HOUR });
    expect(countdownState(due, due - WARN_MS, false).tone).toBe('ok');
    expect(countdownState(due, due - WARN_MS + 1, false).tone).toBe('warn');
    expect(countdownState(due, due, false).tone).toBe('overdue');
    expect(countdownState(due, due + HOUR, false)).toEqual({ tone: 'overdue', remainingMs: -HOUR });
    expect(countdownState(due, due + HOUR, true).tone).toBe('filed');
  });

  it('rounds up to the minute while time remains and down once overdue', () => {
    expect(hoursMinutes(3 * HOUR + 60_000 * 12 - 1)).toEqual({ hours: 3, minutes: 12 });
    expect(hoursMinutes(30_000)).toEqual({ hours: 0, minutes: 1 });
    expect(hoursMinutes(-(25 * 60_000 + 59_000))).toEqual({ hours: 0, minutes: 25 });
  });

  it("follows the server's clock when the device's is off", () => {
    const fetchedAt = Date.parse('2020-10-24T05:00:00.000Z');
    // The server said 4 hours were left; this device thinks it is 5:00, so 6 hours would be left.
    expect(serverSkewMs(DUE, 4 * HOUR, fetchedAt)).toBe(2 * HOUR);
    expect(serverSkewMs(DUE, null, fetchedAt)).toBe(0);
  });
});

describe('StatementCountdown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts down, turns amber under two hours and red when overdue', () => {
    vi.setSystemTime(TAKEN + 9 * HOUR + 30 * 60_000);
    render(<StatementCountdown handoff={handoff()} fetchedAt={0} />);
    expect(timer().dataset.tone).toBe('ok');
    expect(timer().className).toContain('lantern-countdown--ok');
    expect(timer().textContent).toContain('Written statement due in 2 h 30 min');

    act(() => vi.advanceTimersByTime(HOUR));
    expect(timer().dataset.tone).toBe('warn');
    expect(timer().className).toContain('lantern-countdown--warn');
    expect(timer().textContent).toContain('due in 1 h 30 min');

    act(() => vi.advanceTimersByTime(HOUR + 45 * 60_000));
    expect(timer().dataset.tone).toBe('overdue');
    expect(timer().className).toContain('lantern-countdown--overdue');
    expect(timer().textContent).toContain('Written statement overdue by 15 minutes');
  });

  it('uses the time the server gave rather than the device clock', () => {
    const fetchedAt = TAKEN + 2 * HOUR;
    vi.setSystemTime(fetchedAt);
    // The server says only 30 minutes remain (the device clock is 9.5 hours slow).
    render(<StatementCountdown handoff={handoff({ msUntilDue: 30 * 60_000 })} fetchedAt={fetchedAt} />);
    expect(timer().dataset.tone).toBe('warn');
    expect(timer().textContent).toContain('due in 30 minutes');
  });

  it('stops once the statement is filed', () => {
    vi.setSystemTime(TAKEN + 13 * HOUR);
    render(<StatementCountdown handoff={handoff({ statementFiledAt: new Date(TAKEN + 5 * HOUR).toISOString() })} fetchedAt={0} />);
    expect(timer().dataset.tone).toBe('filed');
    expect(timer().textContent).toContain('Written statement filed');
    expect(timer().textContent).not.toContain('overdue');
  });
});
