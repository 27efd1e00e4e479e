import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate.ts';
import type { DB } from '../db/schema/index.ts';
import { actorOf, agree, buildWorld, insertWorld } from '../test/access-world.ts';
import { actor } from '../test/actors.ts';
import { sealedContactSql } from '../modules/contacts/contacts.access.ts';
import { actorIs, allOf, anyOf, assignmentFlag, grant, hasAnyRole, isSealed, not, platformAdmin, policyOf, type Grant } from './access.ts';

/** A grant over a one-column table `t(v)`: rows whose `v` is in `values`, records whose `v` is. */
const valueIn = (...values: number[]): Grant<{ v: number }> =>
  grant(
    (_a, r) => values.includes(r.v),
    () => (values.length ? sql<SqlBool>`v in (${sql.join(values)})` : sql<SqlBool>`1 = 0`),
  );

describe('the combinators, pure and in SQL, over an in-memory table of 0..9', () => {
  let raw: SQLite.Database;
  let db: Kysely<{ t: { v: number } }>;
  const who = actor(['officer']);
  const rows = Array.from({ length: 10 }, (_x, v) => ({ v }));
  const listed = async (g: Grant<{ v: number }>) =>
    (await db.selectFrom('t').select('v').where(g.where(who)).orderBy('v').execute()).map((r) => r.v);
  const allowed = (g: Grant<{ v: number }>) => rows.filter((r) => g.allows(who, r)).map((r) => r.v);

  beforeAll(async () => {
    raw = new SQLite(':memory:');
    db = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
    await db.schema.createTable('t').addColumn('v', 'integer', (c) => c.notNull()).execute();
    await db.insertInto('t').values(rows).execute();
  });
  afterAll(async () => {
    await db.destroy();
  });

  const cases: [string, Grant<{ v: number }>, number[]][] = [
    ['allOf intersects', allOf(valueIn(1, 2, 3), valueIn(2, 3, 4)), [2, 3]],
    ['allOf of nothing is everything', allOf(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['allOf with a refused actor condition is nothing', allOf(valueIn(1, 2), hasAnyRole('pio')), []],
    ['allOf with a held actor condition is the rest', allOf(valueIn(1, 2), hasAnyRole('officer')), [1, 2]],
    ['allOf of only held actor conditions is everything', allOf(hasAnyRole('officer'), actorIs(() => true)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['anyOf unites', anyOf(valueIn(1), valueIn(8, 9)), [1, 8, 9]],
    ['anyOf of nothing is nothing', anyOf(), []],
    ['anyOf with a held actor condition is everything', anyOf(valueIn(1), hasAnyRole('officer')), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['anyOf with a refused actor condition is the rest', anyOf(valueIn(1, 2), hasAnyRole('pio')), [1, 2]],
    ['anyOf of only refused actor conditions is nothing', anyOf(hasAnyRole('pio'), platformAdmin), []],
    ['not complements', not(valueIn(0, 1, 2, 3, 4)), [5, 6, 7, 8, 9]],
    ['not of a held actor condition is nothing', not(hasAnyRole('officer')), []],
    ['not of a refused actor condition is everything', not(hasAnyRole('pio')), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['nesting', anyOf(allOf(valueIn(1, 2, 3), not(valueIn(2))), allOf(valueIn(7, 8), anyOf(valueIn(8), platformAdmin))), [1, 3, 8]],
  ];
  it.each(cases)('%s', async (_name, g, expected) => {
    expect(allowed(g)).toEqual(expected);
    expect(await listed(g)).toEqual(expected);
  });
});

describe('folding: actor conditions leave no `1 = 1` or `1 = 0` behind in a larger condition', () => {
  const db = new Kysely<{ t: { v: number } }>({ dialect: new SqliteDialect({ database: async () => new SQLite(':memory:') }) });
  const who = actor(['officer']);
  const text = (g: Grant<{ v: number }>) => db.selectFrom('t').select('v').where(g.where(who)).compile().sql;
  const held = hasAnyRole('officer');
  const refused = hasAnyRole('pio');
  const x = valueIn(1, 2);
  const y = valueIn(3);

  it('allOf drops held conditions, and is 1 = 0 when one is refused', () => {
    expect(text(allOf(held, x, held))).toBe(text(x));
    expect(text(allOf(x, refused, y))).toBe(text(refused));
    expect(text(allOf(held))).toBe(text(allOf()));
    expect(text(allOf(x, y))).toContain(' and ');
  });
  it('anyOf drops refused conditions, and is 1 = 1 when one is held', () => {
    expect(text(anyOf(refused, x, refused))).toBe(text(x));
    expect(text(anyOf(x, held, y))).toBe(text(held));
    expect(text(anyOf(refused))).toBe(text(anyOf()));
    expect(text(anyOf(x, y))).toContain(' or ');
  });
  it('not turns a held condition into 1 = 0 and a refused one into 1 = 1', () => {
    expect(text(not(held))).toBe(text(refused));
    expect(text(not(refused))).toBe(text(held));
    expect(text(not(x))).toContain('not ');
    expect(text(held)).toContain('1 = 1');
    expect(text(refused)).toContain('1 = 0');
  });
});

describe('actor conditions', () => {
  it('hasAnyRole holds for any one of the roles', () => {
    expect(hasAnyRole('pio', 'officer').allows(actor(['officer']), null)).toBe(true);
    expect(hasAnyRole('pio', 'coordinator').allows(actor(['officer']), null)).toBe(false);
  });
  it('platformAdmin is the flag, not the admin role', () => {
    expect(platformAdmin.allows(actor(['admin'], { platformAdmin: true }), null)).toBe(true);
    expect(platformAdmin.allows(actor(['admin']), null)).toBe(false);
  });
});

describe('isSealed', () => {
  it('seals minors and anyone in a minor’s age band, and no one else', () => {
    expect(isSealed({ role: 'minor', ageBand: 'unknown' })).toBe(true);
    expect(isSealed({ role: 'minor', ageBand: '25_to_34' })).toBe(true);
    for (const band of ['under_5', '5_to_11', '12_to_14', '15_to_17']) expect(isSealed({ role: 'witness', ageBand: band })).toBe(true);
    for (const band of ['18_to_24', '25_to_34', '35_to_49', '50_plus', 'unknown']) expect(isSealed({ role: 'suspect', ageBand: band })).toBe(false);
  });
});

describe('policyOf', () => {
  it('is the grants’ predicates, by action, and nothing else', () => {
    const policy = policyOf<{ v: number }>({ 'agency.read': valueIn(1) });
    expect(Object.keys(policy)).toEqual(['agency.read']);
    expect(policy['agency.read']!(actor(['officer']), { v: 1 })).toBe(true);
    expect(policy['agency.read']!(actor(['officer']), { v: 2 })).toBe(false);
  });
});

describe('every module’s grants on an in-memory SQLite: the predicate allows exactly the rows the filter lists', () => {
  const world = buildWorld();
  let db: Kysely<DB>;

  beforeAll(async () => {
    const raw = new SQLite(':memory:');
    raw.pragma('foreign_keys = ON');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
    await migrateToLatest(db);
    await insertWorld(db, world);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('for every role at every agency, and the platform administrator', async () => {
    for (const u of world.users) await agree(db, world, actorOf(u));
  });

  it('assignmentFlag, the column services load `assigned` from, is 1 exactly for the actor’s assignments', async () => {
    for (const u of world.users.slice(0, 12)) {
      const rows = await db.selectFrom('operation').select(['operation.id', assignmentFlag(actorOf(u), 'operation.id').as('assigned')]).execute();
      for (const r of rows) expect([r.id, Number(r.assigned)]).toEqual([r.id, world.assignments.has(`${r.id}|${u.id}`) ? 1 : 0]);
    }
  });

  it('sealedContactSql, the list’s seal, holds exactly for the contacts isSealed seals', async () => {
    const rows = await db.selectFrom('contact as c').select('c.id').where(sealedContactSql()).orderBy('c.id').execute();
    expect(rows.map((r) => r.id)).toEqual(world.contacts.filter((c) => isSealed(c)).map((c) => c.id).sort());
  });
});
