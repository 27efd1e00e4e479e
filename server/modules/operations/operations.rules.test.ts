import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import { activeOperation, draftOperation, minor, planInput, recordContact, type SignedIn } from '../../test/operations-fixtures.ts';

/**
 * The operations rules a mutation run showed no test would notice broken (issue #7): another agency's
 * coordinator in the same task force, approval only from draft, the 31-day window, closing with an
 * undecided minor, and an edit held to what planning checks (finding 6).
 */
describeEachDatabase('operations rules', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const status = async (id: string) => (await env.ctx.db.selectFrom('operation').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow()).status;

  /** Two drafts of the lead agency on the same evening and place: one place conflict between them. */
  async function conflictingPair() {
    const a = await draftOperation(signedIn, world);
    const b = await draftOperation(signedIn, world, { startsAt: a.startsAt, endsAt: a.endsAt });
    const conflicts = body(await (await signedIn(world.users.coordinator)).get(`/api/operations/${a.id}`)).conflicts;
    expect(conflicts).toHaveLength(1);
    return { a, b, conflictId: conflicts[0].id as string };
  }

  it("a partner agency's coordinator in the same task force sees the lead's operation but may not edit, approve, waive, resolve, activate or close it", async () => {
    const partner = await signedIn(world.users.partnerCoordinator);
    const lead = await signedIn(world.users.coordinator);
    const { a, conflictId } = await conflictingPair();
    const seen = await partner.get(`/api/operations/${a.id}`);
    expect(seen.statusCode).toBe(200);
    expect(body(seen).abilities).toMatchObject({ 'operation.update': false, 'operation.approve': false, 'operation.waive': false, 'operation.close': false });

    expect((await partner.patch(`/api/operations/${a.id}`, { name: 'Taken over' })).statusCode).toBe(403);
    expect((await partner.post(`/api/operations/${a.id}/approve`)).statusCode).toBe(403);
    expect((await partner.post(`/api/operations/${a.id}/conflicts/${conflictId}/resolve`, { note: 'Spoke with them.' })).statusCode).toBe(403);
    expect((await lead.post(`/api/operations/${a.id}/approve`)).statusCode).toBe(200);
    expect((await partner.post(`/api/operations/${a.id}/waiver`, { reason: 'A child is in danger tonight.' })).statusCode).toBe(403);
    expect((await partner.post(`/api/operations/${a.id}/activate`)).statusCode).toBe(403);
    // The lead's coordinator may do each of them (the allow side of every deny above).
    const waived = await lead.post(`/api/operations/${a.id}/waiver`, { reason: 'A child is in danger tonight.' });
    expect(waived.statusCode).toBe(200);
    expect(body(waived).conflicts[0].status).toBe('waived');
    expect((await lead.post(`/api/operations/${a.id}/activate`)).statusCode).toBe(200);
    expect((await partner.post(`/api/operations/${a.id}/close`)).statusCode).toBe(403);
    expect(await status(a.id)).toBe('active');
    expect((await lead.post(`/api/operations/${a.id}/close`)).statusCode).toBe(200);
    expect(await status(a.id)).toBe('closed');
    // Nothing the partner tried was written.
    expect(await auditRows(env, 'operation.update', a.id)).toHaveLength(0);
    expect((await auditRows(env, 'operation.waive', a.id)).map((r) => r.actor_user_id)).toEqual([world.users.coordinator.id]);
  });

  it('approves only a draft: an approved, active or closed operation is refused (403) and left as it was', async () => {
    const lead = await signedIn(world.users.coordinator);
    const approved = await draftOperation(signedIn, world);
    expect((await lead.post(`/api/operations/${approved.id}/approve`)).statusCode).toBe(200);
    const active = await activeOperation(signedIn, world);
    const closed = await activeOperation(signedIn, world);
    expect((await lead.post(`/api/operations/${closed.id}/close`)).statusCode).toBe(200);
    for (const [op, was] of [
      [approved, 'approved'],
      [active, 'active'],
      [closed, 'closed'],
    ] as const) {
      const before = await env.ctx.db.selectFrom('operation').selectAll().where('id', '=', op.id).executeTakeFirstOrThrow();
      const res = await lead.post(`/api/operations/${op.id}/approve`);
      expect(res.statusCode).toBe(403);
      const after = await env.ctx.db.selectFrom('operation').selectAll().where('id', '=', op.id).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      expect(after.status).toBe(was);
      expect(await auditRows(env, 'operation.approve', op.id)).toHaveLength(1);
    }
  });

  it('an operation window is at most 31 days, when planned and when edited', async () => {
    const lead = await signedIn(world.users.coordinator);
    const start = Date.parse('2027-06-01T00:00:00.000Z');
    const days = (n: number, extraMs = 0) => new Date(start + n * 86_400_000 + extraMs).toISOString();
    const startsAt = new Date(start).toISOString();
    const tooLong = await lead.post('/api/operations', planInput(world, { startsAt, endsAt: days(31, 60_000) }));
    expect(tooLong.statusCode).toBe(400);
    expect(body(tooLong).error.field).toBe('endsAt');
    const exactly = await lead.post('/api/operations', planInput(world, { startsAt, endsAt: days(31) }));
    expect(exactly.statusCode).toBe(201);
    const id = body(exactly).id;
    const edit = await lead.patch(`/api/operations/${id}`, { endsAt: days(31, 60_000) });
    expect(edit.statusCode).toBe(400);
    expect(body(edit).error.field).toBe('endsAt');
    // Moving only the start back stretches the window too.
    expect((await lead.patch(`/api/operations/${id}`, { startsAt: new Date(start - 60_000).toISOString() })).statusCode).toBe(400);
    expect((await lead.patch(`/api/operations/${id}`, { endsAt: days(30) })).statusCode).toBe(200);
  });

  it('refuses to close while a minor has no custody or release decision, and closes once every minor is decided', async () => {
    const lead = await signedIn(world.users.coordinator);
    const op = await activeOperation(signedIn, world);
    const child = await recordContact(lead, op.id, minor());
    const refused = await lead.post(`/api/operations/${op.id}/close`);
    expect(refused.statusCode).toBe(409);
    expect(body(refused).error).toMatchObject({ code: 'minor_undecided', field: 'contacts' });
    expect(body(refused).error.message).toContain(`Person ${child.personNumber}`);
    expect(await status(op.id)).toBe('active');
    expect(await auditRows(env, 'operation.close', op.id)).toHaveLength(0);
    // Nothing of the refused close was counted into the public statistics.
    expect(await env.ctx.db.selectFrom('stat_counted').select('operation_id').where('operation_id', '=', op.id).execute()).toHaveLength(0);

    expect((await lead.patch(`/api/contacts/${child.id}`, { disposition: 'released' })).statusCode).toBe(200);
    expect((await lead.post(`/api/operations/${op.id}/close`)).statusCode).toBe(200);
    expect(await status(op.id)).toBe('closed');
  });

  it("finding 6: an edit cannot name an unassigned on-scene commander, who then could start another agency's operation", async () => {
    const lead = await signedIn(world.users.coordinator);
    const partner = await signedIn(world.users.partnerCoordinator);
    const op = await draftOperation(signedIn, world);
    const commander = { userId: world.users.partnerCoordinator.id, name: 'Lt. Partner', phone: '(816) 555-0199' };
    // Planning refuses it …
    const planned = await lead.post('/api/operations', planInput(world, { commander }));
    expect(planned.statusCode).toBe(400);
    expect(body(planned).error.field).toBe('commander.userId');
    // … and so does editing.
    const edited = await lead.patch(`/api/operations/${op.id}`, { commander });
    expect(edited.statusCode).toBe(400);
    expect(body(edited).error.field).toBe('commander.userId');
    expect((await lead.post(`/api/operations/${op.id}/approve`)).statusCode).toBe(200);
    expect((await partner.post(`/api/operations/${op.id}/activate`)).statusCode).toBe(403);
    expect(await status(op.id)).toBe('approved');
  });

  it('an edit is checked whole: the commander cannot be unassigned, nor an assignee left behind by a participant removed', async () => {
    const lead = await signedIn(world.users.coordinator);
    const commander = { userId: world.users.officer.id, name: 'Sgt. Officer', phone: '(816) 555-0123' };
    const op = await draftOperation(signedIn, world, { commander });
    const unassign = await lead.patch(`/api/operations/${op.id}`, { assignedUserIds: [world.users.partnerOfficer.id] });
    expect(unassign.statusCode).toBe(400);
    expect(body(unassign).error.field).toBe('commander.userId');
    // Dropping the partner police leaves their assigned officer on a plan they no longer take part in.
    const dropPartner = await lead.patch(`/api/operations/${op.id}`, { participants: [{ agencyId: world.agencies.advocates, role: 'victim_services' }] });
    expect(dropPartner.statusCode).toBe(400);
    expect(body(dropPartner).error.field).toMatch(/^assignedUserIds\./);
    // The partner coordinator, once assigned, may be the commander — and then may start it.
    const assigned = await lead.patch(`/api/operations/${op.id}`, {
      assignedUserIds: [world.users.officer.id, world.users.partnerCoordinator.id],
      commander: { userId: world.users.partnerCoordinator.id, name: 'Lt. Partner', phone: '(816) 555-0199' },
    });
    expect(assigned.statusCode).toBe(200);
    expect((await lead.post(`/api/operations/${op.id}/approve`)).statusCode).toBe(200);
    expect((await (await signedIn(world.users.partnerCoordinator)).post(`/api/operations/${op.id}/activate`)).statusCode).toBe(200);
  });

  it('an edit re-checks only what it changes against the parts kept: a participant that left the task force since does not block a rename', async () => {
    const lead = await signedIn(world.users.coordinator);
    const op = await draftOperation(signedIn, world);
    const membership = await env.ctx.db.selectFrom('task_force_member').selectAll().where('task_force_id', '=', world.taskForceId).where('agency_id', '=', world.agencies.partner).executeTakeFirstOrThrow();
    await env.ctx.db.deleteFrom('task_force_member').where('task_force_id', '=', world.taskForceId).where('agency_id', '=', world.agencies.partner).execute();
    try {
      expect((await lead.patch(`/api/operations/${op.id}`, { name: 'Renamed after the partner left' })).statusCode).toBe(200);
      // Naming the participants again checks them again.
      const again = await lead.patch(`/api/operations/${op.id}`, { participants: [{ agencyId: world.agencies.partner, role: 'participant' }] });
      expect(again.statusCode).toBe(400);
      expect(body(again).error.field).toBe('participants.0.agencyId');
    } finally {
      await env.ctx.db.insertInto('task_force_member').values(membership).execute();
    }
  });

  it('an on-scene commander no longer assigned (a plan saved before finding 6 was fixed) may not start the operation', async () => {
    const op = await draftOperation(signedIn, world);
    expect((await (await signedIn(world.users.coordinator)).post(`/api/operations/${op.id}/approve`)).statusCode).toBe(200);
    await env.ctx.db.updateTable('operation').set({ commander_user_id: world.users.partnerCoordinator.id }).where('id', '=', op.id).execute();
    expect((await (await signedIn(world.users.partnerCoordinator)).post(`/api/operations/${op.id}/activate`)).statusCode).toBe(403);
    expect(await status(op.id)).toBe('approved');
  });

  it('resolving or waiving a conflict already settled is refused with what it became (409)', async () => {
    const lead = await signedIn(world.users.coordinator);
    const { a, b, conflictId } = await conflictingPair();
    expect((await lead.post(`/api/operations/${b.id}/conflicts/${conflictId}/resolve`, { note: 'Different unit.' })).statusCode).toBe(200);
    const again = await lead.post(`/api/operations/${a.id}/conflicts/${conflictId}/resolve`, { note: 'Different unit.' });
    expect(again.statusCode).toBe(409);
    expect(body(again).error.message).toContain('resolved');
    expect((await lead.post(`/api/operations/${a.id}/approve`)).statusCode).toBe(200);
    const waive = await lead.post(`/api/operations/${a.id}/waiver`, { reason: 'Nothing left to waive.' });
    expect(waive.statusCode).toBe(409);
    expect(await env.ctx.db.selectFrom('operation_waiver').select('id').where('operation_id', '=', a.id).execute()).toHaveLength(0);
  });
});
