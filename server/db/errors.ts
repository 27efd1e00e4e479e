/**
 * A unique-constraint violation, on either back end: PostgreSQL's SQLSTATE 23505, SQLite's
 * SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY. On PostgreSQL the transaction is aborted by it, so a caller
 * that retries must retry the whole transaction.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database cannot be reached right now (PostgreSQL restarting or failing over): refused or dropped
 * connections, and SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutting
 * down, starting up). A request that meets it is answered 503, to be tried again, never 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^(08|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  // pg's own words when the server closes the socket under it.
  return typeof e?.message === 'string' && /^Connection terminated|^Client has encountered a connection error/.test(e.message);
}

/**
 * PostgreSQL gave up on the transaction so that another could go on: a deadlock (40P01) or a
 * serialization failure (40001). Nothing of it was written; run it again, or in smaller parts.
 */
export function isTransactionConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
