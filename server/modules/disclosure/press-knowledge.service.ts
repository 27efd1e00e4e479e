import type { AppContext } from '../../context.ts';
import type { Queryable, Trx } from '../../db/database.ts';
import type { ContactRole, Disposition } from '../../../common/operations.ts';
import { countedPlaces, countingPlace } from '../statistics/statistics.counting.ts';
import type { PressFigure, PressOperation } from './knowledge.ts';
import type { ReleaseFigure } from './press-release.guards.ts';
import * as q from './press-figures.queries.ts';

/**
 * What published press releases told the public, for the statistics' auditor (issue #8, item 3;
 * docs/disclosure.md): every published version's operation, the county and quarter its counts are in,
 * and every figure it gave. Written by the press-release service in the transaction that publishes or
 * corrects a release; read here.
 *
 * Kept apart from press-releases.service.ts on purpose: the statistics module reads this, and the
 * press-release service asks the statistics module (statistics.press.ts) about a draft's figures, so
 * this file must not import the press-release service (that would be an import cycle).
 */

/** Where the operation's statistics are counted: its counts' county and quarter (statistics.counting.ts, `countingPlace`). */
export async function pressOperationOf(ctx: AppContext, db: Queryable, operationId: string): Promise<PressOperation> {
  const place = await countingPlace(db, ctx, operationId);
  if (!place) throw new Error(`operation ${operationId} not found`);
  return { operation: operationId, county: place.county, quarter: place.quarter };
}

/**
 * Records a published version of a release — its first publication or a correction — with its figures
 * (identical ones once). Call it in the transaction that publishes the version.
 */
export async function recordPublication(
  db: Trx,
  publication: { releaseId: string; version: number; operation: PressOperation; figures: readonly Pick<ReleaseFigure, 'role' | 'disposition' | 'exact' | 'value'>[]; publishedAt: string },
): Promise<void> {
  const seen = new Set<string>();
  const figures = publication.figures.filter((f) => {
    const key = `${f.role ?? ''}|${f.disposition ?? ''}|${f.exact}|${f.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  await q.insertPublication(
    db,
    {
      release_id: publication.releaseId,
      version: publication.version,
      operation_id: publication.operation.operation,
      county_fips: publication.operation.county,
      quarter: publication.operation.quarter,
      published_at: publication.publishedAt,
    },
    figures.map((f, position) => ({ position, role: f.role ?? null, disposition: f.disposition ?? null, exact: f.exact ? 1 : 0, value: f.value })),
  );
}

export interface PressKnowledge {
  /** Each operation a published release told of, once, with the county and quarter its counts are in. */
  operations: PressOperation[];
  /** Every figure of every published version, identical ones of a release once; oldest release first. */
  figures: PressFigure[];
}

/**
 * Everything published press releases told the public (docs/disclosure.md, "The attacker"). An
 * operation counted after its release was published is placed where it was counted, which may be a
 * later quarter than the one the release predicted (its own had been published in between).
 */
export async function publishedPressKnowledge(db: Queryable): Promise<PressKnowledge> {
  const publications = await q.listPublications(db);
  const counted = await countedPlaces(db, [...new Set(publications.map((p) => p.operation_id))]);
  const placeOf = (p: { operation_id: string; county_fips: string; quarter: string }): PressOperation => {
    const c = counted.get(p.operation_id);
    return { operation: p.operation_id, county: c?.county ?? p.county_fips, quarter: c?.quarter ?? p.quarter };
  };
  const operations = new Map<string, PressOperation>();
  for (const p of publications) {
    const op = placeOf(p);
    operations.set(`${op.operation}|${op.county}|${op.quarter}`, op);
  }
  const figures = new Map<string, PressFigure>();
  for (const f of await q.listFigures(db)) {
    const figure: PressFigure = {
      release: f.release_id,
      ...placeOf(f),
      ...(f.role ? { role: f.role as ContactRole } : {}),
      ...(f.disposition ? { disposition: f.disposition as Disposition } : {}),
      exact: f.exact === 1,
      value: Number(f.value),
    };
    figures.set(`${figure.release}|${figure.county}|${figure.quarter}|${figure.role ?? ''}|${figure.disposition ?? ''}|${figure.exact}|${figure.value}`, figure);
  }
  return { operations: [...operations.values()], figures: [...figures.values()] };
}
