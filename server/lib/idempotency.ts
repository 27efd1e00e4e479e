import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { Kysely } from 'kysely';
import type { Trx } from '../db/database.ts';
import type { DB, IdempotencyKeyRow } from '../db/schema/index.ts';
import type { Clock } from './clock.ts';
import { decryptField, encryptField, fieldContext, sha256Hex, type Keyring } from './crypto.ts';
import { AppError, invalid } from './errors.ts';
import { newId } from './ids.ts';
import { seal, unseal } from './sealed.ts';

/**
 * Every create is safe to resend (issue #13, item 4). A create sent with an `Idempotency-Key` header
 * records the key in the same transaction as the record (and its audit rows), so of a create and its
 * key either both commit or neither does: a reply lost after the commit (a killed process, a dropped
 * connection) is answered on resend with the original status and body, and never makes a second record.
 *
 * - The key belongs to the signed-in user (`user:<id>`): another user's same key is another key.
 * - The same key with another request (method, path or body) is refused, 422.
 * - Two sends at once: the second waits on the first's key (PostgreSQL's unique index holds it until the
 *   first commits; SQLite has one writer), rolls back, and answers the first's reply, or 409 if it is
 *   not recorded within a moment.
 * - The reply is recorded just after the commit; a process killed in between leaves the key without a
 *   reply, and a resend answers 409 `idempotency_reply_lost` naming the record that was created.
 *
 * The public tip route (no user): the reply holds the tipster's receipt, the one secret to the tip's
 * status page, which Lantern otherwise keeps only as a hash. There the key must be at least 32
 * characters, it is stored only as a hash, and the reply is encrypted under a key derived from the
 * client's key and the request: the database (and whoever holds Lantern's keys) cannot read the receipt,
 * and only a sender of the very same key and body, the proof of work included, is answered with it.
 */

/** Keys are kept this long; a resend after that is a new request. */
export const KEEP_KEYS_MS = 24 * 60 * 60_000;
/** A key without a reply younger than this is taken to be a request still running. */
const RUNNING_MS = 10_000;
/** How long a resend that lost the race waits for the first request's reply. */
const WAIT_FOR_REPLY_MS = 2_000;
const PUBLIC_MIN_LENGTH = 32;
const HEADER = 'idempotency-key';
const FIELD = 'Idempotency-Key';
const PRINTABLE = /^[\x20-\x7e]{1,200}$/;

interface PendingKey {
  scope: string;
  /** As stored: the key itself, or its hash on the public route. */
  key: string;
  /** The client's key (public replies are encrypted under it). */
  clientKey: string;
  isPublic: boolean;
  requestHash: string;
  /** The row this request inserted, once it has. */
  rowId: string | null;
  /**
   * Set once the handler has answered: work it started that runs on (an import, a queue drain) inherits
   * this context, but its writes are not the create the key names.
   */
  answered: boolean;
}

const pendingKey = new AsyncLocalStorage<PendingKey>();

/** What this module needs of the app context (not imported: the audit log, which the context wires, calls in here). */
interface KeyContext {
  db: Kysely<DB>;
  keyring: Keyring;
  clock: Clock;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: PendingKey;
  }
  interface FastifyContextConfig {
    /** Whether the route honours `Idempotency-Key`; by default every POST that answers 201 or 202 does. */
    idempotent?: boolean;
  }
}

const keyTaken = () => new AppError('idempotency_in_progress', 409, `${FIELD}: a request with this key is still being carried out; send it again shortly.`, FIELD);

/**
 * Records the current request's idempotency key, if it sent one, in `trx`: called by every audited
 * write transaction (AuditLog.transact) with its audit entries, after them. The first write of a
 * request claims the key; a later one finds its own row. A key another request holds throws 409 and
 * the transaction rolls back.
 */
