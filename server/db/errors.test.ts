import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isUniqueViolation } from './errors.ts';

describe('isDatabaseUnavailable', () => {
  it('knows PostgreSQL restarting, refusing and dropping connections', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', 'ECONNREFUSED', 'ECONNRESET']) expect(isDatabaseUnavailable({ code, message: 'x' }), code).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
  it('leaves the request’s own faults and constraint violations alone', () => {
    for (const code of ['23505', '40001', '22P02', 'SQLITE_BUSY', undefined]) expect(isDatabaseUnavailable({ code, message: 'x' }), String(code)).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
  });
});
