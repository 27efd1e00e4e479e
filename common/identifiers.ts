import type { SubjectKind } from './operations.ts';

/**
 * Normalised forms of the identifiers that link records (phones, plates, addresses, businesses, online
 * handles), so "(816) 555-0142" and "+1 816.555.0142" are the same phone. Returns null when the value
 * cannot be that kind of identifier.
 */
export function normalizeIdentifier(kind: SubjectKind, raw: string): string | null {
  const value = raw.normalize('NFKC').trim();
  switch (kind) {
    case 'phone': {
      let digits = value.replace(/\D/g, '');
      if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
      return digits.length >= 7 && digits.length <= 15 ? digits : null;
    }
    case 'plate': {
      // "MO ABC-123" → "MO:ABC123"; a plate without a state keeps only its characters.
      const m = /^([A-Za-z]{2})[\s:-]+([A-Za-z0-9][A-Za-z0-9 -]*)$/.exec(value);
      const state = m ? m[1]!.toUpperCase() : '';
      const plate = (m ? m[2]! : value).toUpperCase().replace(/[^A-Z0-9]/g, '');
      if (plate.length < 2 || plate.length > 10) return null;
      return state ? `${state}:${plate}` : plate;
    }
    case 'address': {
      const words = value
        .toLowerCase()
        .replace(/[.,#]/g, ' ')
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => ADDRESS_WORDS[w] ?? w);
      const out = words.join(' ');
      return out.length >= 5 ? out : null;
    }
    case 'business': {
      const out = value
        .toLowerCase()
        .replace(/&/g, ' and ')
        .replace(/[^\p{L}\p{N}\s]/gu, ' ')
        .split(/\s+/)
        .filter((w) => w && !BUSINESS_SUFFIXES.has(w))
        .join(' ');
      return out.length >= 2 ? out : null;
    }
    case 'handle': {
      const out = value.toLowerCase().replace(/^https?:\/\/(www\.)?/, '').replace(/^@/, '').replace(/\/+$/, '').replace(/\s+/g, '');
      return out.length >= 2 ? out : null;
    }
  }
}

const ADDRESS_WORDS: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  highway: 'hwy',
  parkway: 'pkwy',
  place: 'pl',
  suite: 'ste',
  apartment: 'apt',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

const BUSINESS_SUFFIXES = new Set(['llc', 'inc', 'ltd', 'co', 'corp', 'corporation', 'company', 'the']);

/** A hint of an identifier for screens that must not show all of it (the last characters). */
export function maskIdentifier(kind: SubjectKind, normalized: string): string {
  if (kind === 'phone') return `•••-•••-${normalized.slice(-4)}`;
  if (normalized.length <= 4) return normalized;
  return `${'•'.repeat(Math.min(6, normalized.length - 3))}${normalized.slice(-3)}`;
}
