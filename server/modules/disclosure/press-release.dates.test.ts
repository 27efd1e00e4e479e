import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { draftOperation, recordContact, suspect } from '../../test/operations-fixtures.ts';

/**
 * Issue 9, item 8: a release says when the operation actually ran — from the day it was made active to
 * the day it was closed, in the task force's time zone — never the day it was planned for.
 */
describeEachDatabase('press release dates', (backend) => {
  let env: TestEnv;
  let world: World;
  // Signs in afresh: the clock jumps weeks between steps, past any session's life.
  const client = async (user: TestUser) => as(env, await signIn(env, user));

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  it('says the days it ran while running and once closed, in both languages, never the planned day', async () => {
    // Planned for the evening of March 1 (Central time); started three days late, closed two days later.
    const planned = await draftOperation(client, world, { startsAt: '2026-03-02T00:00:00.000Z', endsAt: '2026-03-02T08:00:00.000Z' });
    expect((await (await client(world.users.coordinator)).post(`/api/operations/${planned.id}/approve`)).statusCode).toBe(200);
    env.clock.set('2026-03-05T02:00:00.000Z');
    expect((await (await client(world.users.coordinator)).post(`/api/operations/${planned.id}/activate`)).statusCode).toBe(200);
    await recordContact(await client(world.users.officer), planned.id, suspect());

    const pio = await client(world.users.pio);
    const running = body(await pio.post(`/api/operations/${planned.id}/press-releases`, {}));
    expect(running.en.body).toContain('starting March 4, 2026');
    expect(running.es.body).toContain('a partir del 4 de marzo de 2026');
    expect(running.problems).toEqual([]);

    env.clock.set('2026-03-06T15:00:00.000Z');
    expect((await (await client(world.users.coordinator)).post(`/api/operations/${planned.id}/close`)).statusCode).toBe(200);
    const closed = body(await (await client(world.users.pio)).post(`/api/operations/${planned.id}/press-releases`, {}));
    expect(closed.en.body).toContain('from March 4 to March 6, 2026');
    expect(closed.es.body).toContain('del 4 al 6 de marzo de 2026');
    expect(closed.en.body).not.toContain('March 1');
    expect(closed.problems).toEqual([]);
  });
});
