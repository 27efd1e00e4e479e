import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, openSecondContext, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, extraUsers, freshClient, handOff, minor, recordContact, type SignedIn } from '../../test/operations-fixtures.ts';
import { CUSTODY_REASONS } from '../../../common/operations.ts';
import { checkCustodyDeadlines } from './custody.service.ts';

const HOUR = 60 * 60_000;

describeEachDatabase('custody', (backend) => {
  let env: TestEnv;
  let world: World;
  let extra: Awaited<ReturnType<typeof extraUsers>>;
  let signedIn: SignedIn;
  let op: { id: string; name: string };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    extra = await extraUsers(env, world);
    signedIn = sessionCache(env);
    op = await activeOperation(signedIn, world);
  });
  afterAll(() => env.close());

  const now = () => env.clock.now().toISOString();
  const ago = (ms: number) => new Date(env.clock.now().getTime() - ms).toISOString();
  const child = async (over: Record<string, unknown> = {}) =>
    recordContact(await signedIn(world.users.officer), op.id, minor({ name: 'Lily Childname', dob: '2023-02-02', ageBand: 'under_5', estimatedAge: 3, ...over }));
  const handOffAs = async (contactId: string, takenAt = ago(HOUR), over: Record<string, unknown> = {}) => {
    const res = await (await signedIn(world.users.officer)).post(`/api/contacts/${contactId}/custody`, handOff(world, takenAt, over));
    expect(res.statusCode, res.body).toBe(201);
    return body(res);
  };

  it('an assigned lead officer hands a child to child welfare: due 12 hours after custody, disposition set, caseworkers told, audited', async () => {
    const c = await child();
    const takenAt = ago(HOUR);
    const res = await (await signedIn(world.users.officer)).post(`/api/contacts/${c.id}/custody`, handOff(world, takenAt, { reason: 'other', reasonDetail: 'Found alone in room 12 with no caregiver reachable' }));
    expect(res.statusCode).toBe(201);
    const h = body(res);
    expect(h).toMatchObject({
      contactId: c.id,
      operation: { id: op.id, name: op.name },
      child: { personNumber: c.personNumber, label: `Person ${c.personNumber}`, sex: 'female', ageBand: 'under_5', estimatedAge: 3, name: 'Lily Childname' },
      fromAgency: { id: world.agencies.lead, name: 'Lead Police Department' },
      toAgency: { id: world.agencies.childWelfare, name: "State Children's Division" },
      takenAt,
      officer: { userId: world.users.officer.id },
      reason: 'other',
      reasonDetail: 'Found alone in room 12 with no caregiver reachable',
      juvenileOfficerNotifiedAt: takenAt,
      childrensDivisionNotifiedAt: takenAt,
      statementDueAt: new Date(Date.parse(takenAt) + 12 * HOUR).toISOString(),
      statementFiledAt: null,
      msUntilDue: 11 * HOUR,
      overdue: false,
      parentNotifications: [],
      receipt: null,
      abilities: { 'custody.read': true, 'custody.update': true, 'custody.receive': false },
    });
    const officer = await signedIn(world.users.officer);
    const contact = body(await officer.get(`/api/contacts/${c.id}`));
    expect(contact).toMatchObject({ disposition: 'protective_custody', custodyHandoffId: h.id, version: 2 });
    // Handed off, the child stays a minor in protective custody.
    expect(body(await officer.patch(`/api/contacts/${c.id}`, { disposition: 'released' })).error).toMatchObject({ code: 'conflict', field: 'disposition' });
    expect(body(await officer.patch(`/api/contacts/${c.id}`, { role: 'witness', ageBand: '18_to_24', estimatedAge: null, dob: null })).error.field).toBe('role');
    expect((await officer.patch(`/api/contacts/${c.id}`, { estimatedAge: 4 })).statusCode).toBe(200);

    const stored = await env.ctx.db.selectFrom('custody_handoff').selectAll().where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(stored.reason_detail).toMatch(/^enc1\./);
    expect(stored.agency_id).toBe(world.agencies.lead);
    const [audit] = await auditRows(env, 'custody.create', h.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id, record_type: 'custody_handoff', record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('room 12');
    expect((await auditRows(env, 'contact.update', c.id))[0]).toBeTruthy();
    const notice = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', h.id).where('kind', '=', 'custody.handoff').executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ agency_id: world.agencies.childWelfare, audience: 'caseworker', operation_id: null });
    expect(`${notice.title} ${notice.body}`).not.toMatch(/Lily|Childname|room 12/);
    const events = await env.ctx.db.selectFrom('operation_event').select('detail').where('operation_id', '=', op.id).where('kind', '=', 'custody_handoff').execute();
    expect(events.map((e) => JSON.parse(e.detail))).toContainEqual({ personNumber: c.personNumber, toAgency: "State Children's Division" });
  });

  it('refuses a hand-off for an adult, a second one, bad times, a wrong agency or officer, and anyone outside the seal', async () => {
    const c = await child();
    const officer = await signedIn(world.users.officer);
    const url = `/api/contacts/${c.id}/custody`;
    const takenAt = ago(HOUR);
    const before = await tableCounts(env.ctx, ['custody_handoff']);
    const bad: [Record<string, unknown>, string][] = [
      [handOff(world, new Date(env.clock.now().getTime() + HOUR).toISOString()), 'takenAt'],
      [handOff(world, takenAt, { juvenileOfficerNotifiedAt: ago(2 * HOUR) }), 'juvenileOfficerNotifiedAt'],
      [handOff(world, takenAt, { childrensDivisionNotifiedAt: new Date(env.clock.now().getTime() + HOUR).toISOString() }), 'childrensDivisionNotifiedAt'],
      [handOff(world, takenAt, { reason: 'other' }), 'reasonDetail'],
      [handOff(world, takenAt, { reason: 'because' }), 'reason'],
      [handOff(world, takenAt, { toAgencyId: world.agencies.advocates }), 'toAgencyId'],
      [handOff(world, takenAt, { toAgencyId: world.agencies.outsider }), 'toAgencyId'],
      [handOff(world, takenAt, { officerUserId: world.users.partnerOfficer.id }), 'officerUserId'],
      [handOff(world, takenAt, { officerUserId: extra.users.unassignedCoordinator.id }), 'officerUserId'],
      [handOff(world, 'tonight'), 'takenAt'],
    ];
    for (const [input, field] of bad) {
      const res = await officer.post(url, input);
      expect(res.statusCode, JSON.stringify(input)).toBe(400);
      expect(body(res).error.field, JSON.stringify(input)).toBe(field);
    }
    expect(await tableCounts(env.ctx, ['custody_handoff'])).toEqual(before);

    const adult = await recordContact(officer, op.id, adultVictim());
    const notMinor = await officer.post(`/api/contacts/${adult.id}/custody`, handOff(world, takenAt));
    expect(notMinor.statusCode).toBe(409);
    expect(body(notMinor).error.field).toBe('role');

    // The seal: a partner officer assigned to the operation, the lead's unassigned coordinator and
    // analyst, outsiders and caseworkers (before the hand-off) do not see the child at all.
    for (const user of [world.users.partnerOfficer, extra.users.unassignedCoordinator, world.users.analyst, world.users.outsiderOfficer, world.users.caseworker]) {
      expect((await (await signedIn(user)).post(url, handOff(world, takenAt))).statusCode, user.email).toBe(404);
    }
    expect((await as(env, null).post(url, handOff(world, takenAt))).statusCode).toBe(401);

    // Another coordinator of the lead, assigned, may name the officer who took the child.
    const h = await handOffAs(c.id, takenAt, { officerUserId: world.users.officer.id });
    expect(h.officer.userId).toBe(world.users.officer.id);
    const twice = await officer.post(url, handOff(world, takenAt));
    expect(twice.statusCode).toBe(409);
    const racing = await Promise.all([child(), child()].map(async (p) => (await p).id));
    const raced = await Promise.all(racing.flatMap((id) => [officer.post(`/api/contacts/${id}/custody`, handOff(world, takenAt)), officer.post(`/api/contacts/${id}/custody`, handOff(world, takenAt))]));
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409]);
  });

  it('is sealed: the lead’s assigned users and the receiving caseworkers only, every read audited', async () => {
    const c = await child();
    const h = await handOffAs(c.id);
    const caseworker = await signedIn(world.users.caseworker);
    const seen = await caseworker.get(`/api/custody/${h.id}`);
    expect(seen.statusCode).toBe(200);
    expect(body(seen)).toMatchObject({ id: h.id, operation: null, child: { name: 'Lily Childname' }, abilities: { 'custody.read': true, 'custody.update': false, 'custody.receive': true } });
    expect(seen.body).not.toContain(op.name);
    const [audit] = await auditRows(env, 'custody.read', h.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.caseworker.id, record_type: 'custody_handoff', record_agency_id: world.agencies.lead });
    const listed = body(await caseworker.get('/api/custody'));
    expect(listed.handoffs.map((x: { id: string }) => x.id)).toContain(h.id);
    // The receiving caseworker may now open the child's record too; no one else new.
    const childRecord = await caseworker.get(`/api/contacts/${c.id}`);
    expect(childRecord.statusCode).toBe(200);
    expect(body(childRecord)).toMatchObject({ name: 'Lily Childname', abilities: { 'contact.read': true, 'contact.update': false, 'contact.handOff': false } });
    expect((await caseworker.get(`/api/operations/${op.id}/contacts`)).statusCode).toBe(404);

    const officer = await signedIn(world.users.officer);
    expect((await officer.get(`/api/custody/${h.id}`)).statusCode).toBe(200);
    expect(body(await officer.get(`/api/custody?operationId=${op.id}`)).handoffs.map((x: { id: string }) => x.id)).toContain(h.id);
    expect((await (await signedIn(world.users.coordinator)).get(`/api/custody/${h.id}`)).statusCode).toBe(200);

    for (const user of [
      extra.users.unassignedCoordinator,
      world.users.analyst,
      world.users.pio,
      world.users.partnerOfficer,
      extra.users.otherCaseworker,
      extra.users.caseworkerAnalyst,
      world.users.outsiderCoordinator,
      world.users.advocate,
      world.users.leadAdmin,
    ]) {
      const client = await signedIn(user);
      expect((await client.get(`/api/custody/${h.id}`)).statusCode, user.email).toBe(404);
      expect(body(await client.get('/api/custody')).handoffs.map((x: { id: string }) => x.id), user.email).not.toContain(h.id);
      expect((await client.get(`/api/contacts/${c.id}`)).statusCode, user.email).toBe(404);
      expect((await client.patch(`/api/custody/${h.id}`, { statementFiledAt: now() })).statusCode, user.email).toBe(404);
    }
    expect((await as(env, null).get(`/api/custody/${h.id}`)).statusCode).toBe(401);
    expect((await as(env, null).get('/api/custody')).statusCode).toBe(401);
  });

  it('records parent-notification attempts and the written statement; the countdown stops once it is filed', async () => {
    const c = await child();
    const takenAt = ago(2 * HOUR);
    const h = await handOffAs(c.id, takenAt, { juvenileOfficerNotifiedAt: null, childrensDivisionNotifiedAt: null });
    const officer = await signedIn(world.users.officer);
    const attempt = await officer.post(`/api/custody/${h.id}/parent-notifications`, { at: ago(HOUR), method: 'phone', outcome: 'no_answer', note: 'Mother’s number from the motel register' });
    expect(attempt.statusCode).toBe(201);
    expect(body(attempt).parentNotifications).toEqual([
      { id: expect.any(String), at: ago(HOUR), method: 'phone', outcome: 'no_answer', note: 'Mother’s number from the motel register', recordedBy: { userId: world.users.officer.id, name: expect.any(String) } },
    ]);
    const [audit] = await auditRows(env, 'custody.update', h.id);
    expect(JSON.parse(audit!.changed_fields)).toEqual(['parentNotifications']);
    expect(audit!.detail).not.toContain('motel');
    const stored = await env.ctx.db.selectFrom('parent_notification').select('note').where('handoff_id', '=', h.id).executeTakeFirstOrThrow();
    expect(stored.note).toMatch(/^enc1\./);
    for (const [input, field] of [
      [{ at: ago(3 * HOUR), method: 'phone', outcome: 'reached' }, 'at'],
      [{ at: new Date(env.clock.now().getTime() + HOUR).toISOString(), method: 'phone', outcome: 'reached' }, 'at'],
      [{ at: ago(HOUR), method: 'pigeon', outcome: 'reached' }, 'method'],
    ] as const) {
      const res = await officer.post(`/api/custody/${h.id}/parent-notifications`, input);
      expect(res.statusCode).toBe(400);
      expect(body(res).error.field).toBe(field);
    }

    const patched = await officer.patch(`/api/custody/${h.id}`, { juvenileOfficerNotifiedAt: ago(HOUR), childrensDivisionNotifiedAt: ago(HOUR) });
    expect(patched.statusCode).toBe(200);
    expect(body(patched)).toMatchObject({ juvenileOfficerNotifiedAt: ago(HOUR), msUntilDue: 10 * HOUR });
    const bad = await officer.patch(`/api/custody/${h.id}`, { statementFiledAt: ago(3 * HOUR) });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('statementFiledAt');
    const filed = await officer.patch(`/api/custody/${h.id}`, { statementFiledAt: now() });
    expect(body(filed)).toMatchObject({ statementFiledAt: now(), msUntilDue: null, overdue: false });
    expect(JSON.parse((await auditRows(env, 'custody.update', h.id))[0]!.changed_fields)).toEqual(['statementFiledAt']);
    expect((await officer.patch(`/api/custody/${h.id}`, {})).statusCode).toBe(400);

    // Visible but not theirs to change: the receiving caseworker (403).
    const caseworker = await signedIn(world.users.caseworker);
    expect((await caseworker.patch(`/api/custody/${h.id}`, { statementFiledAt: now() })).statusCode).toBe(403);
    expect((await caseworker.post(`/api/custody/${h.id}/parent-notifications`, { at: now(), method: 'phone', outcome: 'reached' })).statusCode).toBe(403);
    expect((await as(env, null).patch(`/api/custody/${h.id}`, { statementFiledAt: now() })).statusCode).toBe(401);
  });

  it('the receiving caseworker records receipt: not before custody, not in the future, once; no one else may', async () => {
    const c = await child();
    const takenAt = ago(3 * HOUR);
    const h = await handOffAs(c.id, takenAt);
    const caseworker = await signedIn(world.users.caseworker);
    const url = `/api/custody/${h.id}/receipt`;
    for (const receivedAt of [ago(4 * HOUR), new Date(env.clock.now().getTime() + HOUR).toISOString()]) {
      const res = await caseworker.post(url, { caseworkerName: 'C. Worker', receivedAt, placementType: 'foster_home', placementName: 'Maple Street foster home' });
      expect(res.statusCode, receivedAt).toBe(400);
      expect(body(res).error.field).toBe('receivedAt');
    }
    expect(body(await caseworker.post(url, { receivedAt: ago(HOUR), placementType: 'tent' })).error.field).toBe('placementType');
    // The officer sees the hand-off but may not sign for the other agency (403); other agencies see nothing (404).
    expect((await (await signedIn(world.users.officer)).post(url, { caseworkerName: 'X', receivedAt: ago(HOUR), placementType: 'foster_home', placementName: 'Maple Street foster home' })).statusCode).toBe(403);
    expect((await (await signedIn(extra.users.otherCaseworker)).post(url, { caseworkerName: 'X', receivedAt: ago(HOUR), placementType: 'foster_home', placementName: 'Maple Street foster home' })).statusCode).toBe(404);
    expect((await (await signedIn(extra.users.caseworkerAnalyst)).post(url, { caseworkerName: 'X', receivedAt: ago(HOUR), placementType: 'foster_home', placementName: 'Maple Street foster home' })).statusCode).toBe(404);
    expect((await as(env, null).post(url, { receivedAt: ago(HOUR), placementType: 'foster_home', placementName: 'Maple Street foster home' })).statusCode).toBe(401);

    const missing = await caseworker.post(url, { caseworkerName: 'Casey Worker', receivedAt: ago(HOUR), placementType: 'relative_kinship' });
    expect(body(missing).error.field).toBe('placementName');
    expect(body(await caseworker.post(url, { receivedAt: ago(HOUR), placementType: 'relative_kinship', placementName: '   ' })).error.field).toBe('placementName');
    const res = await caseworker.post(url, { caseworkerName: 'Casey Worker', receivedAt: ago(HOUR), placementType: 'relative_kinship', placementName: 'Grandmother, Ruth Example' });
    expect(res.statusCode).toBe(200);
    expect(body(res).receipt).toEqual({ caseworkerName: 'Casey Worker', receivedAt: ago(HOUR), placementType: 'relative_kinship', placementName: 'Grandmother, Ruth Example', recordedBy: world.users.caseworker.id });
    expect(body(res).abilities['custody.receive']).toBe(false);
    const [audit] = await auditRows(env, 'custody.receive', h.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.caseworker.id, actor_agency_id: world.agencies.childWelfare, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('Casey');
    expect(audit!.detail).not.toContain('Ruth');
    expect(JSON.parse(audit!.changed_fields)).toContain('placementName');
    const stored = await env.ctx.db.selectFrom('custody_handoff').select(['receipt_caseworker_name', 'placement_name']).where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(stored.receipt_caseworker_name).toMatch(/^enc1\./);
    expect(stored.placement_name).toMatch(/^enc1\./);
    const again = await caseworker.post(url, { caseworkerName: 'Casey Worker', receivedAt: ago(HOUR), placementType: 'foster_home', placementName: 'Maple Street foster home' });
    expect(again.statusCode).toBe(409);
    // The officer sees the receipt, and hears of it.
    expect(body(await (await signedIn(world.users.officer)).get(`/api/custody/${h.id}`)).receipt).toMatchObject({ placementType: 'relative_kinship', placementName: 'Grandmother, Ruth Example' });
    const inbox = body(await (await signedIn(world.users.officer)).get('/api/inbox'));
    expect(inbox.items.some((i: { kind: string; recordId: string }) => i.kind === 'custody.received' && i.recordId === h.id)).toBe(true);
  });

  it('the caseworker sees the officer’s phone: the number given at hand-off, else the work phone on the officer’s account', async () => {
    const officer = await signedIn(world.users.officer);
    const caseworker = await signedIn(world.users.caseworker);
    const given = await handOffAs((await child()).id, ago(HOUR), { officerPhone: '816.235.0166' });
    expect(body(await caseworker.get(`/api/custody/${given.id}`)).officer).toEqual({ userId: world.users.officer.id, name: expect.any(String), phone: '(816) 235-0166' });
    const stored = await env.ctx.db.selectFrom('custody_handoff').select('officer_phone').where('id', '=', given.id).executeTakeFirstOrThrow();
    expect(stored.officer_phone).toMatch(/^enc1\./);
    for (const bad of ['12', '000-000-0000', 'none']) {
      const res = await officer.post(`/api/contacts/${(await child()).id}/custody`, handOff(world, ago(HOUR), { officerPhone: bad }));
      expect(res.statusCode, bad).toBe(400);
      expect(body(res).error.field, bad).toBe('officerPhone');
    }
    // None given: the officer's account phone, set by their administrator.
    expect((await (await signedIn(world.users.leadAdmin)).patch(`/api/users/${world.users.officer.id}`, { phone: '(816) 235-0155' })).statusCode).toBe(200);
    const fromAccount = await handOffAs((await child()).id);
    expect(body(await caseworker.get(`/api/custody/${fromAccount.id}`)).officer.phone).toBe('(816) 235-0155');
    // Another child-welfare agency sees none of it.
    expect((await (await signedIn(extra.users.otherCaseworker)).get(`/api/custody/${given.id}`)).statusCode).toBe(404);
    expect((await (await signedIn(extra.users.otherCaseworker)).get('/api/custody')).body).not.toContain('235-0166');
  });

  it('fuzz: random hand-off bodies never get a 5xx', async () => {
    const c = await child();
    const officer = await signedIn(world.users.officer);
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.constantFrom(now(), ago(HOUR), '2026-13-01T00:00:00Z', world.agencies.childWelfare, ...CUSTODY_REASONS));
    const input = fc.dictionary(fc.constantFrom('takenAt', 'officerUserId', 'reason', 'reasonDetail', 'juvenileOfficerNotifiedAt', 'childrensDivisionNotifiedAt', 'toAgencyId'), value, { maxKeys: 7 });
    await fc.assert(
      fc.asyncProperty(input, async (payload) => {
        const res = await officer.post(`/api/contacts/${c.id}/custody`, payload);
        expect(res.statusCode, res.body).toBeLessThan(500);
      }),
      { numRuns: 50 },
    );
  });

  // Last: it moves the clock by hours, past every session's idle timeout.
  it('files the statement alerts to the officer and the lead’s coordinators at 2 hours, 30 minutes and overdue — each once, across processes', async () => {
    // The earlier tests' hand-offs have their statements filed, so only this test's can fall due.
    await env.ctx.db.updateTable('custody_handoff').set({ statement_filed_at: now() }).where('statement_filed_at', 'is', null).execute();
    const c = await child();
    const h = await handOffAs(c.id, now());
    const filed = await handOffAs((await child()).id, now());
    await (await signedIn(world.users.officer)).patch(`/api/custody/${filed.id}`, { statementFiledAt: now() });
    const second = await openSecondContext(env);
    const alerts = (id: string) => env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', id).where('kind', 'like', 'custody.deadline.%').orderBy('id').execute();
    try {
      expect(await checkCustodyDeadlines(env.ctx)).toBe(0);
      env.clock.advance(10 * HOUR - 60_000);
      expect(await checkCustodyDeadlines(env.ctx)).toBe(0);

      env.clock.advance(60_000); // 2 hours left
      // Two processes at once (PostgreSQL; SQLite is one process by design, so there they take turns).
      const [a, b] = backend === 'postgres' ? await Promise.all([checkCustodyDeadlines(env.ctx), checkCustodyDeadlines(second)]) : [await checkCustodyDeadlines(env.ctx), await checkCustodyDeadlines(second)];
      expect(a + b).toBe(1);
      let rows = await alerts(h.id);
      expect(rows.map((r) => [r.kind, r.audience, r.agency_id, r.user_id])).toEqual([
        ['custody.deadline.2h', 'user', world.agencies.lead, world.users.officer.id],
        ['custody.deadline.2h', 'coordinator', world.agencies.lead, null],
      ]);
      expect(rows[0]!.title).toMatch(/due in 2 hours/);
      expect(`${rows[0]!.title} ${rows[0]!.body}`).toContain(`Person ${c.personNumber}`);
      expect(`${rows[0]!.title} ${rows[0]!.body}`).not.toMatch(/Lily|Childname/);
      expect(await checkCustodyDeadlines(env.ctx)).toBe(0);
      expect(await alerts(filed.id)).toEqual([]);

      env.clock.advance(90 * 60_000); // 30 minutes left
      expect(await checkCustodyDeadlines(second)).toBe(1);
      expect(await checkCustodyDeadlines(env.ctx)).toBe(0);
      rows = await alerts(h.id);
      expect(rows.map((r) => r.kind)).toEqual(['custody.deadline.2h', 'custody.deadline.2h', 'custody.deadline.30m', 'custody.deadline.30m']);

      env.clock.advance(31 * 60_000); // overdue
      await (backend === 'postgres'
        ? Promise.all([checkCustodyDeadlines(env.ctx), checkCustodyDeadlines(second), checkCustodyDeadlines(env.ctx)])
        : checkCustodyDeadlines(second).then(() => checkCustodyDeadlines(env.ctx)));
      const officer = await freshClient(env, world.users.officer);
      const dto = body(await officer.get(`/api/custody/${h.id}`));
      expect(dto).toMatchObject({ overdue: true, msUntilDue: Date.parse(h.statementDueAt) - env.clock.now().getTime() });
      expect(dto.msUntilDue).toBeLessThan(0);
      rows = await alerts(h.id);
      expect(rows.filter((r) => r.kind === 'custody.deadline.overdue')).toHaveLength(2);
      expect((await auditRows(env, 'custody.alert', h.id)).map((r) => JSON.parse(r.detail).stage)).toEqual(['overdue', '30m', '2h']);

      // In the inboxes: the officer's own, and the lead's coordinators' (whether assigned or not).
      const officerInbox = body(await officer.get('/api/inbox'));
      expect(officerInbox.items.filter((i: { recordId: string }) => i.recordId === h.id).map((i: { kind: string }) => i.kind)).toEqual(
        expect.arrayContaining(['custody.deadline.overdue', 'custody.deadline.30m', 'custody.deadline.2h']),
      );
      const coordinatorInbox = body(await (await freshClient(env, extra.users.unassignedCoordinator)).get('/api/inbox'));
      expect(coordinatorInbox.items.filter((i: { recordId: string }) => i.recordId === h.id)).toHaveLength(3);
      const partnerInbox = body(await (await freshClient(env, world.users.partnerOfficer)).get('/api/inbox'));
      expect(partnerInbox.items.filter((i: { recordId: string }) => i.recordId === h.id)).toHaveLength(0);

      // Filing the statement ends the alerts.
      await (await freshClient(env, world.users.officer)).patch(`/api/custody/${h.id}`, { statementFiledAt: now() });
      env.clock.advance(HOUR);
      expect(await checkCustodyDeadlines(env.ctx)).toBe(0);
    } finally {
      await second.database.close();
    }
  });
});
