import { afterAll, beforeAll, expect, it } from 'vitest';
import { containsText } from './database.ts';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { insertAgency, insertUser, seedWorld, sessionCache, type World } from '../test/fixtures.ts';
import { draftOperation } from '../test/operations-fixtures.ts';

/** Issue #7, item 8: one `containsText` for every LIKE, alike on SQLite and PostgreSQL. */
const NAMES = [
  'Unit_7 Task Force',
  'Unit 7 Task Force',
  'Unitx7 Task Force',
  '100% Recovery Project',
  '100 Recovery Project',
  '1000 Recovery Project',
  'Back\\slash County',
  'Back\\\\slash County',
  'Backslash County',
  'Ñandú Advocates',
  'ñANDÚ Outreach',
  "O'Brien Sheriff",
];

describeEachDatabase('containsText', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    for (const name of NAMES) await insertAgency(env, name, 'law_enforcement');
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const find = async (text: string) =>
    (await env.ctx.db.selectFrom('agency').select('name').where((eb) => containsText(eb.ref('name'), text)).orderBy('name').execute()).map((r) => r.name).sort();

  it.each([
    ['_ is a literal underscore, not any one character', 'unit_7', ['Unit_7 Task Force']],
    ['% is a literal percent sign, not any run of characters', '100%', ['100% Recovery Project']],
    ['\\ is a literal backslash', 'back\\slash', ['Back\\slash County']],
    ['two backslashes are two', 'back\\\\slash', ['Back\\\\slash County']],
    ['a trailing backslash escapes nothing', 'back\\', ['Back\\\\slash County', 'Back\\slash County']],
    ['\\% is a backslash then a percent sign', '\\%', []],
    ['\\_ is a backslash then an underscore', 'k\\_', []],
    ['%_ alone matches only itself', '%_', []],
    ['case does not matter, ASCII or not', 'ñandú', ['Ñandú Advocates', 'ñANDÚ Outreach']],
    ['upper case search', 'UNIT', ['Unit 7 Task Force', 'Unit_7 Task Force', 'Unitx7 Task Force']],
    ['a quote is a quote', "o'brien", ["O'Brien Sheriff"]],
    ['plain text still matches inside', 'recovery', ['100 Recovery Project', '100% Recovery Project', '1000 Recovery Project']],
  ])('%s', async (_name, text, expected) => {
    expect(await find(text)).toEqual([...expected].sort());
  });

  it('finds user accounts through the API the same way', async () => {
    const a = await insertUser(env, world.agencies.lead, ['analyst'], { email: 'back\\slash_100%@example.test', name: 'Dana_Back\\slash 100%' });
    await insertUser(env, world.agencies.lead, ['analyst'], { email: 'backxslashx100@example.test', name: 'Dana Backslash 100' });
    const admin = await (sessionCache(env))(world.users.leadAdmin);
    for (const q of ['a_back', 'k\\s', '100%', 'DANA_BACK\\SLASH 100%']) {
      const res = await admin.get(`/api/users?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(body(res).users.map((u: { id: string }) => u.id), q).toEqual([a.id]);
    }
  });

  it('searches operations by name the same way (SQLite missed _ and % before)', async () => {
    const signedIn = sessionCache(env);
    const named = async (name: string) => (await draftOperation(signedIn, world, { name })).id as string;
    const underscore = await named('Op_100% North');
    const plain = await named('Opx100x North');
    const slash = await named('Op\\South');
    const coordinator = await signedIn(world.users.coordinator);
    const search = async (q: string) => (body(await coordinator.get(`/api/operations?q=${encodeURIComponent(q)}`)).operations as { id: string }[]).map((o) => o.id).sort();
    expect(await search('op_100%')).toEqual([underscore]);
    expect(await search('OP_')).toEqual([underscore]);
    expect(await search('100')).toEqual([plain, underscore].sort());
    expect(await search('p\\s')).toEqual([slash]);
    expect(await search('north')).toEqual([plain, underscore].sort());
  });
});
