import type { Migration } from 'kysely';
import * as m0001 from './0001-workspace.ts';
import * as m0002 from './0002-operations.ts';

/** Ordered by name; a migration, once released, is never edited — add a new one. */
export const migrations: Record<string, Migration> = {
  '0001-workspace': m0001,
  '0002-operations': m0002,
};
