import { US_STATES } from '../../../common/states.ts';

/**
 * Numbers and dates the way the Associated Press writes them, in English and Spanish: one to nine
 * spelled out, 10 and above in figures, and any number that starts a sentence spelled out.
 */
export type Lang = 'en' | 'es';
export type Gender = 'm' | 'f';

const EN_ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function englishWords(n: number): string {
  if (n < 20) return EN_ONES[n]!;
  if (n < 100) return EN_TENS[Math.floor(n / 10)]! + (n % 10 ? `-${EN_ONES[n % 10]}` : '');
  if (n < 1000) return `${EN_ONES[Math.floor(n / 100)]} hundred${n % 100 ? ` ${englishWords(n % 100)}` : ''}`;
  if (n < 1_000_000) return `${englishWords(Math.floor(n / 1000))} thousand${n % 1000 ? ` ${englishWords(n % 1000)}` : ''}`;
  return String(n);
}

const ES_ONES = ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve', 'veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve'];
const ES_TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];
const ES_HUNDREDS = ['', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos'];

function spanishWords(n: number, gender: Gender): string {
  // "uno" becomes "un"/"una" before a noun; the counts here always precede one.
  const apocope = (w: string) => (gender === 'f' ? w.replace(/uno$/, 'una').replace(/ún$/, 'una') : w.replace(/uno$/, 'ún').replace(/^ún$/, 'un').replace(/veintiún$/, 'veintiún'));
  if (n < 30) return apocope(ES_ONES[n]!);
  if (n < 100) return ES_TENS[Math.floor(n / 10)]! + (n % 10 ? ` y ${apocope(ES_ONES[n % 10]!)}` : '');
  if (n === 100) return 'cien';
  if (n < 1000) {
    const h = ES_HUNDREDS[Math.floor(n / 100)]!;
    const hundreds = gender === 'f' ? h.replace(/ientos$/, 'ientas') : h;
    return `${hundreds}${n % 100 ? ` ${spanishWords(n % 100, gender)}` : ''}`;
  }
  if (n < 1_000_000) return `${Math.floor(n / 1000) === 1 ? '' : `${spanishWords(Math.floor(n / 1000), 'm')} `}mil${n % 1000 ? ` ${spanishWords(n % 1000, gender)}` : ''}`;
  return String(n);
}

export function numberWords(n: number, lang: Lang, gender: Gender = 'm'): string {
  return lang === 'en' ? englishWords(n) : spanishWords(n, gender);
}

/** A count inside a sentence: words for one to nine, figures from 10 (AP); words at a sentence's start. */
export function apCount(n: number, lang: Lang, opts: { start?: boolean; gender?: Gender } = {}): string {
  const gender = opts.gender ?? 'm';
  if (opts.start) {
    const w = numberWords(n, lang, gender);
    return w.charAt(0).toUpperCase() + w.slice(1);
  }
  if (n >= 1 && n <= 9) return numberWords(n, lang, gender);
  return n.toLocaleString(lang === 'en' ? 'en-US' : 'es-US');
}

const AP_MONTHS = ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];
const ES_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "Oct. 23, 2020" / "23 de octubre de 2020", for a calendar date in the operation's local time. */
export function apDate(isoDate: string, lang: Lang): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  return lang === 'en' ? `${AP_MONTHS[m - 1]} ${d}, ${y}` : `${d} de ${ES_MONTHS[m - 1]} de ${y}`;
}

/**
 * When an operation ran, as a lead sentence says it: "on Oct. 23, 2020", "from Oct. 23 to Oct. 24,
 * 2020", "from Dec. 31, 2020, to Jan. 1, 2021" — or, while it is still running, "starting Oct. 23,
 * 2020". Spanish: "el 23 de octubre de 2020", "del 23 al 24 de octubre de 2020", "a partir del…".
 * Calendar dates (YYYY-MM-DD) in the operation's local time; `end` null while it runs.
 */
export function apDateRange(start: string, end: string | null, lang: Lang): string {
  const [y1, m1, d1] = start.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (end === null) return lang === 'en' ? `starting ${apDate(start, 'en')}` : `a partir del ${apDate(start, 'es')}`;
  const [y2, m2, d2] = end.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (end.slice(0, 10) <= start.slice(0, 10)) return lang === 'en' ? `on ${apDate(start, 'en')}` : `el ${apDate(start, 'es')}`;
  if (lang === 'en') {
    if (y1 === y2) return `from ${AP_MONTHS[m1 - 1]} ${d1} to ${AP_MONTHS[m2 - 1]} ${d2}, ${y2}`;
    return `from ${apDate(start, 'en')}, to ${apDate(end, 'en')}`;
  }
  if (y1 === y2 && m1 === m2) return `del ${d1} al ${d2} de ${ES_MONTHS[m2 - 1]} de ${y2}`;
  if (y1 === y2) return `del ${d1} de ${ES_MONTHS[m1 - 1]} al ${d2} de ${ES_MONTHS[m2 - 1]} de ${y2}`;
  return `del ${apDate(start, 'es')} al ${apDate(end, 'es')}`;
}

/**
 * AP state abbreviations for datelines (the Spanish name where it differs), by FIPS code: every state,
 * since an operation may be led across the state line.
 */
export const AP_STATES: Record<string, { en: string; es: string }> = Object.fromEntries(US_STATES.map((st) => [st.fips, { en: st.ap, es: st.name.es }]));

/** "a, b and c" / "a, b y c" — AP: no serial comma. */
export function listJoin(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  const and = lang === 'en' ? 'and' : items.at(-1)!.match(/^(i|hi)[^aeiouáéíóú]/i) ? 'e' : 'y';
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

/** "the Oak Grove Police Department", "Relentless Pursuit": the article AP would write before an agency's name. */
export function withArticle(name: string): string {
  if (/^the\s/i.test(name)) return name;
  return /(Department|Office|Patrol|Division|Service|Bureau|Coalition|Task Force|Administration|Agency|Commission|Center|Alliance|Network|Project|Unit|FBI|Federal|U\.S\.|Internal Revenue)/.test(name) ? `the ${name}` : name;
}

/**
 * The quote as a sentence, AP style: `“We thank our partners,” said the chief.` The quote's own closing
 * period gives way to the comma; a question or exclamation keeps its mark and takes no comma in English.
 */
export function quoteSentence(quote: string, by: string | null, lang: Lang): string {
  const q = quote.trim().replace(/^[“"]|[”"]$/g, '').trim();
  const bare = q.replace(/\.$/, '');
  const marked = /[?!]$/.test(bare);
  return lang === 'en' ? `“${bare}${marked ? '' : ','}” said ${by ?? 'a spokesperson'}.` : `“${bare}”, dijo ${by ?? 'un portavoz'}.`;
}
