import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBanner, demoEnvironment } from './demo-start.ts';
import { buildServer, BUILD_TIMEOUT_MS, LANTERN_BIN as BIN } from '../test/compiled-server.ts';

describe('how the demo starts (issue #9, item 15)', () => {
  it('listens on 127.0.0.1 with logs at warn, unless the environment says otherwise', () => {
    expect(demoEnvironment({})).toMatchObject({ HOST: '127.0.0.1', LANTERN_LOG_LEVEL: 'warn', LANTERN_PUBLIC_URL: 'http://127.0.0.1:3000' });
    expect(demoEnvironment({ PORT: '4000', HOST: '' })).toMatchObject({ HOST: '127.0.0.1', LANTERN_PUBLIC_URL: 'http://127.0.0.1:4000' });
    expect(demoEnvironment({ HOST: '0.0.0.0', LANTERN_LOG_LEVEL: 'info' })).toMatchObject({ HOST: '0.0.0.0', LANTERN_LOG_LEVEL: 'info', LANTERN_PUBLIC_URL: 'http://127.0.0.1:3000' });
    expect(demoEnvironment({ HOST: '::1' })).toMatchObject({ HOST: '::1', LANTERN_PUBLIC_URL: 'http://[::1]:3000' });
    expect(demoEnvironment({ HOST: '10.1.2.3', LANTERN_PUBLIC_URL: 'https://demo.example.org' })).toMatchObject({ LANTERN_PUBLIC_URL: 'https://demo.example.org' });
  });

  it('says in its banner who can reach it', () => {
    const local = demoBanner({ url: 'http://127.0.0.1:3000', host: '127.0.0.1', accountsFile: '/d/demo-accounts.json' });
    expect(local).toContain('Lantern demo: http://127.0.0.1:3000\nDemo accounts (passwords and authenticator secrets): /d/demo-accounts.json\nOnly this machine can reach it');
    expect(demoBanner({ url: 'http://127.0.0.1:3000', host: '0.0.0.0', accountsFile: '/d/a.json' })).toContain('anyone who can reach this machine can sign in');
  });
});

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('lantern demo --start (npm run demo)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-demo-start-'));
  beforeAll(buildServer, BUILD_TIMEOUT_MS);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the demo, prints a short banner, listens on 127.0.0.1 only, and logs no requests', async () => {
    const port = await freePort();
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LANTERN_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(k)));
    const child = spawn(BIN, ['demo', '--start'], { env: { ...base, LANTERN_DATA_DIR: dir, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // The banner is the last thing it prints once it listens.
      await new Promise<void>((resolve, reject) => {
        const check = () => (out.includes('Stop it with Ctrl+C.') ? resolve() : undefined);
        child.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`lantern demo --start exited (${code}):\n${out}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      expect(out).toContain(`Lantern demo: ${url}\nDemo accounts (passwords and authenticator secrets): ${path.join(path.resolve(dir), 'demo-accounts.json')}`);
      expect(out).toContain('Only this machine can reach it (127.0.0.1)');

      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/api/demo`)).json()).toEqual({ demo: true, publicSite: '/' });
      // Not on any other interface of this machine.
      const elsewhere = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (elsewhere) await expect(fetch(`http://${elsewhere.address}:${port}/healthz`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();

      // Requests are logged at info, which the demo does not show: nothing but the banner and the load.
      expect(out.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
