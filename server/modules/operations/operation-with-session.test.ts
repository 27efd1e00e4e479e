import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, sessionCache, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, draftOperation, extraUsers, planInput, type SignedIn } from '../../test/operations-fixtures.ts';
import { lookupSession, SESSION_COOKIE, sessionLookupGroupSizes } from '../../auth/sessions.ts';
import { loadOperation, operationWithSession } from './operation-state.ts';
import { visibleAmong } from './operations.queries.ts';

/**
 * Routes about one operation read it in the session's statement (`withSession`), and `loadOperation`
 * judges it with the predicate form of `operation.read`. These check that the shortcut answers exactly
 * what the SQL filter answers, for every user and every kind of operation, and that it is used once.
 */
describeEachDatabase('an operation read with the session', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let extra: Awaited<ReturnType<typeof extraUsers>>;
  const ops: { id: string; what: string }[] = [];

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    extra = await extraUsers(env, world);
    signedIn = sessionCache(env);
    const active = await activeOperation(signedIn, world);
    const closed = await activeOperation(signedIn, world);
    await closeOperation(signedIn, world, closed.id);
    const draft = await draftOperation(signedIn, world, { assignedUserIds: [world.users.partnerOfficer.id] });
    const outsider = await signedIn(world.users.outsiderCoordinator);
    const elsewhere = await outsider.post('/api/operations', planInput(world, { taskForceId: world.otherTaskForceId, participants: [], assignedUserIds: [world.users.outsiderOfficer.id] }));
    expect(elsewhere.statusCode).toBe(201);
    ops.push({ id: active.id, what: 'active' }, { id: closed.id, what: 'closed' }, { id: draft.id, what: 'draft' }, { id: body(elsewhere).id, what: "another task force's" });
  });
  afterAll(() => env.close());

  /** A fresh session of the user: its token (for `lookupSession`) and a client on it. */
  const sessionOf = async (user: TestUser) => {
    const cookie = await signIn(env, user);
    return { token: cookie.slice(`${SESSION_COOKIE}=`.length), client: as(env, cookie) };
  };

  it("every user reads exactly the operations the SQL filter lets them read, and a 404 for the rest (cross-task-force included)", async () => {
    const users = { ...world.users, ...extra.users };
    let seen = 0;
    for (const [name, user] of Object.entries(users)) {
      const { token, client } = await sessionOf(user);
      const me = await lookupSession(env.ctx, token);
      expect(me.state, name).toBe('ok');
      const actor = me.state === 'ok' ? me.session.actor : null;
      const visible = await visibleAmong(env.ctx.db, actor!, ops.map((o) => o.id));
      for (const op of ops) {
        const res = await client.get(`/api/operations/${op.id}`);
        expect([name, op.what, res.statusCode], res.body).toEqual([name, op.what, visible.has(op.id) ? 200 : 404]);
        const outcome = await client.get(`/api/operations/${op.id}/outcome`);
        expect([name, op.what, 'outcome', outcome.statusCode]).toEqual([name, op.what, 'outcome', visible.has(op.id) ? 200 : 404]);
        if (visible.has(op.id)) seen++;
      }
    }
    // The matrix has both answers: some users see some operations, and the outsiders see only theirs.
    expect(seen).toBeGreaterThan(5);
  });

  it('an id no operation has is a 404, an id no operation could have is refused by validation, never a 5xx', async () => {
    const officer = await signedIn(world.users.officer);
    expect((await officer.get('/api/operations/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await officer.post('/api/operations/00000000-0000-7000-8000-000000000000/contacts', adultVictim({ clientRef: 'nowhere-1' }))).statusCode).toBe(404);
    // As sent: NUL (which PostgreSQL refuses in text), an injection attempt, too long, not ASCII.
    for (const id of ['%00', '00000000-0000-7000-8000-00000000000%00', "1'%20or%20'1'='1", 'x'.repeat(101), encodeURIComponent('é'.repeat(36))]) {
      const res = await officer.get(`/api/operations/${id}`);
      expect(res.statusCode, id).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, id).toBeLessThan(500);
    }
  });

  it('a contact is recorded through it: the assigned officer records, an unassigned coordinator who sees the operation is refused (403), an outsider finds none (404)', async () => {
    const [active] = ops;
    const partnerOfficer = await signedIn(world.users.partnerOfficer);
    expect((await partnerOfficer.post(`/api/operations/${active!.id}/contacts`, adultVictim({ clientRef: 'with-session-1' }))).statusCode).toBe(201);
    const unassigned = await signedIn(extra.users.unassignedCoordinator);
    // A coordinator of the lead agency sees the operation but is not assigned: refused, not hidden.
    expect((await unassigned.post(`/api/operations/${active!.id}/contacts`, adultVictim({ clientRef: 'with-session-2' }))).statusCode).toBe(403);
    const outsider = await signedIn(world.users.outsiderOfficer);
    expect((await outsider.post(`/api/operations/${active!.id}/contacts`, adultVictim({ clientRef: 'with-session-3' }))).statusCode).toBe(404);
  });

  it('what the session read is used once, and only outside a transaction: a second load reads the operation again', async () => {
    const [active] = ops;
    const { token } = await sessionOf(world.users.coordinator);
    const found = await lookupSession(env.ctx, token, { with: operationWithSession, id: active!.id });
    expect(found.state).toBe('ok');
    const actor = found.state === 'ok' ? found.session.actor : null;
    // Change the operation after the session's statement read it: the first load answers what was read …
    await env.ctx.db.updateTable('operation').set({ name: 'Renamed meanwhile' }).where('id', '=', active!.id).execute();
    const first = await loadOperation(env.ctx, actor!, active!.id);
    expect(first.row.name).not.toBe('Renamed meanwhile');
    expect(first.record.assigned).toBe(true);
    // … and every later one reads the row as it is now.
    expect((await loadOperation(env.ctx, actor!, active!.id)).row.name).toBe('Renamed meanwhile');

    const again = await lookupSession(env.ctx, token, { with: operationWithSession, id: active!.id });
    const actor2 = again.state === 'ok' ? again.session.actor : null;
    await env.ctx.db.updateTable('operation').set({ name: 'Renamed twice' }).where('id', '=', active!.id).execute();
    // Inside a transaction the operation is always read there (a state change re-checks what it changes).
    const inTx = await env.ctx.db.transaction().execute((trx) => loadOperation(env.ctx, actor2!, active!.id, trx));
    expect(inTx.row.name).toBe('Renamed twice');
    // Another operation's id than the one read with the session: read on its own.
    const [, closed] = ops;
    expect((await loadOperation(env.ctx, actor2!, closed!.id)).row.status).toBe('closed');
  });

  it('sessions looked up at the same moment each get their own user and operation (one statement on PostgreSQL), and an unknown one none', async () => {
    const users = Object.values({ ...world.users, ...extra.users });
    const sessions = await Promise.all(users.map(async (user) => ({ user, ...(await sessionOf(user)) })));
    const before = sessionLookupGroupSizes(env.ctx, operationWithSession);
    const asked = sessions.map((s, i) => ({ ...s, op: ops[i % ops.length]! }));
    const [found, unknown] = await Promise.all([
      Promise.all(asked.map((a) => lookupSession(env.ctx, a.token, { with: operationWithSession, id: a.op.id }))),
      lookupSession(env.ctx, 'no-such-session-token', { with: operationWithSession, id: ops[0]!.id }),
    ]);
    expect(unknown.state).toBe('none');
    for (const [i, a] of asked.entries()) {
      const me = found[i]!;
      expect(me.state === 'ok' ? me.session.actor.userId : me.state).toBe(a.user.id);
      if (me.state !== 'ok') continue;
      // All of the session as read alone: roles, agency, task forces.
      const alone = await lookupSession(env.ctx, a.token);
      expect(alone.state === 'ok' ? { actor: alone.session.actor, taskForces: alone.session.taskForces } : alone.state).toEqual({ actor: me.session.actor, taskForces: me.session.taskForces });
      // The operation kept for this request is the one it asked for, judged for this user.
      const visible = await visibleAmong(env.ctx.db, me.session.actor, [a.op.id]);
      const loaded = await loadOperation(env.ctx, me.session.actor, a.op.id).then((o) => o.row.id, () => null);
      expect([a.user.email, a.op.what, loaded]).toEqual([a.user.email, a.op.what, visible.has(a.op.id) ? a.op.id : null]);
    }
    const grouped = sessionLookupGroupSizes(env.ctx, operationWithSession).some((n, size) => size > 1 && n > (before[size] ?? 0));
    expect(grouped).toBe(backend === 'postgres');

    // Through HTTP, at once: each request answered for its own user.
    const answers = await Promise.all(asked.map((a) => a.client.get(`/api/operations/${a.op.id}`).then((res) => res.statusCode)));
    for (const [i, a] of asked.entries()) {
      const me = found[i]!;
      const visible = me.state === 'ok' ? await visibleAmong(env.ctx.db, me.session.actor, [a.op.id]) : new Set<string>();
      expect([a.user.email, a.op.what, answers[i]]).toEqual([a.user.email, a.op.what, visible.has(a.op.id) ? 200 : 404]);
    }
  });
});
