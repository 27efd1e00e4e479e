import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { seedWorld, signIn, type World } from '../test/fixtures.ts';
import { isStaffPath, STAFF_SECTIONS } from '../../common/staff-paths.ts';
import { readerLang } from './disclosure/public-layout.ts';
import { selection } from './statistics/statistics.page.ts';
import type { ReleaseView, ViewCell } from './statistics/statistics.service.ts';

/**
 * Issue #9, item 12: the public front door at `/`, the tip page, a 404 page in the reader's language for
 * any other public path, the staff web app on its own sections, and the task force's name and mark.
 */
const WEB_DIST = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-public-web-'));
fs.writeFileSync(path.join(WEB_DIST, 'index.html'), '<!doctype html>\n<html lang="en"><head><title>Lantern</title></head><body><div id="root"></div></body></html>\n');
afterAll(() => fs.rmSync(WEB_DIST, { recursive: true, force: true }));

const SPANISH = { 'accept-language': 'es-MX,es;q=0.9,en;q=0.4' };
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describeEachDatabase('the public site', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend, { webDist: WEB_DIST });
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers });
  const langOfPage = (html: string) => /<html lang="(en|es)">/.exec(html)?.[1];

  it('answers / with the front door, in the browser’s language unless the reader chose one', async () => {
    const en = await get('/');
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-type']).toMatch(/^text\/html/);
    expect(en.headers.vary).toMatch(/Accept-Language/);
    expect(langOfPage(en.body)).toBe('en');
    expect(en.body).toContain('<h1>Human trafficking task force</h1>');
    for (const part of ['href="tel:+18883737888"', 'href="sms:233733"', '>Text 233733<', 'href="tel:911"', 'href="/tip"', 'href="/news"', 'href="/statistics"', 'href="/help"', 'href="/sign-in"', '>Staff sign in<']) expect(en.body).toContain(part);
    expect(en.body).not.toContain('<script');

    const es = await get('/', SPANISH);
    expect(es.statusCode).toBe(200);
    expect(langOfPage(es.body)).toBe('es');
    expect(es.body).toContain('Envíe un texto al 233733');
    expect(es.body).toContain('href="/tip?lang=es"');
    // The switch names its language, so a Spanish browser can read the front door in English.
    expect(es.body).toContain('href="/?lang=en"');
    expect(langOfPage((await get('/?lang=en', SPANISH)).body)).toBe('en');
    expect(langOfPage((await get('/?lang=es')).body)).toBe('es');
  });

  it('answers /tip with how to report a tip now, in the reader’s language (and /tips, its old address)', async () => {
    for (const [url, lang, words] of [
      ['/tip', 'en', 'Report a tip'],
      ['/tip?lang=es', 'es', 'Enviar información'],
      ['/tips?lang=es', 'es', 'Enviar información'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(langOfPage(res.body), url).toBe(lang);
      expect(res.body).toContain(`<h1>${words}</h1>`);
      expect(res.body).toContain('href="tel:+18883737888"');
      expect(res.body).toContain('href="sms:233733"');
      expect(res.body).toContain('href="tel:911"');
    }
  });

  it('answers an unknown public path with a 404 page in the reader’s language', async () => {
    const es = await get('/no-such-page', SPANISH);
    expect(es.statusCode).toBe(404);
    expect(es.headers['content-type']).toMatch(/^text\/html/);
    expect(langOfPage(es.body)).toBe('es');
    expect(es.body).toContain('<h1>Página no encontrada</h1>');
    // The switch keeps the page.
    expect(es.body).toContain('href="/no-such-page?lang=en"');
    const en = await get('/no-such-page');
    expect(en.statusCode).toBe(404);
    expect(langOfPage(en.body)).toBe('en');
    expect(en.body).toContain('<h1>Page not found</h1>');
    expect(langOfPage((await get('/tipp?lang=es')).body)).toBe('es');
    expect((await get('/news/no-such-release?lang=es')).statusCode).toBe(404);
  });

  it('gives the staff web app its own sections, and the API and files their JSON 404', async () => {
    for (const url of ['/home', '/sign-in', '/sign-in/mfa', '/operations', '/operations/123/field', '/admin/settings', '/statistics/releases', '/inbox?tab=unread']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<div id="root">');
    }
    const api = await get('/api/no-such-route');
    expect(api.headers['content-type']).toMatch(/json/);
    expect(body(api).error.code).toMatch(/^(not_found|unauthenticated)$/);
    const asset = await get('/assets/no-such-file.js');
    expect(asset.statusCode).toBe(404);
    expect(asset.headers['content-type']).toMatch(/json/);
  });

  it('lets a platform administrator name the task force and give its mark, audited; others are refused', async () => {
    const admin = await signIn(env, world.users.platform);
    const leadAdmin = await signIn(env, world.users.leadAdmin);
    const put = (cookie: string, payload: Record<string, unknown>) => env.app.inject({ method: 'PUT', url: '/api/settings/site', headers: { cookie }, payload });
    const input = { name: { en: 'Western Missouri Human Trafficking Task Force', es: 'Grupo de Trabajo contra la Trata del Oeste de Missouri' }, mark: PNG };

    expect((await put(leadAdmin, input)).statusCode).toBe(403);
    const bad = await put(admin, { ...input, mark: 'data:text/html;base64,PHNjcmlwdD4=' });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('mark');

    const ok = await put(admin, input);
    expect(ok.statusCode).toBe(200);
    expect(body(ok)).toEqual({ name: input.name, shownName: input.name, mark: PNG });
    const audit = await env.ctx.db.selectFrom('audit_event').select(['action', 'changed_fields', 'outcome']).where('record_id', '=', 'site').execute();
    expect(audit).toEqual([{ action: 'settings.update', changed_fields: JSON.stringify(['name.en', 'name.es', 'mark']), outcome: 'success' }]);

    const en = await get('/');
    expect(en.body).toContain('<span>Western Missouri Human Trafficking Task Force</span>');
    expect(en.body).toContain(`src="${PNG}"`);
    const es = await get('/statistics?lang=es');
    expect(es.body).toContain('<span>Grupo de Trabajo contra la Trata del Oeste de Missouri</span>');
    // A name left empty is the default again; no mark is Lantern's own.
    expect((await put(admin, { name: { en: '', es: '' }, mark: null })).statusCode).toBe(200);
    const back = await get('/');
    expect(back.body).toContain('<span>Human trafficking task force</span>');
    expect(back.body).toContain('src="/static/lantern-mark.svg"');
  });
});

