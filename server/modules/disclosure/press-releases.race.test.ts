import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { body, describeEachDatabase, type TestEnv } from '../../test/harness.ts';
import { insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, type Client } from '../../test/operations-fixtures.ts';
import type { PressReleaseRow } from '../../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { expectRefusal, raceRounds, roundsFor, startRaceEnv, statuses } from '../../test/race.ts';

/**
 * Press releases under concurrency (issue #7, findings 1, 2 and 4): each race fires the conflicting
 * requests of one transition at once, round after round, and checks what must hold whatever the order.
 */
describeEachDatabase('press releases under concurrent requests', (backend) => {
  let env: TestEnv;
  let world: World;
  let operationId: string;
  let pio2: TestUser;
  let both: TestUser;
  let signedIn: (user: TestUser) => Promise<Client>;
  const rounds = roundsFor(backend, 20);

  beforeAll(async () => {
    env = await startRaceEnv(backend, 4);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    pio2 = await insertUser(env, world.agencies.partner, ['pio']);
    both = await insertUser(env, world.agencies.lead, ['pio', 'coordinator']);
    operationId = (await activeOperation(signedIn, world)).id;
  });
  afterAll(() => env.close());

  /** Digits in text trip the figure guard: rounds are named in letters (1 → "a", 27 → "aa"). */
  const tag = (round: number): string => (round > 26 ? tag(Math.floor((round - 1) / 26)) : '') + String.fromCharCode(97 + ((round - 1) % 26));

  const ok = (res: LightMyRequestResponse, what: string) => {
    if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return body(res);
  };

  /**
   * A new draft, a copy of one drafted through the API at the start (drafting and approving through
   * the API every round would spend the time limit on setting the scene rather than on the race).
   */
  let template: PressReleaseRow | null = null;
  async function draft(): Promise<{ id: string; en: { title: string; body: string } }> {
    if (!template) {
      const first = ok(await (await signedIn(world.users.pio)).post(`/api/operations/${operationId}/press-releases`, {}), 'draft');
      template = await releaseRow(first.id);
    }
    const id = newId();
    await env.ctx.db.insertInto('press_release').values({ ...template, id }).execute();
    return { id, en: { title: template.title_en, body: template.body_en } };
  }

  /** A draft approved by the world's PIO and lead coordinator (rows as the approve route writes them). */
  async function approvedDraft() {
    const d = await draft();
    const approvedAt = env.clock.now().toISOString();
    await env.ctx.db
      .insertInto('press_release_approval')
      .values([
        { release_id: d.id, kind: 'pio', user_id: world.users.pio.id, text_hash: template!.text_hash, version: template!.version, approved_at: approvedAt },
        { release_id: d.id, kind: 'coordinator', user_id: world.users.coordinator.id, text_hash: template!.text_hash, version: template!.version, approved_at: approvedAt },
      ])
      .execute();
    return d;
  }

  const releaseRow = (id: string) => env.ctx.db.selectFrom('press_release').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const approvalRows = (id: string) => env.ctx.db.selectFrom('press_release_approval').selectAll().where('release_id', '=', id).execute();

  /** A published release carries exactly the text two different people approved. */
  async function expectPublishedAsApproved(id: string) {
    const row = await releaseRow(id);
    expect(row.status).toBe('published');
    const approvals = (await approvalRows(id)).filter((a) => a.text_hash === row.text_hash);
    expect(approvals.map((a) => a.kind).sort()).toEqual(['coordinator', 'pio']);
    expect(new Set(approvals.map((a) => a.user_id)).size).toBe(2);
    return row;
  }

  it('publish × edit: what goes public is the text two people approved, never an edit made meanwhile', async () => {
    await raceRounds(rounds, {
      prepare: async () => ({ release: await approvedDraft(), pio: await signedIn(world.users.pio), coordinator: await signedIn(world.users.coordinator) }),
      fire: ({ release, pio, coordinator }, round) => [
        () => pio.post(`/api/press-releases/${release.id}/publish`),
        () => coordinator.patch(`/api/press-releases/${release.id}`, { bodyEn: `${release.en.body}\n\nEdited in round ${tag(round)}.` }),
      ],
      check: async ({ release }, [publish, edit], round) => {
        // One of the two wins; the other is refused (a stale view: 403 from the policy or 409 from the write).
        expect(statuses([publish!, edit!]).filter((s) => s === 200), `${publish!.body} / ${edit!.body}`).toHaveLength(1);
        if (publish!.statusCode === 200) {
          expectRefusal(edit!, [403, 409]);
          const row = await expectPublishedAsApproved(release.id);
          expect(row.body_en).not.toContain(`Edited in round ${tag(round)}.`);
          const pub = body(await env.app.inject({ method: 'GET', url: `/api/public/press-releases/${row.slug}` }));
          expect(pub.body).not.toContain('Edited in round');
        } else {
          expectRefusal(publish!, [403, 409]);
          const row = await releaseRow(release.id);
          expect(row.status).toBe('draft');
          expect(row.body_en).toContain(`Edited in round ${tag(round)}.`);
          // The edit voided the approvals of the old text, in the same transaction.
          expect(await approvalRows(release.id)).toEqual([]);
        }
      },
    });
  });

  it('approve × approve by one person holding both roles: at most one of the two approvals is theirs', async () => {
    await raceRounds(rounds, {
      prepare: async () => ({ release: await draft(), client: await signedIn(both) }),
      fire: ({ release, client }) => [
        () => client.post(`/api/press-releases/${release.id}/approve`, { as: 'pio' }),
        () => client.post(`/api/press-releases/${release.id}/approve`, { as: 'coordinator' }),
      ],
      check: async ({ release }, results) => {
        expect(statuses(results).filter((s) => s === 200), results.map((r) => r.body).join(' / ')).toHaveLength(1);
        for (const r of results) if (r.statusCode !== 200) expectRefusal(r, [403, 409]);
        const approvals = await approvalRows(release.id);
        expect(approvals.filter((a) => a.user_id === both.id)).toHaveLength(1);
      },
    });
  });

  it('approve × edit: no approval survives for text that is no longer the release’s', async () => {
    await raceRounds(rounds, {
      prepare: async () => {
        const release = await draft();
        const pio = await signedIn(world.users.pio);
        ok(await pio.post(`/api/press-releases/${release.id}/approve`, { as: 'pio' }), 'approve as pio');
        return { release, pio, coordinator: await signedIn(world.users.coordinator) };
      },
      fire: ({ release, pio, coordinator }, round) => [
        () => coordinator.post(`/api/press-releases/${release.id}/approve`, { as: 'coordinator' }),
        () => pio.patch(`/api/press-releases/${release.id}`, { titleEn: `${release.en.title} (round ${tag(round)})` }),
      ],
      check: async ({ release }, [approve, edit]) => {
        expect(edit!.statusCode === 200 || approve!.statusCode === 200, `${approve!.body} / ${edit!.body}`).toBe(true);
        for (const r of [approve!, edit!]) if (r.statusCode !== 200) expectRefusal(r, [403, 409]);
        const row = await releaseRow(release.id);
        const approvals = await approvalRows(release.id);
        for (const a of approvals) expect([a.text_hash, a.version]).toEqual([row.text_hash, row.version]);
        // An edit voids the PIO's approval of the old text; the coordinator's survives only if given after the edit.
        if (edit!.statusCode === 200) expect(approvals.filter((a) => a.kind === 'pio')).toEqual([]);
        else expect(approvals.map((a) => a.kind).sort()).toEqual(['coordinator', 'pio']);
      },
    });
  });

  it('edit × edit: every accepted edit made its own version, and none was lost silently', async () => {
    await raceRounds(rounds, {
      prepare: async () => ({ release: await draft(), pio: await signedIn(world.users.pio), coordinator: await signedIn(world.users.coordinator) }),
      fire: ({ release, pio, coordinator }, round) => [
        () => pio.patch(`/api/press-releases/${release.id}`, { titleEn: `Title by the PIO ${tag(round)}` }),
        () => coordinator.patch(`/api/press-releases/${release.id}`, { titleEn: `Title by the coordinator ${tag(round)}` }),
      ],
      check: async ({ release }, results) => {
        const won = results.filter((r) => r.statusCode === 200);
        expect(won.length, results.map((r) => r.body).join(' / ')).toBeGreaterThanOrEqual(1);
        for (const r of results) if (r.statusCode !== 200) expectRefusal(r, [409]);
        const row = await releaseRow(release.id);
        expect(row.version).toBe(template!.version + won.length);
        expect(won.map((r) => body(r).en.title)).toContain(row.title_en);
      },
    });
  });

  it('publish × publish of one release: one publication, one refusal', async () => {
    await raceRounds(rounds, {
      prepare: async () => ({ release: await approvedDraft(), a: await signedIn(world.users.pio), b: await signedIn(pio2) }),
      fire: ({ release, a, b }) => [() => a.post(`/api/press-releases/${release.id}/publish`), () => b.post(`/api/press-releases/${release.id}/publish`)],
      check: async ({ release }, results) => {
        expect(statuses(results).filter((s) => s === 200), results.map((r) => r.body).join(' / ')).toHaveLength(1);
        for (const r of results) if (r.statusCode !== 200) expectRefusal(r, [403, 409]);
        await expectPublishedAsApproved(release.id);
        const audits = await env.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'pressRelease.publish').where('record_id', '=', release.id).execute();
        expect(audits).toHaveLength(1);
      },
    });
  });

  it('publish × publish of two releases with the same title: both published, each at its own address', async () => {
    await raceRounds(rounds, {
      prepare: async () => ({ first: await approvedDraft(), second: await approvedDraft(), a: await signedIn(world.users.pio), b: await signedIn(pio2) }),
      fire: ({ first, second, a, b }) => [() => a.post(`/api/press-releases/${first.id}/publish`), () => b.post(`/api/press-releases/${second.id}/publish`)],
      check: async (_scene, results) => {
        expect(statuses(results), results.map((r) => r.body).join(' / ')).toEqual([200, 200]);
        const slugs = results.map((r) => body(r).slug as string);
        expect(new Set(slugs).size).toBe(2);
        for (const slug of slugs) expect((await env.app.inject({ method: 'GET', url: `/api/public/press-releases/${slug}` })).statusCode).toBe(200);
      },
    });
  });

  it('correction × correction: each correction records the text it replaced, so the history is a chain', async () => {
    await raceRounds(rounds, {
      prepare: async () => {
        const release = await approvedDraft();
        ok(await (await signedIn(world.users.pio)).post(`/api/press-releases/${release.id}/publish`), 'publish');
        return { release, a: await signedIn(world.users.pio), b: await signedIn(pio2) };
      },
      fire: ({ release, a, b }, round) => [
        () => a.post(`/api/press-releases/${release.id}/corrections`, { noteEn: 'First correction.', titleEn: `Corrected A ${tag(round)}` }),
        () => b.post(`/api/press-releases/${release.id}/corrections`, { noteEn: 'Second correction.', titleEn: `Corrected B ${tag(round)}` }),
      ],
      check: async ({ release }, results, round) => {
        const won = results.filter((r) => r.statusCode === 200);
        expect(won.length, results.map((r) => r.body).join(' / ')).toBeGreaterThanOrEqual(1);
        for (const r of results) if (r.statusCode !== 200) expectRefusal(r, [409]);
        const corrections = await env.ctx.db.selectFrom('press_release_correction').select('previous').where('release_id', '=', release.id).execute();
        expect(corrections).toHaveLength(won.length);
        const row = await releaseRow(release.id);
        // Every title the release has had, once each: the original, then each correction's in turn.
        const titles = [...corrections.map((c) => (JSON.parse(c.previous) as { titleEn: string }).titleEn), row.title_en].sort();
        const requested = results.map((r, i) => (r.statusCode === 200 ? `Corrected ${i === 0 ? 'A' : 'B'} ${tag(round)}` : null)).filter((t): t is string => t !== null);
        expect(titles).toEqual([release.en.title, ...requested].sort());
      },
    });
  });
});
