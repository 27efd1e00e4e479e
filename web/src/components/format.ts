/** Date and time formatting shared by the staff pages (the user's locale and time zone). */

const dateTime = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
});

const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

function parse(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatDateTime(value: string | null | undefined): string {
  const d = parse(value);
  return d ? dateTime.format(d) : '';
}

export function formatDate(value: string | null | undefined): string {
  const d = parse(value);
  return d ? date.format(d) : '';
}

/** Audit times are shown as recorded: UTC to the hundredth of a second (2020-10-23 20:00:01.25). */
export function formatUtc(value: string | null | undefined): string {
  const d = parse(value);
  if (!d) return value ?? '';
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 22)}`;
}

/** A `datetime-local` input value ("2020-10-23T15:00") as an ISO instant in UTC, or undefined. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An ISO instant as a `datetime-local` input value in the user's time zone. */
export function isoToLocalInput(value: string | undefined): string {
  const d = parse(value);
  if (!d) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A short description of a browser from its user-agent string ("Firefox on Windows"). */
export function describeUserAgent(ua: string | null | undefined): string | undefined {
  if (!ua) return undefined;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : undefined;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Android/.test(ua)
        ? 'Android'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os;
}
