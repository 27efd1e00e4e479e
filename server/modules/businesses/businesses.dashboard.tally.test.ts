import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { seedWorld, type World } from '../../test/fixtures.ts';
import type { Actor } from '../../auth/actor.ts';
import { AGENCY_KINDS, ROLES, type Role } from '../../../common/roles.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import { newId } from '../../lib/ids.ts';
import * as tally from './businesses.dashboard.queries.ts';
import * as scan from './businesses.dashboard.scan.test-support.ts';
import { insertTestBusiness, insertTestLandlord } from './businesses.watch.test-support.ts';

/**
 * The dashboard reads running counts that triggers keep (migration 0017). Whatever is written to the
 * businesses — entries, stage moves with their dates, a county corrected, a landlord found or changed, a
 * business deleted, stage events — the counts must say what a scan of the businesses says, for every
 * actor: the same visibility, the same numbers.
 */

/** A seeded generator, so that a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.LANTERN_TALLY_SEED ?? Date.now() % 100_000);
const COUNTIES = ['29095', '29077', '29189', '29510'];
const STAGES: BusinessStage[] = ['identified', 'verified', 'landlord_identified', 'landlord_notified', 'landlord_responded', 'lease_action', 'closed', 'civil_action', 'criminal_referral', 'cleared'];
/** Instants with fractions of a day, so that the tenths are rounded, not whole. */
const instant = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000).toISOString();

function actorOf(roles: Role[], kind: (typeof AGENCY_KINDS)[number], taskForceIds: string[]): Actor {
  return {
    userId: newId(),
    email: 'x@example.org',
    displayName: 'Generated',
    agencyId: newId(),
    agencyName: 'Generated',
    agencyKind: kind,
    roles: new Set(roles),
    platformAdmin: false,
    taskForceIds,
    sessionId: 'test',
    mustChangePassword: false,
  };
}

