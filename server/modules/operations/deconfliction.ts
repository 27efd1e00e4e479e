import type { Queryable } from '../../db/database.ts';
import type { OperationLocationRow, OperationRow, OperationSubjectRow } from '../../db/schema/index.ts';
import { DECONFLICTION_BUFFER_MS } from '../../../common/operations.ts';

/**
 * Deconfliction (issue #3): two operations conflict by place when two of their locations lie within the
 * sum of their radii and their windows come within two hours of each other; by subject when they share
 * a normalised phone, plate, address, business or handle, whatever the time or place.
 *
 * The spatial index is a grid of 0.02° cells (about 2.2 km north–south). Every location is filed under
 * each cell its circle's bounding box touches; two circles that meet share a point, that point lies in
 * some cell, and both circles are filed there — so candidates come from an indexed lookup of a handful
 * of cells, never a scan of every operation.
 */
const CELL_DEGREES = 0.02;
const METERS_PER_DEGREE_LAT = 111_320;
const EARTH_RADIUS_M = 6_371_008.8;

export function cellsFor(lat: number, lng: number, radiusM: number): number[] {
  const dLat = radiusM / METERS_PER_DEGREE_LAT;
  const dLng = radiusM / (METERS_PER_DEGREE_LAT * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  const row0 = Math.floor((lat - dLat) / CELL_DEGREES);
  const row1 = Math.floor((lat + dLat) / CELL_DEGREES);
  const col0 = Math.floor((lng - dLng) / CELL_DEGREES);
  const col1 = Math.floor((lng + dLng) / CELL_DEGREES);
  const cells: number[] = [];
  for (let r = row0; r <= row1; r++) {
    for (let c = col0; c <= col1; c++) cells.push(cellId(r, c));
  }
  return cells;
}

/** Rows run -4500..4500 and columns -9000..9000 (plus wrap slack): one integer per cell. */
const cellId = (row: number, col: number) => (row + 5000) * 20_000 + (col + 10_000);

export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLng = (b.lng - a.lng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface FoundConflict {
  kind: 'place' | 'subject';
  /** This operation's location or subject. */
  item: string;
  otherOperationId: string;
  otherItem: string;
}

/** Every conflict of one operation's plan with any other operation in Lantern, whichever task force owns it. */
export async function findConflicts(
  db: Queryable,
  op: Pick<OperationRow, 'id' | 'starts_at' | 'ends_at'>,
  locations: Pick<OperationLocationRow, 'id' | 'lat' | 'lng' | 'radius_m'>[],
  subjects: Pick<OperationSubjectRow, 'id' | 'blind'>[],
): Promise<FoundConflict[]> {
  const found: FoundConflict[] = [];
  const from = new Date(Date.parse(op.starts_at) - DECONFLICTION_BUFFER_MS).toISOString();
  const to = new Date(Date.parse(op.ends_at) + DECONFLICTION_BUFFER_MS).toISOString();

  for (const loc of locations) {
    const cells = cellsFor(loc.lat, loc.lng, loc.radius_m);
    const candidates = await db
      .selectFrom('operation_location_cell as c')
      .innerJoin('operation_location as l', 'l.id', 'c.location_id')
      .innerJoin('operation as o', 'o.id', 'l.operation_id')
      .select(['l.id', 'l.operation_id', 'l.lat', 'l.lng', 'l.radius_m'])
      .distinct()
      .where('c.cell', 'in', cells)
      .where('c.operation_id', '!=', op.id)
      .where('o.status', 'in', ['draft', 'approved', 'active'])
      .where('o.starts_at', '<', to)
      .where('o.ends_at', '>', from)
      .execute();
    for (const other of candidates) {
      if (distanceM(loc, other) <= loc.radius_m + other.radius_m) {
        found.push({ kind: 'place', item: loc.id, otherOperationId: other.operation_id, otherItem: other.id });
      }
    }
  }

  if (subjects.length) {
    const byBlind = new Map(subjects.map((s) => [s.blind, s.id]));
    const matches = await db
      .selectFrom('operation_subject')
      .select(['id', 'operation_id', 'blind'])
      .where('blind', 'in', [...byBlind.keys()])
      .where('operation_id', '!=', op.id)
      .execute();
    for (const m of matches) found.push({ kind: 'subject', item: byBlind.get(m.blind)!, otherOperationId: m.operation_id, otherItem: m.id });
  }
  return found;
}

/** Files a location under its grid cells (called whenever locations are written). */
export async function indexLocations(db: Queryable, operationId: string, locations: Pick<OperationLocationRow, 'id' | 'lat' | 'lng' | 'radius_m'>[]) {
  await db.deleteFrom('operation_location_cell').where('operation_id', '=', operationId).execute();
  const rows = locations.flatMap((l) => cellsFor(l.lat, l.lng, l.radius_m).map((cell) => ({ cell, location_id: l.id, operation_id: operationId })));
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('operation_location_cell').values(rows.slice(i, i + 500)).execute();
  }
}

/** Conflict rows store the pair in a fixed order so each pair is one row, whichever side saved last. */
export function orderedPair(c: FoundConflict, operationId: string) {
  const mine = { operation: operationId, item: c.item };
  const theirs = { operation: c.otherOperationId, item: c.otherItem };
  return mine.item < theirs.item ? { a: mine, b: theirs } : { a: theirs, b: mine };
}

