import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from './test/harness.ts';

/**
 * Issue #9, item 14: the web app goes out compressed (the build's brotli and gzip files, as they are),
 * its hashed assets cached for a year, its shell revalidated every time; replies made per request
 * (JSON, the shell) are compressed on the way out.
 */
describe('serving the web app', () => {
  let env: TestEnv;
  let dist: string;
  const script = `console.log(${JSON.stringify('Lantern '.repeat(400))});\n`;
  const shell = '<!doctype html><html><head><title>Lantern</title></head><body><div id="root"></div></body></html>';

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.mkdirSync(path.join(dist, '.vite'));
    const asset = path.join(dist, 'assets/index-AbC_d-12.js');
    fs.writeFileSync(asset, script);
    // Different bytes from what the server would make itself, so the test tells the build's files apart.
    fs.writeFileSync(`${asset}.br`, brotliCompressSync(Buffer.from(`${script}// br\n`)));
    fs.writeFileSync(`${asset}.gz`, gzipSync(Buffer.from(`${script}// gz\n`)));
    fs.writeFileSync(path.join(dist, 'robots.txt'), 'User-agent: *\n');
    fs.writeFileSync(path.join(dist, 'index.html'), shell);
    fs.writeFileSync(path.join(dist, '.vite/manifest.json'), '{}');
    env = await startTestEnv('sqlite', { webDist: dist });
  });
  afterAll(async () => {
    await env.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string, encoding?: string) => env.app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('sends the build’s brotli file to a browser that takes brotli, cached for a year', async () => {
    const res = await get('/assets/index-AbC_d-12.js', 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(`${script}// br\n`);
  });

  it('sends the gzip file to a browser that takes only gzip, and the plain file to one that takes neither', async () => {
    const gz = await get('/assets/index-AbC_d-12.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(`${script}// gz\n`);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const plain = await get('/assets/index-AbC_d-12.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates what has no hash in its name: the app shell and any other file', async () => {
    const page = await get('/sign-in', 'br');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toBe(shell);

    const robots = await get('/robots.txt', 'br');
    expect(robots.statusCode).toBe(200);
    expect(robots.headers['cache-control']).toBe('no-cache');
  });

  it('compresses JSON and public pages over 1 KB, and leaves small replies as they are', async () => {
    const help = await get('/help', 'br');
    expect(help.statusCode).toBe(200);
    expect(help.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(help.rawPayload).toString()).toMatch(/^<!doctype html>/i);

    const big = await get('/api/jurisdiction', 'gzip, br');
    expect(big.statusCode).toBe(200);
    expect(big.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(big.rawPayload).toString())).toMatchObject({ state: { postal: 'MO' } });

    const small = await get('/healthz', 'gzip, br');
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toMatchObject({ status: 'ok' });
  });

  it('serves neither the compressed copies by their own names nor the build manifest', async () => {
    for (const url of ['/assets/index-AbC_d-12.js.br', '/assets/index-AbC_d-12.js.gz', '/.vite/manifest.json', '/assets/gone-AbCd1234.js']) {
      expect((await get(url, 'br')).statusCode, url).toBe(404);
    }
  });
});
