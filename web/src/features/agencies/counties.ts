/** Counties served, typed as five-digit FIPS codes separated by commas, spaces or new lines. */
export function parseCounties(text: string): { codes: string[]; invalid: string[] } {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  const invalid = tokens.filter((token) => !/^\d{5}$/.test(token));
  const codes = [...new Set(tokens.filter((token) => /^\d{5}$/.test(token)))];
  return { codes, invalid };
}

export const ORI_PATTERN = /^[A-Z]{2}[A-Z0-9]{7}$/;
