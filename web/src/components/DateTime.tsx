import { formatDateTime, formatUtc } from './format.ts';

/** A `<time>` element: readable text, machine-readable `dateTime`. */
export function DateTime({ value, utc }: { value: string | null | undefined; utc?: boolean }) {
  if (!value) return null;
  return <time dateTime={value}>{utc ? formatUtc(value) : formatDateTime(value)}</time>;
}
