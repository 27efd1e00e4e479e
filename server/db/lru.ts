/**
 * A map that keeps at most `bound` entries, the least recently used dropped first: for what is made
 * once and used again (prepared statements, compiled queries, kept SQL), where the keys can take more
 * values than memory should hold.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  constructor(private readonly bound: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // A Map iterates in insertion order: re-inserting moves the entry to the recent end.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.bound) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }

  /** The value, made and kept when absent. */
  getOrMake(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make()));
    return value;
  }
}
