import type { Queryable } from '../../db/database.ts';
import type { PressReleaseFigureTable, PressReleasePublicationTable } from '../../db/schema/index.ts';

/** Storage of what published press releases told the public: each published version's operation, place and figures. */

export async function insertPublication(db: Queryable, publication: PressReleasePublicationTable, figures: readonly Omit<PressReleaseFigureTable, 'release_id' | 'version'>[]) {
  await db.insertInto('press_release_publication').values(publication).execute();
  const rows = figures.map((f) => ({ ...f, release_id: publication.release_id, version: publication.version }));
  // 7 parameters a row: well under SQLite's and PostgreSQL's limits per statement.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('press_release_figure').values(rows.slice(i, i + 500)).execute();
}

/** Every published version, oldest first. */
export function listPublications(db: Queryable) {
  return db
    .selectFrom('press_release_publication')
    .select(['release_id', 'version', 'operation_id', 'county_fips', 'quarter', 'published_at'])
    .orderBy('published_at')
    .orderBy('release_id')
    .orderBy('version')
    .execute();
}

/** Every figure of every published version, in the order of {@link listPublications}. */
export function listFigures(db: Queryable) {
  return db
    .selectFrom('press_release_figure as f')
    .innerJoin('press_release_publication as p', (j) => j.onRef('p.release_id', '=', 'f.release_id').onRef('p.version', '=', 'f.version'))
    .select(['f.release_id', 'f.version', 'f.position', 'f.role', 'f.disposition', 'f.exact', 'f.value', 'p.operation_id', 'p.county_fips', 'p.quarter'])
    .orderBy('p.published_at')
    .orderBy('f.release_id')
    .orderBy('f.version')
    .orderBy('f.position')
    .execute();
}

/** Published releases with no publication recorded (published before migration 0007). */
export function unrecordedPublishedReleases(db: Queryable) {
  return db
    .selectFrom('press_release as r')
    .selectAll('r')
    .where('r.status', '=', 'published')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('press_release_publication as p').select('p.release_id').whereRef('p.release_id', '=', 'r.id'))))
    .orderBy('r.published_at')
    .execute();
}

export async function hasPublication(db: Queryable, releaseId: string): Promise<boolean> {
  return (await db.selectFrom('press_release_publication').select('release_id').where('release_id', '=', releaseId).limit(1).executeTakeFirst()) !== undefined;
}

export function correctionsOf(db: Queryable, releaseId: string) {
  return db.selectFrom('press_release_correction').select(['previous', 'corrected_at']).where('release_id', '=', releaseId).orderBy('corrected_at').execute();
}
