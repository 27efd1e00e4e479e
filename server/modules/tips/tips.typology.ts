/**
 * Words and phrases of the Polaris Project's typology of sex and labor trafficking (illicit massage
 * businesses, escort services, pimp-controlled and residential sex trafficking, debt bondage, document
 * confiscation, control of movement) that a tipster is likely to use, in English and Spanish. A tip's
 * rank cites the ones it uses, as they are listed here: the reasons a tip ranks high explain themselves
 * without quoting the tipster.
 *
 * Matching ignores case and accents, and goes word by word (so "spa" does not match "space", but the
 * listed plural or verb forms do match). An apostrophe is optional ("cant leave").
 */
export const TYPOLOGY_TERMS: Readonly<Record<'en' | 'es', readonly string[]>> = {
  en: [
    // illicit massage businesses
    'massage',
    'massage parlor',
    'spa',
    'body rub',
    'happy ending',
    'buzz-in door',
    'covered windows',
    'men only',
    'cash only',
    'living on site',
    'live at the business',
    'lives at the business',
    'sleep at the business',
    'sleeps at the business',
    // commercial sex
    'brothel',
    'escort',
    'escorts',
    'outcall',
    'incall',
    'prostitution',
    'pimp',
    'pimps',
    'quota',
    'quotas',
    'bottom girl',
    'sex for money',
    'underage',
    // control
    'debt',
    'owes money',
    'owe money',
    'work off',
    'passport taken',
    'took her passport',
    'took their passports',
    'took my passport',
    'documents taken',
    "can't leave",
    'cannot leave',
    'not allowed to leave',
    'never leaves',
    'locked in',
    'locked inside',
    'threatened',
    'branded',
    'recruited',
    'trafficked',
    'trafficking',
    'forced',
    'smuggled',
  ],
  es: [
    'masaje',
    'masajes',
    'sala de masajes',
    'spa',
    'final feliz',
    'ventanas cubiertas',
    'ventanas tapadas',
    'solo hombres',
    'solo efectivo',
    'viven en el negocio',
    'vive en el negocio',
    'duermen en el negocio',
    'duerme en el negocio',
    'burdel',
    'prostíbulo',
    'casa de citas',
    'escort',
    'acompañante',
    'acompañantes',
    'prostitución',
    'padrote',
    'proxeneta',
    'chulo',
    'cuota',
    'cuotas',
    'menor de edad',
    'menores de edad',
    'deuda',
    'deudas',
    'debe dinero',
    'pasaporte',
    'pasaportes',
    'le quitaron el pasaporte',
    'le quitaron los documentos',
    'no puede salir',
    'no pueden salir',
    'no la dejan salir',
    'no lo dejan salir',
    'no las dejan salir',
    'encerrada',
    'encerradas',
    'encerrado',
    'encerrados',
    'vigilada',
    'vigiladas',
    'amenazada',
    'amenazadas',
    'amenazado',
    'obligada',
    'obligadas',
    'obligado',
    'forzada',
    'forzadas',
    'trata de personas',
    'traficada',
    'reclutada',
  ],
};

/** Lower case, accents and apostrophes gone, every run of other non-letters one space, padded. */
function fold(text: string) {
  // Most tips are plain ASCII: no accents to strip, and letters and digits are [a-z0-9] once lowered
  // (the same result as the Unicode path below, in two-thirds of its time).
  if (ASCII.test(text)) return ` ${text.toLowerCase().replace(/['`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim()} `;
  const plain = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${plain} `;
}

const ASCII = /^[\x00-\x7f]*$/;

interface Matcher {
  term: string;
  folded: string;
  /** Its first word: a term can be in the text only if that word is. */
  first: string;
}

const MATCHERS: readonly Matcher[] = [...new Set([...TYPOLOGY_TERMS.en, ...TYPOLOGY_TERMS.es])].map((term) => {
  const folded = fold(term);
  return { term, folded, first: folded.trim().split(' ')[0]! };
});

/** The terms by their first word, and a pattern of those words (whole words of the folded text). */
const BY_FIRST_WORD = new Map<string, Matcher[]>();
for (const m of MATCHERS) BY_FIRST_WORD.set(m.first, [...(BY_FIRST_WORD.get(m.first) ?? []), m]);
const FIRST_WORDS = new RegExp(
  ` (?:${[...BY_FIRST_WORD.keys()]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?= )`,
  'g',
);

/**
 * The typology words found in these texts, in the order of the lists. A phrase that holds a shorter
 * listed word ("massage parlor", "massage") cites both only when the word also stands on its own.
 */
export function typologyTermsIn(texts: readonly (string | null | undefined)[]): string[] {
  const haystack = fold(texts.filter(Boolean).join(' \n '));
  // Only the terms starting with one of the text's words are searched for (a tenth of a tip's triage
  // went to searching the whole text for every term).
  const candidates = new Set<Matcher>();
  for (const [word] of haystack.matchAll(FIRST_WORDS)) for (const m of BY_FIRST_WORD.get(word.slice(1))!) candidates.add(m);
  if (candidates.size === 0) return [];
  const found = MATCHERS.filter((m) => candidates.has(m) && haystack.includes(m.folded));
  return found
    .filter((m) => {
      const longer = found.filter((o) => o !== m && o.folded.includes(m.folded));
      if (longer.length === 0) return true;
      // Count the word's own occurrences beyond those inside the longer phrases found.
      const own = haystack.split(m.folded).length - 1;
      const inside = longer.reduce((n, o) => n + (haystack.split(o.folded).length - 1), 0);
      return own > inside;
    })
    .map((m) => m.term);
}
