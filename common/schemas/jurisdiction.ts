import { z } from 'zod';
import { countyFips } from './directory.ts';

/**
 * The task force's jurisdiction as the web app gets it from `GET /api/jurisdiction`: the state, its time
 * zone and its counties (the county map is `GET /api/jurisdiction/map`, fetched only where a map shows).
 */
export const jurisdictionDto = z.object({
  state: z.object({
    fips: z.string(),
    postal: z.string(),
    name: z.object({ en: z.string(), es: z.string() }),
    ap: z.string(),
  }),
  timeZone: z.string(),
  timeZoneName: z.object({ en: z.string(), es: z.string() }),
  counties: z.array(z.object({ fips: z.string(), name: z.object({ en: z.string(), es: z.string() }) })),
});
export type JurisdictionDto = z.infer<typeof jurisdictionDto>;

/** The message for a county outside the state, on the server and in the web app alike. */
export const notACountyOf = (stateName: string) => `is not a county of ${stateName}`;

/**
 * An agency's counties served, checked against the jurisdiction's list: the same rule on the server
 * (ctx.jurisdiction) and in the web form (GET /api/jurisdiction).
 */
export function countiesOfState(j: { state: { name: { en: string } }; counties: readonly { fips: string }[] }) {
  const known = new Set(j.counties.map((c) => c.fips));
  return z.array(countyFips.refine((c) => known.has(c), { message: notACountyOf(j.state.name.en) })).max(200);
}
