import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { IdentifierKind } from './tips.ts';
import { own } from './lookup.ts';

/**
 * Normalised forms of the identifiers that link records (phones, emails, plates, addresses, businesses,
 * online handles), so "(816) 555-0142" and "+1 816.555.0142" are the same phone. Returns null when the
 * value cannot be that kind of identifier.
 *
 * The normal forms are hashed (crypto.blindIndex) into `operation_subject.blind` and the shared index
 * `record_identifier`, and hashes cannot be re-derived without the clear values: a change to a normal
 * form leaves old hashes unmatched until the record is saved again. So the forms stay what they were
 * wherever they can:
 * - phone: a number libphonenumber-js finds valid (default region US) is a North American number's ten
 *   digits, as before, and any other number's E.164 digits without the "+" (the same digits the old
 *   form kept when the number was typed with its country code). Disguised forms of sex ads are decoded
 *   first ("3I4-five five five 0I99"). A value with no letters that is not a valid number keeps the old
 *   form (its 7–15 digits), so that staff-typed subjects and contact phones accepted before still match
 *   themselves; free text is held to valid numbers only (`phonesInText`).
 * - address: as before (words abbreviated), except a line that ends in a ZIP after a comma, which keys
 *   on street and ZIP alone ("1200 N Main St, Kansas City, MO 64105" → "1200 n main st 64105"): the city
 *   and state are implied by the ZIP and typed in too many ways to match.
 * - handle: as before, and a web address drops its query and fragment (host and path identify an ad).
 * - email (new): lowercased; Gmail's dots and +tags fold away (see `normalizeEmail`).
 */
