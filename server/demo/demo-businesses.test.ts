import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../test/harness.ts';
import { cookieFrom } from '../test/fixtures.ts';
import { totpCode } from '../auth/mfa.ts';
import { loadActor } from '../auth/actor.ts';
import { blindIndex } from '../lib/crypto.ts';
import { unseal } from '../lib/sealed.ts';
import { normalizeIdentifier } from '../../common/identifiers.ts';
import { LETTER_MERGE_FIELDS } from '../../common/businesses.ts';
import { visibleBusinesses } from '../modules/businesses/businesses.queries.ts';
import { loadDemo, type DemoAccount } from './demo.ts';
import { DEMO_OTHER_TASK_FORCE, DEMO_TASK_FORCE } from './demo-directory.ts';

describeEachDatabase('the demo: the business campaign', (backend) => {
  let env: TestEnv;
  let accounts: DemoAccount[];
  let west: string;
  let southwest: string;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    env.clock.set(new Date());
    accounts = (await loadDemo(env.ctx)).accounts;
    const tfs = await env.ctx.db.selectFrom('task_force').select(['id', 'name']).execute();
    west = tfs.find((t) => t.name === DEMO_TASK_FORCE.name)!.id;
    southwest = tfs.find((t) => t.name === DEMO_OTHER_TASK_FORCE.name)!.id;
  }, 180_000);
  afterAll(() => env.close());

  const actorOf = async (local: string) => {
    const row = await env.ctx.db.selectFrom('app_user').select('id').where('email', '=', `${local}@demo.lantern.test`).executeTakeFirstOrThrow();
    return loadActor(env.ctx.db, row.id);
  };
  const signIn = async (local: string) => {
    const a = accounts.find((x) => x.email === `${local}@demo.lantern.test`)!;
    const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: a.email, password: a.password } });
    env.clock.advance(30_000);
    const mfa = await env.app.inject({ method: 'POST', url: '/api/auth/mfa', headers: { cookie: cookieFrom(login)! }, payload: { code: totpCode(a.totpSecret, env.clock.now()) } });
    expect(mfa.statusCode).toBe(200);
    return cookieFrom(mfa)!;
  };

  /** The contract's figures, by their definitions, over the businesses the West task force's coordinator sees. */
  const figures = async () => {
    const coordinator = await actorOf('coordinator');
    const seen = visibleBusinesses(env.ctx.db, coordinator);
    const distinctLandlords = async (column: 'notified_at' | 'responded_at') =>
      (await seen.select('b.landlord_id').distinct().where(`b.${column}`, 'is not', null).where('b.landlord_id', 'is not', null).execute()).length;
    const evicted = await seen.select((eb) => eb.fn.countAll<number>().as('n')).where('b.lease_action_at', 'is not', null).executeTakeFirstOrThrow();
    return { landlordsNotified: await distinctLandlords('notified_at'), landlordsResponded: await distinctLandlords('responded_at'), evictedOrInEviction: Number(evicted.n) };
  };

  it('holds about 80 fictional massage businesses across Missouri counties, most in the West task force', async () => {
    const rows = await env.ctx.db.selectFrom('business').select(['name', 'task_force_id', 'county_fips']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(75);
    expect(rows.length).toBeLessThanOrEqual(95);
    expect(rows.every((r) => r.name.endsWith('(demo)'))).toBe(true);
    expect(rows.every((r) => r.county_fips.startsWith('29'))).toBe(true);
    expect(new Set(rows.map((r) => r.county_fips)).size).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => r.task_force_id === west).length).toBeGreaterThan(75);
    expect(rows.filter((r) => r.task_force_id === southwest).length).toBeGreaterThan(0);
  });

  it("reproduces the public figures for the West task force's coordinator: 77 notified, 41 responded, 23 evicted or in eviction", async () => {
    expect(await figures()).toEqual({ landlordsNotified: 77, landlordsResponded: 41, evictedOrInEviction: 23 });

    // The 41 who answered: 23 removed the business or did not renew (a lease action, then often closure),
    // 17 committed to remove it, 1 refused; the other 36 did not answer.
    const answered = await env.ctx.db.selectFrom('business').select(['stage', 'outcome', 'lease_action_at', 'closed_at']).where('task_force_id', '=', west).where('responded_at', 'is not', null).execute();
    expect(answered.filter((b) => b.lease_action_at !== null)).toHaveLength(23);
    expect(answered.filter((b) => b.stage === 'landlord_responded' && b.outcome === 'committed')).toHaveLength(17);
    expect(answered.filter((b) => b.stage === 'civil_action')).toHaveLength(1);
    expect(answered.filter((b) => b.closed_at !== null).length).toBeGreaterThan(10);
    const silent = await env.ctx.db.selectFrom('business').select(['stage', 'outcome']).where('task_force_id', '=', west).where('notified_at', 'is not', null).where('responded_at', 'is', null).execute();
    expect(silent).toHaveLength(36);
    expect(silent.every((b) => ['landlord_notified', 'landlord_responded', 'civil_action'].includes(b.stage))).toBe(true);
    expect(silent.filter((b) => b.stage === 'landlord_responded').every((b) => b.outcome === 'no_response')).toBe(true);

    // Some not yet notified, and one cleared as legitimate with a reason.
    const early = await env.ctx.db.selectFrom('business').select('stage').where('task_force_id', '=', west).where('notified_at', 'is', null).execute();
    expect(new Set(early.map((b) => b.stage))).toEqual(new Set(['identified', 'verified', 'landlord_identified', 'cleared']));
    const cleared = await env.ctx.db.selectFrom('business').selectAll().where('stage', '=', 'cleared').execute();
    expect(cleared).toHaveLength(1);
    expect(cleared[0]!.cleared_reason).toMatch(/licensed/);
    expect(cleared[0]!.cleared_by).not.toBeNull();
  });

  it('the summary route, where it is built, gives the same figures to the coordinator', async () => {
    const cookie = await signIn('coordinator');
    const res = await env.app.inject({ method: 'GET', url: '/api/businesses/summary', headers: { cookie } });
    // Until the registry's routes are merged the path answers 404; once they are, it must agree.
    if (res.statusCode !== 404) {
      expect(res.statusCode).toBe(200);
      expect(body(res)).toMatchObject({ landlordsNotified: 77, landlordsResponded: 41, evictedOrInEviction: 23 });
    }
    expect(await figures()).toEqual({ landlordsNotified: 77, landlordsResponded: 41, evictedOrInEviction: 23 });
  });

  it('dates every history in order, consistent with the dated columns', async () => {
    const rows = await env.ctx.db.selectFrom('business').selectAll().execute();
    const events = await env.ctx.db.selectFrom('business_event').selectAll().orderBy('at').execute();
    for (const b of rows) {
      const mine = events.filter((e) => e.business_id === b.id && e.to_stage !== null);
      expect(mine[0]).toMatchObject({ kind: 'created', to_stage: 'identified' });
      expect(mine.at(-1)!.to_stage).toBe(b.stage);
      expect(mine.at(-1)!.at).toBe(b.stage_changed_at);
      for (let k = 1; k < mine.length; k++) expect(mine[k]!.from_stage).toBe(mine[k - 1]!.to_stage);
      const at = (stage: string, outcome?: string) => mine.find((e) => e.to_stage === stage && (!outcome || e.outcome === outcome))?.at ?? null;
      expect(b.notified_at).toBe(at('landlord_notified'));
      expect(b.responded_at).toBe(at('landlord_responded', 'committed') ?? at('landlord_responded', 'refused'));
      expect(b.lease_action_at).toBe(at('lease_action'));
      expect(b.closed_at).toBe(at('closed'));
      if (b.notified_at) expect(b.response_due! > b.notified_at.slice(0, 10)).toBe(true);
      if (b.responded_at) expect(b.responded_at > b.notified_at!).toBe(true);
    }
    // Three notices went out in the last weeks: their deadlines are ahead, one of them within the week.
    const today = env.clock.now().toISOString().slice(0, 10);
    const week = new Date(env.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
    const ahead = rows.filter((b) => b.response_due !== null && b.response_due >= today);
    expect(ahead).toHaveLength(3);
    expect(ahead.every((b) => b.stage === 'landlord_notified')).toBe(true);
    expect(ahead.filter((b) => b.response_due! <= week)).toHaveLength(1);
    // The histories run over 2020–2021.
    const notices = rows.map((b) => b.notified_at).filter((d): d is string => d !== null && d < '2022');
    expect(notices.length).toBeGreaterThan(70);
    expect(notices.every((d) => d >= '2020')).toBe(true);
  });

  it('keeps operators, landlords and evidence sealed, with networks of shared operators and evidence verified by a second person', async () => {
    const ring = env.ctx.keyring;
    const operators = await env.ctx.db.selectFrom('business_operator').selectAll().execute();
    expect(operators.length).toBeGreaterThan(10);
    const names = operators.map((o) => unseal(ring, 'business_operator', 'name', o.id, o.name));
    expect(names.every((n) => n.includes('(demo)'))).toBe(true);
    expect(operators.every((o) => !o.name.includes('demo'))).toBe(true);
    const perOperator = new Map<string, Set<string>>();
    for (const o of operators) perOperator.set(o.name_blind, (perOperator.get(o.name_blind) ?? new Set()).add(o.business_id));
    expect([...perOperator.values()].filter((s) => s.size >= 2).length).toBeGreaterThanOrEqual(3);

    const landlords = await env.ctx.db.selectFrom('landlord').selectAll().execute();
    expect(unseal(ring, 'landlord', 'name', landlords[0]!.id, landlords[0]!.name)).toMatch(/\(demo\)$/);
    const owning = await env.ctx.db.selectFrom('business').select('landlord_id').where('landlord_id', 'is not', null).execute();
    const perLandlord = new Map<string, number>();
    for (const b of owning) perLandlord.set(b.landlord_id!, (perLandlord.get(b.landlord_id!) ?? 0) + 1);
    expect([...perLandlord.values()].filter((n) => n === 2)).toHaveLength(2);

    const indicators = await env.ctx.db.selectFrom('business_indicator').selectAll().execute();
    const verified = indicators.filter((i) => i.verified_by !== null);
    expect(verified.length).toBeGreaterThan(50);
    expect(verified.every((i) => i.verified_by !== i.recorded_by)).toBe(true);
    expect(unseal(ring, 'business_indicator', 'note', indicators[0]!.id, indicators[0]!.note).length).toBeGreaterThan(10);
  });

  it("raises one open re-opening alert: the tip that names the closed Jade Blossom Spa's phone", async () => {
    const alerts = await env.ctx.db
      .selectFrom('business_alert as a')
      .innerJoin('business as b', 'b.id', 'a.business_id')
      .select(['a.source_type', 'a.source_id', 'a.kinds', 'a.task_force_id', 'b.name', 'b.stage'])
      .where('a.dismissed_at', 'is', null)
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ source_type: 'tip', name: 'Jade Blossom Spa (demo)', stage: 'closed', task_force_id: west, kinds: '["phone"]' });
    const phone = blindIndex(env.ctx.keyring, 'phone', normalizeIdentifier('phone', '(816) 555-0142')!);
    const tipPhones = await env.ctx.db.selectFrom('record_identifier').select('record_id').where('record_type', '=', 'tip').where('blind', '=', phone).execute();
    expect(tipPhones.map((r) => r.record_id)).toContain(alerts[0]!.source_id);

    // KCPD's coordinator, whose queue holds the tip, is shown the alert with the tip to open (once the watch's routes are merged).
    const res = await env.app.inject({ method: 'GET', url: '/api/businesses/alerts', headers: { cookie: await signIn('kcpd-coordinator') } });
    if (res.statusCode !== 404) {
      expect(res.statusCode).toBe(200);
      expect(body(res).items).toEqual([expect.objectContaining({ business: expect.objectContaining({ name: 'Jade Blossom Spa (demo)' }), source: expect.objectContaining({ type: 'tip', id: alerts[0]!.source_id }), kinds: ['phone'] })]);
    }
  });

  it('indexes the businesses, so a few share a phone or a name with the demo tips', async () => {
    const shared = await env.ctx.db
      .selectFrom('record_identifier as b')
      .innerJoin('record_identifier as t', 't.blind', 'b.blind')
      .select(['b.record_id', 'b.kind'])
      .where('b.record_type', '=', 'business')
      .where('t.record_type', '=', 'tip')
      .execute();
    expect(new Set(shared.map((r) => r.record_id)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(shared.map((r) => r.kind))).toEqual(new Set(['phone', 'business', 'handle']));
    // None shares the story operation's number, which a Springfield tip names (its analyst sees no link).
    const story = blindIndex(env.ctx.keyring, 'phone', normalizeIdentifier('phone', '(816) 555-0199')!);
    expect(await env.ctx.db.selectFrom('record_identifier').select('id').where('record_type', '=', 'business').where('blind', '=', story).execute()).toEqual([]);
  });

  it("the Southwest task force's analyst sees only its own businesses, and the West task force never sees them", async () => {
    const theirs = await visibleBusinesses(env.ctx.db, await actorOf('springfield-analyst')).select(['b.id', 'b.task_force_id']).execute();
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((b) => b.task_force_id === southwest)).toBe(true);
    const westSees = await visibleBusinesses(env.ctx.db, await actorOf('coordinator')).select(['b.id', 'b.task_force_id']).execute();
    expect(westSees.length).toBeGreaterThan(75);
    expect(westSees.every((b) => b.task_force_id === west)).toBe(true);
    // The attorney general's analyst works the West campaign's letters.
    expect((await visibleBusinesses(env.ctx.db, await actorOf('ago-analyst')).select('b.id').execute()).length).toBe(westSees.length);
  });

  it("holds the attorney general's notice template, version 1, using every merge field", async () => {
    const [template] = await env.ctx.db.selectFrom('notice_template').selectAll().execute();
    expect(template).toMatchObject({ version: 1, task_force_id: west });
    for (const field of LETTER_MERGE_FIELDS) expect(template!.body).toContain(`{{${field}}}`);
  });

  it('is harmless to load again', async () => {
    const before = await env.ctx.db.selectFrom('business').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await loadDemo(env.ctx);
    const after = await env.ctx.db.selectFrom('business').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await figures()).toEqual({ landlordsNotified: 77, landlordsResponded: 41, evictedOrInEviction: 23 });
  });
});
