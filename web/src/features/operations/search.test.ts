import { describe, expect, it } from 'vitest';
import { operationFilterOf, operationsCsvHref, validateOperationsSearch } from './search.ts';
import { startsEarly } from './OperationPage.tsx';

describe('the operations list filter in the URL', () => {
  it('keeps what it can read and drops the rest', () => {
    expect(
      validateOperationsSearch({ status: 'closed', q: '  oak ', from: '2026-06-01', to: 'June', agency: 'not-an-id', county: '29095', extra: 'x' }),
    ).toEqual({ status: 'closed', q: 'oak', from: '2026-06-01', county: '29095' });
    expect(validateOperationsSearch({ county: 29095 })).toEqual({ county: '29095' });
    expect(validateOperationsSearch({ status: 'lost', agency: '0b7f6a8e-2a1c-4a57-9c55-9b1a3f1e2d4c' })).toEqual({ agency: '0b7f6a8e-2a1c-4a57-9c55-9b1a3f1e2d4c' });
  });

  it('asks the server for whole local days, the last one included', () => {
    const filter = operationFilterOf({ from: '2026-06-01', to: '2026-06-30', agency: 'a', county: '29095' });
    expect(filter).toEqual({ from: new Date('2026-06-01T00:00:00').toISOString(), to: new Date('2026-07-01T00:00:00').toISOString(), agencyId: 'a', county: '29095' });
  });

  it('exports the same filter as CSV', () => {
    expect(operationsCsvHref({})).toBe('/api/operations.csv');
    expect(operationsCsvHref({ status: 'draft', q: 'a&b' })).toBe('/api/operations.csv?status=draft&q=a%26b');
  });
});

describe('starting early', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('warns more than a day before the planned start, not within it', () => {
    expect(startsEarly('2026-06-03T12:00:00Z', now)).toBe(true);
    expect(startsEarly('2026-06-02T11:00:00Z', now)).toBe(false);
    expect(startsEarly('2026-05-30T12:00:00Z', now)).toBe(false);
  });
});
