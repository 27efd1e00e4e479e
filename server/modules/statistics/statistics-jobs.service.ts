import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { StatReleaseJobTable } from '../../db/schema/index.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { PlanProgress } from '../disclosure/release-plan.ts';
import type { StatisticsJobDto, StatisticsJobKind, StatisticsPreviewDto, StatisticsReleaseDto } from '../../../common/schemas/statistics.ts';
import { LEDGER, statisticsPolicy } from './statistics.policy.ts';
import { previewRelease, publishRelease } from './statistics.service.ts';
import * as q from './statistics-jobs.queries.ts';

/**
 * Statistics release jobs (issue #8): a preview or a publication, once the auditor runs, takes minutes.
 * The PIO starts one, may leave the page, and comes back to its progress. A job runs in the process
 * that accepted it, after the response, through the same services (and so the same policy, ledger lock
 * and audit row) as the synchronous routes; its progress goes to its row at most every
 * {@link PROGRESS_EVERY_MS}, and a heartbeat keeps `updated_at` moving meanwhile. No queue, no worker:
 * a job whose process dies is left running, and is answered as failed (`interrupted`) once its row has
 * not moved for {@link STALE_AFTER_MS}.
 *
 * One publication at a time is a courtesy to the PIOs, kept by a unique index; what keeps the ledger
 * whole is the ledger lock the publication itself takes (a second publication, even from a job taken
 * for dead, waits for the first and then finds no new quarter).
 */

export const PROGRESS_EVERY_MS = 250;
export const HEARTBEAT_MS = 15_000;
/** Eight heartbeats missed: the process is gone (or its event loop has been held for two minutes). */
export const STALE_AFTER_MS = 2 * 60_000;
const RECENT_JOBS = 20;

const INTERRUPTED = 'The server stopped while this job ran, and it did not finish. Nothing was published by it unless the ledger lists the release; start it again.';
const INTERNAL = 'Something went wrong on our side. The error was logged; start the job again, and tell the system administrator if it fails again.';

/** The jobs running in this process, by database: awaited when the server closes. */
const runningHere = new WeakMap<object, Map<string, Promise<void>>>();

function jobsOf(ctx: AppContext): Map<string, Promise<void>> {
  let jobs = runningHere.get(ctx.db);
  if (!jobs) {
    jobs = new Map();
    runningHere.set(ctx.db, jobs);
  }
  return jobs;
}

function toDto(ctx: AppContext, row: q.JobWithStarter): StatisticsJobDto {
  const stale = row.status === 'running' && Date.parse(row.updated_at) < ctx.clock.now().getTime() - STALE_AFTER_MS && !jobsOf(ctx).has(row.id);
  const result = row.status === 'done' && row.result ? (JSON.parse(row.result) as StatisticsPreviewDto | StatisticsReleaseDto) : null;
  return {
    id: row.id,
    kind: row.kind as StatisticsJobKind,
    status: stale ? 'failed' : (row.status as StatisticsJobDto['status']),
    phase: (row.phase as StatisticsJobDto['phase']) ?? null,
    done: Number(row.done),
    total: Number(row.total),
    startedBy: row.starter ?? null,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    preview: row.kind === 'preview' ? (result as StatisticsPreviewDto | null) : null,
    release: row.kind === 'publish' ? (result as StatisticsReleaseDto | null) : null,
    error: stale ? { code: 'interrupted', message: INTERRUPTED } : row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
  };
}

/**
 * Starts a preview or a publication of the statistics (PIO only, as the synchronous routes) and answers
 * at once with the running job. Refuses (409 `publication_running`) a publication while another runs.
 */