describe('the reader’s language', () => {
  const reader = (query: Record<string, string>, header?: string) => readerLang({ query, headers: header === undefined ? {} : { 'accept-language': header } });
  it.each([
    [{}, undefined, 'en'],
    [{}, 'es', 'es'],
    [{}, 'es-US,es;q=0.9', 'es'],
    [{}, 'fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7', 'es'],
    [{}, 'en-US,en;q=0.9,es;q=0.8', 'en'],
    [{}, 'de, es;q=0', 'en'],
    [{ lang: 'en' }, 'es', 'en'],
    [{ lang: 'es' }, 'en', 'es'],
    [{ lang: 'fr' }, 'es', 'es'],
  ] as const)('%j with Accept-Language %s → %s', (query, header, lang) => {
    expect(reader(query, header)).toBe(lang);
  });
});

describe('the staff web app’s sections', () => {
  it('hold every page web/src/app/router.tsx declares, and not the public pages', () => {
    const router = fs.readFileSync(path.join(import.meta.dirname, '../../web/src/app/router.tsx'), 'utf8');
    const paths = [...router.matchAll(/\bpath: '([^']+)'/g)].map((m) => `/${m[1]!.replace(/^\//, '')}`);
    expect(paths.length).toBeGreaterThan(20);
    for (const p of paths) expect(isStaffPath(p), `${p} is not under STAFF_SECTIONS (common/staff-paths.ts)`).toBe(true);
    for (const p of ['/', '/news', '/news/x', '/statistics', '/help', '/tip', '/tips', '/homepage']) expect(isStaffPath(p), p).toBe(false);
    expect(STAFF_SECTIONS).not.toContain('');
  });
});

describe('the statistics page opens on the newest year with figures shown (issue #9, item 13)', () => {
  const cell = (family: ViewCell['dimensions']['family'], period: string, suppressed: boolean): ViewCell => ({
    dimensions: { family, period, periodType: period.length === 4 ? 'year' : 'quarter', county: 'all', category: 'all' },
    value: suppressed ? null : 7,
    suppressed,
    reason: suppressed ? 'primary' : null,
  });
  const view = (cells: ViewCell[]): ReleaseView => ({ id: 'v', seq: 1, publishedAt: '2026-10-01T00:00:00Z', quarters: ['2024Q4', '2025Q1', '2025Q4', '2026Q1'], years: ['2024', '2025', '2026'], cells, rendered: new Map() });

  it('passes over a current year whose every count is withheld', () => {
    const v = view([cell('persons', '2026Q1', true), cell('persons', '2025Q4', false), cell('operations', '2026Q1', true)]);
    expect(selection(v, {})).toEqual({ family: 'persons', year: '2025' });
  });
  it('prefers persons, else the first family with figures in that year', () => {
    const v = view([cell('persons', '2024Q4', false), cell('services', '2025Q1', false), cell('outcomes', '2025Q1', false)]);
    expect(selection(v, {})).toEqual({ family: 'outcomes', year: '2025' });
    expect(selection(v, { family: 'persons' })).toEqual({ family: 'persons', year: '2024' });
  });
  it('keeps what the reader asked for', () => {
    const v = view([cell('persons', '2025Q4', false)]);
    expect(selection(v, { year: '2026' })).toEqual({ family: 'persons', year: '2026' });
    expect(selection(v, { family: 'services', year: '2024' })).toEqual({ family: 'services', year: '2024' });
  });
  it('falls back to the newest year when nothing is shown at all', () => {
    expect(selection(view([cell('persons', '2026Q1', true)]), {})).toEqual({ family: 'persons', year: '2026' });
  });
});
