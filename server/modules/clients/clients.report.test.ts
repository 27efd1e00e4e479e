import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertAgency, insertUser, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { loadActor, type Actor } from '../../auth/actor.ts';
import { TestClock } from '../../lib/clock.ts';
import type { ServiceCategory } from '../../../common/clients.ts';
import { addService, createClient, updateClient } from './clients.service.ts';
import { quarterBounds } from './clients.report.ts';

const meta = { ip: null, userAgent: 'test', requestId: null };

describeEachDatabase('OVC TIMS report (issue #12, item 6)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);

    // Each step at its own moment, through the services, as the demo does.
    const clock = new TestClock(new Date('2026-01-15T18:00:00.000Z'));
    const at = { ...env.ctx, clock };
    const advocate = await loadActor(env.ctx.db, world.users.advocate.id);
    const walkIn = async (by: Actor, when: string, name: string) => {
      clock.set(when);
      return (await createClient(at, by, { intake: 'walk_in', name }, meta)).id;
    };
    const change = async (by: Actor, id: string, when: string, input: Record<string, unknown>) => {
      clock.set(when);
      const version = (await env.ctx.db.selectFrom('client').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
      await updateClient(at, by, id, { version, ...input }, meta);
    };
    const serve = async (by: Actor, id: string, providedOn: string, category: ServiceCategory) => {
      clock.set(`${providedOn}T20:00:00.000Z`);
      await addService(at, by, id, { category, providedOn }, meta);
    };

    // Open before the second quarter and still open: continuing.
    const a = await walkIn(advocate, '2026-01-15T18:00:00.000Z', 'Client A');
    await change(advocate, a, '2026-01-16T18:00:00.000Z', { traffickingType: 'sex', nationality: 'foreign_national' });
    await serve(advocate, a, '2026-03-31', 'medical');
    // Closed before the quarter and not served in it: not counted.
    const b = await walkIn(advocate, '2026-02-01T18:00:00.000Z', 'Client B');
    await change(advocate, b, '2026-03-01T18:00:00.000Z', { status: 'closed', closeReason: 'Moved away' });
    // Closed before the quarter but served in it: continuing.
    const c = await walkIn(advocate, '2026-02-02T18:00:00.000Z', 'Client C');
    await change(advocate, c, '2026-03-02T18:00:00.000Z', { status: 'closed', closeReason: 'Services completed' });
    await serve(advocate, c, '2026-04-10', 'legal_civil');
    // Opened in the quarter: new.
    const d = await walkIn(advocate, '2026-04-05T18:00:00.000Z', 'Client D');
    await change(advocate, d, '2026-04-05T19:00:00.000Z', { traffickingType: 'labor', nationality: 'us_citizen_lpr' });
    await serve(advocate, d, '2026-04-05', 'case_management');
    await serve(advocate, d, '2026-05-01', 'case_management');
    await serve(advocate, d, '2026-05-01', 'medical');
    await serve(advocate, a, '2026-06-30', 'case_management');
    // After the quarter: neither the client nor the service counts.
    await walkIn(advocate, '2026-07-02T18:00:00.000Z', 'Client E');
    await serve(advocate, a, '2026-07-02', 'case_management');

    // Another advocate agency's client, opened and served in the quarter: not ours to count.
    const other = await insertAgency(env, 'Other Advocates', 'victim_services');
    const otherAdvocate = await loadActor(env.ctx.db, (await insertUser(env, other, ['advocate'])).id);
    const o = await walkIn(otherAdvocate, '2026-05-05T18:00:00.000Z', 'Other client');
    await serve(otherAdvocate, o, '2026-05-05', 'case_management');
  });
  afterAll(() => env.close());

  it('counts the quarter’s clients (new, continuing, by type and nationality) and services (clients and times) of the actor’s agency only, audited', async () => {
    const res = await (await signedIn(world.users.advocate)).get('/api/clients/reports/tims?year=2026&quarter=2');
    expect(res.statusCode, res.body).toBe(200);
    const report = body(res);
    expect(report).toMatchObject({ agency: { id: world.agencies.advocates, name: 'Harbor Advocates' }, year: 2026, quarter: 2, from: '2026-04-01', to: '2026-06-30' });
    expect(report.clients).toEqual({
      new: 1,
      continuing: 2,
      byType: [
        { traffickingType: 'sex', count: 1 },
        { traffickingType: 'labor', count: 1 },
        { traffickingType: 'sex_and_labor', count: 0 },
        { traffickingType: 'unknown', count: 1 },
      ],
      byNationality: [
        { nationality: 'us_citizen_lpr', count: 1 },
        { nationality: 'foreign_national', count: 1 },
        { nationality: 'unknown', count: 1 },
      ],
    });
    const provided = report.services.filter((s: { times: number }) => s.times > 0);
    expect(provided).toEqual([
      { category: 'case_management', clients: 2, times: 3 },
      { category: 'medical', clients: 1, times: 1 },
      { category: 'legal_civil', clients: 1, times: 1 },
    ]);
    expect(report.services).toHaveLength(18);
    expect(JSON.stringify(report)).not.toContain('Client');

    const [audit] = await auditRows(env, 'client.report');
    expect(audit).toMatchObject({ actor_user_id: world.users.advocate.id, record_agency_id: world.agencies.advocates });
    expect(JSON.parse(audit!.detail)).toEqual({ year: 2026, quarter: 2 });
  });

  it('the first quarter counts what was open then, and the closing does not undo it', async () => {
    const report = body(await (await signedIn(world.users.advocate)).get('/api/clients/reports/tims?year=2026&quarter=1'));
    expect(report.clients).toMatchObject({ new: 3, continuing: 0 });
    expect(report.services.filter((s: { times: number }) => s.times > 0)).toEqual([{ category: 'medical', clients: 1, times: 1 }]);
  });

  it('downloads as CSV: a header row, one row per measure', async () => {
    const res = await (await signedIn(world.users.advocate)).get('/api/clients/reports/tims.csv?year=2026&quarter=2');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="tims-2026-q2.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('measure,category,label,clients,times');
    expect(lines).toHaveLength(1 + 2 + 4 + 3 + 18);
    expect(lines).toContain('clients_served,new,New clients,1,');
    expect(lines).toContain('clients_served,continuing,Continuing clients,2,');
    expect(lines).toContain('clients_by_type,labor,Labor trafficking,1,');
    expect(lines).toContain('services_provided,case_management,Case management,2,3');
    expect(lines).toContain('services_provided,personal_items,"Food, clothing and personal items",0,0');
  });

  it('answers 404 to anyone not compartment staff, exactly as every client route does, and 400 naming a bad quarter', async () => {
    const officer = await signedIn(world.users.officer);
    const notFound = await officer.get('/api/clients/00000000-0000-7000-8000-000000000000');
    for (const user of [world.users.officer, world.users.coordinator, world.users.caseworker, world.users.platform]) {
      for (const path of ['/api/clients/reports/tims?year=2026&quarter=2', '/api/clients/reports/tims.csv?year=2026&quarter=2']) {
        const res = await (await signedIn(user)).get(path);
        expect(res.statusCode).toBe(404);
        expect(res.json().error).toEqual(notFound.json().error);
      }
    }
    const advocate = await signedIn(world.users.advocate);
    for (const [query, field] of [
      ['year=2026&quarter=5', 'quarter'],
      ['year=2026&quarter=0', 'quarter'],
      ['year=2026', 'quarter'],
      ['year=nope&quarter=1', 'year'],
    ] as const) {
      const res = await advocate.get(`/api/clients/reports/tims?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field, query).toBe(field);
    }
  });

  it('takes the quarter’s bounds in the jurisdiction’s zone', () => {
    expect(quarterBounds(2026, 4, 'America/Chicago')).toEqual({ from: '2026-10-01', to: '2026-12-31', start: '2026-10-01T05:00:00.000Z', end: '2027-01-01T06:00:00.000Z' });
  });
});
