import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { auditingAs, type RequestMeta, type Tx, type Who } from '../../audit/audit.ts';
import { insertRows } from '../../db/batch.ts';
import { isTransactionConflict, isUniqueViolation } from '../../db/errors.ts';
import type { ContactTable } from '../../db/schema/index.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { GroupCommit, settle, type Settled } from '../../lib/group-commit.ts';
import { asRequest, recordIdempotencyKey, type RequestKey } from '../../lib/idempotency.ts';
import { newId } from '../../lib/ids.ts';
import { newContactPhoneRows } from '../identifiers/identifiers.ts';
import { watchNewContactsPhones } from '../businesses/businesses.watch.ts';
import * as q from './contacts.queries.ts';

/**
 * Writing a recorded contact (issue #3, item 3; issue #13, item 3). The request checks, seals and builds
 * the contact first (contacts.service.ts); what needs the operation's turn — its next "Person N", the
 * re-check that it still runs, a retried `clientRef` — and the writes happen here, in a group commit:
 * contacts recorded at the same moment, in any operations, are written in one transaction with one
 * commit, each with its own audit rows (its officer, its request), its timeline event and its services,
 * numbered in the order they arrived. Each officer is answered only once their contact is committed.
 */

/** A contact ready to write: everything but its number and its time. */
export interface ContactToRecord {
  actor: Actor;
  meta: RequestMeta;
  /** The request's Idempotency-Key, recorded with the contact in the shared transaction. */
  key: RequestKey | undefined;
  /** The row as it will be written, sealed, less what the operation's turn decides. */
  row: Omit<ContactTable, 'person_number' | 'recorded_at' | 'updated_at'>;
  services: readonly { service: string; offered: boolean; accepted: boolean }[];
  phones: readonly string[];
  /** The fields the officer filled in (names only), for the audit row. */
  provided: string[];
}

/** What became of it: written now (`row`), or the contact a retry of the same `clientRef` had recorded. */
export interface Recorded {
  id: string;
  personNumber: number;
  created: boolean;
  row: ContactTable | null;
}

/** Attempts at a person number before giving up (each lost race means another officer got the number). */
const NUMBER_ATTEMPTS = 40;
/** As for tips: SQLite writes one batch at a time (its one connection), PostgreSQL two at once. */
const GROUP = { maxBatch: 32, concurrency: { sqlite: 1, postgres: 2 } } as const;

const recorders = new WeakMap<AppContext, GroupCommit<ContactToRecord, Recorded>>();
function recorderOf(ctx: AppContext) {
  let r = recorders.get(ctx);
  if (!r) {
    r = new GroupCommit({ maxBatch: GROUP.maxBatch, concurrency: GROUP.concurrency[ctx.dialect], write: (jobs: ContactToRecord[]) => recordContactsTogether(ctx, jobs) });
    recorders.set(ctx, r);
  }
  return r;
}

/** Writes one prepared contact, with whatever others arrive at the same moment. */
export function writeContact(ctx: AppContext, job: ContactToRecord): Promise<Recorded> {
  return recorderOf(ctx).submit(job);
}

/** How many group commits of each size this process wrote, by size (tests and benchmarks). */
export function contactBatchSizes(ctx: AppContext): number[] {
  return [...recorderOf(ctx).sizeCounts];
}

const whoOf = (job: ContactToRecord): Who => ({ actor: auditActor(job.actor), meta: job.meta });
const closedFor = (status: string) => conflict(`status: the operation is now ${status} (it was active when you asked); reload`, 'status');

/**
 * Writes contacts of one moment together. Numbers, re-checks and retries are decided for each contact in
 * turn, as if each had its own transaction: a contact whose operation closed meanwhile fails alone, and a
 * second contact with the same operation and `clientRef` is answered as a retry of the first. When the
 * batch cannot be written as a whole (a number or a key taken after all, a deadlock between batches), none
 * of it is kept and each contact is written on its own, under its own request.
 */
