import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { loadDemo, type DemoAccount } from './demo.ts';
import { totpCode } from '../auth/mfa.ts';
import { cookieFrom } from '../test/fixtures.ts';

describeEachDatabase('a Lantern without the demo', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend);
  });
  afterAll(() => env.close());

  it('does not call itself a demo', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/demo' })).json()).toEqual({ demo: false, publicSite: '/' });
  });
});

describeEachDatabase('the demo', (backend) => {
  let env: TestEnv;
  let accounts: DemoAccount[];
  beforeAll(async () => {
    env = await startTestEnv(backend);
    env.clock.set(new Date());
    accounts = (await loadDemo(env.ctx)).accounts;
  }, 120_000);
  afterAll(() => env.close());

  const signIn = async (email: string) => {
    const a = accounts.find((x) => x.email === email)!;
    const login = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: a.email, password: a.password } });
    env.clock.advance(30_000);
    const mfa = await env.app.inject({ method: 'POST', url: '/api/auth/mfa', headers: { cookie: cookieFrom(login)! }, payload: { code: totpCode(a.totpSecret, env.clock.now()) } });
    expect(mfa.statusCode).toBe(200);
    return cookieFrom(mfa)!;
  };

  it('writes one account per role, readable only by its owner', () => {
    const file = `${env.dataDir}/demo-accounts.json`;
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const roles = new Set(accounts.map((a) => a.role));
    for (const role of ['admin', 'coordinator', 'officer', 'analyst', 'advocate', 'caseworker', 'pio']) expect(roles.has(role)).toBe(true);
  });

  it('holds a few dozen tips across the counties, routed, triaged and linked as any tip is', async () => {
    const tips = await env.ctx.db.selectFrom('tip').select(['county_fips', 'status', 'urgent']).execute();
    expect(tips.length).toBeGreaterThanOrEqual(30);
    expect(new Set(tips.map((t) => t.county_fips)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(tips.map((t) => t.status))).toEqual(new Set(['new', 'assigned', 'under_review', 'linked', 'referred', 'closed']));
    expect(tips.some((t) => t.urgent === 1)).toBe(true);

    // Oak Grove's analyst finds the motel tip linked to the story operation by its disguised phone number.
    const analyst = await signIn('oakgrove-analyst@demo.lantern.test');
    const queue = (await env.app.inject({ method: 'GET', url: '/api/tips?limit=100', headers: { cookie: analyst } })).json();
    const motel = queue.tips.find((t: { summary: string }) => t.summary.startsWith('Several young women'));
    const tip = (await env.app.inject({ method: 'GET', url: `/api/tips/${motel.id}`, headers: { cookie: analyst } })).json();
    expect(tip.links).toContainEqual(expect.objectContaining({ recordType: 'operation', label: 'Operation Harvest Moon (demo)' }));

    // Springfield's analyst, of another task force, reads the tip sharing that number with no link at all.
    const springfield = await signIn('springfield-analyst@demo.lantern.test');
    const theirs = (await env.app.inject({ method: 'GET', url: '/api/tips', headers: { cookie: springfield } })).json();
    expect(theirs.tips).toHaveLength(1);
    const same = (await env.app.inject({ method: 'GET', url: `/api/tips/${theirs.tips[0].id}`, headers: { cookie: springfield } })).json();
    expect(same.links).toEqual([]);
  });

  it("tells the story: 5 adult men detained, 10 adult women offered services, 3 children in protective custody", async () => {
    const cookie = await signIn('coordinator@demo.lantern.test');
    const list = (await env.app.inject({ method: 'GET', url: '/api/operations', headers: { cookie } })).json();
    const story = list.operations.find((o: { name: string }) => o.name === 'Operation Harvest Moon (demo)');
    expect(story).toMatchObject({ status: 'closed', startsAt: '2020-10-23T23:00:00.000Z', contacts: 18 });
    const outcome = (await env.app.inject({ method: 'GET', url: `/api/operations/${story.id}/outcome`, headers: { cookie } })).json();
    expect(outcome.byRole).toEqual({ suspect: 5, adult_victim: 10, minor: 3, witness: 0 });
    expect(outcome.byRoleAndSex.suspect.male).toBe(5);
    expect(outcome.byRoleAndSex.adult_victim.female).toBe(10);
    expect(outcome.byDisposition).toMatchObject({ detained: 5, offered_services: 10, protective_custody: 3 });
    expect(outcome.servicesOffered).toMatchObject({ food: 10, lodging: 10, medical: 10, counseling: 10, drug_rehabilitation: 10 });
    expect(outcome.byAgeBand.under_5).toBe(3);
    expect(outcome.protectiveCustody).toMatchObject({ count: 3, handedOff: 3, received: 3, releasedTo: ["Missouri DSS Children's Division"] });
    expect(outcome.referrals.total).toBeGreaterThan(0);

    // Deconfliction has something to show, and there is an operation closed last year.
    const conflicted = list.operations.filter((o: { openConflicts: number }) => o.openConflicts > 0);
    expect(conflicted.length).toBe(2);
    const lastYear = String(new Date().getUTCFullYear() - 1);
    expect(list.operations.some((o: { status: string; startsAt: string }) => o.status === 'closed' && o.startsAt.startsWith(lastYear))).toBe(true);
  });

  it("refers the story's ten women to the three advocate groups; the advocates open client records, and the prosecutor reads service status only (issue #12)", async () => {
    const referrals = await env.ctx.db
      .selectFrom('referral as r')
      .innerJoin('agency as a', 'a.id', 'r.to_agency_id')
      .innerJoin('operation as o', 'o.id', 'r.operation_id')
      .select(['a.short_name', 'r.status'])
      .where('o.name', '=', 'Operation Harvest Moon (demo)')
      .execute();
    expect(referrals).toHaveLength(10);
    const count = (agency: string, status: string) => referrals.filter((r) => r.short_name === agency && r.status === status).length;
    expect([count('RISE', 'accepted'), count('Relentless Pursuit', 'accepted'), count('CMSHTC', 'accepted'), count('CMSHTC', 'declined')]).toEqual([4, 3, 2, 1]);

    const clients = await env.ctx.db.selectFrom('client as c').innerJoin('agency as a', 'a.id', 'c.agency_id').select(['a.short_name', 'c.status']).execute();
    expect(clients).toHaveLength(7);
    expect(clients.filter((c) => c.status === 'closed')).toHaveLength(1);
    const rise = await signIn('advocate@demo.lantern.test');
    const theirs = (await env.app.inject({ method: 'GET', url: '/api/clients', headers: { cookie: rise } })).json();
    expect(theirs.clients.map((c: { name: string }) => c.name).sort()).toEqual(['Dawn', 'Ivy', 'Sunny']);
    const sunny = (await env.app.inject({ method: 'GET', url: `/api/clients/${theirs.clients.find((c: { name: string }) => c.name === 'Sunny').id}`, headers: { cookie: rise } })).json();
    expect(sunny.services.length).toBe(6);
    expect(sunny.releases).toHaveLength(1);
    expect(sunny.releases[0]).toMatchObject({ scopes: ['service_status'], status: 'active', inEffect: true, recipientAgency: { name: "Missouri Attorney General's Human Trafficking Task Force" } });
    expect(sunny.releases[0].shares).toHaveLength(1);

    const revoked = await env.ctx.db.selectFrom('client_release').select(['status', 'revocation_method']).where('status', '=', 'revoked').execute();
    expect(revoked).toEqual([{ status: 'revoked', revocation_method: 'oral' }]);

    // The attorney general's analyst reads exactly the service status, without the client's notes or phone.
    const ago = await signIn('ago-analyst@demo.lantern.test');
    const received = (await env.app.inject({ method: 'GET', url: '/api/releases', headers: { cookie: ago } })).json();
    expect(received.releases).toHaveLength(1);
    const extract = (await env.app.inject({ method: 'GET', url: `/api/releases/${received.releases[0].id}/shared`, headers: { cookie: ago } })).json();
    expect(extract).toMatchObject({ subject: 'Sunny', contactDetails: null, statement: null, substanceUse: null });
    expect(extract.serviceStatus.services).toHaveLength(6);

    // Oak Grove's officer, whose release was revoked, sees nothing, and no client route answers the police.
    const officer = await signIn('officer@demo.lantern.test');
    expect((await env.app.inject({ method: 'GET', url: '/api/releases', headers: { cookie: officer } })).json().releases).toEqual([]);
    expect((await env.app.inject({ method: 'GET', url: '/api/clients', headers: { cookie: officer } })).statusCode).toBe(404);

    // The last ended quarter's report has the recent services to count.
    const q = Math.floor(new Date().getUTCMonth() / 3);
    const [year, quarter] = q === 0 ? [new Date().getUTCFullYear() - 1, 4] : [new Date().getUTCFullYear(), q];
    const report = (await env.app.inject({ method: 'GET', url: `/api/clients/reports/tims?year=${year}&quarter=${quarter}`, headers: { cookie: rise } })).json();
    expect(report.clients.new + report.clients.continuing).toBeGreaterThan(0);
  });

  it('tells the sign-in page it is a demo, and where the public site is (issue #9, item 15)', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/demo' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ demo: true, publicSite: '/' });
    expect((await env.app.inject({ method: 'GET', url: res.json().publicSite })).statusCode).toBe(200);
  });

  it('is harmless to run twice', async () => {
    const again = await loadDemo(env.ctx);
    expect(again.created).toBe(false);
    const n = await env.ctx.db.selectFrom('operation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4);
    const clients = await env.ctx.db.selectFrom('client').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(clients.n)).toBe(7);
  });
});
