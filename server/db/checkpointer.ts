/**
 * SQLite commits into its write-ahead log and copies the log back into the database file later, in a
 * checkpoint. Left to itself it checkpoints inside the commit that takes the log past 1,000 pages, on the
 * thread that commits, which is the server's only one: every few hundred milliseconds under a stream of
 * tips, one request's commit also copied and synced megabytes of pages while every other request waited
 * (bench/README.md, "Checkpoints off the request thread"). Here a worker thread with a connection of its
 * own checkpoints instead, a few times a second, and the commits only append to the log.
 *
 * Durability does not change: a commit is acknowledged once the log is synced (synchronous=FULL), as
 * before; the checkpoint copies what is already durable. A PASSIVE checkpoint never waits for, nor
 * blocks, the server's reads and writes. Should the worker stop or fall behind, the server's own
 * connection still checkpoints past `FALLBACK_PAGES`.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Past this many pages of log (40 MB at 4 KB a page), the committing connection checkpoints itself. */
export const FALLBACK_PAGES = 10_000;

// Plain JavaScript, evaluated: the same in development (tsx) and in the compiled server.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
let timer = null;
const tick = () => {
  const startedAt = Date.now();
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.checkpointed > 0) parentPort.postMessage({ type: 'checkpoint', startedAt, log: result.log, checkpointed: result.checkpointed });
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: String(err && err.message) });
  }
  timer = setTimeout(tick, workerData.everyMs);
};
tick();
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** The last checkpoint that found pages in the log: when it began, the log's pages, and how many are in the file. */
  readonly stats: { last: { startedAt: number; log: number; checkpointed: number } | null; errors: string[] };
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, opts: { everyMs?: number } = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: opts.everyMs ?? 250 } });
  // It never keeps the process alive: the process ends when the server does.
  worker.unref();
  const stats: Checkpointer['stats'] = { last: null, errors: [] };
  type Message = { type: 'checkpoint'; startedAt: number; log: number; checkpointed: number } | { type: 'error'; message: string };
  worker.on('message', (m: Message) => {
    if (m.type === 'checkpoint') {
      stats.last = { startedAt: m.startedAt, log: m.log, checkpointed: m.checkpointed };
    } else if (stats.errors.length < 10) {
      stats.errors.push(m.message);
    }
  });
  // A worker that fails leaves the fallback in charge; the server goes on.
  worker.on('error', (err) => {
    if (stats.errors.length < 10) stats.errors.push(err.message);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stats,
    async stop() {
      // Held while it stops: an unreferenced worker would let the process end under an await that
      // waits for it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
