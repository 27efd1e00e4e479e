import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type Backend, type TestEnv } from '../../test/harness.ts';
import { seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, draftOperation, minor, recordContact, suspect, type SignedIn } from '../../test/operations-fixtures.ts';
import { loadActor } from '../../auth/actor.ts';
import { newId } from '../../lib/ids.ts';
import { seal } from '../../lib/sealed.ts';
import { blindIndex } from '../../lib/crypto.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { identifiersOfTip, indexContactPhones, indexIdentifiers, linksForTip, unindexRecord } from './identifiers.ts';

const fields = (over: Partial<TipFields> = {}): TipFields => ({
  narrative: 'Women living above the spa, men in and out all night.',
  phones: [],
  emails: [],
  online: [],
  businesses: [],
  minorInvolved: false,
  immediateDanger: false,
  language: 'en',
  ...over,
});

/**
 * A tip in an agency's queue, written directly (the intake is another module's): the row, sealed, and
 * its identifiers through this module, as the intake indexes them.
 */
async function insertTip(env: TestEnv, agencyId: string, taskForceId: string | null, f: TipFields, receivedAt = '2026-11-02T10:00:00.000Z') {
  const id = newId();
  const ring = env.ctx.keyring;
  const now = env.ctx.clock.now().toISOString();
  let blinds: string[] = [];
  await env.ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('tip')
      .values({
        id,
        agency_id: agencyId,
        task_force_id: taskForceId,
        source: 'web',
        status: 'new',
        version: 1,
        urgent: 0,
        minor_involved: 0,
        immediate_danger: 0,
        language: f.language,
        zip: f.zip ?? null,
        county_fips: null,
        score: 0,
        score_reasons: '[]',
        routing: '{}',
        narrative: seal(ring, 'tip', 'narrative', id, f.narrative),
        details: seal(ring, 'tip', 'details', id, JSON.stringify(f)),
        contact: null,
        receipt_hash: null,
        external_ref: null,
        assigned_user_id: null,
        close_reason: null,
        closed_at: null,
        received_at: receivedAt,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    blinds = await indexIdentifiers(trx, env.ctx, { type: 'tip', id, parentId: id, agencyId }, identifiersOfTip(f));
  });
  return { id, blinds };
}

