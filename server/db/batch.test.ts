import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { insertAll, insertRows, isExpectationMissed, updateWhere, writeAll } from './batch.ts';

describeEachDatabase('insertAll', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend);
  });
  afterAll(() => env.close());

  const spent = (challenge: string) => env.ctx.db.selectFrom('tip_challenge_spent').select('challenge').where('challenge', 'like', `${challenge}%`).execute();

  it('inserts every batch member in one go and counts each one’s rows, a conflict skipped counting zero', async () => {
    await env.ctx.db.insertInto('tip_challenge_spent').values({ challenge: 'b-taken', expires_at: '2030-01-01T00:00:00.000Z' }).execute();
    const counts = await env.ctx.db.transaction().execute((trx) =>
      insertAll(env.ctx.dialect, trx, [
        trx.insertInto('tip_challenge_spent').values({ challenge: 'b-taken', expires_at: '2030-01-01T00:00:00.000Z' }).onConflict((oc) => oc.column('challenge').doNothing()),
        trx.insertInto('tip_challenge_spent').values([
          { challenge: 'b-1', expires_at: '2030-01-01T00:00:00.000Z' },
          { challenge: 'b-2', expires_at: '2030-01-01T00:00:00.000Z' },
        ]),
      ]),
    );
    expect(counts).toEqual([0, 2]);
    expect((await spent('b-')).map((r) => r.challenge).sort()).toEqual(['b-1', 'b-2', 'b-taken']);
  });

  it('a failing member fails the batch, and its transaction writes nothing', async () => {
    const run = env.ctx.db.transaction().execute((trx) =>
      insertAll(env.ctx.dialect, trx, [
        trx.insertInto('tip_challenge_spent').values({ challenge: 'c-new', expires_at: '2030-01-01T00:00:00.000Z' }),
        trx.insertInto('tip_challenge_spent').values({ challenge: 'b-taken', expires_at: '2030-01-01T00:00:00.000Z' }),
      ]),
    );
    await expect(run).rejects.toThrow();
    expect(await spent('c-')).toEqual([]);
  });

  const LATER = '2030-01-01T00:00:00.000Z';
  const queued = (prefix: string) =>
    env.ctx.db.selectFrom('tip_intake_queue').select(['id', 'receipt_hash', 'attempts', 'claim', 'error']).where('id', 'like', `${prefix}%`).orderBy('id').execute();
  const queueRow = (id: string, more: { claim?: string | null; error?: string } = {}) => ({ id, receipt_hash: `h-${id}`, payload: '{}', queued_at: LATER, attempts: 0, claim: null, ...more });

  it('plain rows count as builders do: a conflict skipped counts zero, and an update counts the rows it matched', async () => {
    await env.ctx.db.insertInto('tip_challenge_spent').values({ challenge: 'p-taken', expires_at: LATER }).execute();
    await env.ctx.db.insertInto('tip_intake_queue').values(queueRow('p-q1')).execute();
    const result = await env.ctx.db.transaction().execute((trx) =>
      writeAll(
        env.ctx.dialect,
        trx,
        [
          insertRows('tip_challenge_spent', [{ challenge: 'p-taken', expires_at: LATER }, { challenge: 'p-1', expires_at: LATER }], { onConflictDoNothing: 'challenge' }),
          insertRows('tip_intake_queue', [queueRow('p-q2'), queueRow('p-q3', { claim: 'c' })]),
        ],
        updateWhere('tip_intake_queue', { attempts: 4, error: 'late' }, { id: 'p-q1', attempts: 0 }),
      ),
    );
    expect(result).toEqual({ inserted: [1, 2], updated: 1 });
    expect((await spent('p-')).map((r) => r.challenge).sort()).toEqual(['p-1', 'p-taken']);
    expect(await queued('p-')).toEqual([
      { id: 'p-q1', receipt_hash: 'h-p-q1', attempts: 4, claim: null, error: 'late' },
      { id: 'p-q2', receipt_hash: 'h-p-q2', attempts: 0, claim: null, error: null },
      { id: 'p-q3', receipt_hash: 'h-p-q3', attempts: 0, claim: 'c', error: null },
    ]);
    // The update's condition no longer holds: it changes nothing, and says so.
    const again = await env.ctx.db.transaction().execute((trx) => writeAll(env.ctx.dialect, trx, [], updateWhere('tip_intake_queue', { attempts: 5 }, { id: 'p-q1', attempts: 0 })));
    expect(again.updated).toBe(0);
  });

  it('an update must say what to set and which rows', () => {
    expect(() => updateWhere('tip_intake_queue', { attempts: 1 }, {})).toThrow(/which rows/);
    expect(() => updateWhere('tip_intake_queue', {}, { id: 'x' })).toThrow(/what to set/);
    expect(() => updateWhere('tip_intake_queue', { attempts: 1 }, { id: undefined })).toThrow();
  });

  it('a second statement of the same shape writes its own values, and another number of rows its own statement', async () => {
    for (const ids of [['s-1', 's-2'], ['s-3', 's-4'], ['s-5']]) {
      const { inserted } = await env.ctx.db.transaction().execute((trx) => writeAll(env.ctx.dialect, trx, [insertRows('tip_intake_queue', ids.map((id) => queueRow(id)))]));
      expect(inserted).toEqual([ids.length]);
    }
    expect((await queued('s-')).map((r) => [r.id, r.receipt_hash])).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5'].map((id) => [id, `h-${id}`]));
  });

  it('rows that give different columns, or a value that is an expression, are built by Kysely and written alike', async () => {
    const { inserted } = await env.ctx.db.transaction().execute((trx) =>
      writeAll(env.ctx.dialect, trx, [
        // The second row leaves `error` out: it takes the column's default (null).
        insertRows('tip_intake_queue', [queueRow('d-1', { error: 'first' }), queueRow('d-2')]),
        insertRows('tip_intake_queue', [{ ...queueRow('d-3'), receipt_hash: sql<string>`'h-' || 'made'` as unknown as string }]),
      ]),
    );
    expect(inserted).toEqual([2, 1]);
    expect(await queued('d-')).toEqual([
      { id: 'd-1', receipt_hash: 'h-d-1', attempts: 0, claim: null, error: 'first' },
      { id: 'd-2', receipt_hash: 'h-d-2', attempts: 0, claim: null, error: null },
      { id: 'd-3', receipt_hash: 'h-made', attempts: 0, claim: null, error: null },
    ]);
  });

  if (backend === 'postgres') {
    it('outside a transaction, a member that writes other than the rows expected refuses the whole statement', async () => {
      await env.ctx.db.insertInto('tip_challenge_spent').values({ challenge: 'e-taken', expires_at: LATER }).execute();
      const write = (challenge: string) =>
        writeAll(
          env.ctx.dialect,
          env.ctx.db,
          [insertRows('tip_challenge_spent', [{ challenge, expires_at: LATER }], { onConflictDoNothing: 'challenge' }), insertRows('tip_intake_queue', [queueRow(`e-${challenge}`)])],
          undefined,
          [1, 1],
        );
      const refused = await write('e-taken').catch((err: unknown) => err);
      expect(isExpectationMissed(refused)).toBe(true);
      expect(await queued('e-')).toEqual([]);
      expect(await write('e-new')).toEqual({ inserted: [1, 1], updated: 0 });
      expect((await queued('e-')).map((r) => r.id)).toEqual(['e-e-new']);
      // A builder among the members: Kysely builds the statement, with the same guards.
      const built = writeAll(
        env.ctx.dialect,
        env.ctx.db,
        [env.ctx.db.insertInto('tip_challenge_spent').values({ challenge: 'e-taken', expires_at: LATER }).onConflict((oc) => oc.column('challenge').doNothing()), insertRows('tip_intake_queue', [queueRow('e-built')])],
        undefined,
        [1, 1],
      );
      expect(isExpectationMissed(await built.catch((err: unknown) => err))).toBe(true);
      expect((await queued('e-')).map((r) => r.id)).toEqual(['e-e-new']);
    });
  }
});
