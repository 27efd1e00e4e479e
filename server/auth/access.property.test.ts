import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPERATION_STATUSES, REFERRAL_STATUSES } from '../../common/operations.ts';
import { ROLES } from '../../common/roles.ts';
import { TIP_STATUSES } from '../../common/tips.ts';
import { actorOf, agree, buildWorld, insertWorld } from '../test/access-world.ts';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';

/**
 * One grant, two forms (STYLE.md): for every grant of every module, on a real database of each kind, the
 * SQL filter returns exactly the rows whose loaded record the predicate allows — a record is listed iff
 * it may be read. The world (`test/access-world.ts`) holds every kind of record: operations in every
 * status and of every owner, contacts of every role and age band, sealed minors, hand-offs received or
 * not, referrals in every status, releases with every set of approvals. The actors are every role at
 * every agency, then actors drawn by fast-check (several roles, platform administrators, anyone's
 * assignments).
 */
describeEachDatabase('every grant: the predicate allows exactly the rows the SQL filter lists', (backend) => {
  let env: TestEnv;
  const world = buildWorld();

  beforeAll(async () => {
    env = await startTestEnv(backend);
    await insertWorld(env.ctx.db, world);
  });
  afterAll(async () => {
    await env.close();
  });

  it('the world has every kind of record the grants tell apart', () => {
    expect(new Set(world.ops.map((o) => o.status))).toEqual(new Set(OPERATION_STATUSES));
    expect(new Set(world.referrals.map((r) => r.status))).toEqual(new Set(REFERRAL_STATUSES));
    expect(new Set(world.handoffs.map((h) => h.received))).toEqual(new Set([true, false]));
    expect(world.contacts.some((c) => c.role !== 'minor' && ['12_to_14', '15_to_17', 'under_5'].includes(c.ageBand))).toBe(true);
    expect(world.contacts.some((c) => c.role === 'minor' && c.ageBand === 'unknown')).toBe(true);
    expect(new Set(world.tips.map((t) => t.status))).toEqual(new Set(TIP_STATUSES));
    expect(world.tips.some((t) => t.sharedWith.length > 0) && world.tips.some((t) => t.sharedWith.length === 0)).toBe(true);
  });

  it('for every role at every agency, and the platform administrator', async () => {
    for (const u of world.users) await agree(env.ctx.db, world, actorOf(u));
  });

  it('for actors drawn at random: several roles, platform administrators, anyone’s assignments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...world.users),
        fc.subarray([...ROLES]),
        fc.boolean(),
        async (u, roles, platform) => {
          await agree(env.ctx.db, world, actorOf(u, { roles: new Set(roles), platformAdmin: platform }));
        },
      ),
      { numRuns: 25 },
    );
  });
});
