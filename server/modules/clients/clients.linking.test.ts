import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import { loadActor } from '../../auth/actor.ts';
import { insertTip } from '../tips/tips.test-support.ts';
import { indexIdentifiers, linksForTip } from '../identifiers/identifiers.ts';
import { releaseInput } from './clients.test-support.ts';
import { sweepExpiredReleases } from './clients.expiry.ts';

/**
 * Linking obeys consent (issue #12, item 4): a client's phone is in the identifier index only for the
 * recipient of a release whose share carried contact details, only while the release is in effect, and
 * it leaves the index on revocation and on expiry. Everyone else's search answers as for an unknown phone.
 */
describeEachDatabase('linking obeys consent (issue #12, item 4)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  /** Each test's client has a phone of its own, so no test sees another's releases. */
  const phoneOf = (n: number) => `(913) 555-01${String(n).padStart(2, '0')}`;
  const blindOf = (phone: string) => blindIndex(env.ctx.keyring, 'phone', normalizeIdentifier('phone', phone)!);
  const indexed = (phone: string) => env.ctx.db.selectFrom('record_identifier').selectAll().where('blind', '=', blindOf(phone)).execute();

  async function search(user: TestUser, value: string) {
    const res = await (await signedIn(user)).get(`/api/identifiers/search?value=${encodeURIComponent(value)}`);
    expect(res.statusCode, res.body).toBe(200);
    return body(res) as { results: { recordType: string; recordId: string; label: string; kinds: string[] }[] };
  }

  async function walkIn(phone: string) {
    const res = await (await signedIn(world.users.advocate)).post('/api/clients', { intake: 'walk_in', name: 'Ana', phone });
    expect(res.statusCode, res.body).toBe(201);
    return body(res) as { id: string; version: number };
  }

  async function release(clientId: string, recipientAgencyId: string, over: Record<string, unknown> = {}) {
    const res = await (await signedIn(world.users.advocate)).post(`/api/clients/${clientId}/releases`, releaseInput(recipientAgencyId, over));
    expect(res.statusCode, res.body).toBe(201);
    return body(res) as { id: string; expiresAt: string };
  }

  async function share(releaseId: string, scopes?: string[]) {
    const res = await (await signedIn(world.users.advocate)).post(`/api/releases/${releaseId}/shares`, scopes ? { scopes } : {});
    expect(res.statusCode, res.body).toBe(201);
  }

  it('an officer searching the client’s phone finds nothing, as for an unknown phone, even after a share with another agency', async () => {
    const phone = phoneOf(1);
    const client = await walkIn(phone);
    // Opening and changing a client's record indexes nothing.
    const patched = await (await signedIn(world.users.advocate)).patch(`/api/clients/${client.id}`, { version: client.version, phone: phoneOf(2) });
    expect(patched.statusCode, patched.body).toBe(200);
    const back = await (await signedIn(world.users.advocate)).patch(`/api/clients/${client.id}`, { version: client.version + 1, phone });
    expect(back.statusCode, back.body).toBe(200);
    expect(await indexed(phone)).toEqual([]);
    expect(await indexed(phoneOf(2))).toEqual([]);

    const unknown = await search(world.users.officer, '(913) 555-0199');
    expect(unknown).toEqual({ results: [] });
    expect(await search(world.users.officer, phone)).toEqual(unknown);

    // Released to the partner agency, contact details shared: the row names the release and the partner.
    const rel = await release(client.id, world.agencies.partner, { scopes: ['service_status', 'contact_details'] });
    await share(rel.id);
    const rows = await indexed(phone);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ record_type: 'release', record_id: rel.id, parent_id: rel.id, agency_id: world.agencies.partner, kind: 'phone', hint: null });

    for (const user of [world.users.officer, world.users.coordinator, world.users.analyst, world.users.advocate, world.users.outsiderOfficer]) {
      expect(await search(user, phone)).toEqual(unknown);
    }
    const found = await search(world.users.partnerOfficer, phone);
    expect(found.results).toEqual([{ recordType: 'release', recordId: rel.id, label: 'Shared by Harbor Advocates (release)', kinds: ['phone'] }]);
    // The recipient opens it where the shared extract is read.
    expect((await (await signedIn(world.users.partnerOfficer)).get(`/api/releases/${rel.id}/shared`)).statusCode).toBe(200);

    // The audit rows of the searches hold a count, never the value searched.
    const audits = await env.ctx.db.selectFrom('audit_event').select(['actor_user_id', 'detail']).where('action', '=', 'identifier.search').execute();
    expect(audits.length).toBeGreaterThanOrEqual(7);
    for (const a of audits) expect(a.detail).not.toMatch(/555|0101|0199/);
    const officers = audits.filter((a) => a.actor_user_id === world.users.officer.id).map((a) => JSON.parse(a.detail));
    expect(officers).toContainEqual({ count: 0 });
    expect(audits.filter((a) => a.actor_user_id === world.users.partnerOfficer.id).map((a) => JSON.parse(a.detail))).toEqual([{ count: 1 }]);
  });

  it('the named recipient finds the release after a share of contact details, not after a share of service status only', async () => {
    const phone = phoneOf(3);
    const client = await walkIn(phone);
    const statusOnly = await release(client.id, world.agencies.lead, { scopes: ['service_status'] });
    await share(statusOnly.id);
    expect(await indexed(phone)).toEqual([]);
    expect(await search(world.users.coordinator, phone)).toEqual({ results: [] });

    // A release covering contact details, for one named person; a share of service status under it indexes nothing.
    const named = await release(client.id, world.agencies.lead, { scopes: ['service_status', 'contact_details'], recipientUserId: world.users.coordinator.id });
    await share(named.id, ['service_status']);
    expect(await indexed(phone)).toEqual([]);
    expect(await search(world.users.coordinator, phone)).toEqual({ results: [] });

    await share(named.id);
    expect(await indexed(phone)).toHaveLength(1);
    expect((await search(world.users.coordinator, phone)).results).toEqual([{ recordType: 'release', recordId: named.id, label: 'Shared by Harbor Advocates (release)', kinds: ['phone'] }]);
    // The recipient agency's other staff are not named: nothing.
    for (const user of [world.users.officer, world.users.analyst, world.users.partnerOfficer]) expect(await search(user, phone)).toEqual({ results: [] });
    // Sharing again keeps one row, and a later share without contact details leaves it.
    await share(named.id);
    await share(named.id, ['service_status']);
    expect(await indexed(phone)).toHaveLength(1);

    // A tip naming the phone: the recipient's search shows both, and the tip links the release for them alone.
    const tip = await insertTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, details: { phones: [phone] }, receivedAt: '2026-11-02T10:00:00.000Z' });
    await env.ctx.db.transaction().execute((trx) => indexIdentifiers(trx, env.ctx, { type: 'tip', id: tip.id, parentId: tip.id, agencyId: world.agencies.lead }, [{ kind: 'phone', normalized: normalizeIdentifier('phone', phone)! }]));
    expect((await search(world.users.coordinator, phone)).results.map((r) => r.recordType).sort()).toEqual(['release', 'tip']);
    expect((await linksForTip(env.ctx, await loadActor(env.ctx.db, world.users.coordinator.id), tip.id)).map((l) => [l.recordType, l.recordId])).toEqual([['release', named.id]]);
    expect(await linksForTip(env.ctx, await loadActor(env.ctx.db, world.users.analyst.id), tip.id)).toEqual([]);
  });

  it('after revocation the link disappears and the release leaves the index', async () => {
    const phone = phoneOf(4);
    const client = await walkIn(phone);
    const rel = await release(client.id, world.agencies.lead, { scopes: ['contact_details'] });
    await share(rel.id);
    expect((await search(world.users.officer, phone)).results.map((r) => r.recordId)).toEqual([rel.id]);
    const revoked = await (await signedIn(world.users.advocate)).post(`/api/releases/${rel.id}/revoke`, { method: 'written' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await search(world.users.officer, phone)).toEqual({ results: [] });
    expect(await indexed(phone)).toEqual([]);
  });

  it('a revocation racing a share leaves nothing in the index once revoked', async () => {
    const advocate = await signedIn(world.users.advocate);
    for (let i = 0; i < 4; i++) {
      const phone = phoneOf(10 + i);
      const client = await walkIn(phone);
      const rel = await release(client.id, world.agencies.lead, { scopes: ['contact_details'] });
      const [shared, revoked] = await Promise.all([advocate.post(`/api/releases/${rel.id}/shares`, {}), advocate.post(`/api/releases/${rel.id}/revoke`, { method: 'oral' })]);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect([201, 409]).toContain(shared.statusCode);
      expect(await indexed(phone)).toEqual([]);
      expect(await search(world.users.officer, phone)).toEqual({ results: [] });
    }
  });

  // Last: it moves the clock.
  it('after expiry the link disappears at once, and the sweep takes the rows out and audits the end once', async () => {
    const phone = phoneOf(5);
    const client = await walkIn(phone);
    const now = env.clock.now().getTime();
    const rel = await release(client.id, world.agencies.lead, { scopes: ['contact_details'], startsAt: new Date(now - 60_000).toISOString(), expiresAt: new Date(now + 10 * 60_000).toISOString() });
    await share(rel.id);
    expect((await search(world.users.officer, phone)).results.map((r) => r.recordId)).toEqual([rel.id]);

    env.clock.advance(11 * 60_000);
    expect(await search(world.users.officer, phone)).toEqual({ results: [] });
    expect(await indexed(phone)).toHaveLength(1);

    expect(await sweepExpiredReleases(env.ctx)).toBe(1);
    expect(await indexed(phone)).toEqual([]);
    expect(await sweepExpiredReleases(env.ctx)).toBe(0);
    const audits = await auditRows(env, 'release.expire', rel.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_user_id: null, record_type: 'client_release', record_agency_id: world.agencies.advocates });
    const stored = await env.ctx.db.selectFrom('client_release').select(['status', 'expiry_recorded_at']).where('id', '=', rel.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'active', expiry_recorded_at: env.clock.now().toISOString() });
    // Releases still in effect, and revoked ones, are not swept.
    expect(await auditRows(env, 'release.expire')).toHaveLength(1);
  });
});
