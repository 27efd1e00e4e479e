import { afterAll, beforeAll, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, insertUser, seedWorld, sessionCache, signIn, type TestUser, type World } from '../../test/fixtures.ts';

/** RFC 4180 CSV, enough for the export: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

interface EventDto {
  id: string;
  at: string;
  userId: string | null;
  agencyId: string | null;
  action: string;
  recordId: string | null;
}

describeEachDatabase('audit log', (backend) => {
  let env: TestEnv;
  let world: World;
  let client: ReturnType<typeof sessionCache>;
  let formulaUser: TestUser;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    client = sessionCache(env);
    // Activity in three agencies: sign-ins, and a failed one from a hostile-looking client.
    for (const u of [world.users.officer, world.users.partnerOfficer, world.users.outsiderOfficer]) await client(u);
    formulaUser = await insertUser(env, world.agencies.lead, ['analyst'], { name: '=HYPERLINK("http://evil.example","click me")' });
    await signIn(env, formulaUser);
    await env.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'user-agent': '@SUM(1+1)*cmd|" /C calc"!A0' }, payload: { email: formulaUser.email, password: 'wrong-password-here-123' } });
  });
  afterAll(() => env.close());

  const events = (res: { json(): unknown }) => body(res as never).events as EventDto[];

  it('answers 401 without a session and 403 to anyone but administrators', async () => {
    const anon = as(env, null);
    expect((await anon.get('/api/audit')).statusCode).toBe(401);
    expect((await anon.get('/api/audit/export.csv')).statusCode).toBe(401);
    for (const u of [world.users.officer, world.users.coordinator, world.users.analyst, world.users.advocate]) {
      const c = await client(u);
      const read = await c.get('/api/audit');
      expect(read.statusCode).toBe(403);
      expect(body(read).error.code).toBe('forbidden');
      expect((await c.get('/api/audit/export.csv')).statusCode).toBe(403);
    }
  });

  it("shows an agency admin their agency's people and records only", async () => {
    const res = await (await client(world.users.leadAdmin)).get('/api/audit?limit=200');
    expect(res.statusCode).toBe(200);
    const seen = events(res);
    expect(seen.map((e) => e.userId)).toContain(world.users.officer.id);
    expect(seen.every((e) => e.agencyId === world.agencies.lead || e.agencyId === null)).toBe(true);
    const ids = new Set(seen.map((e) => e.userId));
    expect(ids.has(world.users.partnerOfficer.id)).toBe(false);
    expect(ids.has(world.users.outsiderOfficer.id)).toBe(false);
    // Asking by name for another agency's person finds nothing.
    const other = await (await client(world.users.leadAdmin)).get(`/api/audit?userId=${world.users.outsiderOfficer.id}`);
    expect(events(other)).toEqual([]);
    const own = await (await client(world.users.outsiderAdmin)).get(`/api/audit?userId=${world.users.outsiderOfficer.id}`);
    expect(events(own).length).toBeGreaterThan(0);
    expect(events(own).every((e) => e.agencyId === world.agencies.outsider)).toBe(true);
  });

  it('shows the platform administrator every agency', async () => {
    const res = await (await client(world.users.platform)).get('/api/audit?limit=200&action=auth.mfa');
    const agencies = new Set(events(res).map((e) => e.agencyId));
    for (const a of [world.agencies.lead, world.agencies.partner, world.agencies.outsider]) expect(agencies.has(a)).toBe(true);
  });

  it('records each search of the log as an audit.read row, which the next search shows', async () => {
    const admin = await client(world.users.partnerAdmin);
    const first = await admin.get(`/api/audit?action=auth.login&limit=5`);
    expect(first.statusCode).toBe(200);
    const [row] = await auditRows(env, 'audit.read');
    expect(row).toMatchObject({ actor_user_id: world.users.partnerAdmin.id, actor_agency_id: world.agencies.partner, record_type: 'audit_log', outcome: 'success' });
    expect(JSON.parse(row!.detail)).toEqual({ action: 'auth.login', returned: events(first).length });
    expect(row!.request_id).toBe(first.headers['x-request-id']);
    const next = await admin.get('/api/audit?action=audit.read');
    expect(events(next)[0]).toMatchObject({ id: row!.id, userId: world.users.partnerAdmin.id, action: 'audit.read' });
  });

  it('pages newest first without gaps or repeats', async () => {
    const admin = await client(world.users.platform);
    const all = events(await admin.get('/api/audit?limit=200&action=auth.login'));
    expect(all.length).toBeGreaterThan(5);
    const paged: EventDto[] = [];
    let before: string | null = null;
    do {
      const res = await admin.get(`/api/audit?action=auth.login&limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      paged.push(...events(res));
      before = body(res).nextBefore;
    } while (before);
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const times = paged.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('names the bad query parameter', async () => {
    const admin = await client(world.users.leadAdmin);
    const tooMany = await admin.get('/api/audit?limit=500');
    expect(tooMany.statusCode).toBe(400);
    expect(body(tooMany).error.field).toBe('limit');
    const badDate = await admin.get('/api/audit?from=yesterday');
    expect(body(badDate).error).toMatchObject({ code: 'invalid', field: 'from' });
  });

  it('exports CSV with a header row, neutralising formula injection, and audits the export', async () => {
    const res = await (await client(world.users.leadAdmin)).get(`/api/audit/export.csv?userId=${formulaUser.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="lantern-audit-\d{4}-\d\d-\d\dT\d{6}\.csv"$/);
    const rows = parseCsv(res.body);
    const header = rows[0]!;
    expect(header).toEqual(['time_utc', 'user_id', 'user_email', 'user_name', 'agency_id', 'action', 'record_type', 'record_id', 'outcome', 'changed_fields', 'ip', 'user_agent', 'request_id']);
    const data = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(data.length).toBeGreaterThanOrEqual(3);
    expect(data.every((r) => r.user_id === formulaUser.id)).toBe(true);
    // A cell a spreadsheet would run as a formula starts with an apostrophe instead.
    expect(data.every((r) => r.user_name === `'=HYPERLINK("http://evil.example","click me")`)).toBe(true);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const failed = data.find((r) => r.action === 'auth.login' && r.outcome === 'failure');
    expect(failed?.user_agent).toBe(`'@SUM(1+1)*cmd|" /C calc"!A0`);
    expect(data.every((r) => rows[0]!.length === Object.keys(r).length)).toBe(true);

    const [row] = await auditRows(env, 'audit.export');
    expect(row).toMatchObject({ actor_user_id: world.users.leadAdmin.id, record_type: 'audit_log' });
    expect(JSON.parse(row!.detail)).toEqual({ userId: formulaUser.id, returned: data.length });
  });

  it("keeps another agency's rows out of an admin's export", async () => {
    const res = await (await client(world.users.outsiderAdmin)).get('/api/audit/export.csv');
    const rows = parseCsv(res.body);
    const agencyCol = rows[0]!.indexOf('agency_id');
    const userCol = rows[0]!.indexOf('user_id');
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows.slice(1)) {
      expect([world.agencies.outsider, '']).toContain(r[agencyCol]);
      expect(r[userCol]).not.toBe(formulaUser.id);
    }
  });

  it('filters by a person\'s name or email, only among the people the administrator manages', async () => {
    const jane = await insertUser(env, world.agencies.lead, ['officer'], { name: 'Jane Auditname' });
    const janeElsewhere = await insertUser(env, world.agencies.partner, ['officer'], { name: 'Jane Auditname-Partner' });
    await signIn(env, jane);
    await signIn(env, janeElsewhere);
    const admin = await client(world.users.leadAdmin);
    const res = await admin.get('/api/audit?person=auditNAME');
    expect(res.statusCode).toBe(200);
    const events = body(res).events as (EventDto & { userName: string | null })[];
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.userId))).toEqual(new Set([jane.id]));
    expect(events.every((e) => e.userName === 'Jane Auditname')).toBe(true);
    // Another agency's person is never found by name, even by their exact name or email.
    for (const text of ['Jane Auditname-Partner', janeElsewhere.email]) {
      expect((body(await admin.get(`/api/audit?person=${encodeURIComponent(text)}`)).events as EventDto[]).map((e) => e.userId)).not.toContain(janeElsewhere.id);
    }
    // LIKE wildcards are literal text.
    expect(body(await admin.get('/api/audit?person=%25')).events).toEqual([]);
    // The partner's administrator finds their own person, and not the lead's.
    const partnerAdmin = body(await (await client(world.users.partnerAdmin)).get('/api/audit?person=auditname')).events as EventDto[];
    expect(new Set(partnerAdmin.map((e) => e.userId))).toEqual(new Set([janeElsewhere.id]));
    // The platform administrator finds both.
    const platform = body(await (await client(world.users.platform)).get('/api/audit?person=auditname')).events as EventDto[];
    expect(new Set(platform.map((e) => e.userId))).toEqual(new Set([jane.id, janeElsewhere.id]));
    const [read] = await auditRows(env, 'audit.read');
    expect(JSON.parse(read!.detail)).toMatchObject({ person: 'auditname' });
  });

  it('names records the administrator may see, keeps other agencies\' as ids, and shows a lockout as a failure', async () => {
    const admin = await client(world.users.leadAdmin);
    const target = await insertUser(env, world.agencies.lead, ['officer'], { name: 'Lee Lockedout' });
    for (let i = 0; i < 10; i++) {
      const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: target.email, password: `wrong-password-${i}-abcdefgh` } });
      if (res.statusCode === 423) break;
    }
    const lockouts = body(await admin.get(`/api/audit?action=auth.lockout&recordId=${target.id}`)).events as (EventDto & { outcome: string; recordName: string | null })[];
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ outcome: 'failure', recordName: 'User Lee Lockedout' });
    // A user of another agency: the partner's administrator changed their own officer; the lead's admin
    // does not see that row at all, and the platform administrator sees the name.
    const partnerUser = await insertUser(env, world.agencies.partner, ['officer'], { name: 'Pat Partnerperson' });
    expect((await (await client(world.users.partnerAdmin)).patch(`/api/users/${partnerUser.id}`, { displayName: 'Pat Partnerperson' })).statusCode).toBe(200);
    const byPlatform = body(await (await client(world.users.platform)).get(`/api/audit?recordId=${partnerUser.id}&action=user.update`)).events as { recordName: string | null }[];
    expect(byPlatform[0]!.recordName).toBe('User Pat Partnerperson');
    expect(body(await admin.get(`/api/audit?recordId=${partnerUser.id}`)).events).toEqual([]);
    // A partner officer signing in shows no name to the lead's administrator when the row is the lead's.
    const agencyRows = body(await admin.get(`/api/audit?recordType=agency`)).events as { recordId: string; recordName: string | null }[];
    for (const r of agencyRows) expect(r.recordName).not.toBeNull();
  });
});