export async function recordIdempotencyKey(
  trx: Trx,
  at: Date,
  entries: readonly { action: string; recordId?: string }[],
  pending: PendingKey | undefined = pendingKey.getStore(),
): Promise<void> {
  if (!pending || pending.answered) return;
  const id = newId(at.getTime());
  const created = entries.find((e) => e.recordId);
  const inserted = await trx
    .insertInto('idempotency_key')
    .values({
      id,
      scope: pending.scope,
      key: pending.key,
      request_hash: pending.requestHash,
      status: null,
      response: null,
      // The public route names nothing: its tip is the tipster's alone.
      created_record: created && !pending.isPublic ? JSON.stringify({ action: created.action, recordId: created.recordId }) : null,
      created_at: at.toISOString(),
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
    // A retried transaction (a lost unique race) inserts again under a new id: the last is the one that commits.
    pending.rowId = id;
    return;
  }
  const held = await trx.selectFrom('idempotency_key').select('id').where('scope', '=', pending.scope).where('key', '=', pending.key).executeTakeFirst();
  if (!held || held.id !== pending.rowId) throw keyTaken();
}

/** The key of the request being handled here, if it sent one: for a write done elsewhere (a group commit). */
export type RequestKey = PendingKey;
export function requestKeyHere(): RequestKey | undefined {
  const pending = pendingKey.getStore();
  return pending && !pending.answered ? pending : undefined;
}

/** Whether the request under way carries an Idempotency-Key its transaction is still to record. */
export function keyPending(): boolean {
  const pending = pendingKey.getStore();
  return !!pending && !pending.answered;
}

/**
 * Runs `work` as the request that `key` belongs to (none: as no request). A group commit writes several
 * requests' records in one transaction, outside every one of them, and records each one's key itself.
 */
export function asRequest<T>(key: RequestKey | undefined, work: () => T): T {
  return key ? pendingKey.run(key, work) : pendingKey.exit(work);
}

/** Deletes keys older than a day (a leased job, server/main.ts). */
export async function pruneIdempotencyKeys(ctx: KeyContext): Promise<void> {
  const cutoff = new Date(ctx.clock.now().getTime() - KEEP_KEYS_MS).toISOString();
  await ctx.db.deleteFrom('idempotency_key').where('created_at', '<', cutoff).execute();
}

/**
 * Whether a route takes the header: POSTs that create a record (answer 201) or start a job that makes
 * them (answer 202: a tip import, a batch of letters, a statistics publication), unless the route says
 * otherwise.
 */
function isCreateRoute(method: string | string[], schema: { response?: unknown } | undefined, config: { idempotent?: boolean } | undefined) {
  if (config?.idempotent !== undefined) return config.idempotent;
  const methods = Array.isArray(method) ? method : [method];
  const responses = schema?.response as Record<string | number, unknown> | undefined;
  return methods.includes('POST') && !!responses && [201, 202].some((status) => status in responses || String(status) in responses);
}

/** The public reply's own key: derived from the client's key and the request, never stored. */
function publicRing(pending: PendingKey): Keyring {
  const key = createHmac('sha256', pending.clientKey).update(`lantern-idempotency-reply:${pending.requestHash}`).digest();
  return { activeKeyId: 'idempotency', keys: new Map([['idempotency', key]]), source: 'the Idempotency-Key header' };
}

function sealReply(ctx: KeyContext, pending: PendingKey, rowId: string, json: string): string {
  if (pending.isPublic) return encryptField(publicRing(pending), json, fieldContext('idempotency_key', 'response', rowId));
  return seal(ctx.keyring, 'idempotency_key', 'response', rowId, json);
}

/** The recorded reply, or null when it cannot be read (a field key retired since: answered like a lost reply). */
function openReply(ctx: KeyContext, pending: PendingKey, row: IdempotencyKeyRow): unknown {
  try {
    const json = pending.isPublic
      ? decryptField(publicRing(pending), row.response!, fieldContext('idempotency_key', 'response', row.id))
      : unseal(ctx.keyring, 'idempotency_key', 'response', row.id, row.response!);
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function pendingOf(request: FastifyRequest): PendingKey | null {
  const header = request.headers[HEADER];
  if (header === undefined) return null;
  if (typeof header !== 'string' || !PRINTABLE.test(header) || header.trim() === '') {
    throw invalid(FIELD, 'must be 1 to 200 printable characters, sent once');
  }
  const isPublic = request.routeOptions.config?.access === 'public';
  if (isPublic && header.length < PUBLIC_MIN_LENGTH) throw invalid(FIELD, `must be at least ${PUBLIC_MIN_LENGTH} characters here (a random UUID will do)`);
  if (!isPublic && !request.actor) return null;
  const requestHash = createHash('sha256').update(JSON.stringify([request.method, request.url, request.body ?? null])).digest('hex');
  return {
    scope: isPublic ? 'public' : `user:${request.actor!.userId}`,
    key: isPublic ? sha256Hex(`lantern-idempotency-key:${header}`) : header,
    clientKey: header,
    isPublic,
    requestHash,
    rowId: null,
    answered: false,
  };
}

function findKey(ctx: KeyContext, pending: PendingKey) {
  return ctx.db.selectFrom('idempotency_key').selectAll().where('scope', '=', pending.scope).where('key', '=', pending.key).executeTakeFirst();
}

/** The answer to a resend whose key is already recorded: the first reply, 422, or 409. */
function answerRecorded(ctx: KeyContext, pending: PendingKey, row: IdempotencyKeyRow, reply: FastifyReply) {
  if (row.request_hash !== pending.requestHash) {
    throw new AppError('idempotency_key_reused', 422, `${FIELD}: this key was sent with a different request; use a new key for a new request.`, FIELD);
  }
  const body = row.status !== null && row.response !== null ? openReply(ctx, pending, row) : null;
  if (row.status !== null && body !== null) return reply.status(row.status).header('idempotent-replayed', 'true').send(body);
  if (ctx.clock.now().getTime() - Date.parse(row.created_at) < RUNNING_MS) throw keyTaken();
  const err = new AppError(
    'idempotency_reply_lost',
    409,
    `${FIELD}: the request with this key was carried out, but its reply was lost; look the record up rather than sending it again.`,
    FIELD,
  ) as AppError & { details?: unknown };
  if (row.created_record) err.details = JSON.parse(row.created_record) as unknown;
  throw err;
}

/**
 * Makes every create route honour `Idempotency-Key`: wraps each one's handler (registered before the
 * modules' routes) and records each reply of a request that claimed its key.
 */
export function installIdempotency(app: FastifyInstance, ctx: KeyContext): void {
  app.addHook('onRoute', (route) => {
    if (!isCreateRoute(route.method, route.schema, route.config as { idempotent?: boolean } | undefined)) return;
    const handler = route.handler as (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = async function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const pending = pendingOf(request);
      if (!pending) return handler.call(this, request, reply);
      const recorded = await findKey(ctx, pending);
      if (recorded) return answerRecorded(ctx, pending, recorded, reply);
      request.idempotency = pending;
      try {
        return await pendingKey.run(pending, () => handler.call(this, request, reply));
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'idempotency_in_progress')) throw err;
        // Lost the race to a send of the same key: answer with its reply once it is recorded.
        for (const until = Date.now() + WAIT_FOR_REPLY_MS; Date.now() < until; ) {
          const row = await findKey(ctx, pending);
          if (row && (row.status !== null || row.request_hash !== pending.requestHash)) return answerRecorded(ctx, pending, row, reply);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw err;
      } finally {
        pending.answered = true;
      }
    } as RouteHandlerMethod;
  });

  // The reply of a request that claimed its key, before it is sent: a resend gets the same. A 5xx is
  // not kept (a resend is told the reply was lost and which record was made).
  app.addHook('preSerialization', async (request, reply, payload) => {
    const pending = request.idempotency;
    if (!pending?.rowId || reply.statusCode >= 500) return payload;
    const rowId = pending.rowId;
    await ctx.db
      .updateTable('idempotency_key')
      .set({ status: reply.statusCode, response: sealReply(ctx, pending, rowId, JSON.stringify(payload)) })
      .where('id', '=', rowId)
      .where('status', 'is', null)
      .execute();
    return payload;
  });
}
