import { z } from 'zod';
import { abilities, id } from './shared.ts';

/** The families of public statistics (server/modules/disclosure/statistics.cells.ts, `FAMILIES`). */
export const STAT_FAMILIES = ['operations', 'persons', 'outcomes', 'services', 'businesses_closed'] as const;
export type StatFamily = (typeof STAT_FAMILIES)[number];

export const statFamily = z.enum(STAT_FAMILIES, { message: `must be one of ${STAT_FAMILIES.join(', ')}` });
export const statYear = z.string().regex(/^\d{4}$/, { message: 'must be a year, e.g. 2020' });

/** `?family=&year=` of the public API, page and CSV. */
export const statisticsFilter = z.object({ family: statFamily.optional(), year: statYear.optional() });

export const cellDimensions = z.object({
  family: statFamily,
  /** `2020Q4` for a quarter, `2020` for a year. */
  period: z.string(),
  periodType: z.enum(['quarter', 'year']),
  /** County FIPS, or `all` statewide. */
  county: z.string(),
  /** A category of the family, or `all` for the family's total. */
  category: z.string(),
  /** On a year that is not whole (the first year published, begun after its first quarter): the quarters it sums. */
  partial: z.object({ from: z.string(), through: z.string() }).optional(),
});

/** One published cell: its value, or null and `suppressed` (never why, never its atoms). */
export const publicCell = z.object({ dimensions: cellDimensions, value: z.number().int().nullable(), suppressed: z.boolean() });
export type PublicCellDto = z.infer<typeof publicCell>;

export const publicStatisticsDto = z.object({
  /** The newest release, or null when nothing was published yet. */
  release: z.object({ seq: z.number().int(), publishedAt: z.string(), quarters: z.array(z.string()) }).nullable(),
  cells: z.array(publicCell),
  /** The cells whose county and category are `all`, as published. */
  totals: z.array(publicCell),
});
export type PublicStatisticsDto = z.infer<typeof publicStatisticsDto>;

export const statisticsReleaseDto = z.object({
  /** Null for a preview. */
  id: id.nullable(),
  seq: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
  quarters: z.array(z.string()),
  newQuarters: z.array(z.string()),
  cells: z.number().int(),
  suppressed: z.object({ primary: z.number().int(), complementary: z.number().int() }),
});
export type StatisticsReleaseDto = z.infer<typeof statisticsReleaseDto>;

/** A hidden cell of a preview, for the PIO only: why it is hidden (never its value). */
export const previewHiddenCell = z.object({
  dimensions: cellDimensions,
  reason: z.enum(['primary', 'complementary']),
  /** For a complementary cell: the count it protects, in words ("Outcomes: protective custody, statewide, 2025Q3"). */
  protects: z.string().nullable(),
});
export type PreviewHiddenCellDto = z.infer<typeof previewHiddenCell>;

/** What the auditor did (docs/disclosure.md, "The audit"). */
export const auditSummaryDto = z.object({
  solves: z.number().int(),
  protectedCounts: z.number().int(),
  /** Width of the narrowest range left to a protected count (hi − lo), or null when none is protected. */
  narrowestWidth: z.number().nullable(),
});

/** The audit of everything already published (every year of the ledger, every press release), changing nothing. */
export const ledgerAuditDto = auditSummaryDto.extend({
  years: z.array(z.string()),
  /** Protected counts the releases and press releases already out narrow short of their interval (keys). */
  alreadyDisclosed: z.array(z.string()),
  ms: z.number(),
});
export type LedgerAuditDto = z.infer<typeof ledgerAuditDto>;

/** A preview: the release that publishing now would make, with each new hidden cell's reason. */
export const statisticsPreviewDto = statisticsReleaseDto.extend({ hidden: z.array(previewHiddenCell), audit: auditSummaryDto });
export type StatisticsPreviewDto = z.infer<typeof statisticsPreviewDto>;

export const statisticsReleaseListDto = z.object({ releases: z.array(statisticsReleaseDto), abilities });

/** A preview or a publication running after the request that started it (issue #8). */
export const STATISTICS_JOB_KINDS = ['preview', 'publish'] as const;
export type StatisticsJobKind = (typeof STATISTICS_JOB_KINDS)[number];
export const STATISTICS_JOB_STATUSES = ['running', 'done', 'failed'] as const;
/** The release plan's phases (server/modules/disclosure/release-plan.ts, `PlanProgress`). */
export const STATISTICS_JOB_PHASES = ['layout', 'linear', 'audit'] as const;

export const startStatisticsJobInput = z.object({ kind: z.enum(STATISTICS_JOB_KINDS, { message: `must be one of ${STATISTICS_JOB_KINDS.join(', ')}` }) });

export const statisticsJobDto = z.object({
  id,
  kind: z.enum(STATISTICS_JOB_KINDS),
  /** A running job whose process stopped reporting is answered as failed, with the code `interrupted`. */
  status: z.enum(STATISTICS_JOB_STATUSES),
  /** Null until the plan reports its first step. */
  phase: z.enum(STATISTICS_JOB_PHASES).nullable(),
  done: z.number().int(),
  total: z.number().int(),
  startedBy: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** A finished preview. */
  preview: statisticsPreviewDto.nullable(),
  /** A finished publication: the release it published. */
  release: statisticsReleaseDto.nullable(),
  /** Why a failed job failed: the service's refusal (`no_new_quarter`…), `interrupted`, or `internal`. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type StatisticsJobDto = z.infer<typeof statisticsJobDto>;

export const statisticsJobListQuery = z.object({
  /** `1`: only the jobs still running (to resume a progress bar). */
  active: z.enum(['0', '1'], { message: 'must be 0 or 1' }).optional(),
});
export const statisticsJobListDto = z.object({ jobs: z.array(statisticsJobDto) });
