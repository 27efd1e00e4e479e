import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, draftOperation, recordContact, suspect, type SignedIn } from '../../test/operations-fixtures.ts';
import { insertTip } from '../tips/tips.test-support.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { identifiersOfTip, indexIdentifiers } from './identifiers.ts';
import { searchForms } from './identifiers.search.ts';
import { addressKey } from '../../../common/identifiers.ts';

type Results = { results: { recordType: string; recordId: string; label: string; kinds: string[] }[] };

describe('searchForms', () => {
  it('reads a value as each kind it may be, as a tip’s fields would', () => {
    expect(searchForms('(816) 555-0177')).toEqual([
      { kind: 'phone', normalized: '8165550177' },
      { kind: 'handle', normalized: '(816)555-0177' },
      { kind: 'plate', normalized: '8165550177' },
    ]);
    expect(searchForms('Jane.Doe+ads@gmail.com').map((f) => f.kind)).toEqual(['email']);
    expect(searchForms('Jane.Doe+ads@gmail.com')[0]!.normalized).toBe('janedoe@gmail.com');
    expect(searchForms('MO ABC-123')).toContainEqual({ kind: 'plate', normalized: 'MO:ABC123' });
    expect(searchForms('@kc_listing_77')).toContainEqual({ kind: 'handle', normalized: 'kc_listing_77' });
    // An address, by the same key a tip's separate address and ZIP fields make.
    expect(searchForms('12 Main Street, Oak Grove, MO 64075')).toContainEqual({ kind: 'address', normalized: addressKey({ address: '12 Main St', zip: '64075' }) });
    expect(searchForms('Jane.Doe+ads@gmail.com').map((f) => f.kind)).not.toContain('address');
  });
});

describeEachDatabase('identifier search (GET /api/identifiers/search)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  async function search(user: TestUser, value: string): Promise<Results> {
    const res = await (await signedIn(user)).get(`/api/identifiers/search?value=${encodeURIComponent(value)}`);
    expect(res.statusCode, res.body).toBe(200);
    return body(res) as Results;
  }

  async function tipWith(agencyId: string, taskForceId: string, over: Partial<TipFields>, receivedAt: string) {
    const details = { phones: [], emails: [], online: [], businesses: [], ...over };
    const tip = await insertTip(env.ctx, { agencyId, taskForceId, details, receivedAt });
    const fields = { narrative: 'Spa open all night.', minorInvolved: false, immediateDanger: false, language: 'en', ...details } as TipFields;
    await env.ctx.db.transaction().execute((trx) => indexIdentifiers(trx, env.ctx, { type: 'tip', id: tip.id, parentId: tip.id, agencyId }, identifiersOfTip(fields)));
    return tip;
  }

  it('answers 401 signed out and 400 naming the field for a missing or short value', async () => {
    expect((await as(env, null).get('/api/identifiers/search?value=8165550177')).statusCode).toBe(401);
    const client = await signedIn(world.users.analyst);
    for (const url of ['/api/identifiers/search', '/api/identifiers/search?value=x', `/api/identifiers/search?value=${'9'.repeat(301)}`]) {
      const res = await client.get(url);
      expect(res.statusCode, res.body).toBe(400);
      expect(body(res).error.field).toBe('value');
    }
  });

  it('finds the tips, operations and contacts the searcher may see, with the kinds shared, and nothing of the rest', async () => {
    const op = await draftOperation(signedIn, world, { subjects: [{ kind: 'phone', value: '(816) 555-0177' }, { kind: 'plate', value: 'MO ABC-123' }] });
    const tip = await tipWith(world.agencies.lead, world.taskForceId, { phones: ['816.555.0177'], emails: ['Jane.Doe@gmail.com'] }, '2026-11-02T10:00:00.000Z');
    const outsiderTip = await tipWith(world.agencies.outsider, world.otherTaskForceId, { phones: ['816-555-0177'] }, '2026-11-03T10:00:00.000Z');
    const running = await activeOperation(signedIn, world);
    await recordContact(await signedIn(world.users.officer), running.id, suspect({ name: 'Buyer One', phones: ['816 555 0177'] }));

    const found = await search(world.users.analyst, '816-555-0177');
    expect(found.results).toEqual(
      expect.arrayContaining([
        { recordType: 'tip', recordId: tip.id, label: 'Tip received 2026-11-02', kinds: ['phone'] },
        { recordType: 'operation', recordId: op.id, label: op.name, kinds: ['phone'] },
      ]),
    );
    expect(found.results.map((r) => r.recordId)).not.toContain(outsiderTip.id);
    // The other task force's coordinator sees their own tip only.
    expect((await search(world.users.outsiderCoordinator, '816-555-0177')).results).toEqual([{ recordType: 'tip', recordId: outsiderTip.id, label: 'Tip received 2026-11-03', kinds: ['phone'] }]);
    // The operation's contact links to the operation for its own staff (the officer who recorded it).
    expect((await search(world.users.officer, '816-555-0177')).results.map((r) => r.recordId)).toContain(running.id);

    expect((await search(world.users.analyst, 'jane.doe+tips@gmail.com')).results).toEqual([{ recordType: 'tip', recordId: tip.id, label: 'Tip received 2026-11-02', kinds: ['email'] }]);
    expect((await search(world.users.analyst, 'mo abc123')).results).toEqual([{ recordType: 'operation', recordId: op.id, label: op.name, kinds: ['plate'] }]);

    // An address typed on one line finds the tip that gave it in its address and ZIP fields.
    const placed = await tipWith(world.agencies.lead, world.taskForceId, { address: '12 Main St', zip: '64075' }, '2026-11-05T10:00:00.000Z');
    expect((await search(world.users.analyst, '12 Main Street, Oak Grove, MO 64075')).results).toEqual([{ recordType: 'tip', recordId: placed.id, label: 'Tip received 2026-11-05', kinds: ['address'] }]);
  });

  it('a value held only by records out of reach answers exactly as an unknown value; the audit row holds the count, never the value', async () => {
    await tipWith(world.agencies.outsider, world.otherTaskForceId, { phones: ['(816) 555-0166'] }, '2026-11-04T10:00:00.000Z');
    const held = await (await signedIn(world.users.partnerAnalyst)).get('/api/identifiers/search?value=816-555-0166');
    const unknown = await (await signedIn(world.users.partnerAnalyst)).get('/api/identifiers/search?value=816-555-0155');
    expect([held.statusCode, held.body]).toEqual([unknown.statusCode, unknown.body]);
    expect(body(held)).toEqual({ results: [] });

    const audits = await env.ctx.db.selectFrom('audit_event').select(['detail', 'record_id', 'outcome']).where('action', '=', 'identifier.search').where('actor_user_id', '=', world.users.partnerAnalyst.id).execute();
    expect(audits.map((a) => JSON.parse(a.detail))).toEqual([{ count: 0 }, { count: 0 }]);
    for (const a of audits) expect(JSON.stringify(a)).not.toMatch(/555\D?01(66|55)/);
  });
});
