import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertAgency, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { loadActor } from '../../auth/actor.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { fileTip } from '../tips/tips.intake.ts';
import { publicTip } from '../tips/tips.test-support.ts';
import { REOPENING_NOTICE, watchContactPhones, watchForReopening } from './businesses.watch.ts';
import { insertTestBusiness, operatorBlind, type TestBusiness } from './businesses.watch.test-support.ts';

const staffTip = (over: Partial<TipFields> = {}) => ({ ...(publicTip() as Omit<TipFields, 'phones' | 'emails' | 'online' | 'businesses'>), phones: [], emails: [], online: [], businesses: [], source: 'phone' as const, ...over });

/** The re-opening watch (issue #11, item 6): alerts when a closed business's identifiers show up again. */
describeEachDatabase('the re-opening watch', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let prosecutor: string;
  let agCoordinator: TestUser;
  let closedId: string;

  const CLOSED_PHONE = '(816) 555-0142';

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    // The attorney general's office joins the campaign's task force.
    prosecutor = await insertAgency(env, 'Attorney General', 'prosecutor');
    await env.ctx.db.insertInto('task_force_member').values({ task_force_id: world.taskForceId, agency_id: prosecutor, joined_at: env.clock.now().toISOString() }).execute();
    agCoordinator = await insertUser(env, prosecutor, ['coordinator'], { name: 'AG Coordinator' });
    closedId = await business({ name: 'Lotus Relax Spa', stage: 'closed', phones: [CLOSED_PHONE], handles: ['@lotusrelax'], operators: ['Chen Mei'], closedAt: env.clock.now().toISOString() });
  });
  afterAll(() => env.close());

  const business = (over: Partial<TestBusiness>) =>
    insertTestBusiness(env.ctx.db, env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.coordinator.id, ...over });
  const alertsOf = (businessId: string) => env.ctx.db.selectFrom('business_alert').selectAll().where('business_id', '=', businessId).orderBy('created_at').orderBy('id').execute();
  const tipBy = async (over: Partial<TipFields>) => fileTip(env.ctx, staffTip(over), await loadActor(env.ctx.db, world.users.coordinator.id));

  it('a tip naming a closed business’s phone raises one alert: a dated event, a system audit row, notices to the campaign staff (no case content)', async () => {
    env.clock.advance(60_000);
    // The phone twice (listed, and written in the narrative) and the business's name: still one alert, kinds merged.
    const { tipId } = await tipBy({ phones: ['816-555-0142'], businesses: ['Lotus Relax Spa'], narrative: 'Call 816.555.0142 for the back room.' });
    const alerts = await alertsOf(closedId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ source_type: 'tip', source_id: tipId, source_parent_id: tipId, task_force_id: world.taskForceId, dismissed_at: null });
    expect(JSON.parse(alerts[0]!.kinds)).toEqual(['business', 'phone']);
    const events = await env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', closedId).where('kind', '=', 'alert').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.detail)).toEqual({ alertId: alerts[0]!.id, sourceType: 'tip', kinds: ['business', 'phone'] });
    const [audit] = await auditRows(env, 'business.alert', closedId);
    expect(audit).toMatchObject({ actor_user_id: null, record_agency_id: world.agencies.lead, record_type: 'business' });
    expect(audit!.detail).not.toMatch(/555\D?0142/);
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('kind', '=', REOPENING_NOTICE.kind).where('record_id', '=', closedId).execute();
    // Coordinators and analysts of the owning agency and of the task force's prosecutor agency.
    expect(notices.map((n) => `${n.agency_id}:${n.audience}`).sort()).toEqual(
      [`${world.agencies.lead}:analyst`, `${world.agencies.lead}:coordinator`, `${prosecutor}:analyst`, `${prosecutor}:coordinator`].sort(),
    );
    for (const n of notices) {
      expect(n.body).toContain('/businesses/alerts');
      for (const secret of ['555', 'Lotus', 'back room']) expect(n.body + n.title).not.toContain(secret);
    }
    // The AG's coordinator sees it in their inbox.
    const inbox = body(await (await signedIn(agCoordinator)).get('/api/inbox'));
    expect(JSON.stringify(inbox)).toContain(REOPENING_NOTICE.title);
  });

  it('one alert per source record: a second tip with the phone is a second alert; a cleared or open business with a shared phone raises none', async () => {
    env.clock.advance(60_000);
    const { tipId } = await tipBy({ phones: [CLOSED_PHONE] });
    const alerts = await alertsOf(closedId);
    expect(alerts.map((a) => a.source_id)).toContain(tipId);
    expect(alerts.filter((a) => a.source_id === tipId)).toHaveLength(1);

    const cleared = await business({ stage: 'cleared', phones: ['(816) 555-0190'] });
    const open = await business({ stage: 'landlord_notified', phones: ['(816) 555-0191'], notifiedAt: env.clock.now().toISOString() });
    const before = await tableCounts(env.ctx, ['business_alert', 'business_event', 'inbox_item']);
    await tipBy({ phones: ['816 555 0190', '816 555 0191'] });
    expect(await tableCounts(env.ctx, ['business_alert', 'business_event', 'inbox_item'])).toEqual(before);
    expect(await alertsOf(cleared)).toEqual([]);
    expect(await alertsOf(open)).toEqual([]);
  });

  it('a new business run by a closed one’s operator alerts (kind operator); a business never matches itself; a later stage (civil action) is watched too', async () => {
    const sued = await business({ stage: 'civil_action', operators: ['Zhao Lin'], closedAt: env.clock.now().toISOString() });
    const newcomer = await business({ stage: 'identified' });
    const raised = await env.ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, (tx) =>
      watchForReopening(tx, env.ctx, { type: 'business', id: newcomer, parentId: newcomer, agencyId: world.agencies.lead, blinds: [{ kind: 'operator', blind: operatorBlind(env.ctx, ' zhao  LIN ') }] }),
    );
    expect(raised).toBe(1);
    expect((await alertsOf(sued)).map((a) => [a.source_type, a.source_id, JSON.parse(a.kinds)])).toEqual([['business', newcomer, ['operator']]]);
    // The closed business itself, as a source (its own record re-saved), raises nothing.
    const self = await env.ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, (tx) =>
      watchForReopening(tx, env.ctx, { type: 'business', id: sued, parentId: sued, agencyId: world.agencies.lead, blinds: [{ kind: 'operator', blind: operatorBlind(env.ctx, 'Zhao Lin') }] }),
    );
    expect(self).toBe(0);
  });

  it('a contact’s phone in an operation alerts, the operation being what a viewer opens; the same source again merges, never doubles', async () => {
    const contact = { id: '01900000-0000-7000-8000-0000000000c1', operation_id: '01900000-0000-7000-8000-0000000000a1', agency_id: world.agencies.lead };
    const run = () => env.ctx.audit.transact({ actor: null, meta: { ip: null, userAgent: null, requestId: null } }, (tx) => watchContactPhones(tx, env.ctx, contact, ['+1 816 555 0142']));
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    const mine = (await alertsOf(closedId)).filter((a) => a.source_type === 'contact');
    expect(mine).toMatchObject([{ source_id: contact.id, source_parent_id: contact.operation_id, kinds: '["phone"]' }]);
  });

  it('GET /api/businesses/alerts: the campaign staff see the alerts with what matched; the tip’s id only for whoever may open the tip; audited', async () => {
    const lead = body(await (await signedIn(world.users.coordinator)).get('/api/businesses/alerts'));
    const first = lead.items.find((a: { source: { type: string } }) => a.source.type === 'tip');
    expect(first).toMatchObject({ business: { id: closedId, name: 'Lotus Relax Spa', stage: 'closed' }, dismissedAt: null, abilities: { 'business.dismissAlert': true } });
    const tip = await env.ctx.db.selectFrom('tip').select(['id', 'agency_id']).where('id', '=', first.source.id ?? '').executeTakeFirst();
    expect(tip?.agency_id).toBe(world.agencies.lead);
    expect(first.source.label).toBe('A tip');
    // Newest first.
    const times = lead.items.map((a: { createdAt: string }) => a.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const [audit] = await auditRows(env, 'business.readAlerts');
    expect(audit).toMatchObject({ actor_user_id: world.users.coordinator.id });

    // The AG's coordinator is campaign staff of the task force but not in the tip's queue: the alert, not the tip.
    const ag = body(await (await signedIn(agCoordinator)).get('/api/businesses/alerts'));
    const seen = ag.items.find((a: { id: string }) => a.id === first.id);
    expect(seen.source).toEqual({ type: 'tip', id: null, label: 'A record you cannot open' });
    // The contact's alert: the operation does not exist for anyone, so no one may open it.
    expect(ag.items.find((a: { source: { type: string } }) => a.source.type === 'contact').source.id).toBeNull();

    // An officer of the campaign reads alerts but may not dismiss them.
    const officer = body(await (await signedIn(world.users.officer)).get('/api/businesses/alerts'));
    expect(officer.items.find((a: { id: string }) => a.id === first.id).abilities['business.dismissAlert']).toBe(false);
  });

  it('another task force sees none of them; roles outside the campaign are refused (403)', async () => {
    const outsider = await (await signedIn(world.users.outsiderCoordinator)).get('/api/businesses/alerts');
    expect(outsider.statusCode).toBe(200);
    expect(body(outsider).items).toEqual([]);
    for (const user of [world.users.advocate, world.users.caseworker, world.users.pio, world.users.leadAdmin]) {
      expect((await (await signedIn(user)).get('/api/businesses/alerts')).statusCode, user.email).toBe(403);
    }
  });

  it('POST /api/business-alerts/:id/dismiss: a coordinator or analyst dismisses with a reason (audited, dated, notices settled); again is a 409; others 403/404', async () => {
    const [alert] = await alertsOf(closedId);
    const url = `/api/business-alerts/${alert!.id}/dismiss`;
    expect((await (await signedIn(world.users.outsiderCoordinator)).post(url, { reason: 'not ours' })).statusCode).toBe(404);
    expect((await (await signedIn(world.users.officer)).post(url, { reason: 'seen it' })).statusCode).toBe(403);
    const analyst = await signedIn(world.users.analyst);
    const missing = await analyst.post(url, {});
    expect(missing.statusCode).toBe(400);
    expect(body(missing).error.field).toBe('reason');
    expect((await analyst.post('/api/business-alerts/01900000-0000-7000-8000-00000000dead/dismiss', { reason: 'x' })).statusCode).toBe(404);

    env.clock.advance(1000);
    const res = await analyst.post(url, { reason: 'The new tenant is a licensed physiotherapist.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ id: alert!.id, dismissedAt: env.clock.now().toISOString(), abilities: { 'business.dismissAlert': false } });
    const stored = await env.ctx.db.selectFrom('business_alert').selectAll().where('id', '=', alert!.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ dismissed_by: world.users.analyst.id, dismissed_reason: 'The new tenant is a licensed physiotherapist.' });
    const [audit] = await auditRows(env, 'business.dismissAlert', closedId);
    expect(audit).toMatchObject({ actor_user_id: world.users.analyst.id, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('physiotherapist');
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('dedupe_key', 'like', `business-alert:${closedId}:tip:${alert!.source_id}:%`).execute();
    expect(notices.length).toBe(4);
    for (const n of notices) expect(n.settled_at).not.toBeNull();

    const again = await analyst.post(url, { reason: 'twice' });
    expect(again.statusCode).toBe(409);
    expect(body(again).error.message).toContain('already dismissed');
  });
});