export async function startReleaseJob(ctx: AppContext, actor: Actor, kind: StatisticsJobKind, meta: RequestMeta): Promise<StatisticsJobDto> {
  authorize(actor, statisticsPolicy, 'statistics.publish', LEDGER);
  const now = ctx.clock.now();
  const at = now.toISOString();
  // A publication left running by a process that died must not hold the index for ever.
  await q.failStale(ctx.db, new Date(now.getTime() - STALE_AFTER_MS).toISOString(), at, INTERRUPTED);
  const row: StatReleaseJobTable = {
    id: newId(),
    kind,
    status: 'running',
    phase: null,
    done: 0,
    total: 0,
    started_by: actor.userId,
    started_at: at,
    updated_at: at,
    finished_at: null,
    result: null,
    error_code: null,
    error_message: null,
  };
  try {
    // Audited, in a transaction: the start is on the record, and a resend with the same Idempotency-Key
    // is answered with this job instead of starting a second publication once this one is done.
    await ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
      await q.insertJob(tx.db, row);
      tx.audit({ action: 'statistics.job', recordType: 'stat_release_job', recordId: row.id, recordAgencyId: actor.agencyId, detail: { step: 'started', kind } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('publication_running', 409, 'A publication is already running. Its progress shows on the statistics page; wait for it to finish.');
    }
    throw err;
  }
  launch(ctx, actor, meta, row);
  return toDto(ctx, { ...row, starter: actor.displayName });
}

/** One job (PIO only): its progress, its result once done, or why it failed. */
export async function getReleaseJob(ctx: AppContext, actor: Actor, id: string): Promise<StatisticsJobDto> {
  authorize(actor, statisticsPolicy, 'statistics.publish', LEDGER);
  const row = await q.findById(ctx.db, id);
  if (!row) throw notFound('statistics job');
  return toDto(ctx, row);
}

/** The jobs still running (`active`), to resume a progress bar, or the newest ones (PIO only). */
export async function listReleaseJobs(ctx: AppContext, actor: Actor, opts: { active: boolean }): Promise<{ jobs: StatisticsJobDto[] }> {
  authorize(actor, statisticsPolicy, 'statistics.publish', LEDGER);
  const rows = await q.list(ctx.db, { running: opts.active, limit: RECENT_JOBS });
  const jobs = rows.map((r) => toDto(ctx, r));
  return { jobs: opts.active ? jobs.filter((j) => j.status === 'running') : jobs };
}

/** Resolves once every job this process runs has finished (the server awaits it when closing). */
export async function settleReleaseJobs(ctx: AppContext): Promise<void> {
  const jobs = jobsOf(ctx);
  while (jobs.size) await Promise.allSettled([...jobs.values()]);
}

function launch(ctx: AppContext, actor: Actor, meta: RequestMeta, job: StatReleaseJobTable) {
  const jobs = jobsOf(ctx);
  const task = (async () => {
    // After the response: the request that started the job answers first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const progress = new ProgressWriter(ctx, job.id);
    const heartbeat = setInterval(progress.touch, HEARTBEAT_MS);
    heartbeat.unref();
    let outcome: Pick<StatReleaseJobTable, 'status' | 'result' | 'error_code' | 'error_message'>;
    try {
      const options = { onProgress: progress.report };
      const result = job.kind === 'preview' ? await previewRelease(ctx, actor, options) : await publishRelease(ctx, actor, meta, options);
      outcome = { status: 'done', result: JSON.stringify(result), error_code: null, error_message: null };
    } catch (err) {
      if (err instanceof AppError) {
        outcome = { status: 'failed', result: null, error_code: err.code, error_message: err.message };
      } else {
        const e = err as Error;
        ctx.log.error({ err: { message: e.message, stack: e.stack }, job: job.id, kind: job.kind }, 'statistics job failed');
        outcome = { status: 'failed', result: null, error_code: 'internal', error_message: INTERNAL };
      }
    } finally {
      clearInterval(heartbeat);
      await progress.settle();
    }
    const at = ctx.clock.now().toISOString();
    const last = progress.last;
    await q.finish(ctx.db, job.id, { ...outcome, phase: last?.phase ?? null, done: last?.done ?? 0, total: last?.total ?? 0, updated_at: at, finished_at: at });
  })()
    .catch((err: Error) => ctx.log.error({ err: { message: err.message, stack: err.stack }, job: job.id }, 'statistics job: its outcome could not be written'))
    .finally(() => jobs.delete(job.id));
  jobs.set(job.id, task);
}

/**
 * Writes a job's progress to its row: at most one write in flight and at most one every
 * {@link PROGRESS_EVERY_MS}, each carrying the newest progress reported (the plan may report thousands
 * of steps a second). On SQLite the writes wait for the release's transaction, which holds the one
 * connection; only the newest is kept waiting.
 */
class ProgressWriter {
  last: PlanProgress | null = null;
  private pending: PlanProgress | 'heartbeat' | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private settled = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly id: string,
  ) {}

  readonly report = (p: PlanProgress): void => {
    this.last = { phase: p.phase, done: p.done, total: p.total };
    this.pending = this.last;
    this.schedule();
  };

  readonly touch = (): void => {
    if (this.pending === null) this.pending = 'heartbeat';
    this.schedule();
  };

  /** Stops writing and waits for the write in flight. */
  async settle(): Promise<void> {
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    await this.inFlight;
  }

  private schedule(): void {
    if (this.settled || this.inFlight || this.timer) return;
    const wait = this.lastWriteAt + PROGRESS_EVERY_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.write();
      }, wait);
      this.timer.unref();
    } else {
      this.write();
    }
  }

  private write(): void {
    const p = this.pending;
    if (this.settled || p === null) return;
    this.pending = null;
    this.lastWriteAt = performance.now();
    const updated_at = this.ctx.clock.now().toISOString();
    const set = p === 'heartbeat' ? { updated_at } : { phase: p.phase, done: p.done, total: p.total, updated_at };
    this.inFlight = q
      .updateRunning(this.ctx.db, this.id, set)
      .catch((err: Error) => this.ctx.log.warn({ err: err.message, job: this.id }, 'statistics job: progress not written'))
      .finally(() => {
        this.inFlight = null;
        if (this.pending !== null) this.schedule();
      });
  }
}
