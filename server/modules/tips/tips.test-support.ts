import { sql } from 'kysely';
import { solveChallenge } from 'altcha-lib/v1';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../../context.ts';
import type { TestEnv } from '../../test/harness.ts';
import { createTipChallenge, encodeProof } from './altcha.ts';

/** A tip the public form could send (ZIP 64075 is Oak Grove, Jackson County, Missouri). */
export function publicTip(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    narrative: 'Young women are driven to the massage place on Main Street every night and never leave alone.',
    zip: '64075',
    minorInvolved: false,
    immediateDanger: false,
    language: 'en',
    ...over,
  };
}

/** A proof of work for a fresh challenge, solved with altcha-lib's own solver (a small `maxnumber` keeps it quick). */
export async function solvedProof(ctx: AppContext, maxnumber = 2_000): Promise<string> {
  const challenge = await createTipChallenge(ctx, { maxnumber });
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, maxnumber).promise;
  if (!solution) throw new Error('the challenge could not be solved');
  return encodeProof(challenge, solution.number);
}

/** POST /api/public/tips; every answer of a public tip route must leave no cookie behind. */
export async function postTip(env: TestEnv, payload: unknown, opts: { remoteAddress?: string; headers?: Record<string, string>; raw?: string | Buffer } = {}): Promise<LightMyRequestResponse> {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/public/tips',
    headers: { 'content-type': 'application/json', ...opts.headers },
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
    payload: opts.raw ?? JSON.stringify(payload),
  });
  expect(res.headers['set-cookie'], `set-cookie on ${res.statusCode}`).toBeUndefined();
  return res;
}

/** A public tip with a fresh solved proof. */
export async function sendTip(env: TestEnv, over: Record<string, unknown> = {}, opts: { remoteAddress?: string } = {}) {
  return postTip(env, { ...publicTip(over), altcha: await solvedProof(env.ctx) }, opts);
}

/** Every text column of every table whose value contains `needle`, as `table.column`. */
export async function columnsContaining(ctx: AppContext, needle: string): Promise<string[]> {
  const columns =
    ctx.dialect === 'postgres'
      ? (
          await sql<{ table_name: string; column_name: string }>`
            select table_name, column_name from information_schema.columns
            where table_schema = 'public' and data_type in ('text', 'character varying')`.execute(ctx.db)
        ).rows
      : (
          await sql<{ table_name: string; column_name: string }>`
            select m.name as table_name, p.name as column_name from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'`.execute(ctx.db)
        ).rows;
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const hit = await sql<{ n: number }>`select count(*) as n from ${sql.table(table_name)} where cast(${sql.ref(column_name)} as text) like ${`%${needle}%`}`.execute(ctx.db);
    if (Number(hit.rows[0]?.n ?? 0) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}
