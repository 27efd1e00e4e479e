import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, signIn, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { newId } from '../../lib/ids.ts';
import { TRIAGE_REPEATS_COUNTED } from '../../../common/tips.ts';
import type { OutgoingEmail } from '../notifications/mailer.ts';
import { dispatchEmails } from '../notifications/notifications.dispatch.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { tipFields } from '../../../common/schemas/tips.ts';
import { alertUrgentTip, triageTip, triageTips, TRIAGE_WEIGHTS, URGENT_TIP_NOTICE, type TriageInput } from './tips.triage.ts';
import { typologyTermsIn } from './tips.typology.ts';
import { insertTestTip } from './queue.test-support.ts';

const fields = (over: Partial<TipFields> = {}): TipFields => tipFields.parse({ narrative: 'Something happened.', minorInvolved: false, immediateDanger: false, language: 'en', ...over });

describe('Polaris typology words', () => {
  it('finds English and Spanish words, ignoring case and accents, whole words only', () => {
    expect(typologyTermsIn(['They work at the SPA on 5th and live at the business; the man is her pimp.'])).toEqual(['spa', 'live at the business', 'pimp']);
    expect(typologyTermsIn(['Trabajan en un masaje, tienen una DEUDA y le quitaron el pasaporte. No pueden salir.'])).toEqual(['masaje', 'deuda', 'le quitaron el pasaporte', 'no pueden salir']);
    expect(typologyTermsIn(['Un prostibulo con acompanantes'])).toEqual(['prostíbulo', 'acompañantes']);
    expect(typologyTermsIn(['There is plenty of space in the spacious office; a debtor paid.'])).toEqual([]);
    expect(typologyTermsIn(["She said she cant leave, she can't leave"])).toEqual(["can't leave"]);
    expect(typologyTermsIn([null, undefined, ''])).toEqual([]);
  });

  it('reads plain ASCII text as the accent-folding path does', () => {
    // ASCII text takes a shorter path; the same text with an accented word appended takes the long one.
    const texts: [string, string[]][] = [
      ['They work at the SPA on 5th and live at the business; the man is her pimp.', ['spa', 'live at the business', 'pimp']],
      ["A massage parlor on Main; they advertise massage. She can't leave, owes money, men only!", ['massage', 'massage parlor', 'men only', 'owes money', "can't leave"]],
      ['Escorts/outcall -- quota: 5; debt... PASSPORT TAKEN? locked-in', ['escorts', 'outcall', 'quota', 'debt', 'passport taken', 'locked in']],
      ['Nothing here at all, just a neighbour who is noisy.', []],
    ];
    for (const [text, terms] of texts) {
      expect(typologyTermsIn([text])).toEqual(terms);
      expect(typologyTermsIn([`${text} café`])).toEqual(terms);
    }
  });

  it('cites a word inside a phrase found only when it also stands alone', () => {
    expect(typologyTermsIn(['A massage parlor on Main.'])).toEqual(['massage parlor']);
    expect(typologyTermsIn(['A massage parlor on Main; they advertise massage online.'])).toEqual(['massage', 'massage parlor']);
    // "trata" alone is the Spanish "tries" or "is about": only "trata de personas" counts.
    expect(typologyTermsIn(['Se trata de un vecino.'])).toEqual([]);
    expect(typologyTermsIn(['Creo que es trata de personas.'])).toEqual(['trata de personas']);
  });
});

