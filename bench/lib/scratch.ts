import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPgDatabase, dropPgDatabase } from '../../server/test/databases.ts';
import { REPO, type Backend } from './target.ts';

/** Where an in-process bench keeps its data: a fresh directory under .tmp/ and, on PostgreSQL, a fresh database. */
export interface ScratchDatabase {
  dataDir: string;
  databaseUrl: string | undefined;
  /** Drops the database and the directory; call it once the bench's connections are closed. */
  remove(): Promise<void>;
}

export async function scratchDatabase(backend: Backend, bench: string): Promise<ScratchDatabase> {
  fs.mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(REPO, '.tmp', `bench-${bench}-`));
  const pgName = backend === 'postgres' ? `lantern_bench_${randomBytes(6).toString('hex')}` : null;
  const databaseUrl = pgName ? await createPgDatabase(pgName) : undefined;
  return {
    dataDir,
    databaseUrl,
    async remove() {
      if (pgName) await dropPgDatabase(pgName);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