describeEachDatabase('identifier index and links', (backend: Backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  const links = async (user: TestUser, tipId: string) => linksForTip(env.ctx, await loadActor(env.ctx.db, user.id), tipId);

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it('indexes a tip as keyed hashes only, once each, with a sealed hint', async () => {
    const f = fields({ phones: ['(816) 555-0142', '816.555.0142'], narrative: 'call eight1six 555 O142 or write jane.doe@gmail.com', emails: ['JaneDoe@gmail.com'] });
    const tip = await insertTip(env, world.agencies.lead, world.taskForceId, f);
    expect(tip.blinds).toHaveLength(2);
    const rows = await env.ctx.db.selectFrom('record_identifier').selectAll().where('record_id', '=', tip.id).execute();
    expect(rows.map((r) => r.kind).sort()).toEqual(['email', 'phone']);
    expect(rows.find((r) => r.kind === 'phone')!.blind).toBe(blindIndex(env.ctx.keyring, 'phone', '8165550142'));
    for (const r of rows) {
      expect(r).toMatchObject({ record_type: 'tip', parent_id: tip.id, agency_id: world.agencies.lead });
      expect(r.hint).toMatch(/^enc1\./);
      expect(JSON.stringify(r)).not.toMatch(/555\D?0142|jane/i);
    }
    await env.ctx.db.transaction().execute((trx) => unindexRecord(trx, 'tip', tip.id));
    expect(await env.ctx.db.selectFrom('record_identifier').select('id').where('record_id', '=', tip.id).execute()).toEqual([]);
  });

  describe('a tip sharing a phone with an operation', () => {
    let op: { id: string; name: string };
    let leadTip: { id: string };
    let outsiderTip: { id: string };
    beforeAll(async () => {
      op = await draftOperation(signedIn, world, { subjects: [{ kind: 'phone', value: '(816) 555-0150' }, { kind: 'handle', value: '@kc_listing_150' }] });
      leadTip = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ narrative: 'Ads list 816 555 O15O for the spa.' }));
      // Another task force's queue: the same phone, reported to the outsider sheriff.
      outsiderTip = await insertTip(env, world.agencies.outsider, world.otherTaskForceId, fields({ phones: ['816-555-0150'] }));
    });

    it("the task force's analyst sees the operation, weak on one phone, open while planned, with the tip's own masked value", async () => {
      const found = await links(world.users.analyst, leadTip.id);
      expect(found).toContainEqual({ recordType: 'operation', recordId: op.id, label: op.name, shared: [{ kind: 'phone', hint: '•••-•••-0150' }], strength: 'weak', open: true });
    });

    it("another task force's coordinator reads their own tip without the link, and without any trace of it", async () => {
      const found = await links(world.users.outsiderCoordinator, outsiderTip.id);
      expect(found).toEqual([]);
      expect(JSON.stringify(found)).not.toContain(op.id);
      // The lead's tip sharing the phone is not theirs either; from the lead's side, the outsider's tip is not visible.
      expect((await links(world.users.analyst, leadTip.id)).map((l) => l.recordId)).not.toContain(outsiderTip.id);
    });

    it('a tip the reader may not read has no links for them', async () => {
      expect(await links(world.users.outsiderCoordinator, leadTip.id)).toEqual([]);
      expect(await links(world.users.advocate, leadTip.id)).toEqual([]);
      expect(await links(world.users.leadAdmin, leadTip.id)).toEqual([]);
    });

    it('two identifiers shared make a strong link; an edit of the plan moves the link with its subjects', async () => {
      const both = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ phones: ['816-555-0150'], online: ['https://www.twitter.com/KC_listing_150', '@kc_listing_150'] }));
      const [link] = (await links(world.users.analyst, both.id)).filter((l) => l.recordId === op.id);
      expect(link).toMatchObject({ strength: 'strong', shared: [{ kind: 'handle' }, { kind: 'phone', hint: '•••-•••-0150' }] });

      const res = await (await signedIn(world.users.coordinator)).patch(`/api/operations/${op.id}`, { subjects: [{ kind: 'phone', value: '816-555-0151' }] });
      expect(res.statusCode, res.body).toBe(200);
      expect((await links(world.users.analyst, both.id)).map((l) => l.recordId)).not.toContain(op.id);
      const moved = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ narrative: 'texts from +1 816 555 0151' }));
      expect((await links(world.users.analyst, moved.id)).map((l) => l.recordId)).toContain(op.id);
      const indexed = await env.ctx.db.selectFrom('record_identifier').select(['record_id', 'blind']).where('record_type', '=', 'operation_subject').where('parent_id', '=', op.id).execute();
      const subjects = await env.ctx.db.selectFrom('operation_subject').select(['id', 'blind']).where('operation_id', '=', op.id).execute();
      expect(indexed.map((r) => [r.record_id, r.blind])).toEqual(subjects.map((s) => [s.id, s.blind]));
    });
  });

  it('an email shared between two tips is strong; tips are labelled by the day they came in', async () => {
    const first = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ emails: ['boss.kc@gmail.com'] }), '2026-10-01T08:00:00.000Z');
    const second = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ narrative: 'write to bosskc+ads@gmail.com' }));
    expect(await links(world.users.analyst, second.id)).toEqual([
      { recordType: 'tip', recordId: first.id, label: 'Tip received 2026-10-01', shared: [{ kind: 'email', hint: 'b•••@gmail.com' }], strength: 'strong', open: false },
    ]);
    // A tip in the partner's queue shared with the lead is the lead's to see; one not shared is not.
    const partners = await insertTip(env, world.agencies.partner, world.taskForceId, fields({ emails: ['boss.kc@gmail.com'] }));
    expect((await links(world.users.analyst, second.id)).map((l) => l.recordId)).not.toContain(partners.id);
    await env.ctx.db.insertInto('tip_share').values({ tip_id: partners.id, agency_id: world.agencies.lead, shared_by: world.users.partnerCoordinator.id, shared_at: '2026-11-03T00:00:00.000Z', reason: 'same boss' }).execute();
    expect((await links(world.users.analyst, second.id)).map((l) => l.recordId)).toContain(partners.id);
  });

  describe("contacts' phones", () => {
    let op: { id: string; name: string };
    beforeAll(async () => {
      op = await activeOperation(signedIn, world);
      const officer = await signedIn(world.users.officer);
      await recordContact(officer, op.id, suspect({ phones: ['816-555-0160'] }));
      await recordContact(officer, op.id, minor({ phones: ['816-555-0161'], disposition: 'released' }));
      await closeOperation(signedIn, world, op.id);
    });

    it("link only for those who may read the contact, as its operation (closed: not open)", async () => {
      const tip = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ phones: ['8165550160'] }));
      expect(await links(world.users.analyst, tip.id)).toContainEqual({ recordType: 'operation', recordId: op.id, label: op.name, shared: [{ kind: 'phone', hint: '•••-•••-0160' }], strength: 'weak', open: false });
      // The partner's analyst sees the operation but not its persons: no link through a contact.
      const partnerTip = await insertTip(env, world.agencies.partner, world.taskForceId, fields({ phones: ['8165550160'] }));
      expect(await links(world.users.partnerAnalyst, partnerTip.id)).toEqual([]);
    });

    it("a minor's sealed record links only for the owning agency's assigned users", async () => {
      const tip = await insertTip(env, world.agencies.lead, world.taskForceId, fields({ narrative: 'the girl gave me 816-555-0161' }));
      expect(await links(world.users.analyst, tip.id)).toEqual([]);
      expect(await links(world.users.coordinator, tip.id)).toEqual([expect.objectContaining({ recordId: op.id, strength: 'weak' })]);
      expect(await links(world.users.officer, tip.id)).toEqual([expect.objectContaining({ recordId: op.id })]);
    });

    it('a changed phone list is indexed anew; contacts from before the index are indexed once', async () => {
      const op2 = await activeOperation(signedIn, world);
      const officer = await signedIn(world.users.officer);
      const c = await recordContact(officer, op2.id, adultVictim({ phones: ['816-555-0170'] }));
      const res = await officer.patch(`/api/contacts/${c.id}`, { phones: ['816-555-0171'], version: 1 });
      expect(res.statusCode, res.body).toBe(200);
      const rows = async () => env.ctx.db.selectFrom('record_identifier').select(['blind', 'parent_id']).where('record_type', '=', 'contact').where('record_id', '=', c.id).execute();
      expect(await rows()).toEqual([{ blind: blindIndex(env.ctx.keyring, 'phone', '8165550171'), parent_id: op2.id }]);
      await env.ctx.db.deleteFrom('record_identifier').where('record_type', '=', 'contact').execute();
      expect(await indexContactPhones(env.ctx)).toBeGreaterThanOrEqual(3);
      expect(await rows()).toHaveLength(1);
      expect(await indexContactPhones(env.ctx)).toBe(0);
    });
  });
});

