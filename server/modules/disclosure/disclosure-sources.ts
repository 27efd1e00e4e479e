import type { IdentifyingValue } from './press-release.guards.ts';

/**
 * What each module hands the disclosure guards about one operation: the values that could point to a
 * person, and the free text its staff wrote. Each module fills this from its own tables, unscoped —
 * the guards run inside the server and never show these values to anyone.
 */
export interface DisclosureSources {
  identifying: IdentifyingValue[];
  staffText: string[];
}

export const emptySources = (): DisclosureSources => ({ identifying: [], staffText: [] });

export function mergeSources(...parts: DisclosureSources[]): DisclosureSources {
  return { identifying: parts.flatMap((p) => p.identifying), staffText: parts.flatMap((p) => p.staffText) };
}
