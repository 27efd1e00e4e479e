import type { ContactRole, Disposition, Service } from '../../../common/operations.ts';
import type { AtomKey, CellDimensions, Family, Quarter } from './statistics.cells.ts';

/**
 * What the public knows, in one shape shared by the auditor (audit.ts), the release plan
 * (release-plan.ts) and the project's own attacker (attacker.ts): every release as it came out, every
 * figure of a published press release, and the record rules a reader can guess (docs/disclosure.md,
 * "The attacker").
 */

/** A cell exactly as a release published it. */
export interface PublishedCell {
  key: string;
  family: Family;
  dimensions: CellDimensions;
  /** Exactly the atoms the value sums (statistics.cells.ts): the attacker knows every cell's definition. */
  atoms: readonly AtomKey[];
  /** null when the release hid it. */
  value: number | null;
}

/** A published press release reveals that its operation ran in a county in a quarter. */
export interface PressOperation {
  operation: string;
  /** County FIPS of the operation's first location (the county its counts go to). */
  county: string;
  /** The quarter its counts belong to (statistics.counting.ts, `targetQuarter`). */
  quarter: Quarter;
}

/**
 * One figure of a published press release: how many of the operation's persons had a role and/or a
 * disposition ("five adult men were detained": suspect × detained, exact = false because "men" names a
 * sex too). A figure that names only a role and/or a disposition is exact; one that also names a sex or
 * an age band counts part of those persons, so the auditor reads it as a lower bound.
 */
export interface PressFigure extends PressOperation {
  /** The press release it was published in. */
  release: string;
  role?: ContactRole | undefined;
  disposition?: Disposition | undefined;
  exact: boolean;
  value: number;
}

/**
 * The record rules the auditor assumes a reader knows, on top of the data model's own (every person has
 * one role and at most one disposition; a service is offered to a person at most once): which
 * dispositions occur with which role, and which services are offered to which role. Built from what the
 * data actually holds (every pairing that never occurs is treated as one the reader knows cannot occur),
 * so the true counts always satisfy them and the auditor is at least as strong as any reader who guesses.
 */
export interface RecordRules {
  /** Per role, the dispositions recorded with it; `none` when some person of that role has none. */
  dispositions: Record<ContactRole, readonly (Disposition | 'none')[]>;
  /** Per role, the services offered to some person of that role. */
  services: Record<ContactRole, readonly Service[]>;
}

/** The loosest rules: every pairing possible. */
export function anyPairing(roles: readonly ContactRole[], dispositions: readonly Disposition[], services: readonly Service[]): RecordRules {
  const d = Object.fromEntries(roles.map((r) => [r, [...dispositions, 'none' as const]])) as unknown as RecordRules['dispositions'];
  const s = Object.fromEntries(roles.map((r) => [r, [...services]])) as unknown as RecordRules['services'];
  return { dispositions: d, services: s };
}

/** Everything public, oldest release first. */
export interface PublicKnowledge {
  releases: readonly (readonly PublishedCell[])[];
  pressOperations: readonly PressOperation[];
  pressFigures: readonly PressFigure[];
  rules: RecordRules;
}
