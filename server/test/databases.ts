import pg from 'pg';

/**
 * Which back ends the integration suites run on. SQLite always; PostgreSQL when a server answers at
 * LANTERN_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). Under CI a missing server
 * is an error, never a silent skip.
 */
export const PG_ADMIN_URL = process.env.LANTERN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let probe: Promise<boolean> | null = null;
export function postgresAvailable(): Promise<boolean> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return probe;
}

/** Creates an empty database, or a copy of `template` (a database nobody is connected to). */
export async function createPgDatabase(name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
        break;
      } catch (err) {
        // 55006: a backend of the template's last connection may still be exiting after its client left.
        if (!template || (err as { code?: string }).code !== '55006' || attempt === 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPgDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
