import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { unseal } from '../../lib/sealed.ts';
import { insertTestTip, type TestTip } from './queue.test-support.ts';

/** Working a tip: staff entry, assignment, the states of triage, and questions to the tipster. */
describeEachDatabase('working a tip', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let leadOfficer2: TestUser;
  let disabledAnalyst: TestUser;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    leadOfficer2 = await insertUser(env, world.agencies.lead, ['officer'], { name: 'Officer Two' });
    disabledAnalyst = await insertUser(env, world.agencies.lead, ['analyst'], { name: 'Gone Analyst' });
    await env.ctx.db.updateTable('app_user').set({ disabled_at: env.clock.now().toISOString() }).where('id', '=', disabledAnalyst.id).execute();
  });
  afterAll(() => env.close());

  const tip = (over: Partial<TestTip> = {}) => insertTestTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, ...over });
  const stored = (id: string) => env.ctx.db.selectFrom('tip').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = (id: string) => env.ctx.db.selectFrom('tip_event').selectAll().where('tip_id', '=', id).orderBy('at').orderBy('id').execute();

  it('a coordinator assigns a new tip to an officer of the agency: assigned, dated event, audit row, a notice to the assignee', async () => {
    const t = await tip();
    env.clock.advance(1000);
    const res = await (await signedIn(world.users.coordinator)).post(`/api/tips/${t.id}/assign`, { userId: leadOfficer2.id, version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ status: 'assigned', assignedTo: { id: leadOfficer2.id, name: 'Officer Two' }, version: 2 });
    expect(await stored(t.id)).toMatchObject({ status: 'assigned', assigned_user_id: leadOfficer2.id, version: 2 });
    const [, assigned] = await events(t.id);
    expect(assigned).toMatchObject({ kind: 'assigned', actor_user_id: world.users.coordinator.id, at: env.clock.now().toISOString() });
    expect(JSON.parse(assigned!.detail)).toMatchObject({ from: 'new', to: 'assigned', assigneeId: leadOfficer2.id });
    expect(body(res).history.at(-1)).toMatchObject({ kind: 'assigned', by: 'Test coordinator' });
    const [audit] = await auditRows(env, 'tip.assign', t.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.coordinator.id, record_agency_id: world.agencies.lead });
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', t.id).execute();
    expect(notices).toMatchObject([{ kind: 'tip.assigned', user_id: leadOfficer2.id, record_type: 'tip' }]);
    expect(notices[0]!.body).not.toContain('massage');

    // The handler, an officer, now reads and works it but does not reassign it.
    const handler = await signedIn(leadOfficer2);
    const seen = body(await handler.get(`/api/tips/${t.id}`));
    expect(seen.abilities).toMatchObject({ 'tip.triage': true, 'tip.message': true, 'tip.assign': false, 'tip.readContact': true });
    expect((await handler.post(`/api/tips/${t.id}/assign`, { userId: leadOfficer2.id, version: 2 })).statusCode).toBe(403);
    // Reassigning: an analyst takes it over.
    const again = await (await signedIn(world.users.analyst)).post(`/api/tips/${t.id}/assign`, { userId: world.users.analyst.id, version: 2 });
    expect(again.statusCode, again.body).toBe(200);
    expect(body(again)).toMatchObject({ status: 'assigned', assignedTo: { id: world.users.analyst.id }, version: 3 });
  });

  it('refuses an assignee outside the agency, without a tip role, or disabled (400 userId); a stale version (409); others (404/403)', async () => {
    const t = await tip();
    const coordinator = await signedIn(world.users.coordinator);
    const before = await tableCounts(env.ctx, ['tip_event', 'inbox_item']);
    for (const user of [world.users.partnerAnalyst, world.users.pio, world.users.leadAdmin, disabledAnalyst]) {
      const res = await coordinator.post(`/api/tips/${t.id}/assign`, { userId: user.id, version: 1 });
      expect(res.statusCode, user.email).toBe(400);
      expect(body(res).error.field).toBe('userId');
    }
    const bad: [unknown, string][] = [
      [{ userId: world.users.officer.id }, 'version'],
      [{ userId: world.users.officer.id, version: 'one' }, 'version'],
      [{ userId: 'someone', version: 1 }, 'userId'],
    ];
    for (const [payload, field] of bad) {
      const res = await coordinator.post(`/api/tips/${t.id}/assign`, payload);
      expect(res.statusCode).toBe(400);
      expect(body(res).error.field).toBe(field);
    }
    const stale = await coordinator.post(`/api/tips/${t.id}/assign`, { userId: world.users.officer.id, version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error).toMatchObject({ field: 'version' });
    expect(body(stale).error.message).toContain('it is now new');
    expect((await (await signedIn(world.users.partnerCoordinator)).post(`/api/tips/${t.id}/assign`, { userId: world.users.partnerOfficer.id, version: 1 })).statusCode).toBe(404);
    expect((await (await signedIn(world.users.outsiderCoordinator)).post(`/api/tips/${t.id}/assign`, { userId: world.users.officer.id, version: 1 })).statusCode).toBe(404);
    expect((await (await signedIn(world.users.officer)).post(`/api/tips/${t.id}/assign`, { userId: world.users.officer.id, version: 1 })).statusCode).toBe(403);
    expect(await tableCounts(env.ctx, ['tip_event', 'inbox_item'])).toEqual(before);
    expect(await stored(t.id)).toMatchObject({ status: 'new', version: 1, assigned_user_id: null });
  });

  it('lists whom a tip may be assigned to for its queue staff (an analyst too, who may not list accounts); others 404/403', async () => {
    const t = await tip();
    const res = await (await signedIn(world.users.analyst)).get(`/api/tips/${t.id}/assignees`);
    expect(res.statusCode, res.body).toBe(200);
    const ids = body(res).assignees.map((a: { id: string }) => a.id);
    expect(ids).toEqual(expect.arrayContaining([world.users.coordinator.id, world.users.analyst.id, world.users.officer.id, leadOfficer2.id]));
    // Not the disabled analyst, not the PIO or the administrator, not another agency's people.
    for (const user of [disabledAnalyst, world.users.pio, world.users.leadAdmin, world.users.partnerAnalyst]) expect(ids).not.toContain(user.id);
    expect((await (await signedIn(world.users.officer)).get(`/api/tips/${t.id}/assignees`)).statusCode).toBe(403);
    expect((await (await signedIn(world.users.partnerCoordinator)).get(`/api/tips/${t.id}/assignees`)).statusCode).toBe(404);
    expect((await (await signedIn(world.users.outsiderCoordinator)).get(`/api/tips/${t.id}/assignees`)).statusCode).toBe(404);
  });

  it('moves a tip along its states, each dated and audited; closing needs a reason; a closed tip reopens', async () => {
    const t = await tip({ status: 'assigned', assignedUserId: world.users.analyst.id });
    const analyst = await signedIn(world.users.analyst);
    let version = 1;
    const go = async (status: string, reason?: string) => {
      env.clock.advance(1000);
      const res = await analyst.post(`/api/tips/${t.id}/status`, { status, version, ...(reason ? { reason } : {}) });
      expect(res.statusCode, res.body).toBe(200);
      version = body(res).version;
      return body(res);
    };
    expect(await go('under_review')).toMatchObject({ status: 'under_review', version: 2 });
    expect(await go('linked')).toMatchObject({ status: 'linked' });
    expect(await go('under_review')).toMatchObject({ status: 'under_review' });
    expect(await go('referred')).toMatchObject({ status: 'referred' });
    const closed = await go('closed', 'investigation_complete');
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'investigation_complete' });
    expect((await stored(t.id)).closed_at).toBe(env.clock.now().toISOString());
    const reopened = await go('under_review');
    expect(reopened).toMatchObject({ status: 'under_review', closeReason: null });
    expect((await stored(t.id)).closed_at).toBeNull();
    const statusEvents = (await events(t.id)).filter((e) => e.kind === 'status').map((e) => JSON.parse(e.detail));
    expect(statusEvents).toEqual([
      { from: 'assigned', to: 'under_review' },
      { from: 'under_review', to: 'linked' },
      { from: 'linked', to: 'under_review' },
      { from: 'under_review', to: 'referred' },
      { from: 'referred', to: 'closed', reason: 'investigation_complete' },
      { from: 'closed', to: 'under_review' },
    ]);
    expect(reopened.history.filter((h: { kind: string }) => h.kind === 'status').every((h: { by: string }) => h.by === 'Test analyst')).toBe(true);
    const audits = await auditRows(env, 'tip.triage', t.id);
    expect(audits).toHaveLength(6);
    expect(JSON.parse(audits[1]!.detail)).toEqual({ from: 'referred', to: 'closed', reason: 'investigation_complete' });
  });

  it('refuses an out-of-order change naming the allowed next states, a close without a reason, and a reason elsewhere', async () => {
    const t = await tip();
    const coordinator = await signedIn(world.users.coordinator);
    const before = await tableCounts(env.ctx, ['tip_event', 'audit_event']);
    const skip = await coordinator.post(`/api/tips/${t.id}/status`, { status: 'linked', version: 1 });
    expect(skip.statusCode).toBe(409);
    expect(body(skip).error).toMatchObject({ code: 'conflict', field: 'status', message: 'status: a tip that is new can go to assigned, closed — not linked' });
    const bad: [unknown, string][] = [
      [{ status: 'closed', version: 1 }, 'reason'],
      [{ status: 'closed', reason: 'bored', version: 1 }, 'reason'],
      [{ status: 'under_review', reason: 'duplicate', version: 1 }, 'reason'],
      [{ status: 'assigned', version: 1 }, 'status'],
      [{ status: 'archived', version: 1 }, 'status'],
      [{ status: 'closed', reason: 'duplicate' }, 'version'],
    ];
    for (const [payload, field] of bad) {
      const res = await coordinator.post(`/api/tips/${t.id}/status`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(body(res).error.field, JSON.stringify(payload)).toBe(field);
    }
    // Deny: a partner's coordinator cannot see it; an officer who does not handle it may read but not triage it.
    expect((await (await signedIn(world.users.partnerCoordinator)).post(`/api/tips/${t.id}/status`, { status: 'closed', reason: 'duplicate', version: 1 })).statusCode).toBe(404);
    expect((await (await signedIn(world.users.officer)).post(`/api/tips/${t.id}/status`, { status: 'closed', reason: 'duplicate', version: 1 })).statusCode).toBe(403);
    const counts = await tableCounts(env.ctx, ['tip_event', 'audit_event']);
    expect(counts.tip_event).toBe(before.tip_event);
    const closed = await coordinator.post(`/api/tips/${t.id}/status`, { status: 'closed', reason: 'no_trafficking_indicated', version: 1 });
    expect(closed.statusCode, closed.body).toBe(200);
    const twice = await coordinator.post(`/api/tips/${t.id}/status`, { status: 'closed', reason: 'duplicate', version: 2 });
    expect(twice.statusCode).toBe(409);
    expect(body(twice).error.message).toBe('status: a tip that is closed can go to under review — not closed');
  });

  it('staff ask the tipster a question: sealed, a dated event without the words, an audit row; partners and officers who do not handle it cannot', async () => {
    const t = await tip({ status: 'assigned', assignedUserId: world.users.analyst.id });
    const question = 'Can you tell us what time the van usually arrives? <script>alert(1)</script>';
    const res = await (await signedIn(world.users.analyst)).post(`/api/tips/${t.id}/messages`, { body: question });
    expect(res.statusCode, res.body).toBe(201);
    expect(body(res)).toEqual({ id: expect.any(String), at: env.clock.now().toISOString(), from: 'Test analyst', fromTipster: false, body: question, readAt: null });
    const row = await env.ctx.db.selectFrom('tip_message').selectAll().where('tip_id', '=', t.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ from_tipster: 0, user_id: world.users.analyst.id, agency_id: world.agencies.lead, read_at: null });
    expect(row.body).toMatch(/^enc1\./);
    expect(unseal(env.ctx.keyring, 'tip_message', 'body', row.id, row.body)).toBe(question);
    const event = (await events(t.id)).find((e) => e.kind === 'message')!;
    expect(JSON.parse(event.detail)).toEqual({ direction: 'to_tipster', messageId: row.id });
    expect(event.detail).not.toContain('van');
    const [audit] = await auditRows(env, 'tip.message', t.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('van');
    const dto = body(await (await signedIn(world.users.analyst)).get(`/api/tips/${t.id}`));
    expect(dto.messages).toEqual([{ id: row.id, at: row.at, from: 'Test analyst', fromTipster: false, body: question, readAt: null }]);

    const before = await tableCounts(env.ctx, ['tip_message']);
    expect((await (await signedIn(world.users.officer)).post(`/api/tips/${t.id}/messages`, { body: 'Hello' })).statusCode).toBe(403);
    expect((await (await signedIn(world.users.partnerAnalyst)).post(`/api/tips/${t.id}/messages`, { body: 'Hello' })).statusCode).toBe(404);
    expect((await (await signedIn(world.users.advocate)).post(`/api/tips/${t.id}/messages`, { body: 'Hello' })).statusCode).toBe(404);
    for (const [payload, field] of [[{ body: '' }, 'body'], [{ body: 'x'.repeat(4001) }, 'body'], [{}, 'body']] as const) {
      const bad = await (await signedIn(world.users.analyst)).post(`/api/tips/${t.id}/messages`, payload);
      expect(bad.statusCode).toBe(400);
      expect(body(bad).error.field).toBe(field);
    }
    expect(await tableCounts(env.ctx, ['tip_message'])).toEqual(before);
  });

  it('staff entry: only the tip workers of an agency that takes tips; bad input is a 400 naming the field', async () => {
    const phoned = { narrative: 'Caller says two women are kept at the spa.', zip: '64075', minorInvolved: false, immediateDanger: false, language: 'en', source: 'phone' };
    const before = await tableCounts(env.ctx, ['tip']);
    for (const user of [world.users.advocate, world.users.caseworker, world.users.pio, world.users.leadAdmin]) {
      const res = await (await signedIn(user)).post('/api/tips', phoned);
      expect(res.statusCode, user.email).toBe(403);
    }
    const bad: [Record<string, unknown>, string][] = [
      [{ ...phoned, source: 'web' }, 'source'],
      [{ ...phoned, narrative: '' }, 'narrative'],
      [{ ...phoned, minorInvolved: 'no' }, 'minorInvolved'],
      [{ ...phoned, zip: '640' }, 'zip'],
      [{ ...phoned, receivedAt: 'yesterday' }, 'receivedAt'],
      [{ ...phoned, narrative: 'x'.repeat(8001) }, 'narrative'],
    ];
    for (const [payload, field] of bad) {
      const res = await (await signedIn(world.users.coordinator)).post('/api/tips', payload);
      expect(res.statusCode, field).toBe(400);
      expect(body(res).error.field).toBe(field);
    }
    expect(await tableCounts(env.ctx, ['tip'])).toEqual(before);
    expect((await env.app.inject({ method: 'POST', url: '/api/tips', payload: phoned })).statusCode).toBe(401);
  });

  it('staff entry: a coordinator records a phoned-in tip and gets its receipt to read to the caller', async () => {
    const res = await (await signedIn(world.users.coordinator)).post('/api/tips', {
      narrative: 'Caller says two women are kept at the spa.',
      zip: '64075',
      minorInvolved: false,
      immediateDanger: false,
      language: 'en',
      source: 'phone',
    });
    // Filing itself (`fileTip`, tips.intake.ts) belongs to the intake module: until it is merged its
    // stub answers 501, and this test checks the route reaches it. Once merged, the tip is filed.
    if (res.statusCode === 501) {
      expect(body(res).error.code).toBe('not_implemented');
      return;
    }
    expect(res.statusCode, res.body).toBe(201);
    const created = body(res);
    expect(created).toEqual({ id: expect.any(String), receipt: expect.stringMatching(/\d/) });
    expect(await stored(created.id)).toMatchObject({ source: 'phone', created_by: world.users.coordinator.id });
  });
});
