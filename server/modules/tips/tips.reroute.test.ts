import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, insertAgency, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { expectRefusal, raceRounds, roundsFor, statuses } from '../../test/race.ts';
import { loadActor } from '../../auth/actor.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { findVisibleTip } from './tips.reroute.queries.ts';
import { insertTip, insertTipShare } from './tips.test-support.ts';

describeEachDatabase('rerouting and sharing tips', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: ReturnType<typeof sessionCache>;
  /** A second law-enforcement agency of the task force, so two reroutes can race to different queues. */
  let sheriff: string;
  let sheriffAnalyst: TestUser;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    sheriff = await insertAgency(env, 'County Sheriff', 'law_enforcement');
    await env.ctx.db.insertInto('task_force_member').values({ task_force_id: world.taskForceId, agency_id: sheriff, joined_at: env.clock.now().toISOString() }).execute();
    sheriffAnalyst = await insertUser(env, sheriff, ['analyst']);
  });
  afterAll(() => env.close());

  const leadTip = (over: Partial<Parameters<typeof insertTip>[1]> = {}) => insertTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, ...over });
  const tipRow = (id: string) => env.ctx.db.selectFrom('tip').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sees = async (user: TestUser, tipId: string) => (await findVisibleTip(env.ctx.db, await loadActor(env.ctx.db, user.id), tipId)) !== undefined;
  const reroute = async (user: TestUser, tipId: string, payload: Record<string, unknown>) => (await signedIn(user)).post(`/api/tips/${tipId}/reroute`, payload);
  const share = async (user: TestUser, tipId: string, payload: Record<string, unknown>) => (await signedIn(user)).post(`/api/tips/${tipId}/share`, payload);
  const noticesOf = (tipId: string) => env.ctx.db.selectFrom('inbox_item').selectAll().where('record_type', '=', 'tip').where('record_id', '=', tipId).orderBy('audience').execute();

  it("a coordinator reroutes a tip to a partner agency's queue: it starts over there, with its history, audit and notices", async () => {
    const { id } = await leadTip({ status: 'assigned', version: 3, assignedUserId: world.users.analyst.id, zip: '64075', countyFips: '29095', narrative: 'The Sunrise Spa on Main keeps its workers inside.' });
    // The conversation and the identifiers belong to the tip's owner: they move with it.
    await signedIn(world.users.coordinator);
    const messageId = newId();
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('tip_message')
      .values({ id: messageId, tip_id: id, agency_id: world.agencies.lead, at: now, from_tipster: 1, user_id: null, body: seal(env.ctx.keyring, 'tip_message', 'body', messageId, 'More: a van comes at night.'), read_at: null })
      .execute();
    await env.ctx.db
      .insertInto('record_identifier')
      .values({ id: newId(), record_type: 'tip', record_id: id, parent_id: id, agency_id: world.agencies.lead, kind: 'phone', blind: 'blind-of-a-phone', created_at: now })
      .execute();
    expect(await sees(world.users.analyst, id)).toBe(true);

    const res = await reroute(world.users.coordinator, id, { agencyId: world.agencies.partner, reason: 'The spa is on the highway patrol’s stretch of Main.', version: 3 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toEqual({
      id,
      agency: { id: world.agencies.partner, name: 'Partner Highway Patrol' },
      status: 'new',
      version: 4,
      routing: {
        rule: 'rerouted',
        zip: '64075',
        countyFips: '29095',
        from: world.agencies.lead,
        to: world.agencies.partner,
        by: world.users.coordinator.id,
        at: now,
        previous: { rule: 'county', zip: '64075', countyFips: '29095' },
      },
      readable: false,
    });
    const stored = await tipRow(id);
    expect(stored).toMatchObject({ agency_id: world.agencies.partner, task_force_id: world.taskForceId, status: 'new', assigned_user_id: null, version: 4 });
    expect(JSON.parse(stored.routing)).toMatchObject({ rule: 'rerouted', from: world.agencies.lead, to: world.agencies.partner, by: world.users.coordinator.id });

    const events = await env.ctx.db.selectFrom('tip_event').selectAll().where('tip_id', '=', id).where('kind', '=', 'rerouted').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ agency_id: world.agencies.lead, actor_user_id: world.users.coordinator.id });
    expect(JSON.parse(events[0]!.detail)).toEqual({ from: world.agencies.lead, to: world.agencies.partner, reason: 'The spa is on the highway patrol’s stretch of Main.' });
    expect((await env.ctx.db.selectFrom('tip_message').select('agency_id').where('tip_id', '=', id).execute()).map((m) => m.agency_id)).toEqual([world.agencies.partner]);
    expect((await env.ctx.db.selectFrom('record_identifier').select('agency_id').where('record_id', '=', id).execute()).map((m) => m.agency_id)).toEqual([world.agencies.partner]);

    const [audit] = await auditRows(env, 'tip.reroute', id);
    expect(audit).toMatchObject({ actor_user_id: world.users.coordinator.id, record_type: 'tip', record_agency_id: world.agencies.lead, outcome: 'success' });
    expect(JSON.parse(audit!.detail)).toEqual({ from: world.agencies.lead, to: world.agencies.partner, fromStatus: 'assigned', version: 4 });
    expect(audit!.detail).not.toMatch(/Sunrise|highway patrol’s/);

    // The receiving queue's coordinators and analysts hear of it, without a word of the tip.
    const notices = await noticesOf(id);
    expect(notices.map((n) => [n.agency_id, n.audience, n.kind])).toEqual([
      [world.agencies.partner, 'analyst', 'tip.routed'],
      [world.agencies.partner, 'coordinator', 'tip.routed'],
    ]);
    expect(notices[0]).toMatchObject({ title: 'A tip was routed to your agency', body: `Open it in the tip queue: /tip-queue/${id}` });
    const inbox = body(await (await signedIn(world.users.partnerAnalyst)).get('/api/inbox'));
    expect(inbox.items.map((i: { recordId: string }) => i.recordId)).toContain(id);

    // The old queue no longer sees it; the new one does, and may move it on.
    for (const user of [world.users.analyst, world.users.coordinator, world.users.officer]) expect(await sees(user, id), user.email).toBe(false);
    for (const user of [world.users.partnerAnalyst, world.users.partnerOfficer]) expect(await sees(user, id), user.email).toBe(true);
    // Its old queue staff are told it left them (409); anyone else outside it gets the plain 404.
    const gone = await reroute(world.users.coordinator, id, { agencyId: sheriff, reason: 'Back', version: 4 });
    expect(gone.statusCode).toBe(409);
    expect(body(gone).error).toMatchObject({ field: 'version', message: "version: this tip was moved out of your agency's queue; it is no longer yours to move or share" });
    expect((await share(world.users.analyst, id, { agencyId: sheriff, reason: 'x' })).statusCode).toBe(409);
    for (const user of [world.users.pio, world.users.leadAdmin, world.users.outsiderCoordinator, sheriffAnalyst]) {
      expect((await reroute(user, id, { agencyId: sheriff, reason: 'x', version: 4 })).statusCode, user.email).toBe(404);
    }
    const onward = await reroute(world.users.partnerCoordinator, id, { agencyId: sheriff, reason: 'County road', version: 4 });
    expect(onward.statusCode, onward.body).toBe(200);
    // A second reroute keeps the first routing as the one before, not a chain.
    expect(body(onward).routing).toMatchObject({ rule: 'rerouted', from: world.agencies.partner, to: sheriff, previous: { rule: 'county', zip: '64075' } });
    expect(await sees(sheriffAnalyst, id)).toBe(true);
  });

  it('a tip shared with another agency stays in its queue; the partner reads it, and keeps it after a reroute elsewhere', async () => {
    const { id } = await leadTip();
    expect(await sees(world.users.partnerAnalyst, id)).toBe(false);
    const res = await share(world.users.analyst, id, { agencyId: world.agencies.partner, reason: 'Same van seen on their patrols.' });
    expect(res.statusCode, res.body).toBe(201);
    expect(body(res)).toEqual({ tipId: id, agency: { id: world.agencies.partner, name: 'Partner Highway Patrol' }, sharedAt: env.clock.now().toISOString(), reason: 'Same van seen on their patrols.' });
    expect(await env.ctx.db.selectFrom('tip_share').selectAll().where('tip_id', '=', id).execute()).toEqual([
      { tip_id: id, agency_id: world.agencies.partner, shared_by: world.users.analyst.id, shared_at: env.clock.now().toISOString(), reason: 'Same van seen on their patrols.' },
    ]);
    expect((await tipRow(id)).agency_id).toBe(world.agencies.lead);
    const [event] = await env.ctx.db.selectFrom('tip_event').selectAll().where('tip_id', '=', id).where('kind', '=', 'shared').execute();
    expect(JSON.parse(event!.detail)).toEqual({ with: world.agencies.partner, reason: 'Same van seen on their patrols.' });
    const [audit] = await auditRows(env, 'tip.share', id);
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id, record_agency_id: world.agencies.lead });
    expect(JSON.parse(audit!.detail)).toEqual({ with: world.agencies.partner });
    expect((await noticesOf(id)).map((n) => [n.agency_id, n.audience, n.kind, n.title])).toEqual([
      [world.agencies.partner, 'analyst', 'tip.shared', 'A tip was shared with your agency'],
      [world.agencies.partner, 'coordinator', 'tip.shared', 'A tip was shared with your agency'],
    ]);
    for (const user of [world.users.partnerAnalyst, world.users.partnerOfficer, world.users.partnerCoordinator, world.users.analyst]) expect(await sees(user, id), user.email).toBe(true);

    // The partner reads but does not run the lead's queue: no reroute, no further share.
    expect((await reroute(world.users.partnerCoordinator, id, { agencyId: sheriff, reason: 'x', version: 1 })).statusCode).toBe(403);
    expect((await share(world.users.partnerAnalyst, id, { agencyId: sheriff, reason: 'x' })).statusCode).toBe(403);

    // A second share with the same agency changes nothing and says so.
    const before = await tableCounts(env.ctx, ['tip_share', 'tip_event', 'inbox_item']);
    const again = await share(world.users.coordinator, id, { agencyId: world.agencies.partner, reason: 'Again' });
    expect(again.statusCode).toBe(409);
    expect(body(again).error).toMatchObject({ code: 'conflict', field: 'agencyId', message: `agencyId: this tip was already shared with Partner Highway Patrol on ${env.clock.now().toISOString().slice(0, 10)}` });
    expect(await tableCounts(env.ctx, ['tip_share', 'tip_event', 'inbox_item'])).toEqual(before);

    // Rerouted to the sheriff: the lead loses it, the partner it was shared with still reads it.
    expect((await reroute(world.users.coordinator, id, { agencyId: sheriff, reason: 'Their county', version: 1 })).statusCode).toBe(200);
    expect(await sees(world.users.analyst, id)).toBe(false);
    expect(await sees(world.users.partnerAnalyst, id)).toBe(true);
    expect(await sees(sheriffAnalyst, id)).toBe(true);
  });

  it('a tip shared back to its old agency after a reroute stays readable there', async () => {
    const { id } = await leadTip();
    await insertTipShare(env.ctx, { tipId: id, agencyId: world.agencies.lead, sharedBy: world.users.coordinator.id });
    const res = await reroute(world.users.coordinator, id, { agencyId: world.agencies.partner, reason: 'Their case', version: 1 });
    expect(body(res)).toMatchObject({ readable: true, agency: { id: world.agencies.partner } });
    expect(await sees(world.users.analyst, id)).toBe(true);
  });

  it('refuses: agencies outside the task force or that do not work tips, its own queue, bad input; nothing written', async () => {
    const { id } = await leadTip();
    const before = await tableCounts(env.ctx, ['tip_share', 'tip_event', 'inbox_item', 'audit_event']);
    const bad: [Record<string, unknown>, string][] = [
      [{ agencyId: world.agencies.outsider, reason: 'x', version: 1 }, 'agencyId'],
      [{ agencyId: world.agencies.advocates, reason: 'x', version: 1 }, 'agencyId'],
      [{ agencyId: world.agencies.childWelfare, reason: 'x', version: 1 }, 'agencyId'],
      [{ agencyId: world.agencies.lead, reason: 'x', version: 1 }, 'agencyId'],
      [{ agencyId: newId(), reason: 'x', version: 1 }, 'agencyId'],
      [{ agencyId: 'not-an-id', reason: 'x', version: 1 }, 'agencyId'],
      [{ agencyId: world.agencies.partner, reason: '', version: 1 }, 'reason'],
      [{ agencyId: world.agencies.partner, reason: 'x'.repeat(301), version: 1 }, 'reason'],
      [{ agencyId: world.agencies.partner, version: 1 }, 'reason'],
      [{ agencyId: world.agencies.partner, reason: 'x', version: '1' }, 'version'],
      [{ agencyId: world.agencies.partner, reason: 'x' }, 'version'],
    ];
    for (const [payload, field] of bad) {
      const res = await reroute(world.users.coordinator, id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(body(res).error.field, JSON.stringify(payload)).toBe(field);
      if (field === 'version') continue;
      const { version: _version, ...sharePayload } = payload;
      void _version;
      const shared = await share(world.users.coordinator, id, sharePayload);
      expect(shared.statusCode, JSON.stringify(sharePayload)).toBe(400);
      expect(body(shared).error.field, JSON.stringify(sharePayload)).toBe(field);
    }
    const after = await tableCounts(env.ctx, ['tip_share', 'tip_event', 'inbox_item', 'audit_event']);
    expect({ ...after, audit_event: 0 }).toEqual({ ...before, audit_event: 0 });
    expect(await tipRow(id)).toMatchObject({ agency_id: world.agencies.lead, version: 1 });
  });

  it('denies across agencies (404), to readers who do not run the queue (403), to the anonymous (401), and on a closed tip (403)', async () => {
    const { id } = await leadTip();
    const move = { agencyId: world.agencies.partner, reason: 'x', version: 1 };
    const give = { agencyId: world.agencies.partner, reason: 'x' };
    // Not visible: another task force's coordinator, the partner before any share, roles that do not work tips.
    for (const user of [world.users.outsiderCoordinator, world.users.partnerCoordinator, world.users.advocate, world.users.caseworker, world.users.pio, world.users.leadAdmin, world.users.platform]) {
      expect((await reroute(user, id, move)).statusCode, user.email).toBe(404);
      expect((await share(user, id, give)).statusCode, user.email).toBe(404);
    }
    // The holding agency's officer reads the tip but does not run the queue.
    expect(await sees(world.users.officer, id)).toBe(true);
    expect((await reroute(world.users.officer, id, move)).statusCode).toBe(403);
    expect((await share(world.users.officer, id, give)).statusCode).toBe(403);
    // An officer assigned the tip handles it, but moving it is the queue staff's call.
    const handled = await leadTip({ status: 'assigned', assignedUserId: world.users.officer.id });
    expect((await reroute(world.users.officer, handled.id, move)).statusCode).toBe(403);
    expect((await as(env, null).post(`/api/tips/${id}/reroute`, move)).statusCode).toBe(401);
    expect((await as(env, null).post(`/api/tips/${id}/share`, give)).statusCode).toBe(401);
    expect((await reroute(world.users.coordinator, newId(), move)).statusCode).toBe(404);
    // A closed tip stays where it was closed.
    const closed = await leadTip({ status: 'closed' });
    expect((await reroute(world.users.coordinator, closed.id, move)).statusCode).toBe(403);
    expect((await share(world.users.coordinator, closed.id, give)).statusCode).toBe(403);
    expect(await env.ctx.db.selectFrom('tip_share').select('tip_id').where('tip_id', 'in', [id, handled.id, closed.id]).execute()).toEqual([]);
  });

  it("lists where a tip may go: the task force's other tip-working agencies, marking those it is shared with", async () => {
    const { id } = await leadTip();
    const url = `/api/tips/${id}/destinations`;
    const res = await (await signedIn(world.users.analyst)).get(url);
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toEqual({
      agencies: [
        { id: sheriff, name: 'County Sheriff', kind: 'law_enforcement', sharedWith: false },
        { id: world.agencies.partner, name: 'Partner Highway Patrol', kind: 'law_enforcement', sharedWith: false },
      ],
    });
    await insertTipShare(env.ctx, { tipId: id, agencyId: world.agencies.partner, sharedBy: world.users.analyst.id });
    expect(body(await (await signedIn(world.users.coordinator)).get(url)).agencies.map((a: { sharedWith: boolean }) => a.sharedWith)).toEqual([false, true]);
    expect((await (await signedIn(world.users.officer)).get(url)).statusCode).toBe(403);
    expect((await (await signedIn(world.users.partnerCoordinator)).get(url)).statusCode).toBe(403);
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.leadAdmin]) expect((await (await signedIn(user)).get(url)).statusCode, user.email).toBe(404);
    expect((await as(env, null).get(url)).statusCode).toBe(401);
  });

  it('a stale version is refused with 409 and changes nothing', async () => {
    const { id } = await leadTip({ version: 5 });
    const res = await reroute(world.users.coordinator, id, { agencyId: world.agencies.partner, reason: 'x', version: 4 });
    expect(res.statusCode).toBe(409);
    expect(body(res).error).toMatchObject({ code: 'conflict', field: 'version' });
    expect(await tipRow(id)).toMatchObject({ agency_id: world.agencies.lead, version: 5 });
    expect(await auditRows(env, 'tip.reroute', id)).toEqual([]);
  });

  it('two reroutes at once: one moves the tip, the other is told it changed (409); two shares at once: one shares', async () => {
    const coordinator = await signedIn(world.users.coordinator);
    const analyst = await signedIn(world.users.analyst);
    await raceRounds(roundsFor(backend), {
      prepare: async () => (await leadTip()).id,
      fire: (id) => [
        () => coordinator.post(`/api/tips/${id}/reroute`, { agencyId: world.agencies.partner, reason: 'Theirs', version: 1 }),
        () => analyst.post(`/api/tips/${id}/reroute`, { agencyId: sheriff, reason: 'No, theirs', version: 1 }),
      ],
      check: async (id, results) => {
        expect(statuses(results).sort()).toEqual([200, 409]);
        const winner = results.find((r) => r.statusCode === 200)!;
        expectRefusal(results.find((r) => r.statusCode !== 200)!, [409]);
        const stored = await tipRow(id);
        expect(stored).toMatchObject({ agency_id: body(winner).agency.id, version: 2 });
        expect(await env.ctx.db.selectFrom('tip_event').select('id').where('tip_id', '=', id).where('kind', '=', 'rerouted').execute()).toHaveLength(1);
        expect(await auditRows(env, 'tip.reroute', id)).toHaveLength(1);
        expect(await noticesOf(id)).toHaveLength(2);
      },
    });
    await raceRounds(roundsFor(backend), {
      prepare: async () => (await leadTip()).id,
      fire: (id) => [
        () => coordinator.post(`/api/tips/${id}/share`, { agencyId: world.agencies.partner, reason: 'One' }),
        () => analyst.post(`/api/tips/${id}/share`, { agencyId: world.agencies.partner, reason: 'Two' }),
      ],
      check: async (id, results) => {
        expect(statuses(results).sort()).toEqual([201, 409]);
        expectRefusal(results.find((r) => r.statusCode !== 201)!, [409]);
        expect(await env.ctx.db.selectFrom('tip_share').select('agency_id').where('tip_id', '=', id).execute()).toHaveLength(1);
        expect(await auditRows(env, 'tip.share', id)).toHaveLength(1);
        expect(await env.ctx.db.selectFrom('tip_event').select('id').where('tip_id', '=', id).where('kind', '=', 'shared').execute()).toHaveLength(1);
      },
    });
    // A reroute and a share at once: the share either lands before the move, or is refused (409) after it.
    await raceRounds(roundsFor(backend), {
      prepare: async () => (await leadTip()).id,
      fire: (id) => [
        () => coordinator.post(`/api/tips/${id}/reroute`, { agencyId: sheriff, reason: 'Theirs', version: 1 }),
        () => analyst.post(`/api/tips/${id}/share`, { agencyId: world.agencies.partner, reason: 'Also theirs' }),
      ],
      check: async (id, results) => {
        expect(results[0]!.statusCode).toBe(200);
        if (results[1]!.statusCode !== 201) expectRefusal(results[1]!, [409]);
        const shares = await env.ctx.db.selectFrom('tip_share').select('agency_id').where('tip_id', '=', id).execute();
        expect(shares).toHaveLength(results[1]!.statusCode === 201 ? 1 : 0);
      },
    });
  });
});
