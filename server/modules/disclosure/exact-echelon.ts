/**
 * An exact, incremental row-echelon basis of 0/1 vectors, for the disclosure check of suppression.ts.
 *
 * **Why exact, and how.** Whether a suppressed cell can be worked out is a yes/no question about linear
 * span, and floating-point elimination answers it wrongly when a pivot rounds to (or away from) zero.
 * Elimination modulo primes is fast but can err in the unsafe direction (a vector in the rational span
 * looks independent when the prime divides a minor). So the arithmetic here is over the integers,
 * fraction-free: reducing v by a basis row r with pivot a at the column where v holds b computes
 * a'·v − b'·r with a' = a/g, b' = b/g, g = gcd(a, b), and a stored row is divided by the gcd of its
 * entries. That is Gaussian elimination over the rationals with every row scaled to integers, so every
 * answer is exact.
 *
 * The integers live in one of two rings. {@link NUMBER_RING} keeps them in doubles and checks every
 * product and difference against 2^53 (an integer result below 2^53 in magnitude is exact in a double,
 * and a true result beyond it rounds to at least 2^53, which the check sees); on overflow it throws
 * {@link ExactOverflow} and the caller redoes the work in {@link BIGINT_RING}. For the cells Lantern
 * publishes (sums of boxes of a county × category × quarter table) the pivots are ±1 and the entries stay
 * tiny, so the double ring always finishes; the BigInt ring is there so that the answer never depends on
 * that observation.
 *
 * **Provenance.** Each stored row remembers its combination of inserted vectors ("members"). Reducing a
 * target to zero therefore yields the unique combination of members that produces it; the caller picks a
 * cell to hide among those members.
 *
 * **Incremental.** Rows are kept in insertion order and a row only ever depends on rows inserted before
 * it, so {@link Echelon.truncateFrom} drops a suffix and the prefix stays a valid basis.
 */

export interface Ring<T> {
  readonly zero: T;
  readonly one: T;
  isZero(a: T): boolean;
  /** a = ±1: elimination needs no rescaling. */
  isUnit(a: T): boolean;
  mul(a: T, b: T): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  neg(a: T): T;
  /** Non-negative gcd. */
  gcd(a: T, b: T): T;
  /** a / b when b divides a. */
  div(a: T, b: T): T;
}

export class ExactOverflow extends Error {
  constructor() {
    super('an intermediate integer left the exactly representable range of a double');
    this.name = 'ExactOverflow';
  }
}

const MAX = Number.MAX_SAFE_INTEGER;
const checked = (x: number) => {
  if (x > MAX || x < -MAX) throw new ExactOverflow();
  return x;
};

export const NUMBER_RING: Ring<number> = {
  zero: 0,
  one: 1,
  isZero: (a) => a === 0,
  isUnit: (a) => a === 1 || a === -1,
  mul: (a, b) => checked(a * b),
  add: (a, b) => checked(a + b),
  sub: (a, b) => checked(a - b),
  neg: (a) => -a,
  gcd: (a, b) => {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b !== 0) [a, b] = [b, a % b];
    return a;
  },
  div: (a, b) => a / b,
};

export const BIGINT_RING: Ring<bigint> = {
  zero: 0n,
  one: 1n,
  isZero: (a) => a === 0n,
  isUnit: (a) => a === 1n || a === -1n,
  mul: (a, b) => a * b,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  neg: (a) => -a,
  gcd: (a, b) => {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b !== 0n) [a, b] = [b, a % b];
    return a;
  },
  div: (a, b) => a / b,
};

interface Row<T> {
  member: number;
  /** Ascending columns; cols[0] is the pivot. */
  cols: Int32Array;
  vals: T[];
  /** This row as a combination of members: provIds[i] × provVals[i]. */
  provIds: Int32Array;
  provVals: T[];
}

export class Echelon<T> {
  private readonly rows: Row<T>[] = [];
  private readonly pivotRow: Int32Array;
  private readonly acc: T[];
  private readonly prov: T[];
  /** Members whose entry in `prov` was written during the current reduction, each once. */
  private provTouched: number[] = [];
  private readonly provMark: Uint8Array;
  /** Dependent members in insertion order, each with the basis members of its combination. */
  private readonly dependents: { member: number; support: number[] }[] = [];
  /** Per member: how many dependent members' combinations use it. */
  private readonly dependentUse: Int32Array;

  /** `columns` atoms, at most `members` inserted vectors (ids 0 … members − 1). */
  constructor(
    private readonly ring: Ring<T>,
    private readonly columns: number,
    members: number,
  ) {
    this.pivotRow = new Int32Array(columns).fill(-1);
    this.acc = new Array<T>(columns).fill(ring.zero);
    this.prov = new Array<T>(members).fill(ring.zero);
    this.provMark = new Uint8Array(members);
    this.dependentUse = new Int32Array(members);
  }

  get rank(): number {
    return this.rows.length;
  }

  /**
   * Adds a member's 0/1 vector (ascending columns); members must come in increasing id order. Returns
   * whether it was independent of the basis. A dependent member is remembered with the basis members it
   * is a combination of (see {@link Echelon.isRedundant}).
   */
  insert(member: number, cols: Int32Array): boolean {
    const lead = this.reduce(cols, member);
    if (lead < 0) {
      const support = this.provTouched.filter((id) => id !== member && !this.ring.isZero(this.prov[id] as T));
      this.dependents.push({ member, support });
      for (const id of support) (this.dependentUse[id] as number)++;
      this.clear(cols);
      return false;
    }
    this.rows.push(this.extractRow(member, lead));
    this.pivotRow[lead] = this.rows.length - 1;
    return true;
  }

