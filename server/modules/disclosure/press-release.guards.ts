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
      if (d.length >= 7) out.push({ digits: d, start: groups[i]!.start, end: groups[j]!.end });
    }
  }
  return out;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

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
  for (const sentence of sentenceSpans(text)) {
    const sText = text.slice(sentence.start, sentence.end);
    const numbers = findNumbers(sText).map((n) => ({ ...n, start: n.start + sentence.start, end: n.end + sentence.start }));
    for (const n of numbers) {
      if (dates.some((d) => overlaps(d, n)) || hotline.some((h) => overlaps(h, n))) continue;
      if (/(age of|menor(es)? de)\s*$/.test(folded.slice(Math.max(0, n.start - 14), n.start))) {
        const sentenceClaim = claimOf(sText, sText);
        const bound = ageBound(groups.filter((g) => g.role === 'minor' && g.count > 0 && (sentenceClaim.disposition !== 'protective_custody' || g.disposition === 'protective_custody')));
        if (bound !== n.value) add(`says "under the age of ${n.value}", which the recorded age bands do not support`, n);
        continue;
      }
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
  const add = (code: GuardProblem['code'], message: string, span: { start: number; end: number }) =>
    problems.push({ code, message, excerpt: text.slice(span.start, span.end), start: span.start, end: span.end });
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
        add('identifying', `contains a ${item.kind} recorded for this operation`, span);
        continue;
      }
      if (item.kind === 'name' || item.kind === 'alias') {
        for (const t of tokens(v)) {
          if (t.word.length < 3 || allowedWords.has(t.word) || /^\d+$/.test(t.word)) continue;
          const hit = textTokens.find((x) => x.word === t.word);
          if (hit) add('identifying', `contains part of a ${item.kind} recorded for this operation`, hit);
        }
      }
    } else if (item.kind === 'phone') {
      const target = normalizeIdentifier('phone', v);
      if (!target || HOTLINE_DIGITS.includes(target)) continue;
      for (const span of phoneLikeSpans(text)) {
        if (span.digits === target || (span.digits.length >= 7 && target.endsWith(span.digits))) add('identifying', 'contains a phone number recorded for this operation', span);
      }
    } else if (item.kind === 'dob') {
      for (const d of findDates(text)) if (d.iso === v.slice(0, 10)) add('identifying', 'contains a date of birth recorded for this operation', d);
    } else if (item.kind === 'plate') {
      const plate = (normalizeIdentifier('plate', v) ?? '').split(':').at(-1)!;
      if (plate.length < 4) continue;
      for (const m of text.toUpperCase().matchAll(/[A-Z0-9][A-Z0-9 -]{2,12}[A-Z0-9]/g)) {
        if (m[0].replace(/[^A-Z0-9]/g, '').includes(plate)) add('identifying', 'contains a license plate recorded for this operation', { start: m.index, end: m.index + m[0].length });
      }
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
        add('identifying', 'contains an address recorded for this operation', span);
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
    for (const m of folded.matchAll(/\b\d+[- ]years?[- ]old\b|\b\d+\s+anos de edad\b|\baged?\s+\d+\b|\bde\s+\d+\s+anos\b/g)) {
      // "menores de 5 años" is the band's bound ("under the age of 5"), not an age.
      if (/menor(es)?\s$/.test(folded.slice(Math.max(0, m.index - 8), m.index))) continue;
      add('hold', 'gives an age while the investigation is under hold (age bands only)', { start: m.index, end: m.index + m[0].length });
    }
  }
  return { problems: problems.sort((a, b) => a.start - b.start), figures: reading.figures };
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