export async function recordContactsTogether(ctx: AppContext, jobs: ContactToRecord[]): Promise<Settled<Recorded>[]> {
  if (jobs.length === 1) return [await settle(recordAlone(ctx, jobs[0]!))];
  try {
    return await asRequest(undefined, () =>
      ctx.audit.transact(whoOf(jobs[0]!), async (tx) => {
        const operationIds = [...new Set(jobs.map((j) => j.row.operation_id))];
        const refs = [...new Set(jobs.flatMap((j) => (j.row.client_ref === null ? [] : [j.row.client_ref])))];
        const held = await q.holdManyForRecording(tx.db, ctx.dialect, operationIds, refs);
        const last = new Map([...held.operations].map(([id, o]) => [id, o.last]));
        const recorded = new Map<string, { id: string; personNumber: number }>(held.retries.map((r) => [refKey(r.operationId, r.clientRef), r]));
        const results: Settled<Recorded>[] = [];
        const staged: Staged[] = [];
        const keys: { key: RequestKey; action: string; recordId: string }[] = [];
        for (const job of jobs) {
          const operation = held.operations.get(job.row.operation_id);
          if (!operation) {
            results.push({ ok: false, error: notFound('operation') });
            continue;
          }
          if (operation.status !== 'active') {
            results.push({ ok: false, error: closedFor(operation.status) });
            continue;
          }
          const mine = auditingAs(tx, whoOf(job));
          const retry = job.row.client_ref === null ? undefined : recorded.get(refKey(job.row.operation_id, job.row.client_ref));
          if (retry) {
            auditReplay(mine, job, retry);
            results.push({ ok: true, value: { id: retry.id, personNumber: retry.personNumber, created: false, row: null } });
            if (job.key) keys.push({ key: job.key, action: 'contact.read', recordId: retry.id });
            continue;
          }
          const personNumber = last.get(job.row.operation_id)! + 1;
          last.set(job.row.operation_id, personNumber);
          const s = stage(mine, ctx, job, personNumber);
          staged.push(s);
          if (job.row.client_ref !== null) recorded.set(refKey(job.row.operation_id, job.row.client_ref), { id: s.row.id, personNumber });
          results.push({ ok: true, value: { id: s.row.id, personNumber, created: true, row: s.row } });
          if (job.key) keys.push({ key: job.key, action: 'contact.create', recordId: s.row.id });
        }
        await watchPhones(tx, ctx, staged);
        writeStaged(tx, staged);
        const now = ctx.clock.now();
        for (const k of keys) await recordIdempotencyKey(tx.db, now, [{ action: k.action, recordId: k.recordId }], k.key);
        return results;
      }),
    );
  } catch (err) {
    if (!spoiledByOne(err)) throw err;
    return Promise.all(jobs.map((job) => settle(recordAlone(ctx, job))));
  }
}

const refKey = (operationId: string, clientRef: string) => `${operationId}\n${clientRef}`;

/**
 * One contact in its own transaction, as the request it came from: the operation's turn (an advisory lock
 * on PostgreSQL, SQLite's single writer), and the (operation, person number) key, with a retry, as the
 * backstop.
 */
function recordAlone(ctx: AppContext, job: ContactToRecord): Promise<Recorded> {
  return asRequest(job.key, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ctx.audit.transact(whoOf(job), async (tx) => {
          // Officers recording into one operation take turns from here to the commit (on PostgreSQL; SQLite
          // has one writer already): without it, concurrent recordings picked the same next number, lost on
          // the unique key and retried, and at 200 contacts/s over eight operations those retries took a
          // third of the work and fed on themselves (bench/README.md, `operations`).
          // Re-checked where it is written: an operation closed since the request's check takes no more contacts.
          const held = await q.holdForRecording(tx.db, ctx.dialect, job.row.operation_id, job.row.client_ref);
          if (!held) throw notFound('operation');
          if (held.status !== 'active') throw closedFor(held.status);
          if (held.retry) {
            auditReplay(tx, job, held.retry);
            return { id: held.retry.id, personNumber: held.retry.personNumber, created: false, row: null };
          }
          const s = stage(tx, ctx, job, held.next);
          await watchPhones(tx, ctx, [s]);
          writeStaged(tx, [s]);
          return { id: s.row.id, personNumber: held.next, created: true, row: s.row };
        });
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= NUMBER_ATTEMPTS) throw err;
        // Another officer took this number (or this clientRef) a moment ago: read again and retry.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * Math.min(attempt, 5)));
      }
    }
  });
}

