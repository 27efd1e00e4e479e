import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSINESS_STAGES, BUSINESS_TRANSITIONS, STAGE_OUTCOMES, type BusinessStage } from '../../../common/businesses.ts';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { loadActor } from '../../auth/actor.ts';
import { newId } from '../../lib/ids.ts';
import { advanceStage } from './businesses.pipeline.ts';
import { addAttorneyGeneral, insertIndicator, insertLandlord, insertPipelineBusiness, type PipelineBusiness } from './businesses.pipeline.test-support.ts';

/** The pipeline (issue #11, item 5) and clearing (item 2): every transition, the refusals, who may, and the history. */
describeEachDatabase('the business pipeline', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let ag: { agencyId: string; coordinator: TestUser; analyst: TestUser };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    ag = await addAttorneyGeneral(env, world);
  });
  afterAll(() => env.close());

  const business = (over: Partial<PipelineBusiness> = {}) =>
    insertPipelineBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id, ...over });
  const stored = (id: string) => env.ctx.db.selectFrom('business').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = (id: string) => env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', id).orderBy('at').orderBy('id').execute();
  const landlord = () => insertLandlord(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.coordinator.id });
  /** A business at `stage`, with what that stage's next steps need (a verified indicator, a landlord). */
  async function ready(stage: BusinessStage) {
    const b = await business({ stage, landlordId: await landlord(), outcome: STAGE_OUTCOMES[stage]?.[0] ?? null });
    await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id, verifiedBy: world.users.analyst.id });
    return b;
  }
  const payload = (to: BusinessStage, version: number) => ({
    to,
    version,
    ...(STAGE_OUTCOMES[to] ? { outcome: STAGE_OUTCOMES[to][0] } : {}),
    ...(to === 'landlord_notified' ? { note: 'Served by hand at the property office' } : {}),
  });

  it('takes every allowed transition: the stage, outcome and version move, the change is dated, evented and audited', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    let n = 0;
    for (const from of BUSINESS_STAGES) {
      for (const to of BUSINESS_TRANSITIONS[from]) {
        const b = await ready(from);
        env.clock.advance(1000);
        const res = await coordinator.post(`/api/businesses/${b.id}/stage`, payload(to, 1));
        expect(res.statusCode, `${from} → ${to}: ${res.body}`).toBe(200);
        const outcome = STAGE_OUTCOMES[to]?.[0] ?? null;
        expect(body(res)).toEqual({ id: b.id, stage: to, outcome, version: 2, nextStages: [...BUSINESS_TRANSITIONS[to]] });
        const row = await stored(b.id);
        const at = env.clock.now().toISOString();
        expect(row).toMatchObject({ stage: to, outcome, version: 2, stage_changed_at: at });
        const [event] = (await events(b.id)).filter((e) => e.kind === 'stage');
        expect(event).toMatchObject({ from_stage: from, to_stage: to, outcome, actor_user_id: world.users.coordinator.id, at });
        const [audit] = await auditRows(env, 'business.advance', b.id);
        expect(audit).toMatchObject({ actor_user_id: world.users.coordinator.id, record_agency_id: world.agencies.lead, record_type: 'business' });
        expect(JSON.parse(audit!.detail!)).toMatchObject({ from, to, outcome });
        n++;
      }
    }
    expect(n).toBe(Object.values(BUSINESS_TRANSITIONS).flat().length);
  });

  /** Businesses closed in a county, as the public statistics count them. */
  const closedCounted = async (county: string) =>
    (await env.ctx.db.selectFrom('stat_atom').select('value').where('family', '=', 'businesses_closed').where('county_fips', '=', county).execute()).reduce((n, a) => n + Number(a.value), 0);

  it('dates the milestones: notified with a response deadline from the template, responded, the first lease action and closure', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const b = await ready('landlord_identified');
    const closedBefore = await closedCounted((await stored(b.id)).county_fips);
    const notified = await coordinator.post(`/api/businesses/${b.id}/stage`, payload('landlord_notified', 1));
    expect(notified.statusCode, notified.body).toBe(200);
    let row = await stored(b.id);
    const now = env.clock.now().toISOString();
    // The test clock is 2026-01-15 in Missouri; no template yet: 30 days.
    expect(row).toMatchObject({ notified_at: now, response_due: '2026-02-14' });
    const [ev] = (await events(b.id)).filter((e) => e.kind === 'stage');
    expect(JSON.parse(ev!.detail)).toEqual({ note: 'Served by hand at the property office', responseDue: '2026-02-14' });

    env.clock.advance(60_000);
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_responded', outcome: 'committed', version: 2 })).statusCode).toBe(200);
    row = await stored(b.id);
    expect(row.responded_at).toBe(env.clock.now().toISOString());
    env.clock.advance(60_000);
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'lease_action', outcome: 'eviction_filed', version: 3 })).statusCode).toBe(200);
    const leaseAt = env.clock.now().toISOString();
    env.clock.advance(60_000);
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'closed', outcome: 'evicted', version: 4 })).statusCode).toBe(200);
    const closedAt = env.clock.now().toISOString();
    env.clock.advance(60_000);
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'civil_action', version: 5 })).statusCode).toBe(200);
    env.clock.advance(60_000);
    // Closed again after the suit: the first closure's date stands (the dashboard measures notice to closure).
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'closed', outcome: 'vacated', version: 6 })).statusCode).toBe(200);
    row = await stored(b.id);
    expect(row).toMatchObject({ stage: 'closed', outcome: 'vacated', version: 7, lease_action_at: leaseAt, closed_at: closedAt, notified_at: now });
    // Counted once for the public statistics, in its county, though it closed twice.
    expect((await closedCounted(row.county_fips)) - closedBefore).toBe(1);
  });

  it('takes the template’s response days, and a letter’s own deadline and date through advanceStage in the caller’s transaction', async () => {
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('notice_template')
      .values({ id: newId(), task_force_id: world.taskForceId, agency_id: ag.agencyId, version: 1, title: 'Notice', body: '{{owner}}', legal_basis: 'RSMo 567.080', response_days: 14, updated_by: ag.coordinator.id, updated_at: now })
      .execute();
    const coordinator = await signedIn(world.users.coordinator);
    const a = await ready('landlord_identified');
    expect((await coordinator.post(`/api/businesses/${a.id}/stage`, payload('landlord_notified', 1))).statusCode).toBe(200);
    expect((await stored(a.id)).response_due).toBe('2026-01-29');

    // The letters' work: a letter recorded as sent on its own date, with the deadline it printed.
    const b = await ready('landlord_identified');
    const actor = await loadActor(env.ctx.db, ag.coordinator.id);
    const sentAt = '2026-01-10T16:00:00.000Z';
    const moved = await env.ctx.audit.transact({ actor: { userId: actor.userId, agencyId: actor.agencyId }, meta: { ip: null, userAgent: null, requestId: null } }, (tx) =>
      advanceStage(tx, env.ctx, actor, { businessId: b.id, to: 'landlord_notified', at: sentAt, responseDue: '2026-02-09', note: 'Letter HOPE-2026-0001 sent' }),
    );
    expect(moved).toEqual({ stage: 'landlord_notified', version: 2 });
    expect(await stored(b.id)).toMatchObject({ notified_at: sentAt, response_due: '2026-02-09', stage_changed_at: sentAt });
    expect((await auditRows(env, 'business.advance', b.id))[0]).toMatchObject({ actor_user_id: ag.coordinator.id });
    await env.ctx.db.deleteFrom('notice_template').execute();

    // By hand, with the deadline the notice gave; only the notice takes one, and not before its day.
    const c = await ready('landlord_identified');
    const early = await coordinator.post(`/api/businesses/${c.id}/stage`, { ...payload('landlord_notified', 1), responseDue: '2026-01-14' });
    expect(early.statusCode).toBe(400);
    expect(body(early).error).toMatchObject({ field: 'responseDue' });
    const given = await coordinator.post(`/api/businesses/${c.id}/stage`, { ...payload('landlord_notified', 1), responseDue: '2026-02-20' });
    expect(given.statusCode, given.body).toBe(200);
    expect((await stored(c.id)).response_due).toBe('2026-02-20');
    const d = await ready('identified');
    const wrong = await coordinator.post(`/api/businesses/${d.id}/stage`, { to: 'verified', version: 1, responseDue: '2026-02-20' });
    expect(wrong.statusCode).toBe(400);
    expect(body(wrong).error).toMatchObject({ field: 'responseDue' });
  });

  it('refuses out-of-order changes (409 out_of_order) naming the allowed next stages; nothing is written', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const cases: [BusinessStage, BusinessStage, string][] = [
      ['identified', 'landlord_notified', 'verified'],
      ['identified', 'closed', 'verified'],
      ['verified', 'landlord_notified', 'landlord identified'],
      ['landlord_notified', 'lease_action', 'landlord responded'],
      ['landlord_responded', 'closed', 'lease action, civil action, criminal referral'],
      ['closed', 'lease_action', 'civil action, criminal referral'],
      ['criminal_referral', 'civil_action', 'closed'],
      ['verified', 'identified', 'landlord identified'],
    ];
    for (const [from, to, allowed] of cases) {
      const b = await ready(from);
      const before = await tableCounts(env.ctx, ['business_event', 'audit_event']);
      const res = await coordinator.post(`/api/businesses/${b.id}/stage`, payload(to, 1));
      expect(res.statusCode, `${from} → ${to}`).toBe(409);
      expect(body(res).error).toMatchObject({ code: 'out_of_order', field: 'to' });
      expect(body(res).error.message).toContain(`can move next to ${allowed}`);
      expect((await stored(b.id)).stage).toBe(from);
      expect(await tableCounts(env.ctx, ['business_event', 'audit_event'])).toEqual(before);
    }
    const cleared = await business({ stage: 'cleared' });
    const res = await coordinator.post(`/api/businesses/${cleared.id}/stage`, { to: 'verified', version: 1 });
    // A cleared business is out of the pipeline: the advance grant itself does not reach it.
    expect(res.statusCode).toBe(403);
    const toCleared = await coordinator.post(`/api/businesses/${(await ready('identified')).id}/stage`, { to: 'cleared', version: 1 });
    expect(body(toCleared).error).toMatchObject({ code: 'out_of_order', field: 'to' });
    expect(body(toCleared).error.message).toContain('/clear');
  });

  it('requires the outcome a stage has, from its allowed values, and refuses one where the stage has none (400 outcome)', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const responded = await ready('landlord_notified');
    let res = await coordinator.post(`/api/businesses/${responded.id}/stage`, { to: 'landlord_responded', version: 1 });
    expect(res.statusCode).toBe(400);
    expect(body(res).error).toMatchObject({ field: 'outcome' });
    expect(body(res).error.message).toContain('committed, refused, no_response');
    res = await coordinator.post(`/api/businesses/${responded.id}/stage`, { to: 'landlord_responded', outcome: 'maybe', version: 1 });
    expect(res.statusCode).toBe(400);
    expect(body(res).error.message).toContain('must be one of committed, refused, no_response');
    const lease = await ready('landlord_responded');
    res = await coordinator.post(`/api/businesses/${lease.id}/stage`, { to: 'lease_action', outcome: 'evicted', version: 1 });
    expect(body(res).error.message).toContain('non_renewal, termination, eviction_filed');
    const closing = await ready('lease_action');
    res = await coordinator.post(`/api/businesses/${closing.id}/stage`, { to: 'closed', version: 1 });
    expect(body(res).error.message).toContain('evicted, vacated');
    const verifying = await ready('identified');
    res = await coordinator.post(`/api/businesses/${verifying.id}/stage`, { to: 'verified', outcome: 'committed', version: 1 });
    expect(res.statusCode).toBe(400);
    expect(body(res).error).toMatchObject({ field: 'outcome' });
    // By hand, the landlord's notice needs a note saying how.
    const notifying = await ready('landlord_identified');
    res = await coordinator.post(`/api/businesses/${notifying.id}/stage`, { to: 'landlord_notified', version: 1 });
    expect(res.statusCode).toBe(400);
    expect(body(res).error).toMatchObject({ field: 'note' });
  });

  it('records "no response" only once the deadline has passed', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const b = await ready('landlord_notified');
    await env.ctx.db.updateTable('business').set({ response_due: '2026-01-15' }).where('id', '=', b.id).execute();
    let res = await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_responded', outcome: 'no_response', version: 1 });
    expect(res.statusCode).toBe(409);
    expect(body(res).error).toMatchObject({ field: 'outcome' });
    expect(body(res).error.message).toContain('until 2026-01-15');
    await env.ctx.db.updateTable('business').set({ response_due: '2026-01-14' }).where('id', '=', b.id).execute();
    res = await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_responded', outcome: 'no_response', version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    // A silence recorded is not an answer: the landlord does not count among those who responded.
    expect(await stored(b.id)).toMatchObject({ stage: 'landlord_responded', outcome: 'no_response', responded_at: null });
  });

  it('verifies a business only once a second person verified one of its standing indicators (409 otherwise)', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const b = await business();
    const unverified = await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id });
    await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id, verifiedBy: world.users.analyst.id, withdrawn: true });
    // One person's word twice over (as an import might store it) is not a second person's.
    await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.analyst.id, verifiedBy: world.users.analyst.id });
    let res = await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 });
    expect(res.statusCode).toBe(409);
    expect(body(res).error.message).toContain('a second person has verified at least one of its indicators');
    const analyst = await signedIn(world.users.analyst);
    expect((await analyst.post(`/api/business-indicators/${unverified.id}/verify`, { version: 1 })).statusCode).toBe(200);
    res = await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('marks the landlord identified only once a landlord is entered (409 "enter the landlord first")', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const b = await business({ stage: 'verified' });
    const res = await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_identified', version: 1 });
    expect(res.statusCode).toBe(409);
    expect(body(res).error).toMatchObject({ field: 'landlord' });
    expect(body(res).error.message).toContain('enter the landlord first');
    await env.ctx.db.updateTable('business').set({ landlord_id: await landlord() }).where('id', '=', b.id).execute();
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'landlord_identified', version: 1 })).statusCode).toBe(200);
  });

  it('refuses a stale version (409 version) saying what the business is now', async () => {
    const lostRace = (res: Parameters<typeof body>[0] & { statusCode: number }, now: string) => {
      expect(res.statusCode).toBe(409);
      expect(body(res).error).toMatchObject({ code: 'conflict', field: 'version' });
      expect(body(res).error.message).toContain(`it is now ${now}`);
    };
    const coordinator = await signedIn(world.users.coordinator);
    const b = await ready('identified');
    expect((await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 })).statusCode).toBe(200);
    lostRace(await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 }), 'verified');
    // Cleared since the coordinator read it: the same 409, though the advance grant no longer reaches it.
    const analyst = await signedIn(world.users.analyst);
    const c = await ready('identified');
    expect((await analyst.post(`/api/businesses/${c.id}/clear`, { reason: 'Licensed', version: 1 })).statusCode).toBe(200);
    lostRace(await coordinator.post(`/api/businesses/${c.id}/stage`, { to: 'verified', version: 1 }), 'cleared');
  });

  it('lets the keepers’ coordinators and analysts and the attorney general’s staff advance; others 403; another task force 404', async () => {
    const allowed = [world.users.coordinator, world.users.analyst, ag.coordinator, ag.analyst];
    for (const user of allowed) {
      const b = await ready('identified');
      const res = await (await signedIn(user)).post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 });
      expect(res.statusCode, `${user.email}: ${res.body}`).toBe(200);
    }
    const b = await ready('identified');
    // Campaign staff who read it but do not keep it: an officer, the partner agency's officer and coordinator.
    for (const user of [world.users.officer, world.users.partnerOfficer, world.users.partnerCoordinator]) {
      const res = await (await signedIn(user)).post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 });
      expect(res.statusCode, user.email).toBe(403);
      expect(body(res).error.code).toBe('forbidden');
    }
    // Not in the campaign's task force, or not campaign staff: the business does not exist for them.
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker]) {
      const client = await signedIn(user);
      expect((await client.post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 })).statusCode, user.email).toBe(404);
      expect((await client.post(`/api/businesses/${b.id}/clear`, { reason: 'x', version: 1 })).statusCode, user.email).toBe(404);
      expect((await client.get(`/api/businesses/${b.id}/events`)).statusCode, user.email).toBe(404);
    }
    expect((await stored(b.id)).stage).toBe('identified');
  });

  it('clears a legitimate business with its reason: in its history as plainly as a flag, audited; a later business at the address starts clean', async () => {
    const analyst = await signedIn(world.users.analyst);
    const b = await business({ stage: 'verified', name: 'Lotus Spa', address: '700 Elm St' });
    const ind = await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id, verifiedBy: world.users.coordinator.id, indicator: 'late_hours' });
    env.clock.advance(1000);
    const res = await analyst.post(`/api/businesses/${b.id}/clear`, { reason: 'State massage-therapy license verified; hours posted are 9 to 9', version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toEqual({ id: b.id, stage: 'cleared', outcome: null, version: 2, nextStages: [] });
    const now = env.clock.now().toISOString();
    expect(await stored(b.id)).toMatchObject({ stage: 'cleared', cleared_at: now, cleared_by: world.users.analyst.id, cleared_reason: 'State massage-therapy license verified; hours posted are 9 to 9', version: 2 });
    const history = body(await (await signedIn(world.users.partnerOfficer)).get(`/api/businesses/${b.id}/events`));
    expect(history.items.at(-1)).toMatchObject({ kind: 'cleared', fromStage: 'verified', toStage: 'cleared', by: 'Test analyst', at: now, detail: { reason: 'State massage-therapy license verified; hours posted are 9 to 9' } });
    const [audit] = await auditRows(env, 'business.clear', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('license');

    // The flag stays with the cleared business's id; a therapist who later leases the address starts at zero.
    const later = await business({ name: 'Healing Hands Therapy', address: '700 Elm St' });
    const theirs = body(await analyst.get(`/api/businesses/${later.id}/indicators`));
    expect(theirs).toEqual({ items: [], score: { score: 0, reasons: [] } });
    const cleared = body(await analyst.get(`/api/businesses/${b.id}/indicators`));
    expect(cleared.items.map((i: { id: string }) => i.id)).toEqual([ind.id]);

    // Cleared once: no second clearing, no stage change, no new indicator.
    const again = await analyst.post(`/api/businesses/${b.id}/clear`, { reason: 'again', version: 2 });
    expect(again.statusCode).toBe(409);
    expect(body(again).error.message).toContain('already cleared');
  });

  it('clears only until the landlord is notified (409 naming the stages), and only by the keepers’ coordinators and analysts', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const notified = await business({ stage: 'landlord_notified' });
    const res = await coordinator.post(`/api/businesses/${notified.id}/clear`, { reason: 'Licensed', version: 1 });
    expect(res.statusCode).toBe(409);
    expect(body(res).error).toMatchObject({ field: 'stage' });
    expect(body(res).error.message).toContain('identified, verified, landlord identified');
    const b = await business();
    for (const user of [world.users.officer, world.users.partnerOfficer, world.users.partnerCoordinator]) {
      expect((await (await signedIn(user)).post(`/api/businesses/${b.id}/clear`, { reason: 'Licensed', version: 1 })).statusCode, user.email).toBe(403);
    }
    const stale = await coordinator.post(`/api/businesses/${b.id}/clear`, { reason: 'Licensed', version: 3 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error.field).toBe('version');
    expect((await (await signedIn(ag.analyst)).post(`/api/businesses/${b.id}/clear`, { reason: 'Licensed', version: 1 })).statusCode).toBe(200);
    expect(body(await coordinator.post(`/api/businesses/${b.id}/clear`, { version: 2 })).error.field).toBe('reason');
  });

  it('shows the dated history with who did what, to every reader of the business, as an audited read', async () => {
    const b = await ready('identified');
    const coordinator = await signedIn(world.users.coordinator);
    await coordinator.post(`/api/businesses/${b.id}/stage`, { to: 'verified', version: 1 });
    const reader = await signedIn(world.users.partnerOfficer);
    const res = await reader.get(`/api/businesses/${b.id}/events`);
    expect(res.statusCode).toBe(200);
    expect(body(res).items).toEqual([
      { id: expect.any(String), at: env.clock.now().toISOString(), kind: 'stage', fromStage: 'identified', toStage: 'verified', outcome: null, by: 'Test coordinator', detail: {} },
    ]);
    const [audit] = await auditRows(env, 'business.read', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.partnerOfficer.id });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ view: 'events' });
    expect((await reader.get(`/api/businesses/${newId()}/events`)).statusCode).toBe(404);
  });
});
