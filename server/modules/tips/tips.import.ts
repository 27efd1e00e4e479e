import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { policyOf } from '../../auth/access.ts';
import { authorize } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { TipImportJobTable } from '../../db/schema/index.ts';
import { csvRow } from '../../lib/csv.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { seal, unseal } from '../../lib/sealed.ts';
import type { ImportJobDto, ImportMapping, ImportMappingInput, ImportPreview } from '../../../common/schemas/tips-import.ts';
import { TIP_IMPORT_LIMITS } from '../../../common/tips-import.ts';
import { tipImportAccess, type TipImportRecord } from './tips.access.ts';
import { fileTip } from './tips.intake.ts';
import { checkMapping, mapRow, readHotlineCsv, rejectionOf, suggestMapping, type HotlineFile } from './tips.import.csv.ts';
import * as q from './tips.import.queries.ts';

/**
 * The national hotline's forwarded tips, imported from its CSV (issue #10, item 4). Staff preview the
 * file with a suggested column mapping, then start a job that files every row through intake's
 * `fileTip` — the same validation, routing, sealing, indexing, triage and audit as any tip — with source
 * `hotline` and the hotline's case number as its reference. Every row ends imported, a duplicate (its
 * case number is already in Lantern: intake refuses it with a 409, so nothing is imported twice, even by
 * two imports of one file at once), or rejected with its reason. Nothing is silently dropped.
 *
 * The job runs in the process that accepted the file, after the 202, and keeps the parsed rows in memory
 * only: the file is never stored. Its progress goes to its row every {@link PROGRESS_EVERY_ROWS} rows and
 * a heartbeat keeps `updated_at` moving; a job whose process died is answered as failed once its row has
 * not moved for {@link STALE_AFTER_MS} (and marked so when this module starts, or another import starts).
 * Importing the file again then reports the rows already filed as duplicates and files the rest.
 */

export const PROGRESS_EVERY_ROWS = 20;
export const HEARTBEAT_MS = 15_000;
/** Eight heartbeats missed: the process is gone. */
export const STALE_AFTER_MS = 2 * 60_000;

const INTERRUPTED =
  'The server stopped while this import ran. Import the file again: the rows already imported will be reported as duplicates and the rest imported.';
const SERVER_TROUBLE = 'could not be filed because of a problem on our side (logged); import the file again later';

const importPolicy = policyOf(tipImportAccess.grants);

/** The jobs running in this process, by context: awaited when the server closes. */
const runningHere = new WeakMap<AppContext, Map<string, Promise<void>>>();
function jobsOf(ctx: AppContext): Map<string, Promise<void>> {
  let jobs = runningHere.get(ctx);
  if (!jobs) {
    jobs = new Map();
    runningHere.set(ctx, jobs);
  }
  return jobs;
}

const who = (actor: Actor, meta: RequestMeta) => ({ actor: auditActor(actor), meta });
const ownImport = (actor: Actor): TipImportRecord => ({ agencyId: actor.agencyId });

/**
 * Reads the file and answers its columns, the suggested mapping (by the columns' names, English and
 * Spanish), and its first rows as they would be filed with the mapping given (or the suggested one),
 * each with its problems. Writes nothing.
 */
export function previewImport(ctx: AppContext, actor: Actor, input: { csv: string; mapping?: ImportMappingInput | undefined }): ImportPreview {
  authorize(actor, importPolicy, 'tip.import', ownImport(actor));
  const file = readHotlineCsv(input.csv);
  const suggested = suggestMapping(file.headers);
  const mapping = input.mapping ? checkMapping(file.headers, input.mapping) : suggested;
  const opts = { timeZone: ctx.jurisdiction.timeZone, now: ctx.clock.now() };
  return {
    headers: file.headers,
    mapping,
    suggested,
    totalRows: file.rows.length,
    rows: file.rows.slice(0, TIP_IMPORT_LIMITS.previewRows).map((r) => {
      const mapped = mapRow(file, r.cells, mapping, opts);
      return { row: r.row, tip: mapped.tip, errors: mapped.errors };
    }),
  };
}

