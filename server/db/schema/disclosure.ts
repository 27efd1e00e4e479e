import type { Selectable } from 'kysely';

export interface PressReleaseTable {
  id: string;
  operation_id: string;
  /** The operation's lead agency. */
  agency_id: string;
  /** Set at publishing: the public address /news/<slug>. */
  slug: string | null;
  /** draft, published. */
  status: string;
  title_en: string;
  body_en: string;
  title_es: string;
  body_es: string;
  quote_en: string | null;
  quote_es: string | null;
  quote_by: string | null;
  /** Hash of all the text: an approval holds only for the text it approved. */
  text_hash: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  published_by: string | null;
  version: number;
}
export type PressReleaseRow = Selectable<PressReleaseTable>;

export interface PressReleaseApprovalTable {
  release_id: string;
  /** pio or coordinator: one of each is needed. */
  kind: string;
  user_id: string;
  text_hash: string;
  approved_at: string;
  /**
   * The release's version this approval approved; null for an approval of a text the release no longer
   * has. Unique with (release_id, user_id): one person gives at most one approval of a version.
   */
  version: number | null;
}

export interface PressReleaseCorrectionTable {
  id: string;
  release_id: string;
  note_en: string;
  note_es: string;
  /** JSON of the texts before the correction. */
  previous: string;
  corrected_by: string;
  corrected_at: string;
}

export interface StatAtomTable {
  family: string;
  category: string;
  county_fips: string;
  /** e.g. 2020Q4 */
  quarter: string;
  value: number;
}

export interface StatFrozenQuarterTable {
  quarter: string;
  frozen_at: string;
  release_id: string;
}

export interface StatCountedTable {
  operation_id: string;
  family: string;
  category: string;
  value: number;
  /**
   * The county and quarter the operation's counts were first added to (every row of the operation holds
   * the same); null for operations counted before migration 0007.
   */
  county_fips: string | null;
  quarter: string | null;
}

/** One published version of a press release (the first publication or a correction): where its operation is counted. */
export interface PressReleasePublicationTable {
  release_id: string;
  version: number;
  operation_id: string;
  /** The county the operation's statistics are counted in (its first location's; `unknown` without one). */
  county_fips: string;
  /** The quarter its counts were added to, or will be when it closes, as known at publication (e.g. 2020Q4). */
  quarter: string;
  published_at: string;
}

/** A figure of a published version: how many of the operation's persons had the role and/or disposition. */
export interface PressReleaseFigureTable {
  release_id: string;
  version: number;
  position: number;
  role: string | null;
  disposition: string | null;
  /** 1: the whole count of the role (and disposition); 0: a lower bound (the figure names a sex too, or counts part). */
  exact: number;
  value: number;
}

export interface StatReleaseTable {
  id: string;
  seq: number;
  published_at: string;
  published_by: string;
  /** JSON list of the quarters the release covers. */
  quarters: string;
  cells: number;
  suppressed: number;
  /** JSON list of the quarters this release published first (and froze). */
  new_quarters: string;
  /** How many of the suppressed cells are complementary (the rest are under k). */
  complementary: number;
  /** JSON list of the county FIPS codes, in table order, that a cell's "all counties" expands to. */
  counties: string;
}

export interface StatReleaseCellTable {
  release_id: string;
  key: string;
  /** The cell's place in the release, as the layout ordered it. */
  position: number;
  family: string;
  /** JSON of the cell's dimensions (period, periodType, county, category). */
  dimensions: string;
  /**
   * JSON of the atoms the cell sums, as a box: `{"categories":[…],"counties":"all"|[…],"quarters":[…]}`,
   * every category × quarter × county (in that order, "all" being the release's `counties`). Stored this
   * way because a statewide year cell sums thousands of atoms; it expands to exactly the engine's list.
   */
  atoms: string;
  value: number | null;
  suppressed: number;
  /** `primary` (value under k) or `complementary`; null when published. Not in the public API (the page labels it). */
  reason: string | null;
  /** 1 when this release is the first to show the key. */
  first_release: number;
}

/** A preview or a publication of the statistics running after its request (issue #8); not a domain record. */
export interface StatReleaseJobTable {
  id: string;
  /** preview or publish. */
  kind: string;
  /** running, done or failed. A running row whose `updated_at` stopped moving was left by a process that died. */
  status: string;
  phase: string | null;
  done: number;
  total: number;
  started_by: string;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  /** JSON of the preview (`StatisticsPreviewDto`) or the published release (`StatisticsReleaseDto`). */
  result: string | null;
  error_code: string | null;
  error_message: string | null;
}
export type StatReleaseJobRow = Selectable<StatReleaseJobTable>;