/** Rows written straight to the tables a count reads: index rows, operations, persons met. */
let personNumber = 0;
function helpersOf(env: TestEnv, world: World) {
  const index = async (recordType: string, recordId: string, parentId: string, agencyId: string, blind: string) =>
    env.ctx.db
      .insertInto('record_identifier')
      .values({ id: newId(), record_type: recordType, record_id: recordId, parent_id: parentId, agency_id: agencyId, kind: 'phone', blind, created_at: env.clock.now().toISOString() })
      .execute();
  const operation = async (agencyId: string, taskForceId: string, status: string) => {
    const id = newId();
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('operation')
      .values({
        id,
        agency_id: agencyId,
        task_force_id: taskForceId,
        name: `Operation ${status}`,
        type: 'buyer_sting',
        status,
        starts_at: now,
        ends_at: now,
        commander_user_id: null,
        commander_name: 'Commander',
        commander_phone: 'sealed',
        briefing: null,
        investigation_hold: 0,
        created_by: world.users.coordinator.id,
        approved_by: null,
        approved_at: null,
        activated_at: null,
        closed_by: null,
        closed_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  };

  const person = async (operationId: string, agencyId: string, role: string, ageBand: string) => {
    const id = newId();
    const now = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('contact')
      .values({
        id,
        operation_id: operationId,
        agency_id: agencyId,
        person_number: ++personNumber,
        client_ref: null,
        role,
        suspect_type: null,
        sex: 'unknown',
        age_band: ageBand,
        estimated_age: null,
        disposition: null,
        charges: null,
        name: null,
        aliases: null,
        dob: null,
        phones: null,
        screening_tool: null,
        screening_result: null,
        recorded_by: world.users.officer.id,
        recorded_by_agency_id: agencyId,
        recorded_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    return id;
  };

  return { index, operation, person };
}
type Helpers = ReturnType<typeof helpersOf>;

describeEachDatabase('triage', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const index: Helpers['index'] = (...args) => helpersOf(env, world).index(...args);
  const operation: Helpers['operation'] = (...args) => helpersOf(env, world).operation(...args);
  const person: Helpers['person'] = (...args) => helpersOf(env, world).person(...args);

  it('urgent when a minor is involved or someone is in danger now, whatever else the tip says', async () => {
    const minor = await triageTip(env.ctx.db, env.ctx, { tipId: newId(), fields: fields({ minorInvolved: true }), blinds: [] });
    expect(minor).toEqual({ urgent: true, score: TRIAGE_WEIGHTS.urgent, reasons: [{ code: 'minor_involved' }] });
    const danger = await triageTip(env.ctx.db, env.ctx, { tipId: newId(), fields: fields({ immediateDanger: true, minorInvolved: true }), blinds: [] });
    expect(danger.reasons).toEqual([{ code: 'minor_involved' }, { code: 'immediate_danger' }]);
    const plain = await triageTip(env.ctx.db, env.ctx, { tipId: newId(), fields: fields(), blinds: [] });
    expect(plain).toEqual({ urgent: false, score: 0, reasons: [] });
  });

  it('ranks by typology words (returned as found, never other text), capped', async () => {
    const t = await triageTip(env.ctx.db, env.ctx, {
      tipId: newId(),
      fields: fields({ narrative: 'The spa owner is a pimp; the women have a debt and a quota.', people: 'Rico, the escort driver', businesses: ['Lotus Massage'] }),
      blinds: [],
    });
    expect(t.urgent).toBe(false);
    expect(t.reasons).toEqual([{ code: 'typology_terms', count: 6, terms: ['massage', 'spa', 'escort', 'pimp', 'quota', 'debt'] }]);
    expect(t.score).toBe(TRIAGE_WEIGHTS.termsMax);
    expect(JSON.stringify(t)).not.toMatch(/Rico|Lotus|owner/);
  });
  it('counts other tips sharing an identifier and open operations linked by one, over what the receiving queue may see', async () => {
    const blind = `blind-${newId()}`;
    const other = `blind-${newId()}`;
    const tipId = (await insertTestTip(env.ctx, { agencyId: world.agencies.lead })).id;
    await index('tip', tipId, tipId, world.agencies.lead, blind);
    // Two other tips of the lead agency's queue share it, and one of the partner's that was shared with the lead.
    for (let i = 0; i < 2; i++) {
      const t = await insertTestTip(env.ctx, { agencyId: world.agencies.lead });
      await index('tip', t.id, t.id, world.agencies.lead, blind);
    }
    const sharedIn = await insertTestTip(env.ctx, { agencyId: world.agencies.partner });
    await index('tip', sharedIn.id, sharedIn.id, world.agencies.partner, blind);
    await env.ctx.db.insertInto('tip_share').values({ tip_id: sharedIn.id, agency_id: world.agencies.lead, shared_by: world.users.partnerCoordinator.id, shared_at: env.clock.now().toISOString(), reason: 'r' }).execute();
    // Not counted: a tip of another agency not shared with the lead, one sharing another identifier.
    const elsewhere = await insertTestTip(env.ctx, { agencyId: world.agencies.outsider });
    await index('tip', elsewhere.id, elsewhere.id, world.agencies.outsider, blind);
    const unrelated = await insertTestTip(env.ctx, { agencyId: world.agencies.lead });
    await index('tip', unrelated.id, unrelated.id, world.agencies.lead, other);
    // Operations: an active and a planned one of the task force count; a closed one and another task force's do not.
    const active = await operation(world.agencies.partner, world.taskForceId, 'active');
    const draft = await operation(world.agencies.lead, world.taskForceId, 'draft');
    const closed = await operation(world.agencies.lead, world.taskForceId, 'closed');
    const foreign = await operation(world.agencies.outsider, world.otherTaskForceId, 'active');
    for (const op of [active, draft, closed, foreign]) await index('operation_subject', newId(), op, world.agencies.lead, blind);
    // Persons: an adult of the lead's own approved operation counts; a sealed minor of it, and a person of
    // the partner's operation (whose persons the lead's analysts do not read), do not.
    const ownOp = await operation(world.agencies.lead, world.taskForceId, 'approved');
    const minorOp = await operation(world.agencies.lead, world.taskForceId, 'active');
    const partnerOp = await operation(world.agencies.partner, world.taskForceId, 'active');
    await index('contact', await person(ownOp, world.agencies.lead, 'adult_victim', '18_to_24'), ownOp, world.agencies.lead, blind);
    // Linked both ways (a subject of the plan and a person met): one operation.
    await index('operation_subject', newId(), ownOp, world.agencies.lead, blind);
    await index('contact', await person(minorOp, world.agencies.lead, 'minor', '15_to_17'), minorOp, world.agencies.lead, blind);
    await index('contact', await person(partnerOp, world.agencies.partner, 'suspect', '25_to_34'), partnerOp, world.agencies.partner, blind);

    const t = await triageTip(env.ctx.db, env.ctx, { tipId, fields: fields(), blinds: [blind, blind] });
    expect(t.reasons).toEqual([
      { code: 'repeated_identifiers', count: 3 },
      { code: 'open_operation', count: 3 },
    ]);
    expect(t.score).toBe(TRIAGE_WEIGHTS.repeatsMax + TRIAGE_WEIGHTS.openOperationsMax);
    // A new tip given the agency (before its own index rows exist) counts the first one too: a tip's
    // index rows carry its agency and are written in its own transaction (and moved by a reroute).
    const given = await triageTip(env.ctx.db, env.ctx, { tipId: newId(), fields: fields(), blinds: [blind], agencyId: world.agencies.lead });
    expect(given.reasons).toEqual([
      { code: 'repeated_identifiers', count: 4 },
      { code: 'open_operation', count: 3 },
    ]);
    // The outsider's queue sees only its own operation and no other tip of its own.
    const outsider = await triageTip(env.ctx.db, env.ctx, { tipId: elsewhere.id, fields: fields(), blinds: [blind], agencyId: world.agencies.outsider });
    expect(outsider.reasons).toEqual([{ code: 'open_operation', count: 1 }]);
  });

  it('counts each sharing tip once across identifiers, and no more than the cap however many share one', async () => {
    const [crowded, few, alsoFew, someMore] = [0, 1, 2, 3].map(() => `blind-${newId()}`) as [string, string, string, string];
    const shareBy = async (count: number, ...blinds: string[]) => {
      for (let i = 0; i < count; i++) {
        const t = await insertTestTip(env.ctx, { agencyId: world.agencies.lead });
        for (const blind of blinds) await index('tip', t.id, t.id, world.agencies.lead, blind);
      }
    };
    await shareBy(TRIAGE_REPEATS_COUNTED + 5, crowded);
    await shareBy(4, few, alsoFew);
    await shareBy(TRIAGE_REPEATS_COUNTED - 2, someMore);
    const count = async (...blinds: string[]) =>
      (await triageTip(env.ctx.db, env.ctx, { tipId: newId(), fields: fields(), blinds, agencyId: world.agencies.lead })).reasons.find((r) => r.code === 'repeated_identifiers');
    // Tips sharing two of the new tip's identifiers are one tip each.
    expect(await count(few, alsoFew)).toEqual({ code: 'repeated_identifiers', count: 4 });
    // One identifier past the cap: the cap.
    expect(await count(crowded)).toEqual({ code: 'repeated_identifiers', count: TRIAGE_REPEATS_COUNTED });
    expect(await count(few, crowded)).toEqual({ code: 'repeated_identifiers', count: TRIAGE_REPEATS_COUNTED });
    expect(await count(someMore)).toEqual({ code: 'repeated_identifiers', count: TRIAGE_REPEATS_COUNTED - 2 });
    // Each under the cap, together over it: the cap.
    expect(await count(few, someMore)).toEqual({ code: 'repeated_identifiers', count: TRIAGE_REPEATS_COUNTED });
    expect(await count(few, alsoFew, someMore)).toEqual({ code: 'repeated_identifiers', count: TRIAGE_REPEATS_COUNTED });
  });

  it('counts a tip shared with the queue once whatever identifiers it shares, its own tips with it, and no more than the cap', async () => {
    const [a, b, c] = [0, 1, 2].map(() => `blind-${newId()}`) as [string, string, string];
    const sharedIn = async (...blinds: string[]) => {
      const t = await insertTestTip(env.ctx, { agencyId: world.agencies.partner });
      for (const blind of blinds) await index('tip', t.id, t.id, world.agencies.partner, blind);
      await env.ctx.db.insertInto('tip_share').values({ tip_id: t.id, agency_id: world.agencies.lead, shared_by: world.users.partnerCoordinator.id, shared_at: env.clock.now().toISOString(), reason: 'r' }).execute();
      return t.id;
    };
    // Two partner tips shared with the lead, one carrying both of the new tip's identifiers; one own tip.
    await sharedIn(a, b);
    await sharedIn(b);
    const own = await insertTestTip(env.ctx, { agencyId: world.agencies.lead });
    await index('tip', own.id, own.id, world.agencies.lead, a);
    // Not counted: a partner tip with the identifier that was not shared with the lead.
    const kept = await insertTestTip(env.ctx, { agencyId: world.agencies.partner });
    await index('tip', kept.id, kept.id, world.agencies.partner, a);
    const count = async (agencyId: string, ...blinds: string[]) =>
      (await triageTip(env.ctx.db, env.ctx, { tipId: newId(), fields: fields(), blinds, agencyId })).reasons.find((r) => r.code === 'repeated_identifiers')?.count ?? 0;
    expect(await count(world.agencies.lead, a, b)).toBe(3);
    expect(await count(world.agencies.lead, b)).toBe(2);
    expect(await count(world.agencies.lead, a)).toBe(2);
    // The partner's own queue holds three of them (its tips, shared or not), and nothing of the lead's.
    expect(await count(world.agencies.partner, a, b)).toBe(3);
    // Shared tips past the cap: the cap, alone and with the own tip.
    for (let i = 0; i < TRIAGE_REPEATS_COUNTED + 2; i++) await sharedIn(c);
    expect(await count(world.agencies.lead, c)).toBe(TRIAGE_REPEATS_COUNTED);
    expect(await count(world.agencies.lead, a, c)).toBe(TRIAGE_REPEATS_COUNTED);
  });

  it('triages the tips of a batch together exactly as each alone (one statement on PostgreSQL)', async () => {
    const [x, y, unknown] = [0, 1, 2].map(() => `blind-${newId()}`) as [string, string, string];
    const leadTip = await insertTestTip(env.ctx, { agencyId: world.agencies.lead });
    await index('tip', leadTip.id, leadTip.id, world.agencies.lead, x);
    const partnerTip = await insertTestTip(env.ctx, { agencyId: world.agencies.partner });
    await index('tip', partnerTip.id, partnerTip.id, world.agencies.partner, y);
    await env.ctx.db.insertInto('tip_share').values({ tip_id: partnerTip.id, agency_id: world.agencies.lead, shared_by: world.users.partnerCoordinator.id, shared_at: env.clock.now().toISOString(), reason: 'r' }).execute();
    await index('operation_subject', newId(), await operation(world.agencies.lead, world.taskForceId, 'active'), world.agencies.lead, x);
    const asked: TriageInput[] = [
      { tipId: newId(), fields: fields({ narrative: 'a spa and a pimp' }), blinds: [x], agencyId: world.agencies.lead },
      { tipId: newId(), fields: fields({ minorInvolved: true }), blinds: [x, y, x], agencyId: world.agencies.lead, sharingInBatch: 1 },
      { tipId: newId(), fields: fields(), blinds: [y], agencyId: world.agencies.partner },
      { tipId: newId(), fields: fields(), blinds: [x, y], agencyId: world.agencies.outsider },
      { tipId: newId(), fields: fields(), blinds: [], agencyId: world.agencies.lead },
      { tipId: newId(), fields: fields(), blinds: [unknown], agencyId: world.agencies.lead },
      // No agency given: read off the tip's own index rows.
      { tipId: leadTip.id, fields: fields(), blinds: [x, y] },
    ];
    const together = await triageTips(env.ctx.db, env.ctx, asked);
    const alone = [];
    for (const a of asked) alone.push(await triageTip(env.ctx.db, env.ctx, a));
    expect(together).toEqual(alone);
    expect(together.map((t) => t.reasons.filter((r) => r.code === 'repeated_identifiers' || r.code === 'open_operation'))).toEqual([
      [{ code: 'repeated_identifiers', count: 1 }, { code: 'open_operation', count: 1 }],
      [{ code: 'repeated_identifiers', count: 3 }, { code: 'open_operation', count: 1 }],
      [{ code: 'repeated_identifiers', count: 1 }],
      // Another task force's agency: neither the lead's tips nor its operation.
      [],
      [],
      [],
      [{ code: 'repeated_identifiers', count: 1 }, { code: 'open_operation', count: 1 }],
    ]);
  });

  it('shows the counted reasons to the queue’s coordinators and analysts only; officers and partners see the words', async () => {
    const reasons = [
      { code: 'typology_terms', count: 1, terms: ['spa'] },
      { code: 'repeated_identifiers', count: 2 },
      { code: 'open_operation', count: 1 },
    ];
    const t = await insertTestTip(env.ctx, { agencyId: world.agencies.lead, score: 75, reasons });
    await env.ctx.db.insertInto('tip_share').values({ tip_id: t.id, agency_id: world.agencies.partner, shared_by: world.users.coordinator.id, shared_at: env.clock.now().toISOString(), reason: 'r' }).execute();
    const reasonsOf = async (user: (typeof world.users)[keyof typeof world.users]) => body(await (await signedIn(user)).get(`/api/tips/${t.id}`)).reasons;
    expect(await reasonsOf(world.users.analyst)).toEqual(reasons);
    expect(await reasonsOf(world.users.coordinator)).toEqual(reasons);
    expect(await reasonsOf(world.users.officer)).toEqual([reasons[0]]);
    expect(await reasonsOf(world.users.partnerAnalyst)).toEqual([reasons[0]]);
  });

  it('alerts the coordinators of the receiving agency and of the task force’s lead at once: no tip content, once per agency, emailed even to those who turned email off', async () => {
    const partnerCoordinator2 = await insertUser(env, world.agencies.partner, ['coordinator']);
    // This coordinator wants a daily digest and no optional emails: the urgent tip still comes at once.
    const put = await env.app.inject({
      method: 'PUT',
      url: '/api/me/notification-preferences',
      headers: { cookie: await signIn(env, partnerCoordinator2) },
      payload: { email: { deconfliction: false, pressReleases: false, account: false }, delivery: 'digest' },
    });
    expect(put.statusCode, put.body).toBe(200);

    const t = await insertTestTip(env.ctx, { agencyId: world.agencies.partner, taskForceId: world.taskForceId, minorInvolved: true, narrative: 'A fifteen-year-old named Ana at the Starlite Motel.' });
    await alertUrgentTip(env.ctx, { id: t.id, agencyId: world.agencies.partner, taskForceId: world.taskForceId });
    await alertUrgentTip(env.ctx, { id: t.id, agencyId: world.agencies.partner, taskForceId: world.taskForceId });
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', t.id).orderBy('agency_id').execute();
    expect(notices.map((n) => [n.agency_id, n.audience, n.kind]).sort()).toEqual(
      [
        [world.agencies.lead, 'coordinator', 'tip.urgent'],
        [world.agencies.partner, 'coordinator', 'tip.urgent'],
      ].sort(),
    );
    for (const n of notices) {
      expect(n).toMatchObject({ title: URGENT_TIP_NOTICE.title, record_type: 'tip' });
      expect(n.body).toBe(`${URGENT_TIP_NOTICE.body} /tip-queue/${t.id}`);
      expect(`${n.title} ${n.body}`).not.toMatch(/Ana|Starlite|fifteen/);
    }
    expect(await auditRows(env, 'tip.alert', t.id)).toHaveLength(2);
    const inbox = body(await (await signedIn(world.users.coordinator)).get('/api/inbox'));
    expect(inbox.items.map((i: { recordId: string }) => i.recordId)).toContain(t.id);
    // Not to the partner's analysts or officers: coordinators are alerted.
    const analystInbox = body(await (await signedIn(world.users.partnerAnalyst)).get('/api/inbox'));
    expect(analystInbox.items.map((i: { recordId: string }) => i.recordId)).not.toContain(t.id);

    const sent: OutgoingEmail[] = [];
    await dispatchEmails(env.ctx, { send: async (m) => void sent.push(m), close: () => undefined });
    const to = (email: string) => sent.filter((m) => m.to === email);
    expect(to(world.users.coordinator.email)).toHaveLength(1);
    expect(to(world.users.partnerCoordinator.email)).toHaveLength(1);
    expect(to(partnerCoordinator2.email)).toHaveLength(1);
    expect(to(world.users.partnerAnalyst.email)).toHaveLength(0);
    for (const m of sent) expect(`${m.subject}\n${m.text}`).not.toMatch(/Ana|Starlite|fifteen|tip/i);
  });
});

describeEachDatabase('triage, as an identifier spreads', (backend) => {
  let env: TestEnv;
  let world: World;

  // A database of its own: the plan PostgreSQL keeps for a prepared statement is made while the index is
  // small, as on a new deployment, and still used once hundreds of tips share an identifier.
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  /** Tips as the public sends them: the shared identifier, a phone of each tip's own, a handle of a few. */
  const shareBy = async (count: number, blind: string) => {
    const at = env.clock.now().toISOString();
    for (let from = 0; from < count; from += 500) {
      const rows = Array.from({ length: Math.min(500, count - from) }, (_, i) => {
        const id = newId();
        const row = (kind: string, b: string) => ({ id: newId(), record_type: 'tip', record_id: id, parent_id: id, agency_id: world.agencies.lead, kind, blind: b, created_at: at });
        return [row('business', blind), row('phone', `blind-${newId()}`), row('handle', `${blind}-handle-${i % 50}`)];
      });
      await env.ctx.db.insertInto('record_identifier').values(rows.flat()).execute();
    }
  };

  it('reads no more for an identifier 2,000 tips share than for one 5 share: a count’s cost does not grow with the tips', async () => {
    const { index, operation, person } = helpersOf(env, world);
    const [few, many] = [0, 1].map(() => `blind-${newId()}`) as [string, string];
    const op = await operation(world.agencies.lead, world.taskForceId, 'active');
    for (const blind of [few, many]) {
      await index('operation_subject', newId(), op, world.agencies.lead, blind);
      await index('contact', await person(op, world.agencies.lead, 'suspect', '25_to_34'), op, world.agencies.lead, blind);
    }
    await shareBy(5, few);
    await shareBy(5, many);

    // The counts' statements, as triage runs them.
    const statements: CompiledQuery[] = [];
    const recording = new Proxy(env.ctx.db, {
      get(target, prop) {
        if (prop === 'executeQuery') {
          return (q: CompiledQuery) => {
            statements.push(q);
            return target.executeQuery(q);
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const triageOf = async (blind: string) => {
      statements.length = 0;
      const [t] = await triageTips(recording, env.ctx, [{ tipId: newId(), fields: fields(), blinds: [blind], agencyId: world.agencies.lead }]);
      return { reasons: t!.reasons, statements: [...statements] };
    };
    const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

    if (backend === 'postgres') {
      const counted = { few: await triageOf(few), many: await triageOf(many) };
      expect(counted.few.statements).toHaveLength(1);
      expect(counted.many.statements.map((q) => q.sql)).toEqual(counted.few.statements.map((q) => q.sql));
      const [asFew, asMany] = [counted.few.statements[0]!, counted.many.statements[0]!];
      const blocksRead = async (conn: Kysely<DB>, q: CompiledQuery) => {
        const { rows } = await conn.executeQuery<{ 'QUERY PLAN': { Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }[] }>(
          CompiledQuery.raw(`explain (analyze, buffers, format json) execute triage_counts(${q.parameters.map(literal).join(', ')})`),
        );
        const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
        return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
      };
      await env.ctx.db.connection().execute(async (conn) => {
        // Prepared, and its generic plan (the one that knows no values) made, while five tips share each.
        await conn.executeQuery(CompiledQuery.raw(`prepare triage_counts as ${asMany.sql}`));
        try {
          await conn.executeQuery(CompiledQuery.raw('set plan_cache_mode = force_generic_plan'));
          await conn.executeQuery(CompiledQuery.raw(`execute triage_counts(${asMany.parameters.map(literal).join(', ')})`));
          await shareBy(2_000, many);
          for (const mode of ['force_generic_plan', 'force_custom_plan']) {
            await conn.executeQuery(CompiledQuery.raw(`set plan_cache_mode = ${mode}`));
            // 2,000 tips' index rows fill dozens of pages: a count that read them would read those pages.
            // Reading at most the first few of them, and the operation's own rows, it reads what it read for five.
            const [forFew, forMany] = [await blocksRead(conn, asFew), await blocksRead(conn, asMany)];
            expect(forMany, `${mode}: ${forMany} blocks read for 2,005 sharing tips, ${forFew} for 5`).toBeLessThan(forFew + 15);
          }
        } finally {
          // The connection goes back to the pool as it came.
          await conn.executeQuery(CompiledQuery.raw('deallocate triage_counts'));
          await conn.executeQuery(CompiledQuery.raw('reset plan_cache_mode'));
        }
      });
    } else {
      await shareBy(2_000, many);
      // SQLite cannot say what it read: its plan must look the index up by blind and record type.
      const { statements: run } = await triageOf(many);
      const details: string[] = [];
      for (const q of run) {
        const { rows } = await env.ctx.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]));
        details.push(...rows.map((r) => r.detail).filter((d) => /\bri\b/.test(d)));
      }
      expect(details.length).toBeGreaterThan(0);
      for (const d of details) expect(d).toMatch(/USING (COVERING )?INDEX record_identifier_link \(blind=\? AND record_type=\?/);
    }
    const after = await triageOf(many);
    expect(after.reasons).toEqual([
      { code: 'repeated_identifiers', count: TRIAGE_REPEATS_COUNTED },
      { code: 'open_operation', count: 1 },
    ]);
  });
});
