import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import type { TipLink } from '../../../common/schemas/tips.ts';
import { insertTip, insertTipShare } from '../tips/tips.test-support.ts';
import { releaseInput } from '../clients/clients.test-support.ts';
import { indexIdentifiers } from './identifiers.ts';

/**
 * A client's release among a tip's links (issue #12, item 4): a phone shared under a release links the
 * tip naming it to the release for the release's recipient while it is in effect, and for no one else,
 * not even as a count; revoked or expired, it is gone from the next read.
 */
describeEachDatabase('a tip’s links include releases shared with the viewer', (backend) => {
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
  const phoneOf = (n: number) => `(913) 555-02${String(n).padStart(2, '0')}`;

  async function links(user: TestUser, tipId: string): Promise<TipLink[]> {
    const res = await (await signedIn(user)).get(`/api/tips/${tipId}`);
    expect(res.statusCode, res.body).toBe(200);
    return (body(res) as { links: TipLink[] }).links;
  }

  /** A tip in the lead agency's queue naming `phone`, indexed as intake does. */
  async function tipNaming(phone: string) {
    const tip = await insertTip(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, details: { phones: [phone] }, receivedAt: '2026-11-02T10:00:00.000Z' });
    await env.ctx.db
      .transaction()
      .execute((trx) => indexIdentifiers(trx, env.ctx, { type: 'tip', id: tip.id, parentId: tip.id, agencyId: world.agencies.lead }, [{ kind: 'phone', normalized: normalizeIdentifier('phone', phone)! }]));
    return tip;
  }

  /** A walk-in client with `phone`, a release of contact details to `recipientAgencyId`, and a share under it. */
  async function sharedRelease(phone: string, recipientAgencyId: string, over: Record<string, unknown> = {}) {
    const advocate = await signedIn(world.users.advocate);
    const client = await advocate.post('/api/clients', { intake: 'walk_in', name: 'Ana', phone });
    expect(client.statusCode, client.body).toBe(201);
    const rel = await advocate.post(`/api/clients/${body(client).id}/releases`, releaseInput(recipientAgencyId, { scopes: ['service_status', 'contact_details'], ...over }));
    expect(rel.statusCode, rel.body).toBe(201);
    const shared = await advocate.post(`/api/releases/${body(rel).id}/shares`, {});
    expect(shared.statusCode, shared.body).toBe(201);
    return body(rel).id as string;
  }

  /** The link the recipient sees, with the tip's own masked value of the phone. */
  const releaseLink = (id: string, phone: string): TipLink => ({
    recordType: 'release',
    recordId: id,
    label: 'Shared by Harbor Advocates (release)',
    shared: [{ kind: 'phone', hint: `•••-•••-${phone.slice(-4)}` }],
    strength: 'weak',
    open: false,
  });

  it('links the release for its named recipient only; the agency’s others and the other agencies see the tip’s links as before', async () => {
    const phone = phoneOf(2);
    const tip = await tipNaming(phone);
    // The partner agency reads the tip too (shared with it), so it is a reader the release does not name.
    await insertTipShare(env.ctx, { tipId: tip.id, agencyId: world.agencies.partner, sharedBy: world.users.coordinator.id });
    const before = { analyst: await links(world.users.analyst, tip.id), partner: await links(world.users.partnerAnalyst, tip.id) };
    expect(before).toEqual({ analyst: [], partner: [] });

    const rel = await sharedRelease(phone, world.agencies.lead, { recipientUserId: world.users.coordinator.id });
    expect(await links(world.users.coordinator, tip.id)).toEqual([releaseLink(rel, phone)]);
    // Not named: the same answer as before the share, to the byte.
    expect(await links(world.users.analyst, tip.id)).toEqual(before.analyst);
    expect(await links(world.users.partnerAnalyst, tip.id)).toEqual(before.partner);

    // A release naming the partner agency as a whole: each recipient sees their own release, never the other's.
    const toPartner = await sharedRelease(phone, world.agencies.partner);
    expect(await links(world.users.partnerAnalyst, tip.id)).toEqual([releaseLink(toPartner, phone)]);
    expect(await links(world.users.coordinator, tip.id)).toEqual([releaseLink(rel, phone)]);
    expect(await links(world.users.analyst, tip.id)).toEqual([]);
  });

  it('a revoked release is gone from the recipient’s next read of the tip', async () => {
    const phone = phoneOf(3);
    const tip = await tipNaming(phone);
    const rel = await sharedRelease(phone, world.agencies.lead);
    expect(await links(world.users.analyst, tip.id)).toEqual([releaseLink(rel, phone)]);
    const revoked = await (await signedIn(world.users.advocate)).post(`/api/releases/${rel}/revoke`, { method: 'oral' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await links(world.users.analyst, tip.id)).toEqual([]);
  });

  // Last: it moves the clock.
  it('an expired release is gone from the next read, before the sweep takes its row out of the index', async () => {
    const phone = phoneOf(4);
    const tip = await tipNaming(phone);
    const now = env.clock.now().getTime();
    const rel = await sharedRelease(phone, world.agencies.lead, { startsAt: new Date(now - 60_000).toISOString(), expiresAt: new Date(now + 10 * 60_000).toISOString() });
    expect(await links(world.users.coordinator, tip.id)).toEqual([releaseLink(rel, phone)]);
    env.clock.advance(11 * 60_000);
    expect(await env.ctx.db.selectFrom('record_identifier').select('id').where('record_type', '=', 'release').where('record_id', '=', rel).execute()).toHaveLength(1);
    expect(await links(world.users.coordinator, tip.id)).toEqual([]);
  });
});