export function normalizeIdentifier(kind: IdentifierKind, raw: string): string | null {
  const value = raw.normalize('NFKC').trim();
  switch (kind) {
    case 'phone':
      return normalizePhone(value);
    case 'email':
      return normalizeEmail(value);
    case 'plate': {
      // "MO ABC-123" → "MO:ABC123"; a plate without a state keeps only its characters.
      const m = /^([A-Za-z]{2})[\s:-]+([A-Za-z0-9][A-Za-z0-9 -]*)$/.exec(value);
      const state = m ? m[1]!.toUpperCase() : '';
      const plate = (m ? m[2]! : value).toUpperCase().replace(/[^A-Z0-9]/g, '');
      if (plate.length < 2 || plate.length > 10) return null;
      return state ? `${state}:${plate}` : plate;
    }
    case 'address': {
      const keyed = streetAndZip(value);
      const out = keyed ? `${addressWords(keyed.street)} ${keyed.zip}` : addressWords(value);
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
      // Each step can uncover another ("@https://…"): repeated until nothing changes, so the form is stable.
      let out = value.toLowerCase().replace(/\s+/g, '');
      for (let before = ''; before !== out; ) {
        before = out;
        out = out.replace(/^https?:\/\/(www\.)?/, '').replace(/^@+/, '');
        // A web address (a host with a dot, then a path or nothing): its query and fragment are tracking.
        if (/^[^/?#]+\.[^/?#]+([/?#]|$)/.test(out)) out = out.replace(/[?#].*$/, '');
        out = out.replace(/\/+$/, '');
      }
      return out.length >= 2 ? out : null;
    }
  }
}

function addressWords(value: string): string {
  return value
    .toLowerCase()
    .replace(/[.,#]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => own(ADDRESS_WORDS, w) ?? w)
    .join(' ');
}

/**
 * "1200 N Main St, Apt 4, Kansas City, MO 64105-1234" → street "1200 N Main St, Apt 4", ZIP "64105":
 * only a line of several comma-separated parts whose last part ends in a ZIP. The parts after the street
 * that hold no digit (city, state) are dropped; a line with no digit before them is not an address key.
 */
function streetAndZip(value: string): { street: string; zip: string } | null {
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length < 2) return null;
  const m = /(?:^|\s)(\d{5})(?:-\d{4})?$/.exec(parts.at(-1)!);
  if (!m) return null;
  const rest = parts.at(-1)!.slice(0, m.index).trim();
  const kept = rest && /\d/.test(rest) ? [...parts.slice(0, -1), rest] : parts.slice(0, -1);
  while (kept.length && !/\d/.test(kept.at(-1)!)) kept.pop();
  return kept.length ? { street: kept.join(', '), zip: m[1]! } : null;
}

/** The one key of a place a tip names: its address line with its ZIP, or with its city when no ZIP is known. */
export function addressKey(place: { address?: string | undefined; city?: string | undefined; zip?: string | undefined }): string | null {
  const address = place.address?.normalize('NFKC').trim();
  if (!address) return null;
  const zip = place.zip?.trim();
  if (streetAndZip(address) || !zip) return normalizeIdentifier('address', place.city?.trim() && !zip ? `${address}, ${place.city.trim()}` : address);
  return normalizeIdentifier('address', `${address}, ${zip}`);
}

// ------------------------------------------------------------------------------------------------ phones

/** Spelled digits of ads, in English and Spanish ("eight1six", "cinco cinco"). */
const SPELLED: Record<string, string> = {
  zero: '0', oh: '0', cero: '0',
  one: '1', uno: '1',
  two: '2', dos: '2',
  three: '3', tres: '3',
  four: '4', cuatro: '4',
  five: '5', cinco: '5',
  six: '6', seis: '6',
  seven: '7', siete: '7',
  eight: '8', ocho: '8',
  nine: '9', nueve: '9',
};
/** Letters standing for digits: O and o for 0; I, i, l and | for 1. */
const LOOKALIKE: Record<string, string> = { o: '0', i: '1', l: '1', '|': '1' };
const DIGIT_PIECE = new RegExp(`\\d|${Object.keys(SPELLED).sort((a, b) => b.length - a.length).join('|')}|[oil|]`, 'iy');
/** Dingbat digits (❶ ➀ ➊) that NFKC leaves alone; circled ①, fullwidth １ and mathematical 𝟏 fold to digits under NFKC. */
const DINGBATS = /[\u2776-\u277e\u2780-\u2788\u278a-\u2792]/g;
const dingbatDigit = (ch: string) => {
  const c = ch.codePointAt(0)!;
  const base = c >= 0x278a ? 0x278a : c >= 0x2780 ? 0x2780 : 0x2776;
  return String(c - base + 1);
};

/** Emoji keycaps ("8️⃣") and dingbats to digits, everything else NFKC-normalised. */
function unEmoji(text: string): string {
  return text.normalize('NFKC').replace(/[\ufe0f\u20e3]/g, '').replace(DINGBATS, dingbatDigit);
}

interface DigitToken {
  digits: string;
  plus: boolean;
}

/** A word made wholly of digits, look-alike letters and spelled digits ("3I4", "5five5", "eight1six"), or null. */
function decodeWord(word: string): DigitToken | null {
  const plus = word.startsWith('+');
  const body = plus ? word.slice(1) : word;
  if (!body) return null;
  let digits = '';
  DIGIT_PIECE.lastIndex = 0;
  while (DIGIT_PIECE.lastIndex < body.length) {
    const at = DIGIT_PIECE.lastIndex;
    const m = DIGIT_PIECE.exec(body);
    if (!m || m.index !== at) return null;
    const piece = m[0].toLowerCase();
    digits += /\d/.test(piece) ? piece : (own(SPELLED, piece) ?? own(LOOKALIKE, piece)!);
  }
  return { digits, plus };
}

/** The normal form of a number libphonenumber-js finds valid (see `normalizeIdentifier`), or null. */
function validPhone(text: string): string | null {
  const p = parsePhoneNumberFromString(text, 'US');
  if (!p?.isValid()) return null;
  return p.countryCallingCode === '1' ? p.nationalNumber : p.number.slice(1);
}

/**
 * The valid phone numbers in free text, disguises decoded: words of digits are read in runs (any
 * punctuation or spacing between them), and each run yields its longest valid numbers, left to right.
 * Only valid numbers count: free text holds dates, ZIPs, prices and ages.
 */
export function phonesInText(text: string): string[] {
  const words = unEmoji(text).split(/[^\p{L}\p{N}+|]+/u);
  const tokens = words.map((w) => (w ? decodeWord(w) : null));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const first = tokens[i];
    if (!first) {
      i++;
      continue;
    }
    let digits = '';
    let best: { form: string; end: number } | null = null;
    for (let j = i; j < tokens.length; j++) {
      const t = tokens[j];
      if (!t || (j > i && t.plus)) break;
      digits += t.digits;
      if (digits.length > 15) break;
      if (digits.length >= 8) {
        const form = validPhone(`${first.plus ? '+' : ''}${digits}`);
        if (form) best = { form, end: j };
      }
    }
    if (best) {
      if (!out.includes(best.form)) out.push(best.form);
      i = best.end + 1;
    } else i++;
  }
  return out;
}

/**
 * A North American number typed plainly: ten digits in groups of 3, 3 and 4, perhaps after "1" or "+1",
 * the area code perhaps in parentheses, spaces, dots or dashes between. Its normal form is its ten digits
 * whether libphonenumber-js finds it valid (its national number) or not (the old form's digits, a leading
 * 1 dropped), so parsing it, a quarter of a tip's identifier work, can be skipped.
 */
const PLAIN_NANP = /^(?:\+?1[ .-]*)?(?:\((\d{3})\)|(\d{3}))[ .-]*(\d{3})[ .-]*(\d{4})$/;

/** One phone as typed in a phone field (see `normalizeIdentifier`). */
function normalizePhone(value: string): string | null {
  const plain = PLAIN_NANP.exec(value);
  if (plain) return `${plain[1] ?? plain[2]}${plain[3]}${plain[4]}`;
  const found = phonesInText(value)[0] ?? validPhone(unEmoji(value));
  if (found) return found;
  // Compatibility with the form before libphonenumber-js (staff-typed subjects and contact phones).
  if (/\p{L}/u.test(value)) return null;
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return digits.length >= 7 && digits.length <= 15 ? digits : null;
}

// ------------------------------------------------------------------------------------------------ emails

const EMAIL = /^[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

/**
 * An email address, lowercased, with the spelled-out forms of ads undone ("jane (at) mail (dot) com").
 * Gmail ignores dots and anything after a + in the local part, and googlemail.com is gmail.com: those
 * fold away, as they name one mailbox (a trafficker's variants of one address match). Other providers
 * keep the local part whole: for them a +tag or a dot may be another mailbox, and a false link is worse
 * than a missed one.
 */
export function normalizeEmail(raw: string): string | null {
  const value = raw
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '')
    .replace(/\s*[([{]\s*(?:at|arroba)\s*[)\]}]\s*|\s+(?:at|arroba)\s+/g, '@')
    .replace(/\s*[([{]\s*(?:dot|punto)\s*[)\]}]\s*|\s+(?:dot|punto)\s+/g, '.');
  if (value.length > 254 || !EMAIL.test(value)) return null;
  const at = value.lastIndexOf('@');
  let local = value.slice(0, at);
  let domain = value.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\+.*$/, '').replace(/\./g, '');
  return local ? `${local}@${domain}` : null;
}

/** Email addresses in free text, plain or bracketed ("jane [at] mail [dot] com"). */
export function emailsInText(text: string): string[] {
  const spelled = text.normalize('NFKC').replace(/\s*[([{]\s*(?:at|arroba)\s*[)\]}]\s*/gi, '@').replace(/\s*[([{]\s*(?:dot|punto)\s*[)\]}]\s*/gi, '.');
  // No address without an @: most narratives have none, and the scan below tries every word of them.
  if (!spelled.includes('@')) return [];
  const out: string[] = [];
  for (const m of spelled.matchAll(/[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu)) {
    const e = normalizeEmail(m[0].replace(/^[._%+'-]+|[.-]+$/g, ''));
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ plates

const STATES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT', delaware: 'DE',
  florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL', indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY',
  louisiana: 'LA', maine: 'ME', maryland: 'MD', massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO',
  montana: 'MT', nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY',
  'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA', 'rhode island': 'RI',
  'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT', vermont: 'VT', virginia: 'VA', washington: 'WA',
  'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY', 'district of columbia': 'DC',
};
const STATE_CODES = new Set(Object.values(STATES));
/** State codes that are also everyday words: taken as a state only before a word like "plate". */
const WORDLIKE_CODES = new Set(['IN', 'OR', 'ME', 'HI', 'OK', 'OH', 'DE', 'LA', 'PA', 'MA', 'AL', 'CO', 'ID', 'MI', 'AR']);
const PLATE_WORD = '(?:plates?|tags?|placas?|license(?: plate)?|licencia)';
const PLATE = '([A-Za-z0-9]{1,4}[ -]?[A-Za-z0-9]{1,4})(?![A-Za-z0-9-])';
const STATE_WORD = `(${Object.keys(STATES).join('|')}|[A-Z]{2})(?![A-Za-z])`;
const STATE_THEN_PLATE = new RegExp(`(?<![A-Za-z0-9])${STATE_WORD}\\s*(${PLATE_WORD})?\\s*(?:#|no\\.|number|n[uú]mero)?\\s*[:-]?\\s*${PLATE}`, 'giu');
const WORD_THEN_PLATE = new RegExp(`(?<![A-Za-z])${PLATE_WORD}\\s*(?:#|no\\.|number|n[uú]mero)?\\s*[:-]?\\s*${PLATE}`, 'giu');

/**
 * Plates written plainly in a description of vehicles, cautiously: a state (code in capitals, or its
 * name) then a plate, or a word like "plate" or "placa" then a plate; the plate has 4 to 8 characters
 * with at least one digit. "white Camry MO ABC-123" → "MO:ABC123"; "plate KX4 82T" → "KX482T".
 */
export function platesInText(text: string): string[] {
  const out: string[] = [];
  const add = (state: string, plate: string) => {
    const chars = plate.toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (chars.length < 4 || chars.length > 8 || !/\d/.test(chars)) return;
    const form = normalizeIdentifier('plate', state ? `${state} ${chars}` : chars);
    if (form && !out.includes(form)) out.push(form);
  };
  const value = text.normalize('NFKC');
  const claimed: [number, number][] = [];
  // A match refused (a word that is no state) is retried one character on, so it hides no plate after it.
  STATE_THEN_PLATE.lastIndex = 0;
  for (let m = STATE_THEN_PLATE.exec(value); m; m = STATE_THEN_PLATE.exec(value)) {
    const word = m[1]!;
    const code = own(STATES, word.toLowerCase()) ?? (STATE_CODES.has(word) ? word : null);
    if (!code || (word.length === 2 && WORDLIKE_CODES.has(code) && !m[2])) {
      STATE_THEN_PLATE.lastIndex = m.index + 1;
      continue;
    }
    add(code, m[3]!);
    claimed.push([m.index, m.index + m[0].length]);
  }
  for (const m of value.matchAll(WORD_THEN_PLATE)) {
    if (claimed.some(([a, b]) => m.index < b && m.index + m[0].length > a)) continue;
    add('', m[1]!);
  }
  return out;
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

/** A hint of an identifier for screens that must not show all of it (the last characters; an email's first letter and domain). */
export function maskIdentifier(kind: IdentifierKind, normalized: string): string {
  if (kind === 'phone') return `•••-•••-${normalized.slice(-4)}`;
  if (kind === 'email') {
    const at = normalized.lastIndexOf('@');
    return `${normalized.slice(0, 1)}•••@${normalized.slice(at + 1)}`;
  }
  if (normalized.length <= 4) return normalized;
  return `${'•'.repeat(Math.min(6, normalized.length - 3))}${normalized.slice(-3)}`;
}
