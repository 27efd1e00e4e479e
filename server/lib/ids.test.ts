import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, newToken } from './ids.ts';

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
