import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { insertAll } from './batch.ts';

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
});
