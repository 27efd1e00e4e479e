/**
 * One CSV cell: quoted when needed, and a leading = + - @ (or tab/CR) neutralised with an apostrophe so
 * a spreadsheet never runs a cell as a formula (OWASP CSV injection).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvRow = (values: unknown[]) => values.map(csvCell).join(',') + '\r\n';