/** Starts importing the file with the mapping; answers the job's id at once (202). */
export async function startImport(ctx: AppContext, actor: Actor, input: { csv: string; mapping: ImportMappingInput }, meta: RequestMeta): Promise<{ jobId: string }> {
  authorize(actor, importPolicy, 'tip.import', ownImport(actor));
  const file = readHotlineCsv(input.csv);
  const mapping = checkMapping(file.headers, input.mapping);
  const now = ctx.clock.now();
  const at = now.toISOString();
  await failStaleImports(ctx);
  const row: TipImportJobTable = {
    id: newId(),
    agency_id: actor.agencyId,
    created_by: actor.userId,
    status: 'running',
    total: file.rows.length,
    processed: 0,
    imported: 0,
    duplicates: 0,
    rejected: '[]',
    rejected_rows: null,
    mapping: JSON.stringify(mapping),
    error: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
  await ctx.audit.transact(who(actor, meta), async (tx) => {
    await q.insertJob(tx.db, row);
    tx.audit({
      action: 'tip.import',
      recordType: 'tip_import_job',
      recordId: row.id,
      recordAgencyId: actor.agencyId,
      detail: { step: 'started', rows: file.rows.length, columnsMapped: Object.values(mapping).filter(Boolean).length },
    });
  });
  launch(ctx, actor, meta, row.id, file, mapping);
  return { jobId: row.id };
}

/** A job's progress and report (the importing agency's queue staff); 404 when not theirs. */
export async function getImport(ctx: AppContext, actor: Actor, id: string): Promise<ImportJobDto> {
  const row = await q.findVisible(ctx.db, actor, id);
  if (!row) throw notFound('import');
  authorize(actor, importPolicy, 'tip.import', { agencyId: row.agency_id });
  return toDto(ctx, row);
}

/**
 * The rejected rows as CSV, each with its row number, field and reason before the hotline's own columns,
 * to fix and import again (the three added columns are not suggested for any field, so the fixed file
 * imports as it is). The cells are the tipsters' words: the read is audited, and the output is
 * safe to open in a spreadsheet (no cell runs as a formula).
 */
export async function rejectedRowsCsv(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<string> {
  return ctx.audit.transact(who(actor, meta), async (tx) => {
    const row = await q.findVisible(tx.db, actor, id);
    if (!row) throw notFound('import');
    authorize(actor, importPolicy, 'tip.import', { agencyId: row.agency_id });
    const rejected = JSON.parse(row.rejected) as { row: number; field: string; reason: string }[];
    const kept = row.rejected_rows ? (JSON.parse(unseal(ctx.keyring, 'tip_import_job', 'rejected_rows', row.id, row.rejected_rows)) as RejectedCells) : null;
    const cellsOf = new Map(kept?.rows.map((r) => [r.row, r.cells]) ?? []);
    // A byte-order mark, so that a spreadsheet reads the tipsters' accents as UTF-8.
    let out = '\ufeff' + csvRow(['Row', 'Field', 'Reason', ...(kept?.headers ?? [])]);
    for (const r of rejected) out += csvRow([r.row, r.field, r.reason, ...(cellsOf.get(r.row) ?? [])]);
    tx.audit({ action: 'tip.import', recordType: 'tip_import_job', recordId: row.id, recordAgencyId: row.agency_id, detail: { step: 'rejectedRowsRead', rows: rejected.length } });
    return out;
  });
}

/** Marks as failed the jobs whose process died (no heartbeat for {@link STALE_AFTER_MS}). */
export async function failStaleImports(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return q.failStale(ctx.db, new Date(now.getTime() - STALE_AFTER_MS).toISOString(), now.toISOString(), INTERRUPTED);
}

/** Resolves once every import this process runs has finished (the server awaits it when closing). */
export async function settleImports(ctx: AppContext): Promise<void> {
  const jobs = jobsOf(ctx);
  while (jobs.size) await Promise.allSettled([...jobs.values()]);
}

interface RejectedCells {
  headers: string[];
  rows: { row: number; cells: string[] }[];
}

function toDto(ctx: AppContext, row: TipImportJobTable): ImportJobDto {
  const stale = row.status === 'running' && Date.parse(row.updated_at) < ctx.clock.now().getTime() - STALE_AFTER_MS && !jobsOf(ctx).has(row.id);
  return {
    id: row.id,
    status: stale ? 'failed' : (row.status as ImportJobDto['status']),
    total: Number(row.total),
    processed: Number(row.processed),
    imported: Number(row.imported),
    duplicates: Number(row.duplicates),
    rejected: JSON.parse(row.rejected) as ImportJobDto['rejected'],
    error: stale ? INTERRUPTED : row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

function launch(ctx: AppContext, actor: Actor, meta: RequestMeta, jobId: string, file: HotlineFile, mapping: ImportMapping) {
  const jobs = jobsOf(ctx);
  const task = (async () => {
    // After the response: the request that started the job answers first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const heartbeat = setInterval(() => {
      q.updateRunning(ctx.db, jobId, { updated_at: ctx.clock.now().toISOString() }).catch((err: Error) => ctx.log.warn({ err: err.message, job: jobId }, 'tip import: heartbeat not written'));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const counts = { processed: 0, imported: 0, duplicates: 0 };
    const rejected: { row: number; field: string; reason: string }[] = [];
    const rejectedCells: RejectedCells = { headers: file.headers, rows: [] };
    let error: string | null = null;
    try {
      await importRows(ctx, actor, meta, file, mapping, {
        imported: () => counts.imported++,
        duplicate: () => counts.duplicates++,
        rejected: (row, errors, cells) => {
          rejected.push(rejectionOf(row, errors));
          rejectedCells.rows.push({ row, cells });
        },
        processed: async (n) => {
          counts.processed = n;
          if (n % PROGRESS_EVERY_ROWS === 0) {
            await q.updateRunning(ctx.db, jobId, { ...counts, rejected: JSON.stringify(rejected), updated_at: ctx.clock.now().toISOString() });
          }
        },
      });
    } catch (err) {
      const e = err as Error;
      ctx.log.error({ err: { message: e.message, stack: e.stack }, job: jobId }, 'tip import failed');
      error = `The import stopped after ${counts.processed} of ${file.rows.length} rows because of a problem on our side (logged). Import the file again: rows already imported will be reported as duplicates.`;
    } finally {
      clearInterval(heartbeat);
    }
    const at = ctx.clock.now().toISOString();
    await ctx.audit.transact(who(actor, meta), async (tx) => {
      await q.finish(tx.db, jobId, {
        status: error ? 'failed' : 'done',
        ...counts,
        rejected: JSON.stringify(rejected),
        rejected_rows: rejectedCells.rows.length ? seal(ctx.keyring, 'tip_import_job', 'rejected_rows', jobId, JSON.stringify(rejectedCells)) : null,
        error,
        updated_at: at,
        finished_at: at,
      });
      tx.audit({
        action: 'tip.import',
        recordType: 'tip_import_job',
        recordId: jobId,
        recordAgencyId: actor.agencyId,
        outcome: error ? 'failure' : 'success',
        detail: { step: 'finished', ...counts, rejected: rejected.length },
      });
    });
  })()
    .catch((err: Error) => ctx.log.error({ err: { message: err.message, stack: err.stack }, job: jobId }, 'tip import: its outcome could not be written'))
    .finally(() => jobs.delete(jobId));
  jobs.set(jobId, task);
}

interface RowOutcomes {
  imported(): void;
  duplicate(): void;
  rejected(row: number, errors: { field: string; reason: string }[], cells: string[]): void;
  processed(n: number): Promise<void>;
}

/** Files each row in turn: one outcome per row, whatever happens to it. */
async function importRows(ctx: AppContext, actor: Actor, meta: RequestMeta, file: HotlineFile, mapping: ImportMapping, out: RowOutcomes): Promise<void> {
  const opts = { timeZone: ctx.jurisdiction.timeZone, now: ctx.clock.now() };
  let n = 0;
  for (const { row, cells } of file.rows) {
    const mapped = mapRow(file, cells, mapping, opts);
    if (!mapped.input) {
      out.rejected(row, mapped.errors, cells);
    } else {
      try {
        await fileTip(ctx, { ...mapped.input, source: 'hotline' }, actor, meta);
        out.imported();
      } catch (err) {
        // Intake refuses a second tip with a case number already in Lantern: the row is a duplicate.
        if (err instanceof AppError && err.status === 409) out.duplicate();
        else if (err instanceof AppError && err.status < 500) out.rejected(row, [{ field: err.field ?? 'row', reason: reasonOf(err) }], cells);
        else {
          if (!(err instanceof AppError)) ctx.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack }, row }, 'tip import: a row could not be filed');
          out.rejected(row, [{ field: 'row', reason: SERVER_TROUBLE }], cells);
        }
      }
    }
    await out.processed(++n);
  }
}

/** Intake's refusal without the field it names first ("zip: is not a ZIP code we know" → "is not a ZIP code we know"). */
const reasonOf = (err: AppError) => (err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message);
