import type { Compilable, CompiledQuery } from 'kysely';
import type { Queryable } from './database.ts';
import { Lru } from './lru.ts';

/** What a templated query is given each time: values, and lists of values whose lengths shape the statement. */
type Value = string | number;
type Args = readonly (Value | readonly Value[])[];

/** Where each of the call's values goes among the compiled statement's parameters. */
interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each parameter, the argument (and list item) it takes, or null for a constant of the query. */
  slots: ({ arg: number; item: number | null } | null)[];
}

const STAND_IN = '\u0000lantern-arg:';
/** Shapes kept per query and database. */
const MAX_SHAPES = 200;

/**
 * A query that Kysely builds and compiles once for each shape (the lengths of its list arguments), then
 * runs with the call's values. Building and compiling a query cost more than running a short one: a
 * fifth of a tip's CPU went to building triage's counts anew for every tip. `build` is called once per
 * shape with stand-ins for the values. Each stand-in must reach the statement as a parameter,
 * unchanged; a value the builder inspects (a null check, a branch on it) cannot be an argument. The
 * first compile checks that every stand-in arrived, so a builder that breaks this fails at once.
 */
export function queryTemplate<A extends Args, R>(build: (db: Queryable, ...args: A) => Compilable<R>) {
  // Per adapter: the SQL differs between SQLite and PostgreSQL, and a test process holds both.
  const byAdapter = new WeakMap<object, Lru<string, Compiled<R>>>();
  const compile = (db: Queryable, args: A): Compiled<R> => {
    const standIns = args.map((a, i) => (Array.isArray(a) ? a.map((_, j) => `${STAND_IN}${i}.${j}`) : `${STAND_IN}${i}`)) as unknown as A;
    const query = build(db, ...standIns).compile();
    const seen = new Set<string>();
    const slots = query.parameters.map((p) => {
      if (typeof p !== 'string' || !p.startsWith(STAND_IN)) return null;
      seen.add(p);
      const [arg, item] = p.slice(STAND_IN.length).split('.');
      return { arg: Number(arg), item: item === undefined ? null : Number(item) };
    });
    const expected = args.reduce<number>((n, a) => n + (Array.isArray(a) ? a.length : 1), 0);
    if (seen.size !== expected) throw new Error(`queryTemplate: ${expected - seen.size} of the arguments did not reach the statement as parameters`);
    return { query, slots };
  };
  return async (db: Queryable, ...args: A): Promise<R[]> => {
    const adapter = db.getExecutor().adapter;
    let shapes = byAdapter.get(adapter);
    // The least recently used shape goes past the bound: a list's length can take many values.
    if (!shapes) byAdapter.set(adapter, (shapes = new Lru(MAX_SHAPES)));
    const shape = args.map((a) => (Array.isArray(a) ? a.length : '')).join(',');
    const compiled = shapes.getOrMake(shape, () => compile(db, args));
    const parameters = compiled.query.parameters.map((constant, k) => {
      const slot = compiled.slots[k];
      if (!slot) return constant;
      const value = args[slot.arg]!;
      return slot.item === null ? value : (value as readonly Value[])[slot.item];
    });
    const result = await db.executeQuery<R>({ ...compiled.query, parameters });
    return result.rows;
  };
}
