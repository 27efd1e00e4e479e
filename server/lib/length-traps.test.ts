import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withoutLengthTraps } from './length-traps.ts';

describe('withoutLengthTraps', () => {
  const trap = { length: { toString: false } };

  it('is needed: zod’s max-length check throws on a crafted length instead of failing', () => {
    expect(() => z.object({ hours: z.string().max(10).optional() }).safeParse({ hours: trap })).toThrow(TypeError);
  });

  it('drops only object-valued length keys, at any depth, so the same schema fails on the field’s type', () => {
    const body = { hours: trap, facts: [{ value: trap, length: 3 }], note: { length: 'long' } };
    expect(withoutLengthTraps(body)).toEqual({ hours: {}, facts: [{ value: {}, length: 3 }], note: { length: 'long' } });
    const result = z.object({ hours: z.string().max(10).optional() }).safeParse(withoutLengthTraps({ hours: trap }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['hours']);
  });
});
