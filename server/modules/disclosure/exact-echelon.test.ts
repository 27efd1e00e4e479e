import { describe, expect, it } from 'vitest';
import { BIGINT_RING, Echelon, ExactOverflow, NUMBER_RING, type Ring } from './exact-echelon.ts';

const v = (...cols: number[]) => Int32Array.from(cols);

describe.each([
  ['checked doubles', NUMBER_RING as Ring<unknown>],
  ['BigInt', BIGINT_RING as Ring<unknown>],
])('Echelon in %s', (_, ring) => {
  it('says which members produce a vector in the span, and null outside it', () => {
    const e = new Echelon(ring, 4, 4);
    expect(e.insert(0, v(0, 1))).toBe(true);
    expect(e.insert(1, v(1, 2))).toBe(true);
    expect(e.explain(v(0, 2))).toBe(null);
    expect(e.explain(v(0, 1))).toEqual([0]);
    // {0,1} − {1,2} + {2,3} = {0,3}
    expect(e.insert(2, v(2, 3))).toBe(true);
    expect(e.explain(v(0, 3))).toEqual([0, 1, 2]);
    expect(e.insert(3, v(0, 3))).toBe(false);
    expect(e.rank).toBe(3);
  });

  it('is exact where elimination modulo 2 is not: {2} = ({0,2} − {0,1} + {1,2}) / 2', () => {
    // Over GF(2) these three vectors have rank 2 and {2} is outside their span; over the rationals it is inside.
    const e = new Echelon(ring, 3, 3);
    e.insert(0, v(0, 1));
    e.insert(1, v(1, 2));
    expect(e.insert(2, v(0, 2))).toBe(true); // a pivot of 2 appears here
    expect(e.explain(v(2))).toEqual([0, 1, 2]);
    expect(e.explain(v(0))).toEqual([0, 1, 2]);
  });

  it('knows which members a dependent member could replace, and forgets a suffix exactly', () => {
    const e = new Echelon(ring, 3, 4);
    e.insert(0, v(0));
    e.insert(1, v(1));
    e.insert(2, v(2));
    expect(e.insert(3, v(0, 1))).toBe(false);
    expect([0, 1, 2].map((m) => e.isRedundant(m))).toEqual([true, true, false]);
    e.truncateFrom(1);
    expect(e.rank).toBe(1);
    expect(e.isRedundant(0)).toBe(false);
    expect(e.explain(v(1))).toBe(null);
    expect(e.insert(3, v(0, 1))).toBe(true);
    expect(e.explain(v(1))).toEqual([0, 3]);
  });
});

describe('NUMBER_RING', () => {
  it('refuses a product or a difference beyond 2^53 instead of rounding it', () => {
    expect(() => NUMBER_RING.mul(2 ** 27, 2 ** 27)).toThrow(ExactOverflow);
    expect(() => NUMBER_RING.sub(-Number.MAX_SAFE_INTEGER, 2)).toThrow(ExactOverflow);
    expect(NUMBER_RING.mul(2 ** 26, 2 ** 26)).toBe(2 ** 52);
  });
});
