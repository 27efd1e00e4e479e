import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, newToken, randomBytesFromPool } from './ids.ts';

describe('newId', () => {
  it('makes RFC 9562 version-7 UUIDs that zod accepts as ids', () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it('sorts in creation order, even many within one millisecond', () => {
    const at = Date.parse('2026-03-01T12:00:00Z');
    const ids = Array.from({ length: 5000 }, () => newId(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the time in its first 48 bits', () => {
    const at = Date.parse('2030-01-01T00:00:00Z');
    const id = newId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(at);
  });
});

describe('newToken', () => {
  it('is URL-safe and unpredictable', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });
});

describe('randomBytesFromPool', () => {
  it('hands each byte out once, across refills, and what one caller changes is not another caller\'s', () => {
    const slices = Array.from({ length: 2000 }, (_, i) => randomBytesFromPool(1 + (i % 32)));
    expect(slices.map((b) => b.length)).toEqual(slices.map((_, i) => 1 + (i % 32)));
    // No two slices share memory: each filled with its own mark keeps it after all the others are filled.
    slices.forEach((b, i) => b.fill((i % 255) + 1));
    slices.forEach((b, i) => expect(b.every((x) => x === (i % 255) + 1), `slice ${i}`).toBe(true));
    // 16-byte draws look random: 4,000 of them are all different.
    const draws = new Set(Array.from({ length: 4000 }, () => randomBytesFromPool(16).toString('hex')));
    expect(draws.size).toBe(4000);
  });

  it('serves a large request on its own', () => {
    const big = randomBytesFromPool(5000);
    expect(big.length).toBe(5000);
    expect(new Set(big).size).toBeGreaterThan(200);
  });
});
