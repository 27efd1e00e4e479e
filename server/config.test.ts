import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problemOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      keys: undefined,
      trustProxy: false,
      logLevel: 'info',
      publicUrl: undefined,
      rateLimit: true,
      dbPoolSize: 10,
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', LANTERN_LOG_LEVEL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined, logLevel: 'info' });
  });

  it('reads every setting', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      LANTERN_DATA_DIR: '/var/lib/lantern',
      DATABASE_URL: 'postgresql://lantern@db/lantern',
      LANTERN_TRUST_PROXY: 'true',
      LANTERN_LOG_LEVEL: 'warn',
      LANTERN_PUBLIC_URL: 'https://lantern.example.gov',
      LANTERN_RATE_LIMIT: 'off',
      LANTERN_DB_POOL: '20',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/var/lib/lantern',
      databaseUrl: 'postgresql://lantern@db/lantern',
      trustProxy: true,
      logLevel: 'warn',
      publicUrl: 'https://lantern.example.gov',
      rateLimit: false,
      dbPoolSize: 20,
    });
    expect(loadConfig({ LANTERN_TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
  });

  it.each([
    ['PORT', 'abc', /port number/],
    ['PORT', '70000', /port number/],
    ['PORT', '0', /PORT/],
    ['DATABASE_URL', 'mysql://x', /postgres:\/\/ URL/],
    ['LANTERN_LOG_LEVEL', 'loud', /info/],
    ['LANTERN_RATE_LIMIT', 'maybe', /on or off/],
    ['LANTERN_PUBLIC_URL', 'not a url', /URL/],
    ['LANTERN_DB_POOL', '0', /LANTERN_DB_POOL/],
  ])('refuses %s=%s with a message naming the variable and its value', (name, value, hint) => {
    const err = problemOf({ [name]: value });
    expect(err.message).toContain(`${name}="${value}"`);
    expect(err.message).toMatch(hint);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.startsWith(`${name}=`)).toBe(true);
  });

  it('reports every bad value at once', () => {
    const err = problemOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', LANTERN_LOG_LEVEL: 'loud' });
    expect(err.problems).toHaveLength(3);
    expect(err.message).toMatch(/3 problem/);
    for (const name of ['PORT', 'DATABASE_URL', 'LANTERN_LOG_LEVEL']) expect(err.message).toContain(name);
  });
});
