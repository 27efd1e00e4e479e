import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { extraUsers, type SignedIn } from '../../test/operations-fixtures.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

/**
 * The compartment's rules, route by route (issue #12): who gets in (the client's assigned advocates and
 * the agency's supervisors), who gets the same 404 whether or not the id names a client (every
 * law-enforcement and child-welfare user, the advocates' own administrator, another victim-services
 * agency, an advocate of the same agency not assigned), what bad input is refused with, and the audit
 * row every read and write leaves.
 */

type Call = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: unknown };

const today = (env: TestEnv) => env.clock.now().toISOString().slice(0, 10);

/** Every route on one client (and one of its releases), with a body valid enough to reach the access check. */
function routesOn(env: TestEnv, world: World, clientId: string, releaseId: string, documentId: string): Call[] {
  return [
    { method: 'GET', url: `/api/clients/${clientId}` },
    { method: 'PATCH', url: `/api/clients/${clientId}`, payload: { version: 1, language: 'English' } },
    { method: 'POST', url: `/api/clients/${clientId}/services`, payload: { category: 'medical', providedOn: today(env) } },
    { method: 'POST', url: `/api/clients/${clientId}/notes`, payload: { text: 'Called back.' } },
    { method: 'POST', url: `/api/clients/${clientId}/documents`, payload: { name: 'form.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n').toString('base64') } },
    { method: 'GET', url: `/api/clients/${clientId}/documents/${documentId}` },
    { method: 'POST', url: `/api/clients/${clientId}/assignments`, payload: { userId: world.users.advocate.id } },
    { method: 'DELETE', url: `/api/clients/${clientId}/assignments/${world.users.advocate.id}` },
    { method: 'POST', url: `/api/clients/${clientId}/releases`, payload: releaseInput(world.agencies.lead) },
    { method: 'POST', url: `/api/releases/${releaseId}/revoke`, payload: { method: 'oral' } },
    { method: 'POST', url: `/api/releases/${releaseId}/shares`, payload: {} },
  ];
}

const COMPARTMENT_TABLES = ['client', 'client_assignment', 'client_service', 'client_note', 'client_document', 'client_release', 'client_share'];

