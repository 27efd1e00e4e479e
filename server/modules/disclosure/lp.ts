import * as highsModule from 'highs';
import type { Highs } from 'highs';

// The package's types describe a CommonJS module; under Node's ESM loader its default export is the loader.
type Loader = () => Promise<Highs>;
const highsLoader = (highsModule as unknown as { default: Loader }).default;

/**
 * The linear-programming solver of the disclosure audit: HiGHS compiled to WebAssembly (the `highs`
 * package), loaded once per process. A {@link LinearModel} is one persistent HiGHS model whose
 * objective changes between solves, so each solve starts from the previous basis (a few milliseconds
 * for the audit's models, against ~15 ms for a fresh one-shot solve).
 */

let loading: Promise<Highs> | null = null;

export function loadSolver(): Promise<Highs> {
  loading ??= highsLoader();
  return loading as Promise<Highs>;
}

export const INFINITY = Number.POSITIVE_INFINITY;

export interface SparseRow {
  cols: number[];
  coefs: number[];
  lower: number;
  upper: number;
}

export interface ModelSpec {
  cols: { lower: number; upper: number }[];
  rows: SparseRow[];
}

export interface Optimum {
  /** Objective value (without any constant the caller keeps). */
  value: number;
  colValue: Float64Array;
  rowDual: Float64Array;
}

/** The solver said something other than "optimal": a model built wrong, never a property of the data. */
export class SolverError extends Error {
  override name = 'SolverError';
}

const EMPTY = 6;
const OPTIMAL = 7;

export class LinearModel {
  private readonly model: ReturnType<Highs['createModel']>;
  readonly numCols: number;
  readonly numRows: number;
  solves = 0;

  constructor(
    private readonly highs: Highs,
    spec: ModelSpec,
  ) {
    this.numCols = spec.cols.length;
    this.numRows = spec.rows.length;
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const row of spec.rows) {
      for (let i = 0; i < row.cols.length; i++) {
        indices.push(row.cols[i] as number);
        values.push(row.coefs[i] as number);
      }
      starts.push(indices.length);
    }
    const inf = highs.infinity;
    const bound = (x: number) => (x === INFINITY ? inf : x === -INFINITY ? -inf : x);
    this.model = highs.createModel({
      numCols: this.numCols,
      numRows: this.numRows,
      colCost: new Float64Array(this.numCols),
      colLower: spec.cols.map((c) => bound(c.lower)),
      colUpper: spec.cols.map((c) => bound(c.upper)),
      rowLower: spec.rows.map((r) => bound(r.lower)),
      rowUpper: spec.rows.map((r) => bound(r.upper)),
      matrix: { format: 'csr', numRows: this.numRows, numCols: this.numCols, starts, indices, values },
    });
    this.model.options.set('output_flag', false);
  }

  /** Drops a row's constraint (a cell that is now hidden): its bounds become (−∞, +∞). */
  freeRow(row: number): void {
    this.model.changeRowBounds(row, -this.highs.infinity, this.highs.infinity);
  }

  /** Optimizes `cost · x`; `sense` 1 minimizes, −1 maximizes. Null when infeasible. */
  optimize(cost: Float64Array, sense: 1 | -1): Optimum | null {
    this.solves++;
    const c = this.highs.constants.objectiveSense;
    this.model.changeColsCost({ kind: 'range', from: 0, to: this.numCols - 1 }, cost);
    this.model.changeObjectiveSense(sense === 1 ? c.minimize : c.maximize);
    const status = this.model.run().modelStatus;
    if (status !== OPTIMAL && status !== EMPTY) {
      // Infeasible (8) is the caller's to judge; anything else means the model is broken.
      if (status === 8) return null;
      throw new SolverError(`the LP solver stopped with model status ${status}`);
    }
    const solution = this.model.getSolution();
    return { value: this.model.getObjectiveValue(), colValue: solution.colValue, rowDual: solution.rowDual };
  }

  dispose(): void {
    this.model.dispose();
  }
}