describe.skipIf(!inject('pgAvailable'))('identifier index under concurrent plan edits [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  beforeAll(async () => {
    env = await startTestEnv('postgres', { env: { LANTERN_DB_POOL: '8' } });
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  it("edits of one plan's subjects at once leave the index exactly the subjects of the edit that won last", async () => {
    const lead = await signedIn(world.users.coordinator);
    for (let round = 0; round < 8; round++) {
      const op = await draftOperation(signedIn, world);
      const res = await Promise.all(
        [0, 1, 2, 3].map((i) => lead.patch(`/api/operations/${op.id}`, { subjects: [{ kind: 'phone', value: `816-555-01${round}${i}` }, { kind: 'handle', value: `@edit_${round}_${i}` }] })),
      );
      expect(res.some((r) => r.statusCode === 200), res.map((r) => r.body).join('\n')).toBe(true);
      res.forEach((r) => expect([200, 409], r.body).toContain(r.statusCode));
      const indexed = await env.ctx.db.selectFrom('record_identifier').select(['record_id', 'blind']).where('record_type', '=', 'operation_subject').where('parent_id', '=', op.id).orderBy('record_id').execute();
      const subjects = await env.ctx.db.selectFrom('operation_subject').select(['id as record_id', 'blind']).where('operation_id', '=', op.id).orderBy('id').execute();
      expect(indexed, `round ${round}`).toEqual(subjects);
      expect(indexed).toHaveLength(2);
    }
  });
});