describeEachDatabase('the advocates’ compartment, route by route (issue #12)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let extra: Awaited<ReturnType<typeof extraUsers>>;
  let unassignedAdvocate: TestUser;
  let supervisor: TestUser;
  let client: { id: string; version: number };
  let releaseId: string;
  let documentId: string;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    extra = await extraUsers(env, world);
    unassignedAdvocate = await insertUser(env, world.agencies.advocates, ['advocate'], { name: 'Unassigned Advocate' });
    supervisor = await insertUser(env, world.agencies.advocates, ['coordinator'], { name: 'Advocates Supervisor' });
    client = await clientFromReferral(signedIn, world);
    const advocate = await signedIn(world.users.advocate);
    const taken = await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead));
    expect(taken.statusCode, taken.body).toBe(201);
    releaseId = body(taken).id;
    expect((await advocate.post(`/api/releases/${releaseId}/shares`, {})).statusCode).toBe(201);
    const doc = await advocate.post(`/api/clients/${client.id}/documents`, { name: 'intake.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n').toString('base64') });
    expect(doc.statusCode, doc.body).toBe(201);
    documentId = body(doc).id;
  });
  afterAll(() => env.close());

  it('law enforcement, a caseworker and the advocates’ own administrator get 404 on every client route, for a real id and a random one alike, and change nothing', async () => {
    const outsiders = [world.users.officer, world.users.coordinator, world.users.analyst, world.users.partnerOfficer, world.users.caseworker, extra.users.advocateAdmin];
    const before = await tableCounts(env.ctx, COMPARTMENT_TABLES);
    for (const user of outsiders) {
      const as = await signedIn(user);
      const list = await as.get('/api/clients');
      expect(list.statusCode, `${user.roles} GET /api/clients`).toBe(404);
      const walkIn = await as.post('/api/clients', { intake: 'walk_in', name: 'Someone' });
      expect(walkIn.statusCode, `${user.roles} POST /api/clients`).toBe(404);
      const real = routesOn(env, world, client.id, releaseId, documentId);
      const random = routesOn(env, world, randomUUID(), randomUUID(), randomUUID());
      for (let i = 0; i < real.length; i++) {
        const [a, b] = [await send(as, real[i]!), await send(as, random[i]!)];
        expect(a.statusCode, `${user.roles} ${real[i]!.method} ${real[i]!.url}: ${a.body}`).toBe(404);
        expect(b.statusCode).toBe(404);
        expect(a.body, `${user.roles} ${real[i]!.method} ${real[i]!.url}`).toBe(b.body);
      }
    }
    expect(await tableCounts(env.ctx, COMPARTMENT_TABLES)).toEqual(before);
  });

  it('another victim-services agency’s advocate, and an advocate of the same agency not assigned, get 404 for the real client and a random id alike, and do not see it listed', async () => {
    const before = await tableCounts(env.ctx, COMPARTMENT_TABLES);
    for (const user of [extra.users.otherAdvocate, unassignedAdvocate]) {
      const as = await signedIn(user);
      const list = await as.get('/api/clients');
      expect(list.statusCode).toBe(200);
      expect(body(list).clients.map((c: { id: string }) => c.id)).not.toContain(client.id);
      const real = routesOn(env, world, client.id, releaseId, documentId);
      const random = routesOn(env, world, randomUUID(), randomUUID(), randomUUID());
      for (let i = 0; i < real.length; i++) {
        const [a, b] = [await send(as, real[i]!), await send(as, random[i]!)];
        expect(a.statusCode, `${user.roles} ${real[i]!.method} ${real[i]!.url}: ${a.body}`).toBe(404);
        expect(b.statusCode).toBe(404);
        expect(a.body).toBe(b.body);
      }
    }
    expect(await tableCounts(env.ctx, COMPARTMENT_TABLES)).toEqual(before);
  });

  it('a supervisor (the agency’s coordinator) sees every client and changes it, each step audited to the advocates’ agency', async () => {
    const sup = await signedIn(supervisor);
    const list = await sup.get('/api/clients');
    expect(list.statusCode).toBe(200);
    expect(body(list).clients.map((c: { id: string }) => c.id)).toContain(client.id);
    await expectAudit('client.read', null, { count: body(list).clients.length });

    const read = await sup.get(`/api/clients/${client.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(body(read).abilities['client.update']).toBe(true);
    await expectAudit('client.read', client.id);

    const patched = await sup.patch(`/api/clients/${client.id}`, { version: body(read).version, safetyPlan: 'Code word: lantern.' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(body(patched).safetyPlan).toBe('Code word: lantern.');
    expect(JSON.parse((await expectAudit('client.update', client.id)).changed_fields)).toEqual(['safetyPlan']);

    expect((await sup.post(`/api/clients/${client.id}/services`, { category: 'medical', providedOn: today(env) })).statusCode).toBe(201);
    expect(JSON.parse((await expectAudit('client.update', client.id)).changed_fields)).toEqual(['services']);
    expect((await sup.post(`/api/clients/${client.id}/notes`, { text: 'Met at the shelter.' })).statusCode).toBe(201);
    expect(JSON.parse((await expectAudit('client.update', client.id)).changed_fields)).toEqual(['notes']);

    const taken = await sup.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.partner, { scopes: ['service_status', 'contact_details'] }));
    expect(taken.statusCode, taken.body).toBe(201);
    const rel = body(taken).id as string;
    expect(await expectAudit('client.release', rel, { event: 'granted', recipientAgencyId: world.agencies.partner })).toBeTruthy();

    const shared = await sup.post(`/api/releases/${rel}/shares`, { scopes: ['contact_details'] });
    expect(shared.statusCode, shared.body).toBe(201);
    expect(body(shared).shares).toHaveLength(1);
    const shareRow = await expectAudit('client.share', rel, { scopes: 'contact_details', recipientAgencyId: world.agencies.partner });

    const recipient = await signedIn(world.users.partnerOfficer);
    const got = await recipient.get(`/api/releases/${rel}/shared`);
    expect(got.statusCode, got.body).toBe(200);
    expect(body(got)).toMatchObject({ serviceStatus: null, contactDetails: { phone: '(816) 555-0142' }, statement: null, substanceUse: null });
    const readRow = await expectAudit('release.readShared', rel, { shareId: JSON.parse(shareRow.detail).shareId });
    expect(readRow.actor_agency_id).toBe(world.agencies.partner);

    const revoked = await sup.post(`/api/releases/${rel}/revoke`, { method: 'written', note: 'Letter received.' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(body(revoked)).toMatchObject({ status: 'revoked', inEffect: false, revocationMethod: 'written' });
    await expectAudit('client.release', rel, { event: 'revoked', method: 'written' });
    expect((await recipient.get(`/api/releases/${rel}/shared`)).statusCode).toBe(404);

    const created = await sup.post('/api/clients', { intake: 'walk_in', name: 'Walk-in Client', phone: '816-555-0177' });
    expect(created.statusCode, created.body).toBe(201);
    await expectAudit('client.create', body(created).id, { intake: 'walk_in' });
  });

  it('the assigned advocate’s reads and writes are audited, each with the advocates’ agency as the record’s owner', async () => {
    const advocate = await signedIn(world.users.advocate);
    const read = await advocate.get(`/api/clients/${client.id}`);
    expect(read.statusCode).toBe(200);
    const row = await expectAudit('client.read', client.id);
    expect(row.actor_user_id).toBe(world.users.advocate.id);
    const created = await advocate.post('/api/clients', { intake: 'walk_in', name: 'Second Walk-in' });
    expect(created.statusCode).toBe(201);
    expect((await expectAudit('client.create', body(created).id)).actor_user_id).toBe(world.users.advocate.id);
  });

  it('refuses bad releases, services and changes with 400 naming the field, and a stale version with 409', async () => {
    const advocate = await signedIn(world.users.advocate);
    const lead = world.agencies.lead;
    const start = new Date(Date.parse(env.clock.now().toISOString()) + 3_600_000);
    const at = (days: number) => new Date(start.getTime() + days * 86_400_000).toISOString();
    const before = await tableCounts(env.ctx, COMPARTMENT_TABLES);
    const cases: [unknown, string][] = [
      [releaseInput(lead, { signature: undefined }), 'signature'],
      [releaseInput(lead, { consentMethod: 'scan', signature: undefined }), 'scanDocumentId'],
      [releaseInput(lead, { consentMethod: 'scan', scanDocumentId: randomUUID() }), 'scanDocumentId'],
      [releaseInput(lead, { startsAt: at(10), expiresAt: at(5) }), 'expiresAt'],
      [releaseInput(lead, { startsAt: at(0), expiresAt: at(367) }), 'expiresAt'],
      [releaseInput(lead, { scopes: ['medical_records'] }), 'scopes.0'],
      [releaseInput(lead, { scopes: [] }), 'scopes'],
      [releaseInput(lead, { informed: false }), 'informed'],
      [releaseInput(world.agencies.advocates), 'recipientAgencyId'],
      [releaseInput(randomUUID()), 'recipientAgencyId'],
      [releaseInput(lead, { recipientUserId: world.users.partnerOfficer.id }), 'recipientUserId'],
    ];
    for (const [payload, field] of cases) {
      const res = await advocate.post(`/api/clients/${client.id}/releases`, payload);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(body(res).error.field, res.body).toBe(field);
    }
    // A year of 366 days is the most a release may run.
    const longest = await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(lead, { startsAt: at(0), expiresAt: at(366) }));
    expect(longest.statusCode, longest.body).toBe(201);
    await advocate.post(`/api/releases/${body(longest).id}/revoke`, { method: 'oral' });

    const tomorrow = new Date(env.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const future = await advocate.post(`/api/clients/${client.id}/services`, { category: 'medical', providedOn: tomorrow });
    expect(future.statusCode).toBe(400);
    expect(body(future).error.field).toBe('providedOn');
    const badCategory = await advocate.post(`/api/clients/${client.id}/services`, { category: 'massage', providedOn: today(env) });
    expect(body(badCategory).error.field).toBe('category');

    const current = body(await advocate.get(`/api/clients/${client.id}`));
    const closing = await advocate.patch(`/api/clients/${client.id}`, { version: current.version, status: 'closed' });
    expect(closing.statusCode).toBe(400);
    expect(body(closing).error.field).toBe('closeReason');
    const stale = await advocate.patch(`/api/clients/${client.id}`, { version: current.version - 1, language: 'Tagalog' });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error.field).toBe('version');
    const unknownField = await advocate.patch(`/api/clients/${client.id}`, { version: current.version, agencyId: world.agencies.lead });
    expect(unknownField.statusCode).toBe(400);

    const after = await tableCounts(env.ctx, COMPARTMENT_TABLES);
    expect({ ...after, client_release: after.client_release! - 1 }).toEqual(before);
  });

  it('a release may run at most 366 days however its dates are written: an expiry alone, or dates with offsets', async () => {
    const advocate = await signedIn(world.users.advocate);
    const now = env.clock.now().getTime();
    const before = await tableCounts(env.ctx, ['client_release']);
    const cases: Record<string, unknown>[] = [
      // No start given: it starts now, so an expiry five years on is five years long.
      { expiresAt: new Date(now + 5 * 365 * 86_400_000).toISOString() },
      // The expiry reads later as text but is an hour before the start.
      { startsAt: '2026-03-01T00:00:00-10:00', expiresAt: '2026-03-01T09:00:00Z' },
      // 400 days, though the text of the two dates is only 365 days apart.
      { startsAt: '2026-03-01T00:00:00+14:00', expiresAt: '2027-04-05T00:00:00-12:00' },
    ];
    for (const over of cases) {
      const res = await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead, over));
      expect(res.statusCode, `${JSON.stringify(over)}: ${res.body}`).toBe(400);
      expect(body(res).error.field).toBe('expiresAt');
    }
    expect(await tableCounts(env.ctx, ['client_release'])).toEqual(before);
  });

  it('a release that has not started yet is not counted as active, in the list as on the record', async () => {
    const advocate = await signedIn(world.users.advocate);
    const walkIn = body(await advocate.post('/api/clients', { intake: 'walk_in', name: 'Later Release' }));
    const tomorrow = env.clock.now().getTime() + 86_400_000;
    const taken = await advocate.post(`/api/clients/${walkIn.id}/releases`, releaseInput(world.agencies.lead, { startsAt: new Date(tomorrow).toISOString() }));
    expect(taken.statusCode, taken.body).toBe(201);
    expect(body(taken).inEffect).toBe(false);
    const listed = body(await advocate.get('/api/clients')).clients.find((c: { id: string }) => c.id === walkIn.id);
    expect(listed.activeReleases).toBe(0);
    expect(body(await advocate.get(`/api/clients/${walkIn.id}`)).activeReleases).toBe(0);
  });

  it('a share may carry only scopes the release names, and the statement scope needs the statement', async () => {
    const advocate = await signedIn(world.users.advocate);
    const rel = body(await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead, { scopes: ['service_status', 'statement'] })));
    const outside = await advocate.post(`/api/releases/${rel.id}/shares`, { scopes: ['contact_details'] });
    expect(outside.statusCode).toBe(400);
    expect(body(outside).error.field).toBe('scopes');
    const noStatement = await advocate.post(`/api/releases/${rel.id}/shares`, { scopes: ['statement'] });
    expect(noStatement.statusCode).toBe(400);
    expect(body(noStatement).error.field).toBe('statement');
    const all = await advocate.post(`/api/releases/${rel.id}/shares`, {});
    expect(body(all).error.field, 'all the release’s scopes, statement included').toBe('statement');
    expect(await env.ctx.db.selectFrom('client_share').select('id').where('release_id', '=', rel.id).execute()).toEqual([]);

    const ok = await advocate.post(`/api/releases/${rel.id}/shares`, { scopes: ['statement'], statement: 'I want the prosecutor to know I will testify.' });
    expect(ok.statusCode, ok.body).toBe(201);
    const extract = body(await (await signedIn(world.users.analyst)).get(`/api/releases/${rel.id}/shared`));
    expect(extract).toMatchObject({ statement: 'I want the prosecutor to know I will testify.', serviceStatus: null, contactDetails: null, substanceUse: null });
  });

  it('a release naming one person: only that person reads it; a colleague at the same agency gets 404', async () => {
    const advocate = await signedIn(world.users.advocate);
    const taken = await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead, { recipientUserId: world.users.coordinator.id }));
    expect(taken.statusCode, taken.body).toBe(201);
    expect(body(taken).recipientUser.id).toBe(world.users.coordinator.id);
    const rel = body(taken).id as string;
    expect((await advocate.post(`/api/releases/${rel}/shares`, {})).statusCode).toBe(201);
    expect((await (await signedIn(world.users.coordinator)).get(`/api/releases/${rel}/shared`)).statusCode).toBe(200);
    for (const colleague of [world.users.officer, world.users.analyst, world.users.leadAdmin, extra.users.unassignedCoordinator]) {
      const res = await (await signedIn(colleague)).get(`/api/releases/${rel}/shared`);
      expect(res.statusCode, `${colleague.roles}`).toBe(404);
      expect(res.body).toBe((await (await signedIn(colleague)).get(`/api/releases/${randomUUID()}/shared`)).body);
    }
    const listed = body(await (await signedIn(world.users.officer)).get('/api/releases')).releases.map((r: { id: string }) => r.id);
    expect(listed).not.toContain(rel);
  });

  /** The newest audit row of `action` (about `recordId`, or about none), owned by the advocates' agency, with `detail` holding `expected`. */
  async function expectAudit(action: string, recordId: string | null, expected: Record<string, unknown> = {}) {
    const rows = recordId === null ? (await auditRows(env, action)).filter((r) => r.record_id === null) : await auditRows(env, action, recordId);
    const row = rows[0];
    expect(row, `${action} ${recordId}`).toBeDefined();
    expect(row!.record_agency_id, action).toBe(world.agencies.advocates);
    expect(row!.outcome).toBe('success');
    expect(JSON.parse(row!.detail)).toMatchObject(expected);
    return row!;
  }
});

function send(as: Awaited<ReturnType<SignedIn>>, call: Call) {
  if (call.method === 'DELETE') return as.delete(call.url);
  return call.method === 'GET' ? as.get(call.url) : call.method === 'POST' ? as.post(call.url, call.payload) : as.patch(call.url, call.payload);
}
