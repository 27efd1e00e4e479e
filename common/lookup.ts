/**
 * A table's own entry for a key that came from outside (a word of a tip, a search, a path).
 * `table[key]` would answer "__proto__" or "constructor" with Object.prototype's members.
 */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
