/**
 * Group commit: requests that arrive while a write is under way wait for the next one, which writes all
 * of them in one transaction. A busy process then pays one commit (SQLite's fsync, PostgreSQL's round
 * trips and WAL flush) for many records instead of one each, and each caller is still answered only once
 * its record is committed. Under light load a batch holds one request and nothing waits: a batch starts
 * as soon as the requests read in the same turn of the event loop have arrived.
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A job's outcome as the writer hands it back: its value, or its own failure. */
export async function settle<R>(work: Promise<R>): Promise<Settled<R>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}

export interface GroupCommitOptions<J, R> {
  /** At most this many jobs in one batch. */
  maxBatch: number;
  /** At most this many batches written at once (1 on SQLite, whose one connection writes one at a time). */
  concurrency: number;
  /** Writes the jobs (one result for each, in order); a rejection fails every job of the batch. */
  write: (jobs: J[]) => Promise<Settled<R>[]>;
}

interface Waiter<J, R> {
  job: J;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<J, R> {
  private waiting: Waiter<J, R>[] = [];
  private running = 0;
  private scheduled = false;
  /** How many batches of each size were written so far, by size (tests and benchmarks). */
  readonly sizeCounts: number[];

  constructor(private readonly opts: GroupCommitOptions<J, R>) {
    this.sizeCounts = new Array<number>(opts.maxBatch + 1).fill(0);
  }

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.schedule();
    });
  }

  /** Batches start after the event loop's I/O turn (setImmediate), so the requests read in it go together. */
  private schedule() {
    if (this.scheduled || this.running >= this.opts.concurrency || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.running < this.opts.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.opts.maxBatch);
      this.running++;
      this.sizeCounts[batch.length]!++;
      void this.run(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  private async run(batch: Waiter<J, R>[]) {
    try {
      const results = await this.opts.write(batch.map((w) => w.job));
      batch.forEach((w, i) => {
        const r = results[i];
        if (!r) w.reject(new Error('group commit: no result for a job'));
        else if (r.ok) w.resolve(r.value);
        else w.reject(r.error);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
