import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import type { Queryable } from './database.ts';
import { queryTemplate } from './template.ts';

describeEachDatabase('queryTemplate', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    await env.ctx.db
      .insertInto('tip_challenge_spent')
      .values(['t-a', 't-b', 't-c', 't-d'].map((challenge, i) => ({ challenge, expires_at: `2030-01-0${i + 1}T00:00:00.000Z` })))
      .execute();
  });
  afterAll(() => env.close());

  const built: string[] = [];
  const spentAmong = queryTemplate((db: Queryable, after: string, challenges: readonly string[]) => {
    built.push(challenges.length === 0 ? 'none' : String(challenges.length));
    return db
      .selectFrom('tip_challenge_spent')
      .select('challenge')
      .where('challenge', 'in', challenges.length ? challenges : [''])
      .where('expires_at', '>', after)
      .where('challenge', 'like', 't-%')
      .orderBy('challenge');
  });
  const direct = (after: string, challenges: string[]) =>
    env.ctx.db
      .selectFrom('tip_challenge_spent')
      .select('challenge')
      .where('challenge', 'in', challenges.length ? challenges : [''])
      .where('expires_at', '>', after)
      .where('challenge', 'like', 't-%')
      .orderBy('challenge')
      .execute();

  it('answers as the query built anew would, for each call’s values, building once per shape', async () => {
    built.length = 0;
    const calls: [string, string[]][] = [
      ['2029-01-01', ['t-a', 't-b']],
      ['2030-01-01T12:00:00.000Z', ['t-a', 't-b']],
      ['2029-01-01', ['t-c', 't-d']],
      ['2029-01-01', ['t-a', 't-c', 't-d']],
      ['2029-01-01', []],
      ['2031-01-01', ['t-a', 't-b', 't-c']],
    ];
    for (const [after, challenges] of calls) {
      expect(await spentAmong(env.ctx.db, after, challenges)).toEqual(await direct(after, challenges));
    }
    // Lists of 2, 3 and none: three shapes, each built once on this database.
    expect(built).toEqual(['2', '3', 'none']);
  });

  it('runs inside a transaction, and refuses a builder that does not pass a value through as a parameter', async () => {
    const rows = await env.ctx.db.transaction().execute((trx) => spentAmong(trx, '2029-01-01', ['t-d', 't-b']));
    expect(rows.map((r) => r.challenge)).toEqual(['t-b', 't-d']);
    const inspecting = queryTemplate((db: Queryable, challenge: string) =>
      // The builder looks at the value: the stand-in never reaches the statement.
      db.selectFrom('tip_challenge_spent').select('challenge').where('challenge', '=', challenge.startsWith('t-') ? challenge : 't-a'),
    );
    await expect(inspecting(env.ctx.db, 't-b')).rejects.toThrow(/did not reach the statement/);
  });
});
