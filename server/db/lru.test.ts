import { expect, it } from 'vitest';
import { Lru } from './lru.ts';

it('keeps at most its bound, dropping the least recently used, and a read counts as a use', () => {
  const kept = new Lru<string, number>(2);
  kept.set('a', 1);
  kept.set('b', 2);
  expect(kept.get('a')).toBe(1); // a is now the more recent
  kept.set('c', 3); // b goes
  expect([kept.get('a'), kept.get('b'), kept.get('c')]).toEqual([1, undefined, 3]);
  kept.set('c', 30); // replacing a key keeps the size
  expect(kept.size).toBe(2);
  expect(kept.get('c')).toBe(30);
});

it('makes a value once, and again only after it was dropped', () => {
  const kept = new Lru<string, string>(1);
  let made = 0;
  const make = (key: string) => () => `${key}${++made}`;
  expect(kept.getOrMake('x', make('x'))).toBe('x1');
  expect(kept.getOrMake('x', make('x'))).toBe('x1');
  expect(kept.getOrMake('y', make('y'))).toBe('y2');
  expect(kept.getOrMake('x', make('x'))).toBe('x3');
});
