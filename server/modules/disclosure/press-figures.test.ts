import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { as, seedWorld, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, closeOperation, handOff, minor, recordContact, suspect } from '../../test/operations-fixtures.ts';
import { publishedPressKnowledge } from './press-knowledge.service.ts';
import { recordEarlierPressReleases } from './press-releases.service.ts';

/**
 * Issue #8, item 3: publishing a press release (or a correction) records, in the same transaction, the
 * county and quarter its operation is counted in and every figure it gave, for the statistics' auditor.
 */
describeEachDatabase('press releases in the ledger', (backend) => {
  let env: TestEnv;
  let world: World;
  const cookies = new Map<string, string>();
  const signedIn = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return as(env, cookies.get(user.id)!);
  };
  const expectStatus = (res: { statusCode: number; body: string }, status: number) => {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  };

  /** An operation of the story (five men detained, ten women offered services, three girls in custody), active or closed. */
  async function storyOperation(startsAt: string, close: boolean) {
    const op = await activeOperation(signedIn, world, { startsAt, endsAt: new Date(Date.parse(startsAt) + 8 * 3_600_000).toISOString() });
    const officer = await signedIn(world.users.officer);
    for (let i = 0; i < 5; i++) await recordContact(officer, op.id, suspect());
    for (let i = 0; i < 10; i++) await recordContact(officer, op.id, adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: true, accepted: false }] }));
    for (let i = 0; i < 3; i++) {
      const child = await recordContact(officer, op.id, minor({ disposition: 'protective_custody' }));
      expectStatus(await officer.post(`/api/contacts/${child.id}/custody`, handOff(world, startsAt)), 201);
    }
    if (close) await closeOperation(signedIn, world, op.id);
    return op.id as string;
  }

  /** Drafts, optionally edits, approves twice and publishes a release of the operation; returns it. */
  async function publishRelease(operationId: string, edit?: (draft: { en: { body: string }; es: { body: string } }) => Record<string, string>) {
    const pio = await signedIn(world.users.pio);
    const drafted = await pio.post(`/api/operations/${operationId}/press-releases`, {});
    expectStatus(drafted, 201);
    let release = body(drafted);
    if (edit) {
      const edited = await pio.patch(`/api/press-releases/${release.id}`, { ...edit(release), version: release.version });
      expectStatus(edited, 200);
      release = body(edited);
    }
    expect(release.problems).toEqual([]);
    expectStatus(await pio.post(`/api/press-releases/${release.id}/approve`, {}), 200);
    expectStatus(await (await signedIn(world.users.coordinator)).post(`/api/press-releases/${release.id}/approve`, {}), 200);
    const published = await pio.post(`/api/press-releases/${release.id}/publish`);
    expectStatus(published, 200);
    return body(published);
  }

  const publications = (releaseId: string) =>
    env.ctx.db.selectFrom('press_release_publication').select(['version', 'operation_id', 'county_fips', 'quarter']).where('release_id', '=', releaseId).orderBy('version').execute();
  /** A version's figures as `role|disposition|exact|value`, sorted. */
  const figures = async (releaseId: string, version: number) =>
    (await env.ctx.db.selectFrom('press_release_figure').select(['role', 'disposition', 'exact', 'value']).where('release_id', '=', releaseId).where('version', '=', version).execute())
      .map((f) => `${f.role ?? '-'}|${f.disposition ?? '-'}|${Number(f.exact) === 1 ? 'exact' : 'at least'}|${Number(f.value)}`)
      .sort();

  /** The story's release in both languages: the headlines' whole counts, the bodies' "adult males", "adult women" and "niñas" lower bounds. */
  const STORY_FIGURES = [
    'adult_victim|offered_services|at least|10',
    'adult_victim|offered_services|exact|10',
    'minor|protective_custody|at least|3',
    'minor|protective_custody|exact|3',
    'suspect|detained|at least|5',
    'suspect|detained|exact|5',
  ];

  let closedOp: string;
  let story: { id: string; version: number };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    // The first quarter of 2026 has ended: a statistics release may publish it.
    env.clock.set('2026-04-15T15:00:00.000Z');
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  it('records a published release under hold: where its operation is counted and its figures, identical ones of both languages once', async () => {
    closedOp = await storyOperation('2026-03-03T01:00:00.000Z', true);
    const counted = await env.ctx.db.selectFrom('stat_counted').select(['county_fips', 'quarter']).distinct().where('operation_id', '=', closedOp).execute();
    // Counted when it closed: Jackson County, the quarter it started in (7 p.m. on 2 March in Oak Grove).
    expect(counted).toEqual([{ county_fips: '29095', quarter: '2026Q1' }]);

    const published = await publishRelease(closedOp);
    expect(published.investigationHold).toBe(true);
    expect(published.en.body).toContain('Three children, all under the age of 5, were taken into protective custody');
    expect(published.es.body).toContain('Tres niñas, todas menores de 5 años, fueron puestas bajo custodia protectora');
    story = { id: published.id, version: published.version };
    expect(await publications(story.id)).toEqual([{ version: story.version, operation_id: closedOp, county_fips: '29095', quarter: '2026Q1' }]);
    // "Three children" (English) counts every child in custody; "Tres niñas" (Spanish) names a sex, so only a lower bound.
    expect(await figures(story.id, story.version)).toEqual(STORY_FIGURES);
  });

  it('records a figure only one language gives, and a correction’s figures as a new version', async () => {
    const spanishOnly = await publishRelease(closedOp, (d) => ({ bodyEs: `${d.es.body}\n\nCinco adultos fueron contactados y detenidos.` }));
    expect(await figures(spanishOnly.id, spanishOnly.version)).toEqual(STORY_FIGURES);
    const more = await publishRelease(closedOp, (d) => ({ bodyEs: `${d.es.body}\n\nDiez adultos fueron contactados como posibles víctimas.` }));
    expect(await figures(more.id, more.version)).toEqual([...STORY_FIGURES, 'adult_victim|-|exact|10'].sort());

    const pio = await signedIn(world.users.pio);
    const before = body(await pio.get(`/api/press-releases/${story.id}`));
    const corrected = await pio.post(`/api/press-releases/${story.id}/corrections`, {
      noteEn: 'Added the number of potential victims contacted.',
      bodyEn: `${before.en.body}\n\nTen adults were contacted as potential victims.`,
    });
    expectStatus(corrected, 200);
    const version = body(corrected).version;
    expect(version).toBe(story.version + 1);
    expect((await publications(story.id)).map((p) => [p.version, p.quarter])).toEqual([
      [story.version, '2026Q1'],
      [version, '2026Q1'],
    ]);
    expect(await figures(story.id, version)).toEqual([...STORY_FIGURES, 'adult_victim|-|exact|10'].sort());
    // A refused correction records nothing.
    expectStatus(await pio.post(`/api/press-releases/${story.id}/corrections`, { noteEn: 'Wrong.', bodyEn: `${before.en.body}\n\nSix adults were detained.` }), 422);
    expect(await publications(story.id)).toHaveLength(2);
  });

  it('places an operation published while active in its own quarter, and once counted, where it was counted', async () => {
    const activeOp = await storyOperation('2026-03-20T01:00:00.000Z', false);
    const release = await publishRelease(activeOp);
    expect(await publications(release.id)).toEqual([{ version: release.version, operation_id: activeOp, county_fips: '29095', quarter: '2026Q1' }]);
    expect(await figures(release.id, release.version)).toEqual(STORY_FIGURES);
    expect((await publishedPressKnowledge(env.ctx.db)).operations).toContainEqual({ operation: activeOp, county: '29095', quarter: '2026Q1' });

    // A statistics release publishes 2026Q1 before the operation closes: its counts go to the open quarter.
    expectStatus(await (await signedIn(world.users.pio)).post('/api/statistics/releases'), 201);
    await closeOperation(signedIn, world, activeOp);
    expect(await env.ctx.db.selectFrom('stat_counted').select(['county_fips', 'quarter']).distinct().where('operation_id', '=', activeOp).execute()).toEqual([{ county_fips: '29095', quarter: '2026Q2' }]);
    const knowledge = await publishedPressKnowledge(env.ctx.db);
    expect(knowledge.operations.filter((o) => o.operation === activeOp)).toEqual([{ operation: activeOp, county: '29095', quarter: '2026Q2' }]);
    expect(knowledge.figures.filter((f) => f.release === release.id).every((f) => f.quarter === '2026Q2')).toBe(true);
  });

  it('answers the knowledge: each operation once, each release’s figures once across its versions', async () => {
    const knowledge = await publishedPressKnowledge(env.ctx.db);
    expect(knowledge.operations.filter((o) => o.operation === closedOp)).toEqual([{ operation: closedOp, county: '29095', quarter: '2026Q1' }]);
    const ofStory = knowledge.figures.filter((f) => f.release === story.id);
    expect(ofStory.map((f) => `${f.role ?? '-'}|${f.disposition ?? '-'}|${f.exact ? 'exact' : 'at least'}|${f.value}`).sort()).toEqual([...STORY_FIGURES, 'adult_victim|-|exact|10'].sort());
    expect(ofStory.every((f) => f.operation === closedOp && f.county === '29095' && f.quarter === '2026Q1')).toBe(true);
    expect(ofStory.find((f) => f.role === 'suspect' && f.exact)).toEqual({ release: story.id, operation: closedOp, county: '29095', quarter: '2026Q1', role: 'suspect', disposition: 'detained', exact: true, value: 5 });
    // Drafts are not public: four published releases of two operations.
    expect(new Set(knowledge.figures.map((f) => f.release)).size).toBe(4);
  });

  it('records, once, a release published before its figures were recorded, with its corrected texts’ figures too', async () => {
    // As before migration 0007: the story release (published, then corrected) has nothing in the ledger.
    await env.ctx.db.deleteFrom('press_release_figure').where('release_id', '=', story.id).execute();
    await env.ctx.db.deleteFrom('press_release_publication').where('release_id', '=', story.id).execute();
    expect(await recordEarlierPressReleases(env.ctx)).toBe(1);
    const current = (await env.ctx.db.selectFrom('press_release').select('version').where('id', '=', story.id).executeTakeFirstOrThrow()).version;
    expect(await publications(story.id)).toEqual([{ version: current, operation_id: closedOp, county_fips: '29095', quarter: '2026Q1' }]);
    expect(await figures(story.id, current)).toEqual([...STORY_FIGURES, 'adult_victim|-|exact|10'].sort());
    expect(await recordEarlierPressReleases(env.ctx)).toBe(0);
  });
});
