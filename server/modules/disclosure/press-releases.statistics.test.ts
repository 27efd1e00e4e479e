import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, handOff, minor, recordContact, suspect } from '../../test/operations-fixtures.ts';
import { assessPressFigures } from '../statistics/statistics.press.ts';
import type { PressDisclosure } from './release-plan.ts';

/**
 * The wiring of the statistics check (issue #8, item 3). The assessment itself is the statistics
 * module's (a stub until the auditor lands), so it is replaced here: what it answers must reach the
 * draft, the refusal of an approval and of a publication, pointing at the figure's words.
 */
vi.mock('../statistics/statistics.press.ts', () => ({ assessPressFigures: vi.fn(async () => []) }));
const assess = vi.mocked(assessPressFigures);

describeEachDatabase('press releases: the statistics check', (backend) => {
  let env: TestEnv;
  let world: World;
  let operationId: string;
  const cookies = new Map<string, string>();
  const signedIn = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return as(env, cookies.get(user.id)!);
  };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    const op = await activeOperation(signedIn, world, { startsAt: '2026-01-03T01:00:00.000Z', endsAt: '2026-01-03T09:00:00.000Z' });
    operationId = op.id;
    const officer = await signedIn(world.users.officer);
    for (let i = 0; i < 5; i++) await recordContact(officer, operationId, suspect());
    for (let i = 0; i < 10; i++) await recordContact(officer, operationId, adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: true, accepted: false }] }));
    for (let i = 0; i < 3; i++) {
      const child = await recordContact(officer, operationId, minor({ disposition: 'protective_custody' }));
      expect((await officer.post(`/api/contacts/${child.id}/custody`, handOff(world, '2026-01-03T02:00:00.000Z'))).statusCode).toBe(201);
    }
    await closeOperation(signedIn, world, operationId);
  });
  afterAll(() => env.close());
  beforeEach(() => {
    assess.mockReset();
    assess.mockImplementation(async () => []);
  });

  /** Makes the assessment find the children in custody: every figure of minors × protective custody, alone. */
  function childrenDisclose() {
    assess.mockImplementation(async (_ctx, _db, candidate): Promise<PressDisclosure[]> => {
      const figures = candidate.figures.flatMap((f, i) => (f.role === 'minor' && f.disposition === 'protective_custody' ? [i] : []));
      return [{ key: 'children_protected/all/29095/2026Q1', lo: 3, hi: 3, figures }];
    });
  }

  it('asks with the draft’s operation, its county and quarter, and its figures', async () => {
    const pio = await signedIn(world.users.pio);
    const draft = body(await pio.post(`/api/operations/${operationId}/press-releases`, {}));
    expect(draft.problems).toEqual([]);
    const [, , candidate] = assess.mock.calls.at(-1)!;
    expect(candidate.operation).toEqual({ operation: operationId, county: '29095', quarter: '2026Q1' });
    expect(candidate.figures).toContainEqual({ operation: operationId, county: '29095', quarter: '2026Q1', role: 'minor', disposition: 'protective_custody', exact: true, value: 3 });
    expect(candidate.figures).toContainEqual({ operation: operationId, county: '29095', quarter: '2026Q1', role: 'suspect', disposition: 'detained', exact: false, value: 5 });
  });

  it('shows a disclosure on the draft and refuses its approval, pointing at each place the figure is written', async () => {
    const pio = await signedIn(world.users.pio);
    childrenDisclose();
    const draft = body(await pio.post(`/api/operations/${operationId}/press-releases`, {}));
    const statistics = draft.problems.filter((p: { code: string }) => p.code === 'statistics');
    const texts: Record<string, string> = { titleEn: draft.en.title, bodyEn: draft.en.body, titleEs: draft.es.title, bodyEs: draft.es.body };
    // "3 children" and "Three children" in English, "3 menores" and "Tres niñas" in Spanish.
    expect(statistics.map((p: { field: string; excerpt: string }) => `${p.field}:${p.excerpt}`).sort()).toEqual(['bodyEn:Three', 'bodyEs:Tres', 'titleEn:3', 'titleEs:3']);
    for (const p of statistics) {
      expect(texts[p.field]!.slice(p.start, p.end)).toBe(p.excerpt);
      expect(p.message).toBe('gives a figure that, with the statistics already published, would reveal a withheld count (children_protected: all, county 29095, 2026Q1)');
    }
    expect(draft.problems).toHaveLength(4);

    const refused = await pio.post(`/api/press-releases/${draft.id}/approve`, {});
    expect(refused.statusCode).toBe(422);
    expect(body(refused).error.code).toBe('guard_failed');
    expect(body(refused).error.details).toEqual(draft.problems);
    expect(await env.ctx.db.selectFrom('press_release_approval').select('kind').where('release_id', '=', draft.id).execute()).toEqual([]);
  });

  it('refuses to publish an approved release when the statistics say no, and records nothing', async () => {
    const pio = await signedIn(world.users.pio);
    const draft = body(await pio.post(`/api/operations/${operationId}/press-releases`, {}));
    expect((await pio.post(`/api/press-releases/${draft.id}/approve`, {})).statusCode).toBe(200);
    expect((await (await signedIn(world.users.coordinator)).post(`/api/press-releases/${draft.id}/approve`, {})).statusCode).toBe(200);

    // Only all the figures together give the count away: each is pointed at.
    assess.mockImplementation(async () => [{ key: 'sum:persons/all/29095/2026Q1', lo: 18, hi: 18, figures: [] }]);
    const refused = await pio.post(`/api/press-releases/${draft.id}/publish`);
    expect(refused.statusCode).toBe(422);
    const details = body(refused).error.details as { code: string; field: string; excerpt: string; message: string }[];
    expect(details.every((p) => p.code === 'statistics' && p.message.startsWith('gives figures that together'))).toBe(true);
    expect(details.map((p) => `${p.field}:${p.excerpt}`)).toEqual(expect.arrayContaining(['titleEn:5', 'bodyEn:Five', 'bodyEn:Ten', 'bodyEn:Three', 'bodyEs:Cinco', 'bodyEs:Tres']));
    expect(body(refused).error.message).toContain('would reveal a withheld count');

    const after = body(await pio.get(`/api/press-releases/${draft.id}`));
    expect(after.status).toBe('draft');
    expect(await env.ctx.db.selectFrom('press_release_publication').select('version').where('release_id', '=', draft.id).execute()).toEqual([]);

    // Once the statistics have nothing against it, it goes out, with its figures in the ledger.
    assess.mockImplementation(async () => []);
    expect((await pio.post(`/api/press-releases/${draft.id}/publish`)).statusCode).toBe(200);
    expect(await env.ctx.db.selectFrom('press_release_publication').select('version').where('release_id', '=', draft.id).execute()).toHaveLength(1);

    // A correction is asked too, and refused the same way.
    childrenDisclose();
    const correction = await pio.post(`/api/press-releases/${draft.id}/corrections`, { noteEn: 'Reworded.', titleEn: `${draft.en.title} (updated)` });
    expect(correction.statusCode).toBe(422);
    expect((body(correction).error.details as { code: string }[]).map((p) => p.code)).toContain('statistics');
    expect(await env.ctx.db.selectFrom('press_release_publication').select('version').where('release_id', '=', draft.id).execute()).toHaveLength(1);
  });
});
