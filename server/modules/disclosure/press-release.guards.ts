import { normalizeIdentifier } from '../../../common/identifiers.ts';
import type { ContactRole, Disposition, Sex } from '../../../common/operations.ts';
import type { FactGroup, ReleaseFacts } from './press-release.text.ts';

/**
 * The guards a press release passes before anyone may approve it (issue #4, item 2): no value recorded
 * about the operation's persons, no free text written by staff, no figure that disagrees with the
 * recorded outcome, and — under investigation hold — counts and agency names only.
 */
export interface IdentifyingValue {
  kind: 'name' | 'alias' | 'phone' | 'address' | 'plate' | 'dob' | 'business' | 'handle';
  value: string;
}

/** What an `identifying` finding gives: a recorded value's kind, or a child's exact age. */
export type IdentifyingKind = IdentifyingValue['kind'] | 'age';

export interface GuardInput {
  facts: ReleaseFacts;
  /** Everything recorded that could point to a person: names, aliases, phones, addresses, plates, dates of birth. */
  identifying: IdentifyingValue[];
  /** Free text written by staff on the operation's records (briefing, notes, reasons, charges, labels). */
  staffText: string[];
  /** Names the release may print: agencies, the dateline city. */
  allowedNames: string[];
}

export interface GuardProblem {
  code: 'identifying' | 'staff_text' | 'figure' | 'hold';
  /** For `identifying`: what kind of recorded value the words give (a phone number is not a name). */
  kind?: IdentifyingKind | undefined;
  message: string;
  /** The offending words, and where they are in the text checked. */
  excerpt: string;
  start: number;
  end: number;
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

interface Token {
  word: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  const folded = fold(text);
  // NFKD folding keeps offsets only for text without expanding characters; map through a per-char scan.
  const re = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
  for (const m of folded.matchAll(re)) out.push({ word: m[0].replace(/['’]/g, ''), start: m.index, end: m.index + m[0].length });
  return out;
}

/** Finds a phrase (its words in order, whole words) in the text; returns the span. */
function findPhrase(textTokens: Token[], phrase: string): { start: number; end: number } | null {
  const words = tokens(phrase).map((t) => t.word);
  if (words.length === 0) return null;
  outer: for (let i = 0; i + words.length <= textTokens.length; i++) {
    for (let j = 0; j < words.length; j++) if (textTokens[i + j]!.word !== words[j]) continue outer;
    return { start: textTokens[i]!.start, end: textTokens[i + words.length - 1]!.end };
  }
  return null;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, enero: 1, feb: 2, february: 2, febrero: 2, mar: 3, march: 3, marzo: 3, apr: 4, april: 4, abril: 4,
  may: 5, mayo: 5, jun: 6, june: 6, junio: 6, jul: 7, july: 7, julio: 7, aug: 8, august: 8, agosto: 8, sep: 9, sept: 9,
  september: 9, septiembre: 9, setiembre: 9, oct: 10, october: 10, octubre: 10, nov: 11, november: 11, noviembre: 11,
  dec: 12, december: 12, diciembre: 12,
};

interface FoundDate {
  iso: string;
  start: number;
  end: number;
}

/** Dates written in any usual way: 2001-04-09, 4/9/2001, April 9, 2001, Apr. 9, 2001, 9 de abril de 2001. */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  const push = (y: number, m: number, d: number, start: number, end: number) => {
    if (m >= 1 && m <= 12 && d >= 1 && d <= 31) out.push({ iso: `${y}-${pad(m)}-${pad(d)}`, start, end });
  };
  const f = fold(text);
  for (const m of f.matchAll(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g)) push(+m[1]!, +m[2]!, +m[3]!, m.index, m.index + m[0].length);
  for (const m of f.matchAll(/\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b/g)) {
    const y = m[3]!.length === 2 ? 1900 + +m[3]! + (+m[3]! < 30 ? 100 : 0) : +m[3]!;
    push(y, +m[1]!, +m[2]!, m.index, m.index + m[0].length);
    push(y, +m[2]!, +m[1]!, m.index, m.index + m[0].length);
  }
  for (const m of f.matchAll(/\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/g)) {
    const month = MONTHS[m[1]!];
    if (month) push(+m[3]!, month, +m[2]!, m.index, m.index + m[0].length);
  }
  for (const m of f.matchAll(/\b(\d{1,2})\s+(?:de\s+)?([a-z]+)\.?,?\s+(?:de(?:l)?\s+)?(\d{4})\b/g)) {
    const month = MONTHS[m[2]!];
    if (month) push(+m[3]!, month, +m[1]!, m.index, m.index + m[0].length);
  }
  return out;
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
  cero: 0, un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19,
  veinte: 20, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90, cien: 100, ciento: 100,
  doscientos: 200, doscientas: 200, trescientos: 300, trescientas: 300, cuatrocientos: 400, cuatrocientas: 400, quinientos: 500,
  quinientas: 500, seiscientos: 600, seiscientas: 600, setecientos: 700, setecientas: 700, ochocientos: 800, ochocientas: 800,
  novecientos: 900, novecientas: 900, mil: 1000, thousand: 1000,
};

function wordNumber(word: string): number | null {
  if (word in NUMBER_WORDS) return NUMBER_WORDS[word]!;
  // twenty-three (tokenised as one word without the hyphen is not produced; hyphens split) and veintitres
  const veinti = /^veinti(\w+)$/.exec(word);
  if (veinti && veinti[1]! in NUMBER_WORDS && NUMBER_WORDS[veinti[1]!]! < 10) return 20 + NUMBER_WORDS[veinti[1]!]!;
  return null;
}

interface FoundNumber {
  value: number;
  start: number;
  end: number;
}

/**
 * What "un"/"una" count before: a person ("una mujer adulta", "un posible comprador"). Before anything
 * else it is an article ("un intérprete", "un operativo", "una investigación"), not the figure 1.
 */
const PERSON_AFTER_UN =
  /^\s+(?:(?:sol[oa]|posibles?|presunt[oa])\s+)?(?:hombres?|mujer(?:es)?|adult[oa]s?|nin[oa]s?|menor(?:es)?|testigos?|personas?|victimas?|sospechos[oa]s?|compradore?s?|detenid[oa]s?|arrestad[oa]s?|citad[oa]s?|liberad[oa]s?)\b/;

/** Whether `next` can follow a number already read as `sofar`: "treinta" then "y una", "ciento" then "una". */
function continues(sofar: number, next: number): boolean {
  if (sofar % 10 !== 0) return false;
  if (sofar % 100 !== 0) return next < 10;
  if (sofar % 1000 !== 0) return next < 100;
  return next < 1000;
}

/**
 * Every count in the text, as figures or words: "10", "1,234", "ten", "twenty-three", "one hundred
 * one", "treinta y un", "ciento una", "doscientas cuarenta", "mil doscientos", "veintitrés".
 */
function findNumbers(text: string): FoundNumber[] {
  const out: FoundNumber[] = [];
  const f = fold(text);
  for (const m of f.matchAll(/\b\d{1,3}(?:,\d{3})+\b|\b\d+\b/g)) out.push({ value: Number(m[0].replace(/,/g, '')), start: m.index, end: m.index + m[0].length });
  const words = [...f.matchAll(/[a-z]+/g)];
  const endOf = (w: RegExpMatchArray) => w.index! + w[0].length;
  const joined = (a: RegExpMatchArray, b: RegExpMatchArray | undefined) => b !== undefined && /^[- ]$/.test(f.slice(endOf(a), b.index));
  for (let i = 0; i < words.length; i++) {
    const first = wordNumber(words[i]![0]);
    if (first === null) continue;
    // Read the whole number the words make, joined by single spaces, hyphens or (tens and units) "y".
    let total = 0;
    let current = first;
    let last = i;
    for (let j = i + 1; j < words.length; j++) {
      let at = j;
      if (words[j]![0] === 'y') {
        if (!joined(words[last]!, words[j]) || current % 100 < 20 || current % 10 !== 0) break;
        at = j + 1;
      }
      if (!joined(words[at - 1]!, words[at])) break;
      const w = words[at]![0];
      if (w === 'hundred' && current % 100 > 0 && current < 100) {
        current *= 100;
      } else if ((w === 'thousand' || w === 'mil') && total === 0) {
        total += (current || 1) * 1000;
        current = 0;
      } else {
        const v = wordNumber(w);
        if (v === null || v === 0 || !continues(total + current, v)) break;
        current += v;
      }
      last = at;
      j = at;
    }
    const word = words[i]!;
    const alone = last === i;
    i = last;
    // "uno" stands for a person ("uno de los detenidos") and always counts; so do "un"/"una" before a
    // person or before "de" ("una de ellas"), which an article never precedes.
    if (alone && (word[0] === 'un' || word[0] === 'una')) {
      const rest = f.slice(endOf(word));
      if (!PERSON_AFTER_UN.test(rest) && !/^\s+de\b/.test(rest)) continue;
    }
    out.push({ value: total + current, start: word.index!, end: endOf(words[last]!) });
  }
  return out.sort((x, y) => x.start - y.start);
}

/**
 * Every run of digit groups that could be a phone number ("816.555.0142", "(816) 555-0142",
 * "8165550142"), and every contiguous part of such a run, so a number beside other figures is still found.
 */
function phoneLikeSpans(text: string): { digits: string; start: number; end: number }[] {
  const groups = [...text.matchAll(/\d+/g)].map((m) => ({ d: m[0], start: m.index, end: m.index + m[0].length }));
  const out: { digits: string; start: number; end: number }[] = [];
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length && j < i + 5; j++) {
      if (j > i && !/^[\s().+-]{0,3}$/.test(text.slice(groups[j - 1]!.end, groups[j]!.start))) break;
      digits += groups[j]!.d;
      let d = digits;
      if (d.length === 11 && d.startsWith('1')) d = d.slice(1);
      const open = text[groups[i]!.start - 1] === '(' ? 1 : 0;
      if (d.length >= 7) out.push({ digits: d, start: groups[i]!.start - open, end: groups[j]!.end });
    }
  }
  return out;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Written phone numbers: (816) 555-0142, 816.555.0142, 1-816-555-0142, +1 816 555 0142, 8165550142, 555-0142. */
const PHONE_SHAPE = /(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b1?\d{10}\b|\b\d{3}[.-]\d{4}\b/g;

/** Every phone-shaped run of digits in the text, with its digits (a leading 1 dropped). */
export function phoneShapes(text: string): { digits: string; start: number; end: number }[] {
  return [...text.matchAll(PHONE_SHAPE)].map((m) => ({ digits: m[0].replace(/\D/g, '').replace(/^1(?=\d{10}$)/, ''), start: m.index, end: m.index + m[0].length }));
}

const MONTH_WORDS =
  'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre';

/**
 * The day and year numbers of dates written without a full date: "Oct. 23", "from Oct. 23 to Oct. 24,
 * 2020", "23 de octubre", "del 23 al 24 de octubre", "in 2020". They are dates, not counts.
 */
function dateParts(folded: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const at = (m: RegExpMatchArray, group: string) => {
    const i = m[0].lastIndexOf(group);
    out.push({ start: m.index! + i, end: m.index! + i + group.length });
  };
  for (const m of folded.matchAll(new RegExp(`\\b(?:${MONTH_WORDS})\\.?\\s+(\\d{1,2})\\b`, 'g'))) at(m, m[1]!);
  for (const m of folded.matchAll(new RegExp(`\\b(\\d{1,2})\\s+de\\s+(?:${MONTH_WORDS})\\b`, 'g'))) out.push({ start: m.index, end: m.index + m[1]!.length });
  for (const m of folded.matchAll(new RegExp(`\\b(\\d{1,2})\\s+(?:al|a|y|to|and|through)\\s+(?:el\\s+)?(\\d{1,2})\\s+de\\s+(?:${MONTH_WORDS})\\b`, 'g'))) out.push({ start: m.index, end: m.index + m[1]!.length });
  for (const m of folded.matchAll(/\b(?:19|20)\d\d\b/g)) out.push({ start: m.index, end: m.index + 4 });
  return out;
}

const NUMBER_WORD_RE = '(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|uno|una|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieciseis|diecisiete|dieciocho|diecinueve|veinte|veinti[a-z]+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)';

/**
 * A person's exact age: "a 14-year-old", "a five-year-old girl", "aged 16", "age 34", "de 14 años",
 * "14 años de edad". Not "under the age of 5" nor "menores de 5 años" (an age band's bound).
 */
export function findAges(text: string): { value: number; start: number; end: number }[] {
  const f = fold(text);
  const out: { value: number; start: number; end: number }[] = [];
  const num = `(\\d{1,3}|${NUMBER_WORD_RE}(?:[- ]${NUMBER_WORD_RE})?(?:\\s+y\\s+${NUMBER_WORD_RE})?)`;
  const patterns = [
    new RegExp(`\\b${num}[- ]years?[- ]olds?\\b`, 'g'),
    new RegExp(`\\b${num}\\s+years?\\s+of\\s+age\\b`, 'g'),
    new RegExp(`\\baged?\\s+${num}\\b`, 'g'),
    new RegExp(`\\b${num}\\s+anos\\s+de\\s+edad\\b`, 'g'),
    new RegExp(`\\bde\\s+${num}\\s+anos\\b`, 'g'),
    new RegExp(`\\b(?:tiene|tenia|tenian|tienen)\\s+${num}\\s+anos\\b`, 'g'),
  ];
  for (const re of patterns) {
    for (const m of f.matchAll(re)) {
      if (/menor(es)?\s$/.test(f.slice(Math.max(0, m.index - 8), m.index))) continue;
      const words = m[1]!.split(/[- ]+|\s+y\s+/).filter((w) => w && w !== 'y');
      const value = /^\d+$/.test(m[1]!) ? Number(m[1]) : words.reduce((n, w) => n + (wordNumber(w) ?? 0), 0);
      if (out.some((a) => overlaps(a, { start: m.index, end: m.index + m[0].length }))) continue;
      out.push({ value, start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

/** Nouns a number counts that are not people: "two days", "one of the agencies", "tres condados". */
const NOT_PEOPLE =
  /^(?:\s+(?:of|de)(?:\s+(?:the|our|their|its|these|those|los|las|nuestros|nuestras|estos|estas|sus))?(?:\s+\d+)?)?(?:[\s-]+(?:more|other|additional|separate|different|consecutive|full|long|straight|partner|participating|local|state|federal|county|city|police|member|mas|otros|otras))?[\s-]+(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|nights?|mornings?|evenings?|weekends?|times?|percent|miles?|blocks?|count(?:y|ies)|cit(?:y|ies)|states?|agenc(?:y|ies)|departments?|offices?|organizations?|partners?|search|warrants?|dollars?|locations?|sites?|places?|million|billion|lugar(?:es)?|sitios?|millones|calls?|tips?|cases?|operations?|stings?|investigations?|ways?|things?|reasons?|steps?|goals?|services?|languages?|o'clock|dias?|semanas?|mes(?:es)?|anos?|horas?|minutos?|noches?|fines|veces|vez|por ciento|millas?|cuadras?|condados?|ciudad(?:es)?|estados?|agencias?|departamentos?|oficinas?|organizaciones?|socios?|ordenes|orden|dolares|llamadas?|denuncias?|casos?|operativos?|investigaciones?|maneras?|formas?|cosas?|razones?|pasos?|metas?|servicios?|idiomas?|officers?|troopers?|deputies|detectives?|agents?|advocates?|volunteers?|investigators?|staff|personnel|agentes|oficiales|policias|defensores|voluntarios|investigadores)\b(?![\s-]+(?:men|women|adults?|males?|females?|child(?:ren)?|minors?|juveniles?|girls?|boys?|victims?|suspects?|buyers?|persons?|people|individuals?|witnesses|witness|hombres?|mujer(?:es)?|adult[oa]s?|nin[oa]s?|menores?|victimas?|sospechos[oa]s?|personas?|testigos?|compradores?)\b)/;

/**
 * Whether a number in the text counts people, so that the figure guard must match it to the outcome.
 * Anything that might is read as a count (a missed count could narrow a withheld statistic); only
 * what plainly is not — a pronoun ("no one", "one should"), a time ("one day", "5 p.m."), a thing
 * counted ("two agencies"), money, a percentage, a decimal or section number — is left alone.
 */
function countsPeople(folded: string, n: { start: number; end: number }): boolean {
  const before = folded.slice(Math.max(0, n.start - 12), n.start);
  const after = folded.slice(n.end, n.end + 60);
  const word = folded.slice(n.start, n.end);
  if (/[$€]\s*$/.test(before) || /^\s*(%|percent\b|por ciento\b)/.test(after)) return false;
  if (/\d[.,:]$/.test(before) || /^[.:]\d/.test(after)) return false;
  if (/^\s*(a\.?\s?m\b|p\.?\s?m\b|o'clock|hrs?\b|horas?\b)/.test(after) || /\b(a las|a la|at)\s+$/.test(before)) return false;
  if (NOT_PEOPLE.test(after)) return false;
  // "25 million people worldwide": a population, never an operation's count.
  if (/^\s+(million|billion|millones|mil millones)\b/.test(after)) return false;
  // A road ("Interstate 70", "U.S. 50", "Route 65") or a law ("18 U.S.C. 1591", "section 566.203 RSMo").
  if (/\b(interstate|highway|hwy\.?|route|rt\.?|i|us|u\.s\.|carretera|autopista|ruta|section|sec\.|seccion|chapter|capitulo|bill|ley|rsmo|u\.?s\.?c\.?|§)[\s-]*$/.test(before) || /^\s*(u\.?s\.?c\b|rsmo\b)/.test(after)) return false;
  if (word === 'one' || word === 'uno') {
    // "no one", "anyone", "the one", "each one", "cada uno": a pronoun, not the figure 1.
    if (/\b(no|any|some|every|each|the|this|that|which|another|a|cada|ninguno|alguno|el|ese|este)\s+$/.test(before)) return false;
    if (/^(\s+(another|other(?!\s+(?:men|women|adults?|males?|females?|child(?:ren)?|minors?|juveniles?|girls?|boys?|victims?|suspects?|buyers?|persons?|people|individuals?|witness(?:es)?)\b)|should|must|can|cannot|could|would|may|might|shall|ought|needs|has to|day|time|way|thing|by one|more time|point|another's|thing)\b|-on-one|['’]s\b)/.test(after)) return false;
  }
  return true;
}


function sentenceSpans(text: string) {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  // A period ends a sentence unless it belongs to an abbreviation (Oct., Mo., U.S., St.).
  for (const m of text.matchAll(/[.!?](?=\s+[A-Z¿¡"“]|\s*$)|\n+/g)) {
    const before = text.slice(Math.max(0, m.index - 5), m.index);
    if (m[0] === '.' && /(\b[A-Z][a-z]{0,3}|\b[A-Z]\.[A-Z]|\bSt|\bMt|\bNo)$/.test(before) && !/\b(in|on|to|of|by|at)$/.test(before)) continue;
    out.push({ start, end: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

interface Claim {
  role: FactGroup['role'] | null;
  sex: Sex | null;
  /** `not_custody`: "other children"; `none`: persons with no disposition yet ("contacted as suspects"). */
  disposition: Disposition | 'not_custody' | 'none' | null;
}

/** What a clause counts: "Five adult males were contacted and detained" → suspects, male, detained. */
function claimOf(clause: string, sentence: string): Claim {
  const c = fold(clause);
  const s = fold(sentence);
  const has = (re: RegExp, t = c) => re.test(t);
  const ROLE_WORDS: [FactGroup['role'], RegExp][] = [
    ['minor', /\b(child|children|minor|minors|juvenile|juveniles|nino|ninos|nina|ninas|menor|menores)\b/],
    ['witness', /\b(witness|witnesses|testigo|testigos)\b/],
    ['adult_victim', /\b(offered|victim services|potential victims?|servicios para victimas|posibles? victimas?|ofrecieron|ofertas)\b/],
    ['suspect', /\b(detained|arrested|cited|released|buyers?|suspects?|detenid[oa]s?|arrestad[oa]s?|citad[oa]s?|liberad[oa]s?|sospechos[oa]s?)\b/],
  ];
  // The clause names the group; only when it does not is the whole sentence asked.
  const role = ROLE_WORDS.find(([, re]) => has(re))?.[0] ?? ROLE_WORDS.find(([, re]) => has(re, s))?.[0] ?? null;
  let sex: Sex | null = null;
  if (has(/\b(women|woman|females?|mujer|mujeres|girls?|ninas?)\b/)) sex = 'female';
  else if (has(/\b(men|man|males?|hombres?|boys?)\b/)) sex = 'male';
  let disposition: Claim['disposition'] = null;
  const DISPOSITION_WORDS: Partial<Record<NonNullable<Claim['role']>, [Claim['disposition'], RegExp][]>> = {
    minor: [
      ['not_custody', /\b(other|mas)\b/],
      ['protective_custody', /protective custody|custodia protectora/],
    ],
    suspect: [
      ['detained', /\b(detained|detenid)/],
      ['arrested', /\b(arrested|arrestad)/],
      ['cited', /\b(cited|citad)/],
      ['released', /\b(released|liberad)/],
      ['none', /\b(as (a )?suspects?|como sospechos[oa]s?)\b/],
    ],
    adult_victim: [['offered_services', /\b(offered|ofrecieron|ofertas|of them|de ellas|de ellos)\b/]],
  };
  const options = role ? (DISPOSITION_WORDS[role] ?? []) : [];
  // The clause's own words decide; the sentence only fills in what the clause leaves out.
  const inClause = options.find(([, re]) => has(re));
  if (inClause) disposition = inClause[0];
  else if (role === 'minor' || role === 'suspect') disposition = options.find(([d, re]) => d !== 'not_custody' && has(re, s))?.[0] ?? null;
  return { role, sex, disposition };
}

function expected(groups: FactGroup[], claim: Claim): number {
  return groups
    .filter((g) => g.role === claim.role)
    .filter((g) => !claim.sex || g.sex === claim.sex)
    .filter((g) =>
      claim.disposition === 'not_custody'
        ? g.disposition !== 'protective_custody'
        : claim.disposition === 'none'
          ? g.disposition === null
          : !claim.disposition || g.disposition === claim.disposition,
    )
    .reduce((n, g) => n + g.count, 0);
}

const HOTLINE_DIGITS = ['18883737888', '8883737888', '233733', '911'];

/**
 * A figure of a release's text matched to the recorded outcome (issue #8, item 3): how many of the
 * operation's persons had a role and/or a disposition, as the public reads it. The value is the figure
 * as written, which the guard has checked equals the recorded count of its claim. `exact` says the
 * claim is the role (and disposition) alone, so the figure is that whole count; a figure that names a
 * sex ("five adult males"), or persons with no disposition ("contacted as suspects"), counts part of
 * the role's persons and is a lower bound on them. Words the guard does not check against the outcome
 * (a suspect type, "buyers"; an age) do not narrow what the figure was checked to be, so they do not
 * make it a lower bound.
 */
export interface TextFigure {
  role: ContactRole;
  disposition?: Disposition | undefined;
  exact: boolean;
  value: number;
  /** Where the figure is in the text. */
  start: number;
  end: number;
  /**
   * Set on "three other children": the figure counts the minors not in protective custody, so beside a
   * protective-custody figure it gives all the minors ({@link releaseFigures}). `exact` when it names no sex.
   */
  otherThanCustody?: { exact: boolean } | undefined;
}

interface FigureReading {
  problems: Omit<GuardProblem, 'excerpt'>[];
  figures: TextFigure[];
}

/**
 * The one reading of a text's figures: each count is matched to a claim (role, sex, disposition) and
 * compared with the recorded outcome. A count that agrees is a figure; one that does not, or that
 * matches nothing, is a problem. Counts in dates, the hotline and "under the age of 5" are not figures.
 */
function readFigures(text: string, groups: FactGroup[]): FigureReading {
  const problems: FigureReading['problems'] = [];
  const figures: TextFigure[] = [];
  const add = (message: string, span: { start: number; end: number }) => problems.push({ code: 'figure', message, start: span.start, end: span.end });
  const folded = fold(text);
  const dates = findDates(text);
  const hotline = [...text.matchAll(/\+?\d[\d\s().-]{5,}\d|\b911\b|\b233733\b/g)]
    .filter((m) => HOTLINE_DIGITS.includes(m[0].replace(/\D/g, '')))
    .map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const days = dateParts(folded);
  const ages = findAges(text);
  // A phone number is one thing, not three figures: one finding for it, unless it is the hotline's.
  const phones = phoneShapes(text).filter((p) => !hotline.some((h) => overlaps(h, p)));
  for (const p of phones) add('is a phone number, not a figure of the outcome: a release prints only the hotline’s numbers', p);
  for (const sentence of sentenceSpans(text)) {
    const sText = text.slice(sentence.start, sentence.end);
    const numbers = findNumbers(sText).map((n) => ({ ...n, start: n.start + sentence.start, end: n.end + sentence.start }));
    for (const n of numbers) {
      if ([dates, hotline, days, phones, ages].some((spans) => spans.some((d) => overlaps(d, n)))) continue;
      if (/(age of|menor(es)? de)\s*$/.test(folded.slice(Math.max(0, n.start - 14), n.start))) {
        const sentenceClaim = claimOf(sText, sText);
        const bound = ageBound(groups.filter((g) => g.role === 'minor' && g.count > 0 && (sentenceClaim.disposition !== 'protective_custody' || g.disposition === 'protective_custody')));
        if (bound !== n.value) add(`says "under the age of ${n.value}", which the recorded age bands do not support`, n);
        continue;
      }
      if (!countsPeople(folded, n)) continue;
      // The clause around the figure: from the previous comma, semicolon, colon or "and" to the next.
      const before = text.slice(sentence.start, n.start);
      const after = text.slice(n.end, sentence.end);
      const lastAnd = [...before.matchAll(/\s(and|y)\s/g)].at(-1)?.index ?? -1;
      const clauseStart = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf(':'), lastAnd);
      const tail = after.search(/[,;:]|\s(and|y)\s\d/);
      const clause = text.slice(sentence.start + clauseStart + 1, tail >= 0 ? n.end + tail : sentence.end);
      const claim = claimOf(clause, sText);
      if (!claim.role) {
        add('is a figure Lantern cannot match to the recorded outcome', n);
        continue;
      }
      const want = expected(groups, claim);
      if (want !== n.value) {
        add(`says ${n.value} where the recorded outcome has ${want}`, n);
        continue;
      }
      figures.push(figureOf(claim as Claim & { role: ContactRole }, n));
    }
  }
  return { problems, figures };
}

function figureOf(claim: Claim & { role: ContactRole }, n: FoundNumber): TextFigure {
  const at = { value: n.value, start: n.start, end: n.end };
  if (claim.disposition === 'not_custody') return { role: claim.role, exact: false, ...at, otherThanCustody: { exact: claim.sex === null } };
  if (claim.disposition === 'none') return { role: claim.role, exact: false, ...at };
  return { role: claim.role, ...(claim.disposition ? { disposition: claim.disposition } : {}), exact: claim.sex === null, ...at };
}

/** Every figure of `text` that agrees with the recorded outcome (see {@link TextFigure}). */
export function figuresOf(text: string, facts: Pick<ReleaseFacts, 'groups'>): TextFigure[] {
  return readFigures(text, facts.groups).figures;
}

/** A figure of a whole release (both languages, every field), with every place it is written. */
export interface ReleaseFigure {
  role?: ContactRole | undefined;
  disposition?: Disposition | undefined;
  exact: boolean;
  value: number;
  at: { field: string; start: number; end: number }[];
}

/**
 * The figures a reader of the whole release holds, identical ones once: each field's figures, and for
 * every "other children" figure beside a protective-custody figure, their sum, which counts all the
 * minors (exact when neither names a sex, written where both are). An "other children" figure alone
 * is a lower bound on the minors.
 */
export function releaseFigures(fields: readonly { field: string; figures: readonly TextFigure[] }[]): ReleaseFigure[] {
  const out = new Map<string, ReleaseFigure>();
  const put = (f: Omit<ReleaseFigure, 'at'>, at: ReleaseFigure['at']) => {
    const key = `${f.role ?? ''}|${f.disposition ?? ''}|${f.exact}|${f.value}`;
    const kept = out.get(key) ?? { ...(f.role ? { role: f.role } : {}), ...(f.disposition ? { disposition: f.disposition } : {}), exact: f.exact, value: f.value, at: [] };
    for (const a of at) if (!kept.at.some((b) => b.field === a.field && b.start === a.start && b.end === a.end)) kept.at.push(a);
    out.set(key, kept);
  };
  const all = fields.flatMap(({ field, figures }) => figures.map((f) => ({ f, at: { field, start: f.start, end: f.end } })));
  for (const { f, at } of all) put({ role: f.role, disposition: f.disposition, exact: f.exact, value: f.value }, [at]);
  const custody = all.filter(({ f }) => f.role === 'minor' && f.disposition === 'protective_custody');
  for (const { f: other, at } of all) {
    if (!other.otherThanCustody) continue;
    for (const c of custody) put({ role: 'minor', exact: other.otherThanCustody.exact && c.f.exact, value: other.value + c.f.value }, [at, c.at]);
  }
  return [...out.values()];
}

/** Checks a release's text; an empty list means it may go to approval. */
export function checkRelease(text: string, input: GuardInput): GuardProblem[] {
  return inspectRelease(text, input).problems;
}

/** {@link checkRelease}'s problems and, from the same reading, the text's figures that agree with the outcome. */
export function inspectRelease(text: string, input: GuardInput): { problems: GuardProblem[]; figures: TextFigure[] } {
  const problems: GuardProblem[] = [];
  const add = (code: GuardProblem['code'], message: string, span: { start: number; end: number }, kind?: IdentifyingKind) =>
    problems.push({ code, ...(kind ? { kind } : {}), message, excerpt: text.slice(span.start, span.end), start: span.start, end: span.end });
  const textTokens = tokens(text);
  const allowedWords = new Set(input.allowedNames.flatMap((n) => tokens(n).map((t) => t.word)));
  const folded = fold(text);

  // 1. Values recorded about the operation's persons.
  for (const item of input.identifying) {
    const v = item.value.trim();
    if (!v) continue;
    if (item.kind === 'name' || item.kind === 'alias' || item.kind === 'business' || item.kind === 'handle') {
      const span = findPhrase(textTokens, v);
      if (span) {
        add('identifying', `contains a ${item.kind} recorded for this operation`, span, item.kind);
        continue;
      }
      if (item.kind === 'name' || item.kind === 'alias') {
        for (const t of tokens(v)) {
          if (t.word.length < 3 || allowedWords.has(t.word) || /^\d+$/.test(t.word)) continue;
          const hit = textTokens.find((x) => x.word === t.word);
          if (hit) add('identifying', `contains part of a ${item.kind} recorded for this operation`, hit, item.kind);
        }
      }
    } else if (item.kind === 'phone') {
      const target = normalizeIdentifier('phone', v);
      if (!target || HOTLINE_DIGITS.includes(target)) continue;
      for (const span of phoneLikeSpans(text)) {
        if (span.digits === target || (span.digits.length >= 7 && target.endsWith(span.digits))) add('identifying', 'contains a phone number recorded for this operation', span, 'phone');
      }
    } else if (item.kind === 'dob') {
      for (const d of findDates(text)) if (d.iso === v.slice(0, 10)) add('identifying', 'contains a date of birth recorded for this operation', d, 'dob');
    } else if (item.kind === 'plate') {
      const plate = (normalizeIdentifier('plate', v) ?? '').split(':').at(-1)!;
      if (plate.length < 4) continue;
      // The plate's characters in order, with any spaces or hyphens between them: "KX4 82T", "kx4-82t".
      const written = new RegExp(`(?<![A-Z0-9])${[...plate].join('[\\s-]*')}(?![A-Z0-9])`, 'gi');
      for (const m of text.matchAll(written)) add('identifying', 'contains a license plate recorded for this operation', { start: m.index, end: m.index + m[0].length }, 'plate');
    } else if (item.kind === 'address') {
      const addr = normalizeIdentifier('address', v);
      if (!addr) continue;
      const words = addr.split(' ');
      // The street number and name are enough to point at a place.
      const key = words.slice(0, Math.min(3, words.length)).join(' ');
      const normalizedText = normalizeIdentifier('address', text) ?? '';
      const at = (' ' + normalizedText + ' ').indexOf(' ' + key + ' ');
      if (at >= 0) {
        const span = findPhrase(textTokens, words[0]!) ?? { start: 0, end: Math.min(text.length, 20) };
        add('identifying', 'contains an address recorded for this operation', span, 'address');
      }
    }
  }

  // 2. Free text written by staff: any run of five words taken from it.
  const releaseShingles = new Map<string, { start: number; end: number }>();
  for (let i = 0; i + 5 <= textTokens.length; i++) {
    releaseShingles.set(textTokens.slice(i, i + 5).map((t) => t.word).join(' '), { start: textTokens[i]!.start, end: textTokens[i + 4]!.end });
  }
  for (const staff of input.staffText) {
    const st = tokens(staff);
    if (st.length < 5) {
      const span = st.length >= 2 && staff.length >= 10 ? findPhrase(textTokens, staff) : null;
      if (span) add('staff_text', 'repeats free text written by staff on this operation', span);
      continue;
    }
    let hit: { start: number; end: number } | null = null;
    for (let i = 0; i + 5 <= st.length; i++) {
      const found = releaseShingles.get(st.slice(i, i + 5).map((t) => t.word).join(' '));
      if (found) hit = hit ? { start: Math.min(hit.start, found.start), end: Math.max(hit.end, found.end) } : found;
    }
    if (hit) add('staff_text', 'repeats free text written by staff on this operation', hit);
  }

  // 3. Figures must agree with the recorded outcome.
  const reading = readFigures(text, input.facts.groups);
  for (const p of reading.problems) add(p.code, p.message, p);

  // 4. Under investigation hold: counts and agency names only.
  if (input.facts.hold) {
    for (const m of folded.matchAll(/\b(charged?|charges|charging|indicted|cargos?|acusad[oa]s?|imputad[oa]s?)\b/g)) {
      add('hold', 'mentions charges while the investigation is under hold', { start: m.index, end: m.index + m[0].length });
    }
  }
  // 5. A person's exact age: under hold, nothing but age bands; otherwise a child's age is never printed.
  for (const age of findAges(text)) {
    if (input.facts.hold) add('hold', 'gives an age while the investigation is under hold (age bands only)', age);
    else if (age.value < 18) add('identifying', 'gives a child’s exact age (a release gives age bands only)', age, 'age');
  }
  return { problems: collapseFindings(problems, text), figures: reading.figures };
}

/** The guard codes from the most serious (what identifies a person) down. */
export const PROBLEM_ORDER = ['identifying', 'staff_text', 'hold', 'statistics', 'figure'] as const;

/**
 * One finding per passage: findings whose spans are the same or lie one within another (a phone
 * number, the local number inside it, and the digits the figure guard read in it) become one, over
 * their whole span, with the most serious reason. Findings in different fields never merge.
 */
export function collapseFindings<P extends { code: string; kind?: string | undefined; message: string; excerpt: string; start: number; end: number; field?: string }>(problems: readonly P[], text: string | ((p: P) => string)): P[] {
  const rank = (p: P) => {
    const i = (PROBLEM_ORDER as readonly string[]).indexOf(p.code);
    return i < 0 ? PROBLEM_ORDER.length : i;
  };
  const sorted = [...problems].sort((a, b) => (a.field ?? '').localeCompare(b.field ?? '') || a.start - b.start || b.end - a.end || rank(a) - rank(b));
  const out: P[] = [];
  for (const p of sorted) {
    const within = out.findIndex((q) => (q.field ?? '') === (p.field ?? '') && ((q.start <= p.start && p.end <= q.end) || (p.start <= q.start && q.end <= p.end)));
    if (within < 0) {
      out.push({ ...p, excerpt: (typeof text === 'string' ? text : text(p)).slice(p.start, p.end) });
      continue;
    }
    const q = out[within]!;
    const strongest = rank(p) < rank(q) ? p : q;
    const start = Math.min(p.start, q.start);
    const end = Math.max(p.end, q.end);
    const source = typeof text === 'string' ? text : text(p);
    out[within] = { ...strongest, start, end, excerpt: source.slice(start, end) };
  }
  return out.sort((a, b) => (a.field ?? '').localeCompare(b.field ?? '') || a.start - b.start);
}

function ageBound(minors: FactGroup[]): number | null {
  const limits: Record<string, number> = { under_5: 5, '5_to_11': 12, '12_to_14': 15 };
  let max = 0;
  for (const g of minors) {
    const l = limits[g.ageBand];
    if (l === undefined) return null;
    max = Math.max(max, l);
  }
  return max || null;
}