  /**
   * Whether the 0/1 vector lies in the span. If it does, the members of the unique combination of
   * basis members that produces it; otherwise null.
   */
  explain(cols: Int32Array): number[] | null {
    const lead = this.reduce(cols, -1);
    const support = lead < 0 ? this.provTouched.filter((id) => !this.ring.isZero(this.prov[id] as T)).sort((x, y) => x - y) : null;
    this.clear(cols);
    return support;
  }

  /**
   * Whether dropping this basis member would leave the span unchanged: some dependent member's
   * combination uses it, so that dependent member could take its place. A member of a vector's
   * combination that is not redundant is needed by every combination that produces the vector.
   */
  isRedundant(member: number): boolean {
    return (this.dependentUse[member] as number) > 0;
  }

  /**
   * Forgets every member from `member` on (rows and dependents), as if they had never been inserted.
   * Rows and combinations of earlier members never involve later ones, so what is left is exact.
   */
  truncateFrom(member: number): void {
    while (this.rows.length && (this.rows[this.rows.length - 1] as Row<T>).member >= member) {
      this.pivotRow[(this.rows.pop() as Row<T>).cols[0] as number] = -1;
    }
    while (this.dependents.length && (this.dependents[this.dependents.length - 1] as { member: number }).member >= member) {
      for (const id of (this.dependents.pop() as { support: number[] }).support) (this.dependentUse[id] as number)--;
    }
  }

  /**
   * Reduces `cols` (+ member's unit provenance) in the accumulators, column by column, until the first
   * nonzero column that is no row's pivot. Returns that column (the vector is independent), or −1 (it
   * reduced to zero). Later columns are left partly reduced: a row only needs zeros before its pivot.
   */
  private reduce(cols: Int32Array, member: number): number {
    const { ring, acc, prov, pivotRow, rows } = this;
    for (const c of cols) acc[c] = ring.one;
    if (member >= 0) this.addProv(member, ring.one);
    const start = cols[0] ?? this.columns;
    for (let c = start; c < this.columns; c++) {
      const b = acc[c] as T;
      if (ring.isZero(b)) continue;
      const r = pivotRow[c] as number;
      if (r < 0) return c;
      const row = rows[r] as Row<T>;
      const a = row.vals[0] as T;
      let factor: T;
      if (ring.isUnit(a)) {
        // v − (b/a)·r, and 1/a = a for a = ±1.
        factor = ring.mul(b, a);
      } else {
        const g = ring.gcd(a, b);
        const scale = ring.div(a, g);
        factor = ring.div(b, g);
        for (let j = start; j < this.columns; j++) if (!ring.isZero(acc[j] as T)) acc[j] = ring.mul(acc[j] as T, scale);
        for (const id of this.provTouched) prov[id] = ring.mul(prov[id] as T, scale);
      }
      const { cols: rc, vals: rv } = row;
      for (let i = 0; i < rc.length; i++) {
        const j = rc[i] as number;
        acc[j] = ring.sub(acc[j] as T, ring.mul(factor, rv[i] as T));
      }
      const { provIds, provVals } = row;
      for (let i = 0; i < provIds.length; i++) this.addProv(provIds[i] as number, ring.neg(ring.mul(factor, provVals[i] as T)));
    }
    return -1;
  }

  private addProv(id: number, x: T) {
    if (this.provMark[id] === 0) {
      this.provMark[id] = 1;
      this.provTouched.push(id);
    }
    this.prov[id] = this.ring.add(this.prov[id] as T, x);
  }

  private resetProv() {
    for (const id of this.provTouched) {
      this.prov[id] = this.ring.zero;
      this.provMark[id] = 0;
    }
    this.provTouched = [];
  }

  /** Takes the reduced vector out of the accumulators as a row divided by its content, and clears them. */
  private extractRow(member: number, lead: number): Row<T> {
    const { ring, acc, prov } = this;
    const cols: number[] = [];
    const vals: T[] = [];
    for (let j = lead; j < this.columns; j++) {
      const x = acc[j] as T;
      if (ring.isZero(x)) continue;
      cols.push(j);
      vals.push(x);
      acc[j] = ring.zero;
    }
    const provIds: number[] = [];
    const provVals: T[] = [];
    for (const id of this.provTouched.sort((x, y) => x - y)) {
      const x = prov[id] as T;
      if (ring.isZero(x)) continue;
      provIds.push(id);
      provVals.push(x);
    }
    this.resetProv();
    let g = ring.zero;
    for (const x of [...vals, ...provVals]) {
      g = ring.gcd(g, x);
      if (ring.isUnit(g)) break;
    }
    if (!ring.isUnit(g)) {
      for (let i = 0; i < vals.length; i++) vals[i] = ring.div(vals[i] as T, g);
      for (let i = 0; i < provVals.length; i++) provVals[i] = ring.div(provVals[i] as T, g);
    }
    return { member, cols: Int32Array.from(cols), vals, provIds: Int32Array.from(provIds), provVals };
  }

  /** Zeroes the accumulators after a reduction that stored nothing. */
  private clear(cols: Int32Array) {
    const { ring, acc } = this;
    for (let j = cols[0] ?? this.columns; j < this.columns; j++) acc[j] = ring.zero;
    this.resetProv();
  }
}
