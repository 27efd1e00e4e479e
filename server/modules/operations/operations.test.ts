import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, insertUser, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';

/** Oak Grove, Missouri (Jackson County). */
const OAK_GROVE = { label: 'Motel, 1400 block of S Broadway St', countyFips: '29095', lat: 38.966, lng: -94.129 };

describeEachDatabase('operations', (backend) => {
  let env: TestEnv;
  let world: World;
  let outsiderTf: string;
  const cookies = new Map<string, string>();
  const api = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return as(env, cookies.get(user.id)!);
  };
  let seq = 0;
  const plan = (over: Record<string, unknown> = {}) => ({
    taskForceId: world.taskForceId,
    name: `Operation ${++seq}`,
    type: 'buyer_sting',
    startsAt: '2026-02-10T18:00:00.000Z',
    endsAt: '2026-02-11T02:00:00.000Z',
    locations: [OAK_GROVE],
    participants: [
      { agencyId: world.agencies.partner, role: 'participant' },
      { agencyId: world.agencies.advocates, role: 'victim_services' },
      { agencyId: world.agencies.childWelfare, role: 'child_welfare' },
    ],
    commander: { name: 'Sgt. Test Commander', phone: '(816) 555-0100' },
    subjects: [],
    briefing: 'Staging at the church lot; radio channel 3.',
    assignedUserIds: [world.users.officer.id, world.users.partnerOfficer.id],
    ...over,
  });

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    outsiderTf = world.otherTaskForceId;
  });
  afterAll(() => env.close());

  it('a coordinator plans an operation: draft, deconflicted, audited, assigned users see the briefing', async () => {
    const coordinator = await api(world.users.coordinator);
    const res = await coordinator.post('/api/operations', plan());
    expect(res.statusCode).toBe(201);
    const op = body(res);
    expect(op).toMatchObject({ status: 'draft', type: 'buyer_sting', investigationHold: true, briefingRestricted: false });
    expect(op.locations[0]).toMatchObject({ countyName: 'Jackson', radiusM: 800 });
    expect(op.participants.map((p: { role: string }) => p.role).sort()).toEqual(['child_welfare', 'lead', 'participant', 'victim_services']);
    expect(op.abilities['operation.approve']).toBe(true);
    const audit = await env.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'operation.create').where('record_id', '=', op.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).not.toContain('church');
    const stored = await env.ctx.db.selectFrom('operation').select(['briefing', 'commander_phone']).where('id', '=', op.id).executeTakeFirstOrThrow();
    expect(stored.briefing).toMatch(/^enc1\./);
    expect(stored.commander_phone).toMatch(/^enc1\./);

    const officer = await api(world.users.officer);
    const seen = body(await officer.get(`/api/operations/${op.id}`));
    expect(seen.briefing).toContain('church lot');
    // The analyst sees the task force's operation, but not the briefing (not assigned).
    const analyst = await api(world.users.analyst);
    const analystView = body(await analyst.get(`/api/operations/${op.id}`));
    expect(analystView.briefing).toBeNull();
    expect(analystView.briefingRestricted).toBe(true);
    expect((await env.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'operation.read').where('record_id', '=', op.id).execute()).length).toBeGreaterThanOrEqual(2);
  });

  it('hides operations from outsiders, advocates, caseworkers and unassigned officers (404)', async () => {
    const op = body(await (await api(world.users.coordinator)).post('/api/operations', plan()));
    for (const u of [world.users.outsiderCoordinator, world.users.outsiderOfficer, world.users.advocate, world.users.caseworker, world.users.leadAdmin]) {
      const client = await api(u);
      expect((await client.get(`/api/operations/${op.id}`)).statusCode).toBe(404);
      expect(body(await client.get('/api/operations')).operations.map((o: { id: string }) => o.id)).not.toContain(op.id);
    }
    expect((await env.app.inject({ method: 'GET', url: `/api/operations/${op.id}` })).statusCode).toBe(401);
    // Assigned partner officer sees it; the lead officer who is not assigned does not.
    const other = body(await (await api(world.users.coordinator)).post('/api/operations', plan({ assignedUserIds: [] })));
    expect((await (await api(world.users.officer)).get(`/api/operations/${other.id}`)).statusCode).toBe(404);
    expect((await (await api(world.users.partnerOfficer)).get(`/api/operations/${op.id}`)).statusCode).toBe(200);
  });

  it('refuses planning by non-coordinators and for a task force the agency is not in', async () => {
    expect((await (await api(world.users.officer)).post('/api/operations', plan())).statusCode).toBe(403);
    expect((await (await api(world.users.coordinator)).post('/api/operations', plan({ taskForceId: outsiderTf }))).statusCode).toBe(404);
    // A partner coordinator cannot approve the lead agency's plan.
    const partnerCoordinator = await insertUser(env, world.agencies.partner, ['coordinator']);
    const op = body(await (await api(world.users.coordinator)).post('/api/operations', plan()));
    const partner = await api(partnerCoordinator);
    const approve = await partner.post(`/api/operations/${op.id}/approve`);
    expect(approve.statusCode).toBe(403);
  });

  it('refuses impossible plans, naming the field', async () => {
    const c = await api(world.users.coordinator);
    const cases: [Record<string, unknown>, string][] = [
      [{ endsAt: '2026-02-10T17:00:00.000Z' }, 'endsAt'],
      [{ locations: [{ ...OAK_GROVE, lat: 51.5, lng: -0.12 }] }, 'locations.0.lat'],
      [{ locations: [{ ...OAK_GROVE, lat: 38.627, lng: -90.199 }] }, 'locations.0.lat'],
      [{ locations: [{ ...OAK_GROVE, countyFips: '29999' }] }, 'locations.0.countyFips'],
      [{ locations: [{ ...OAK_GROVE, lat: 123 }] }, 'locations.0.lat'],
      [{ locations: [] }, 'locations'],
      [{ participants: [{ agencyId: world.agencies.outsider, role: 'participant' }] }, 'participants.0.agencyId'],
      [{ participants: [{ agencyId: world.agencies.partner, role: 'victim_services' }] }, 'participants.0.role'],
      [{ assignedUserIds: [world.users.advocate.id] }, 'assignedUserIds.1'],
      [{ subjects: [{ kind: 'phone', value: '12' }] }, 'subjects.0.value'],
      [{ commander: { name: 'X', phone: 'call me' } }, 'commander.phone'],
    ];
    for (const [over, field] of cases) {
      const res = await c.post('/api/operations', plan(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(body(res).error.field, JSON.stringify(over)).toBe(field);
    }
  });

  it('finds a place conflict across task forces and tells each side only whom to call', async () => {
    // Another task force plans a warrant 500 m away, the same evening.
    const outsider = await api(world.users.outsiderCoordinator);
    const theirs = await outsider.post('/api/operations', {
      ...plan({ taskForceId: outsiderTf, participants: [], assignedUserIds: [world.users.outsiderOfficer.id] }),
      name: 'Secret warrant',
      type: 'warrant_service',
      startsAt: '2026-03-01T20:00:00.000Z',
      endsAt: '2026-03-01T23:00:00.000Z',
      locations: [{ label: 'Their secret house', countyFips: '29095', lat: 38.9702, lng: -94.1265 }],
      commander: { name: 'Lt. Other Side', phone: '(816) 555-0199' },
      briefing: 'their secret briefing',
    });
    expect(theirs.statusCode).toBe(201);
    expect(body(theirs).conflicts).toEqual([]);

    const mine = body(
      await (await api(world.users.coordinator)).post(
        '/api/operations',
        plan({ startsAt: '2026-03-01T23:30:00.000Z', endsAt: '2026-03-02T03:00:00.000Z' }),
      ),
    );
    expect(mine.conflicts).toHaveLength(1);
    const conflict = mine.conflicts[0];
    expect(conflict).toMatchObject({ kind: 'place', status: 'open', mine: { type: 'location', label: OAK_GROVE.label } });
    expect(conflict.other).toEqual({ agencyName: 'Faraway Sheriff', commanderName: 'Lt. Other Side', commanderPhone: '(816) 555-0199', sameAgency: false, operationId: null, operationName: null });
    expect(JSON.stringify(mine)).not.toMatch(/Secret warrant|secret house|secret briefing/);

    // The other side sees the same conflict from its side, and both leads have a notice.
    const theirsNow = body(await outsider.get(`/api/operations/${body(theirs).id}`));
    expect(theirsNow.conflicts[0].other).toMatchObject({ agencyName: 'Lead Police Department', commanderName: 'Sgt. Test Commander' });
    expect(JSON.stringify(theirsNow)).not.toContain(OAK_GROVE.label);
    const leadInbox = body(await (await api(world.users.coordinator)).get('/api/inbox'));
    expect(leadInbox.items.some((i: { kind: string; operationId: string }) => i.kind === 'deconfliction.conflict' && i.operationId === mine.id)).toBe(true);
    const outsiderInbox = body(await outsider.get('/api/inbox'));
    expect(outsiderInbox.items.some((i: { operationId: string }) => i.operationId === body(theirs).id)).toBe(true);
    // But the outsider still cannot open our operation.
    expect((await outsider.get(`/api/operations/${mine.id}`)).statusCode).toBe(404);

    // No activation with an open conflict; an emergency waiver lets it go, and both sides hear of it.
    const c = await api(world.users.coordinator);
    expect((await c.post(`/api/operations/${mine.id}/approve`)).statusCode).toBe(200);
    const blocked = await c.post(`/api/operations/${mine.id}/activate`);
    expect(blocked.statusCode).toBe(409);
    expect(body(blocked).error.code).toBe('unresolved_conflicts');
    expect((await c.post(`/api/operations/${mine.id}/waiver`, { reason: '' })).statusCode).toBe(400);
    const waived = await c.post(`/api/operations/${mine.id}/waiver`, { reason: 'Victim at risk tonight; called Lt. Other Side, no answer' });
    expect(waived.statusCode).toBe(200);
    expect(body(waived).conflicts[0].status).toBe('waived');
    expect(body(await outsider.get('/api/inbox')).items.some((i: { kind: string }) => i.kind === 'deconfliction.waiver')).toBe(true);
    const active = await c.post(`/api/operations/${mine.id}/activate`);
    expect(active.statusCode).toBe(200);
    expect(body(active).status).toBe('active');
    const waiverAudit = await env.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'operation.waive').where('record_id', '=', mine.id).execute();
    expect(waiverAudit).toHaveLength(1);
  });

  it('does not conflict when the windows are more than two hours apart or the places far apart', async () => {
    const c = await api(world.users.coordinator);
    const a = body(await c.post('/api/operations', plan({ startsAt: '2026-04-01T10:00:00.000Z', endsAt: '2026-04-01T12:00:00.000Z' })));
    const b = body(await c.post('/api/operations', plan({ startsAt: '2026-04-01T14:01:00.000Z', endsAt: '2026-04-01T16:00:00.000Z' })));
    expect(a.conflicts).toEqual([]);
    expect(b.conflicts).toEqual([]);
    const near = body(await c.post('/api/operations', plan({ startsAt: '2026-04-01T13:59:00.000Z', endsAt: '2026-04-01T15:00:00.000Z' })));
    expect(near.conflicts.length).toBeGreaterThan(0);
    const far = body(
      await c.post('/api/operations', plan({ startsAt: '2026-04-01T10:00:00.000Z', endsAt: '2026-04-01T12:00:00.000Z', locations: [{ label: 'Lee’s Summit', countyFips: '29095', lat: 38.91, lng: -94.38 }] })),
    );
    expect(far.conflicts).toEqual([]);
  });

  it('finds a subject conflict whatever the time or place, matching normalised phones', async () => {
    const c = await api(world.users.coordinator);
    const a = body(await c.post('/api/operations', plan({ startsAt: '2026-05-01T10:00:00.000Z', endsAt: '2026-05-01T12:00:00.000Z', subjects: [{ kind: 'phone', value: '(816) 555-0142' }] })));
    const b = body(
      await c.post(
        '/api/operations',
        plan({
          startsAt: '2026-09-01T10:00:00.000Z',
          endsAt: '2026-09-01T12:00:00.000Z',
          locations: [{ label: 'Springfield', countyFips: '29077', lat: 37.209, lng: -93.292 }],
          subjects: [{ kind: 'phone', value: '+1 816.555.0142' }],
        }),
      ),
    );
    expect(b.conflicts).toHaveLength(1);
    expect(b.conflicts[0]).toMatchObject({ kind: 'subject', mine: { type: 'subject', label: 'phone: +1 816.555.0142' } });
    const stored = await env.ctx.db.selectFrom('operation_subject').select(['value', 'blind']).where('operation_id', '=', a.id).executeTakeFirstOrThrow();
    expect(stored.value).toMatch(/^enc1\./);
    expect(stored.blind).not.toContain('8165550142');

    // Changing the plan so the subject no longer matches clears the conflict; the other side's view updates too.
    const updated = await c.patch(`/api/operations/${b.id}`, { subjects: [{ kind: 'phone', value: '(816) 555-0999' }] });
    expect(updated.statusCode).toBe(200);
    expect(body(updated).conflicts).toEqual([]);
    expect(body(await c.get(`/api/operations/${a.id}`)).conflicts).toEqual([]);
  });

  it('resolving a conflict lets the operation activate; editing an approved plan returns it to draft', async () => {
    const c = await api(world.users.coordinator);
    const a = body(await c.post('/api/operations', plan({ startsAt: '2026-06-01T10:00:00.000Z', endsAt: '2026-06-01T12:00:00.000Z' })));
    const b = body(await c.post('/api/operations', plan({ startsAt: '2026-06-01T11:00:00.000Z', endsAt: '2026-06-01T13:00:00.000Z' })));
    expect(b.conflicts).toHaveLength(1);
    const resolved = await c.post(`/api/operations/${b.id}/conflicts/${b.conflicts[0].id}/resolve`, { note: 'Same team: run as one operation' });
    expect(resolved.statusCode).toBe(200);
    expect(body(resolved).conflicts[0]).toMatchObject({ status: 'resolved', resolution: 'Same team: run as one operation' });
    expect((await c.post(`/api/operations/${b.id}/approve`)).statusCode).toBe(200);
    const edited = await c.patch(`/api/operations/${b.id}`, { name: 'Renamed' });
    expect(body(edited).status).toBe('draft');
    expect((await c.post(`/api/operations/${b.id}/activate`)).statusCode).toBe(403);
    expect((await c.post(`/api/operations/${b.id}/approve`)).statusCode).toBe(200);
    const active = await c.post(`/api/operations/${b.id}/activate`);
    expect(active.statusCode).toBe(200);
    // A stale version is refused.
    const stale = await c.patch(`/api/operations/${a.id}`, { name: 'x', version: 1 });
    expect(stale.statusCode).toBe(200);
    const stale2 = await c.patch(`/api/operations/${a.id}`, { name: 'y', version: 1 });
    expect(stale2.statusCode).toBe(409);
    expect(body(stale2).error.field).toBe('version');
  });

  it('closes only an active operation; a closed one is read-only', async () => {
    const c = await api(world.users.coordinator);
    const op = body(await c.post('/api/operations', plan({ startsAt: '2026-07-01T10:00:00.000Z', endsAt: '2026-07-01T12:00:00.000Z', locations: [{ label: 'Warrensburg', countyFips: '29101', lat: 38.763, lng: -93.736 }] })));
    expect((await c.post(`/api/operations/${op.id}/close`)).statusCode).toBe(403);
    await c.post(`/api/operations/${op.id}/approve`);
    await c.post(`/api/operations/${op.id}/activate`);
    const closed = await c.post(`/api/operations/${op.id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(body(closed).status).toBe('closed');
    expect((await c.patch(`/api/operations/${op.id}`, { name: 'Changed after close' })).statusCode).toBe(403);
    const events = await env.ctx.db.selectFrom('operation_event').select('kind').where('operation_id', '=', op.id).orderBy('at').orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['planned', 'approved', 'active', 'closed']);
    const transitions = await env.ctx.db.selectFrom('audit_event').select('action').where('record_id', '=', op.id).where('action', 'in', ['operation.approve', 'operation.activate', 'operation.close']).execute();
    expect(transitions).toHaveLength(3);
  });

  it('keeps the agency outside the task force from even learning an operation exists', async () => {
    const op = body(await (await api(world.users.coordinator)).post('/api/operations', plan({ startsAt: '2027-01-01T10:00:00.000Z', endsAt: '2027-01-01T12:00:00.000Z', locations: [{ label: 'Far place', countyFips: '29510', lat: 38.627, lng: -90.199 }] })));
    const outsider = await api(world.users.outsiderCoordinator);
    const fake = await outsider.get(`/api/operations/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`);
    const real = await outsider.get(`/api/operations/${op.id}`);
    expect(real.statusCode).toBe(404);
    expect(body(real)).toEqual(body(fake));
    expect((await outsider.post(`/api/operations/${op.id}/approve`)).statusCode).toBe(404);
  });

});