function auditReplay(tx: Tx, job: ContactToRecord, retry: { id: string; personNumber: number }) {
  tx.audit({ action: 'contact.read', recordType: 'contact', recordId: retry.id, recordAgencyId: job.row.agency_id, detail: { replay: true, personNumber: retry.personNumber } });
}

/** A contact's rows, ready to write with the others of its transaction. */
interface Staged {
  row: ContactTable;
  services: { contact_id: string; service: string; offered: number; accepted: number }[];
  event: { id: string; operation_id: string; agency_id: string; at: string; kind: string; actor_user_id: string; detail: string };
  index: ReturnType<typeof newContactPhoneRows>;
  /** The contact's own transaction (its request's audit rows), for its phones' watch. */
  tx: Tx;
  phones: readonly string[];
}

/** In the contact's transaction, under its operation's turn: numbers, dates and audits it. */
function stage(tx: Tx, ctx: AppContext, job: ContactToRecord, personNumber: number): Staged {
  const now = ctx.clock.now().toISOString();
  const row: ContactTable = { ...job.row, person_number: personNumber, recorded_at: now, updated_at: now };
  tx.audit({
    action: 'contact.create',
    recordType: 'contact',
    recordId: row.id,
    recordAgencyId: row.agency_id,
    changedFields: job.provided,
    detail: { operationId: row.operation_id, personNumber, role: job.row.role },
  });
  return {
    row,
    services: job.services.map((s) => ({ contact_id: row.id, service: s.service, offered: s.offered ? 1 : 0, accepted: s.accepted ? 1 : 0 })),
    event: {
      id: newId(),
      operation_id: row.operation_id,
      agency_id: row.agency_id,
      at: now,
      kind: 'contact_recorded',
      actor_user_id: job.actor.userId,
      detail: JSON.stringify({ personNumber, role: job.row.role, disposition: job.row.disposition }),
    },
    index: job.phones.length ? newContactPhoneRows(ctx, row, job.phones) : [],
    tx,
    phones: job.phones,
  };
}

/** The re-opening watch over the staged contacts' phones: one query for all of them (it reads no contact's own rows). */
async function watchPhones(tx: Tx, ctx: AppContext, staged: readonly Staged[]) {
  const withPhones = staged.filter((s) => s.phones.length > 0);
  if (withPhones.length) await watchNewContactsPhones(tx.db, ctx, withPhones.map((s) => ({ tx: s.tx, contact: s.row, phones: s.phones })));
}

/** The contacts, their services, timeline events and phones' index rows, sent with the audit rows (one statement on PostgreSQL). */
function writeStaged(tx: Tx, staged: Staged[]) {
  if (staged.length === 0) return;
  tx.insertAtEnd(insertRows('contact', staged.map((s) => s.row)));
  const services = staged.flatMap((s) => s.services);
  if (services.length) tx.insertAtEnd(insertRows('contact_service', services));
  tx.insertAtEnd(insertRows('operation_event', staged.map((s) => s.event)));
  const index = staged.flatMap((s) => s.index);
  if (index.length) tx.insertAtEnd(insertRows('record_identifier', index));
}

/** A failure one contact of a batch, or another batch, can cause: not every contact's to share. */
function spoiledByOne(err: unknown): boolean {
  return err instanceof AppError || isUniqueViolation(err) || isTransactionConflict(err);
}