const sortRows = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describeEachDatabase('the campaign dashboard’s running counts against a scan of the businesses', (backend) => {
  let env: TestEnv;
  let world: World;
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  it(`entries, moves, corrections and deletions keep the counts equal to a scan, for generated actors (seed ${SEED})`, async () => {
    const db = env.ctx.db;
    const forces = [
      { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.coordinator.id },
      { agencyId: world.agencies.outsider, taskForceId: world.otherTaskForceId, createdBy: world.users.outsiderCoordinator.id },
    ];
    const landlords = new Map<string, string[]>();
    for (const f of forces) landlords.set(f.taskForceId, [await insertTestLandlord(db, env.ctx, f), await insertTestLandlord(db, env.ctx, f), await insertTestLandlord(db, env.ctx, f)]);
    /** Dates consistent with none, some or all of the steps, some of them on the same landlord. */
    const dates = (taskForceId: string) => {
      const notified = r() < 0.7 ? r() * 2000 : null;
      const later = (p: number) => (notified !== null && r() < p ? notified + r() * 2000 : null);
      return {
        landlordId: r() < 0.8 ? pick(landlords.get(taskForceId)!) : null,
        notifiedAt: notified === null ? null : instant(notified),
        respondedAt: ((h) => (h === null ? null : instant(h)))(later(0.6)),
        leaseActionAt: ((h) => (h === null ? null : instant(h)))(later(0.5)),
        // Now and then a closure dated before the notice: left out of the median, as the scan leaves it.
        closedAt: ((h) => (h === null ? null : instant(r() < 0.1 ? h - 3000 : h)))(later(0.5)),
      };
    };

    const ids: { id: string; taskForceId: string; bare: boolean }[] = [];
    for (let i = 0; i < 40; i++) {
      const f = pick(forces);
      const stage = pick(STAGES);
      const events = STAGES.filter((s) => (s === 'civil_action' || s === 'criminal_referral' || s === 'closed') && r() < 0.3).map((to) => ({ to, at: instant(r() * 4000) }));
      // Twice the same stage event now and then: a business is still counted once.
      if (events.length && r() < 0.3) events.push({ ...events[0]! });
      const bare = r() < 0.2;
      const id = await insertTestBusiness(db, env.ctx, { ...f, ...dates(f.taskForceId), stage, countyFips: pick(COUNTIES), ...(bare ? {} : { events }) });
      ids.push({ id, taskForceId: f.taskForceId, bare });
    }
    // Stage moves with their dates, county corrections, landlords found, other columns alone.
    for (let i = 0; i < 60; i++) {
      const b = pick(ids);
      const change = r();
      const set =
        change < 0.4
          ? { stage: pick(STAGES), ...dates(b.taskForceId) }
          : change < 0.6
            ? { county_fips: pick(COUNTIES) }
            : change < 0.8
              ? { landlord_id: pick(landlords.get(b.taskForceId)!) }
              : { name: `Renamed ${i}`, version: i + 2 };
      const row =
        'stage' in set
          ? { stage: set.stage, landlord_id: set.landlordId, notified_at: set.notifiedAt, responded_at: set.respondedAt, lease_action_at: set.leaseActionAt, closed_at: set.closedAt }
          : set;
      await db.updateTable('business').set(row).where('id', '=', b.id).execute();
      if (r() < 0.15) {
        b.bare = false;
        const to = pick(['civil_action', 'criminal_referral'] as const);
        await db
          .insertInto('business_event')
          .values({ id: newId(), business_id: b.id, agency_id: world.agencies.lead, at: instant(i), kind: 'stage', from_stage: null, to_stage: to, outcome: null, actor_user_id: null, detail: '{}' })
          .execute();
      }
    }
    // A business entered by mistake and deleted (one without events or facts: events are never deleted).
    const gone = ids.find((b) => b.bare);
    if (gone) {
      await db.deleteFrom('record_identifier').where('record_id', '=', gone.id).execute();
      await db.deleteFrom('business_event').where('business_id', '=', gone.id).execute();
      await db.deleteFrom('business').where('id', '=', gone.id).execute();
    }

    const both = [world.taskForceId, world.otherTaskForceId];
    const actors = [
      actorOf(['coordinator'], 'law_enforcement', [world.taskForceId]),
      actorOf(['officer'], 'prosecutor', [world.otherTaskForceId]),
      actorOf(['analyst'], 'federal', both),
      actorOf(['advocate'], 'victim_services', both),
      actorOf(['coordinator'], 'law_enforcement', []),
      ...Array.from({ length: 12 }, () => actorOf([pick(ROLES), pick(ROLES)], pick(AGENCY_KINDS), both.filter(() => r() < 0.6))),
    ];
    let seen = 0;
    for (const actor of actors) {
      const who = `${[...actor.roles].join('+')} of a ${actor.agencyKind} agency in ${actor.taskForceIds.length} task force(s)`;
      const [stages, expectedStages] = [await tally.countByCountyAndStage(db, actor), await scan.countByCountyAndStage(db, actor)];
      expect(sortRows(stages), who).toEqual(sortRows(expectedStages));
      expect(await tally.countLandlords(db, actor), who).toEqual(await scan.countLandlords(db, actor));
      const reached = await tally.countReachedByEvents(db, actor);
      const expectedReached = await scan.countReachedByEvents(db, actor, ['civil_action', 'criminal_referral']);
      for (const stage of ['civil_action', 'criminal_referral']) expect(reached.get(stage) ?? 0, `${who}: ${stage}`).toBe(expectedReached.get(stage));
      const histogram = new Map((await tally.closureHistogram(db, actor)).map((h) => [h.tenths, h.businesses]));
      const expectedHistogram = new Map<number, number>();
      for (const d of await scan.noticeToClosure(db, actor)) {
        const tenths = Math.round((Date.parse(d.closedAt) - Date.parse(d.notifiedAt)) / 8_640_000);
        if (tenths >= 0) expectedHistogram.set(tenths, (expectedHistogram.get(tenths) ?? 0) + 1);
      }
      expect(histogram, who).toEqual(expectedHistogram);
      seen += expectedStages.reduce((s, g) => s + g.businesses, 0);
    }
    // The generated set was seen by someone: the comparison was not of empty sets.
    expect(seen).toBeGreaterThan(0);
  });
});
