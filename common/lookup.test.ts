import { describe, expect, it } from 'vitest';
import { own } from './lookup.ts';

describe('own', () => {
  it("answers a table's own keys and nothing from Object.prototype", () => {
    const table: Record<string, string> = { st: 'saint' };
    expect(own(table, 'st')).toBe('saint');
    for (const key of ['__proto__', 'constructor', 'toString', 'valueOf', 'missing']) expect(own(table, key)).toBeUndefined();
  });
});
