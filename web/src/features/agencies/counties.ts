import { countyFips } from '../../../../common/schemas/directory.ts';

/**
 * Counties served, typed as five-digit FIPS codes separated by commas, spaces or new lines; each code is
 * checked with the server's own schema (common/schemas/directory.ts).
 */
export function parseCounties(text: string): { codes: string[]; invalid: string[] } {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  const valid = (token: string) => countyFips.safeParse(token).success;
  return { codes: [...new Set(tokens.filter(valid))], invalid: tokens.filter((token) => !valid(token)) };
}
