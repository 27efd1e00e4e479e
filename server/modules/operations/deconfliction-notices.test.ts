import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { roundsFor } from '../../test/race.ts';
import { activeOperation, closeOperation, draftOperation, OAK_GROVE, planInput, type SignedIn } from '../../test/operations-fixtures.ts';
import { notify } from '../inbox/inbox.service.ts';

interface Notice {
  id: string;
  kind: string;
  title: string;
  body: string;
  operationId: string | null;
  createdAt: string;
  read: boolean;
}

/**
 * Issue #9, items 1, 2, 5 and 7: who is told what about a conflict follows who they are (one agency or
 * two; a closed or past operation only informs), one notice per conflicting pair kept current, notices
 * settled when the conflict is, the badge and the list counting the same thing, and the operations list
 * filtered in SQL and exported as CSV without showing another task force's operations.
 */
describeEachDatabase('deconfliction notices and the operations list', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  /** A second coordinator of the lead agency: the colleague who did not save the plan. */
  let colleague: TestUser;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    colleague = await insertUser(env, world.agencies.lead, ['coordinator'], { name: 'Colleague Coordinator' });
  });
  afterAll(() => env.close());

  const inbox = async (user: TestUser, unread = false) => body(await (await signedIn(user)).get(`/api/inbox${unread ? '?unread=true' : ''}`)) as { items: Notice[]; unread: number };
  const conflictNotices = async (user: TestUser, operationIds: string[]) =>
    (await inbox(user)).items.filter((i) => i.kind === 'deconfliction.conflict' && operationIds.includes(i.operationId ?? ''));
  const pairRows = (a: string, b: string) =>
    env.ctx.db.selectFrom('inbox_item').selectAll().where('kind', '=', 'deconfliction.conflict').where('dedupe_key', 'like', `%${[a, b].sort().join('|')}`).execute();

  it("a conflict between two of one agency's operations reads as its own, with one notice, read for the one who saved", async () => {
    const a = await draftOperation(signedIn, world);
    const b = await draftOperation(signedIn, world, { startsAt: a.startsAt, endsAt: a.endsAt, commander: { name: 'Lt. Own Side', phone: '(816) 555-0111' } });
    const conflict = b.conflicts[0];
    expect(b.conflicts).toHaveLength(1);
    expect(conflict.other).toEqual({ agencyName: 'Lead Police Department', commanderName: 'Sgt. Test Commander', commanderPhone: '(816) 555-0100', sameAgency: true, operationId: a.id, operationName: a.name });
    expect(conflict.blocking).toBe(true);

    const rows = await pairRows(a.id, b.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.agency_id).toBe(world.agencies.lead);
    expect(rows[0]!.title).toContain("your agency's operations");
    expect(rows[0]!.body).toContain(`your agency's operation “${a.name}” (lead: Lead Police Department; on-scene commander Sgt. Test Commander)`);
    expect(`${rows[0]!.title} ${rows[0]!.body}`).not.toMatch(/another agency|other agency/);
    // The one who saved saw it on screen; their colleague has it unread.
    expect((await conflictNotices(world.users.coordinator, [a.id, b.id])).map((n) => n.read)).toEqual([true]);
    expect((await conflictNotices(colleague, [a.id, b.id])).map((n) => n.read)).toEqual([false]);

    // Resolving it settles the notice and tells no "other agency" (there is none).
    const lead = await signedIn(world.users.coordinator);
    const resolved = await lead.post(`/api/operations/${b.id}/conflicts/${conflict.id}/resolve`, { note: 'Same unit; we merged the teams.' });
    expect(resolved.statusCode).toBe(200);
    expect((await conflictNotices(colleague, [a.id, b.id])).map((n) => n.read)).toEqual([true]);
    const resolvedNotices = await env.ctx.db.selectFrom('inbox_item').select('id').where('kind', '=', 'deconfliction.resolved').where('record_id', 'in', [a.id, b.id]).execute();
    expect(resolvedNotices).toEqual([]);
  });

  it("names the agency's other operation only to those who may see it: an officer assigned to one learns only that there is another", async () => {
    const a = await draftOperation(signedIn, world, { assignedUserIds: [world.users.partnerOfficer.id] });
    const b = await draftOperation(signedIn, world, { startsAt: a.startsAt, endsAt: a.endsAt, assignedUserIds: [world.users.officer.id] });
    expect(b.conflicts.find((c: { other: { operationId: string | null } }) => c.other.operationId === a.id)).toBeDefined();
    const officerView = await (await signedIn(world.users.officer)).get(`/api/operations/${b.id}`);
    expect(officerView.statusCode).toBe(200);
    const seen = (body(officerView) as { conflicts: { other: { sameAgency: boolean; operationId: string | null; operationName: string | null } }[] }).conflicts;
    expect(seen.length).toBeGreaterThan(0);
    for (const c of seen) expect(c.other).toMatchObject({ sameAgency: true, operationId: null, operationName: null });
    expect(officerView.body).not.toContain(a.name);
    // The officer may not open it either: it was never theirs to see.
    expect((await (await signedIn(world.users.officer)).get(`/api/operations/${a.id}`)).statusCode).toBe(404);
  });

  it('one notice per conflicting pair and agency, refreshed (and unread again) when the plan is saved with new conflicts', async () => {
    const outsider = await signedIn(world.users.outsiderCoordinator);
    const theirs = await outsider.post('/api/operations', {
      ...planInput(world, { taskForceId: world.otherTaskForceId, participants: [], assignedUserIds: [world.users.outsiderOfficer.id] }),
      commander: { name: 'Lt. Other Side', phone: '(816) 555-0199' },
    });
    expect(theirs.statusCode).toBe(201);
    const other = body(theirs);
    const mine = await draftOperation(signedIn, world, { startsAt: other.startsAt, endsAt: other.endsAt });
    expect(mine.conflicts).toHaveLength(1);
    expect(await pairRows(mine.id, other.id)).toHaveLength(2);
    const [outsiderNotice] = await conflictNotices(world.users.outsiderCoordinator, [other.id]);
    expect(outsiderNotice).toMatchObject({ read: false, title: expect.stringContaining('an operation of Lead Police Department') });
    expect(outsiderNotice!.body).not.toContain(mine.name);
    await (await signedIn(world.users.outsiderCoordinator)).post(`/api/inbox/${outsiderNotice!.id}/read`);
    await (await signedIn(colleague)).post(`/api/inbox/${(await conflictNotices(colleague, [mine.id]))[0]!.id}/read`);

    // Saved twice more with its place moved a little: the conflict is found anew each time, but each
    // agency still has one notice for the pair, brought up to date and unread again.
    const lead = await signedIn(world.users.coordinator);
    for (const lat of [38.9661, 38.9662]) {
      env.clock.advance(60_000);
      const saved = await lead.patch(`/api/operations/${mine.id}`, { locations: [{ ...OAK_GROVE, lat }] });
      expect(saved.statusCode).toBe(200);
    }
    const rows = await pairRows(mine.id, other.id);
    expect(rows.map((r) => r.agency_id).sort()).toEqual([world.agencies.lead, world.agencies.outsider].sort());
    const after = await conflictNotices(world.users.outsiderCoordinator, [other.id]);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: outsiderNotice!.id, read: false });
    expect(Date.parse(after[0]!.createdAt)).toBeGreaterThan(Date.parse(outsiderNotice!.createdAt));
    expect((await conflictNotices(colleague, [mine.id])).map((n) => n.read)).toEqual([false]);
    expect((await conflictNotices(world.users.coordinator, [mine.id])).map((n) => n.read)).toEqual([true]);

    // Resolving settles both agencies' notices; the other lead is told it was resolved.
    const open = body(await lead.get(`/api/operations/${mine.id}`)).conflicts.find((c: { status: string }) => c.status === 'open');
    expect((await lead.post(`/api/operations/${mine.id}/conflicts/${open.id}/resolve`, { note: 'Called Lt. Other Side; they go at 22:00.' })).statusCode).toBe(200);
    expect((await conflictNotices(world.users.outsiderCoordinator, [other.id])).map((n) => n.read)).toEqual([true]);
    expect((await conflictNotices(colleague, [mine.id])).map((n) => n.read)).toEqual([true]);
    const told = (await inbox(world.users.outsiderCoordinator, true)).items.filter((i) => i.kind === 'deconfliction.resolved' && i.operationId === other.id);
    expect(told).toHaveLength(1);

    // Past conflicts and their notes stay on the operation after the plan moves away from them.
    const moved = body(await lead.patch(`/api/operations/${mine.id}`, { locations: [{ ...OAK_GROVE, label: 'Somewhere else', lat: 39.05, lng: -94.35 }] }));
    const past = moved.conflicts.filter((c: { status: string }) => c.status === 'cleared');
    expect(past.map((c: { resolution: string }) => c.resolution)).toContain('Called Lt. Other Side; they go at 22:00.');
  });

  it('a waiver settles the conflict notices of the operations it goes ahead over', async () => {
    const a = await draftOperation(signedIn, world);
    const b = await draftOperation(signedIn, world, { startsAt: a.startsAt, endsAt: a.endsAt });
    const lead = await signedIn(world.users.coordinator);
    expect((await lead.post(`/api/operations/${b.id}/approve`)).statusCode).toBe(200);
    const blocked = await lead.post(`/api/operations/${b.id}/activate`);
    expect(blocked.statusCode).toBe(409);
    expect(body(blocked).error.message).toBe("It cannot start with 1 deconfliction conflict unresolved. Resolve it with the other operation's lead, or record an emergency waiver.");
    expect((await conflictNotices(colleague, [a.id, b.id])).map((n) => n.read)).toEqual([false]);
    expect((await lead.post(`/api/operations/${b.id}/waiver`, { reason: 'A child is in danger tonight.' })).statusCode).toBe(200);
    expect((await conflictNotices(colleague, [a.id, b.id])).map((n) => n.read)).toEqual([true]);
    const waiverNotice = (await inbox(colleague)).items.find((i) => i.kind === 'deconfliction.waiver' && i.operationId === b.id);
    expect(waiverNotice?.body).toContain('waived 1 deconfliction conflict of');
  });

  it('a closed or past operation only informs: its conflict never blocks and never files a notice', async () => {
    const phone = { kind: 'phone', value: '(816) 555-0177' };
    const closed = await activeOperation(signedIn, world, { subjects: [phone] });
    await closeOperation(signedIn, world, closed.id);
    const past = await draftOperation(signedIn, world, { startsAt: '2025-05-01T20:00:00.000Z', endsAt: '2025-05-02T02:00:00.000Z', subjects: [phone] });
    const before = (await inbox(colleague)).unread;

    const current = await draftOperation(signedIn, world, { subjects: [phone] });
    const againstOld = current.conflicts.filter((c: { other: { operationId: string } }) => [closed.id, past.id].includes(c.other.operationId));
    expect(againstOld).toHaveLength(2);
    expect(againstOld.map((c: { status: string; blocking: boolean }) => [c.status, c.blocking])).toEqual([
      ['open', false],
      ['open', false],
    ]);
    expect(await pairRows(current.id, closed.id)).toEqual([]);
    expect(await pairRows(current.id, past.id)).toEqual([]);
    expect((await inbox(colleague)).unread).toBe(before);
    // The list counts only what blocks; the operation starts.
    const lead = await signedIn(world.users.coordinator);
    const listed = body(await lead.get(`/api/operations?q=${encodeURIComponent(current.name)}`)).operations;
    expect(listed.map((o: { openConflicts: number }) => o.openConflicts)).toEqual([0]);
    expect((await lead.post(`/api/operations/${current.id}/approve`)).statusCode).toBe(200);
    expect((await lead.post(`/api/operations/${current.id}/activate`)).statusCode).toBe(200);
  });

  it("closing an operation settles its pairs' conflict notices (nothing is left to resolve)", async () => {
    const a = await activeOperation(signedIn, world);
    // A later plan for the same evening conflicts with the running operation.
    const b = await draftOperation(signedIn, world, { startsAt: a.startsAt, endsAt: a.endsAt });
    expect(b.conflicts[0].blocking).toBe(true);
    expect((await conflictNotices(colleague, [a.id, b.id])).map((n) => n.read)).toEqual([false]);
    await closeOperation(signedIn, world, a.id);
    expect((await conflictNotices(colleague, [a.id, b.id])).map((n) => n.read)).toEqual([true]);
    const now = body(await (await signedIn(world.users.coordinator)).get(`/api/operations/${b.id}`));
    expect(now.conflicts[0]).toMatchObject({ status: 'open', blocking: false });
  });

  it("the badge's count and the inbox list's count are the same number, whatever the list shows", async () => {
    for (const user of [colleague, world.users.coordinator, world.users.outsiderCoordinator]) {
      const all = await inbox(user);
      const unread = await inbox(user, true);
      expect(unread.unread).toBe(all.unread);
      expect(unread.items.every((i) => !i.read)).toBe(true);
      expect(all.items.filter((i) => !i.read)).toHaveLength(all.unread);
      expect(unread.items).toHaveLength(unread.unread);
    }
  });

  it("lists the press releases awaiting the caller's approval (the coordinator's and the PIO's home), and no one else's", async () => {
    const op = await activeOperation(signedIn, world);
    await closeOperation(signedIn, world, op.id);
    const pio = await signedIn(world.users.pio);
    const drafted = await pio.post(`/api/operations/${op.id}/press-releases`, {});
    expect(drafted.statusCode, drafted.body).toBe(201);
    const release = body(drafted);
    const awaiting = async (user: TestUser) => {
      const res = await (await signedIn(user)).get('/api/press-releases?awaitingMyApproval=true');
      expect(res.statusCode, res.body).toBe(200);
      return (body(res).pressReleases as { id: string }[]).map((r) => r.id);
    };
    expect(await awaiting(world.users.coordinator)).toContain(release.id);
    expect(await awaiting(world.users.pio)).toContain(release.id);
    // Another agency's coordinator (same task force) approves nothing of the lead's; another task force sees nothing.
    expect(await awaiting(world.users.partnerCoordinator)).not.toContain(release.id);
    expect(await awaiting(world.users.outsiderCoordinator)).not.toContain(release.id);
    const approved = await pio.post(`/api/press-releases/${release.id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await awaiting(world.users.pio)).not.toContain(release.id);
    expect(await awaiting(world.users.coordinator)).toContain(release.id);
    expect((await pio.get('/api/press-releases?awaitingMyApproval=yes')).statusCode).toBe(400);
  });

  describe('the operations list', () => {
    let jackson: { id: string; name: string };
    let clay: { id: string; name: string };
    let theirs: { id: string; name: string };

    beforeAll(async () => {
      jackson = await draftOperation(signedIn, world, { name: '=HYPERLINK("http://x.test","Jackson night")', startsAt: '2027-06-01T20:00:00.000Z', endsAt: '2027-06-02T02:00:00.000Z' });
      clay = await draftOperation(signedIn, world, {
        name: 'Clay County sweep',
        startsAt: '2027-06-10T20:00:00.000Z',
        endsAt: '2027-06-11T02:00:00.000Z',
        participants: [{ agencyId: world.agencies.advocates, role: 'victim_services' }],
        assignedUserIds: [world.users.officer.id],
        locations: [{ label: 'Truck stop, Liberty', countyFips: '29047', lat: 39.2461, lng: -94.4191 }],
      });
      const outsider = await signedIn(world.users.outsiderCoordinator);
      const res = await outsider.post('/api/operations', {
        ...planInput(world, { taskForceId: world.otherTaskForceId, participants: [], assignedUserIds: [world.users.outsiderOfficer.id] }),
        name: 'Faraway June',
        startsAt: '2027-06-05T20:00:00.000Z',
        endsAt: '2027-06-06T02:00:00.000Z',
      });
      expect(res.statusCode).toBe(201);
      theirs = body(res);
    });

    const names = async (user: TestUser, query: string) => {
      const res = await (await signedIn(user)).get(`/api/operations?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (body(res).operations as { name: string }[]).map((o) => o.name);
    };
    const june = 'from=2027-06-01T00:00:00.000Z&to=2027-07-01T00:00:00.000Z';

    it('filters by window, status, agency taking part and county, in SQL through what the caller may see', async () => {
      expect((await names(world.users.coordinator, june)).sort()).toEqual([clay.name, jackson.name].sort());
      expect(await names(world.users.coordinator, `${june}&county=29047`)).toEqual([clay.name]);
      expect(await names(world.users.coordinator, `${june}&county=29095`)).toEqual([jackson.name]);
      expect(await names(world.users.coordinator, `${june}&agencyId=${world.agencies.partner}`)).toEqual([jackson.name]);
      expect(await names(world.users.coordinator, `from=2027-06-08T00:00:00.000Z&to=2027-06-30T00:00:00.000Z`)).toEqual([clay.name]);
      expect(await names(world.users.coordinator, `${june}&status=active`)).toEqual([]);
      // Another task force's operations never appear, whatever the filter names.
      expect(await names(world.users.coordinator, `${june}&agencyId=${world.agencies.outsider}`)).toEqual([]);
      expect(await names(world.users.outsiderCoordinator, june)).toEqual([theirs.name]);
      expect(await names(world.users.outsiderCoordinator, `${june}&agencyId=${world.agencies.lead}`)).toEqual([]);
    });

    it('refuses filters it cannot read, beside the field (400)', async () => {
      const lead = await signedIn(world.users.coordinator);
      const bad = await lead.get('/api/operations?county=Jackson');
      expect(bad.statusCode).toBe(400);
      const backwards = await lead.get('/api/operations?from=2027-06-02T00:00:00.000Z&to=2027-06-01T00:00:00.000Z');
      expect(backwards.statusCode).toBe(400);
      expect(body(backwards).error.field).toBe('to');
    });

    it('exports the filtered list as CSV, cells escaped against formulas, audited, and only what the caller may see', async () => {
      const res = await (await signedIn(world.users.coordinator)).get(`/api/operations.csv?${june}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="lantern-operations-\d{4}-\d{2}-\d{2}\.csv"/);
      const lines = res.body.trim().split('\r\n');
      expect(lines[0]).toBe('name,type,status,starts_at_utc,ends_at_utc,lead_agency,counties,open_conflicts,contacts,investigation_hold,id');
      expect(lines).toHaveLength(3);
      expect(res.body).toContain(`"'=HYPERLINK(""http://x.test"",""Jackson night"")"`);
      expect(res.body).toContain('Clay (29047)');
      expect(res.body).not.toContain('Faraway June');
      const audit = await auditRows(env, 'operation.export');
      expect(audit[0]?.actor_user_id).toBe(world.users.coordinator.id);

      const theirCsv = await (await signedIn(world.users.outsiderCoordinator)).get(`/api/operations.csv?${june}`);
      expect(theirCsv.statusCode).toBe(200);
      expect(theirCsv.body).toContain('Faraway June');
      expect(theirCsv.body).not.toMatch(/Clay County sweep|HYPERLINK/);
      // An advocate sees no operation, so the export is a header and nothing else.
      const advocate = await (await signedIn(world.users.advocate)).get(`/api/operations.csv?${june}`);
      expect([200, 403]).toContain(advocate.statusCode);
      if (advocate.statusCode === 200) expect(advocate.body.trim().split('\r\n')).toHaveLength(1);
    });
  });
});

describe.skipIf(!inject('pgAvailable'))('conflict notices under concurrency [postgres]', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv('postgres', { env: { LANTERN_DB_POOL: '6' } });
  });
  afterAll(() => env.close());

  it('two saves refreshing the same notice at once leave one notice, unread', async () => {
    const agency = (await env.ctx.db.selectFrom('agency').select('id').executeTakeFirst())?.id ?? 'agency-1';
    for (let round = 1; round <= roundsFor('postgres', 15); round++) {
      const key = `deconfliction.conflict|race|${round}`;
      const refresh = (n: number) =>
        env.ctx.db.transaction().execute((trx) =>
          notify(trx, env.ctx, { agencyId: agency, audience: { role: 'coordinator' }, kind: 'deconfliction.conflict', title: `Save ${n}`, body: 'b', dedupeKey: key, refresh: true }),
        );
      await Promise.all([refresh(1), refresh(2), refresh(3)]);
      const rows = await env.ctx.db.selectFrom('inbox_item').selectAll().where('dedupe_key', '=', key).execute();
      expect(rows, `round ${round}`).toHaveLength(1);
      expect(['Save 1', 'Save 2', 'Save 3']).toContain(rows[0]!.title);
      expect(rows[0]!.settled_at).toBeNull();
    }
  });
});
