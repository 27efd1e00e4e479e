import type { AgeBand, ContactRole, Disposition, OperationType, Service, Sex } from '../../../common/operations.ts';
import { MINOR_AGE_BANDS, SERVICES } from '../../../common/operations.ts';
import { apCount, apDateRange, AP_STATES, listJoin, type Gender, type Lang } from './ap-style.ts';
import { agencyFirst, toAgencyEs, withArticleEs } from './ap-style.agencies.ts';

/** One cell of an operation's outcome: how many persons of this role, sex, band and disposition. */
export interface FactGroup {
  role: ContactRole;
  sex: Sex;
  ageBand: AgeBand;
  disposition: Disposition | null;
  count: number;
}

/** Everything a press release may say about an operation: counts and agency names, nothing about a person. */
export interface ReleaseFacts {
  operationType: OperationType;
  /** The calendar date (local, YYYY-MM-DD) the operation actually started: when it was made active. */
  date: string;
  /**
   * The calendar date it was closed; null while it is still running; absent, it ran on `date` alone.
   * A release says when the operation ran, never when it was planned to.
   */
  endDate?: string | null | undefined;
  city: string;
  stateFips: string;
  leadAgency: string;
  partners: string[];
  advocates: string[];
  /** Child-welfare agencies that received children in protective custody. */
  childWelfare: string[];
  groups: FactGroup[];
  /** Adult potential victims offered each service. */
  servicesOffered: Partial<Record<Service, number>>;
  hold: boolean;
  hotline: { phone: string; text: string };
}

export interface DraftText {
  title: string;
  dateline: string;
  paragraphs: string[];
}

const OPERATION_PHRASE: Record<OperationType, Record<Lang, string>> = {
  buyer_sting: { en: 'a human trafficking operation targeting sex buyers', es: 'un operativo contra la trata de personas dirigido a compradores de sexo' },
  victim_recovery: { en: 'a human trafficking operation to find and help victims', es: 'un operativo contra la trata de personas para encontrar y ayudar a las víctimas' },
  massage_inspection: { en: 'inspections of illicit massage businesses', es: 'inspecciones de negocios de masajes ilícitos' },
  warrant_service: { en: 'a human trafficking investigation in which search warrants were served', es: 'una investigación de trata de personas en la que se ejecutaron órdenes de registro' },
  other: { en: 'a human trafficking operation', es: 'un operativo contra la trata de personas' },
};

export const SERVICE_WORDS: Record<Service, Record<Lang, string>> = {
  food: { en: 'food', es: 'alimentos' },
  lodging: { en: 'lodging', es: 'alojamiento' },
  medical: { en: 'onsite medical services', es: 'servicios médicos en el lugar' },
  counseling: { en: 'counseling/therapy', es: 'consejería/terapia' },
  drug_rehabilitation: { en: 'drug rehabilitation', es: 'rehabilitación de drogas' },
  shelter: { en: 'shelter', es: 'refugio' },
  legal: { en: 'legal services', es: 'servicios legales' },
  interpreter: { en: 'an interpreter', es: 'un intérprete' },
  immigration_relief: { en: 'immigration relief', es: 'ayuda migratoria' },
  transportation: { en: 'transportation', es: 'transporte' },
  safety_planning: { en: 'safety planning', es: 'planificación de seguridad' },
};

/** The people-words of a group: "adult males", "adult women", "children" — singular and plural. */
export const PERSON_WORDS = {
  suspect: {
    male: { en: ['adult male', 'adult males'], es: ['hombre adulto', 'hombres adultos'], g: 'm' },
    female: { en: ['adult female', 'adult females'], es: ['mujer adulta', 'mujeres adultas'], g: 'f' },
    mixed: { en: ['adult', 'adults'], es: ['adulto', 'adultos'], g: 'm' },
  },
  adult_victim: {
    male: { en: ['adult man', 'adult men'], es: ['hombre adulto', 'hombres adultos'], g: 'm' },
    female: { en: ['adult woman', 'adult women'], es: ['mujer adulta', 'mujeres adultas'], g: 'f' },
    mixed: { en: ['adult', 'adults'], es: ['adulto', 'adultos'], g: 'm' },
  },
  minor: {
    male: { en: ['child', 'children'], es: ['niño', 'niños'], g: 'm' },
    female: { en: ['child', 'children'], es: ['niña', 'niñas'], g: 'f' },
    mixed: { en: ['child', 'children'], es: ['niño', 'niños'], g: 'm' },
  },
  witness: {
    male: { en: ['witness', 'witnesses'], es: ['testigo', 'testigos'], g: 'm' },
    female: { en: ['witness', 'witnesses'], es: ['testigo', 'testigos'], g: 'f' },
    mixed: { en: ['witness', 'witnesses'], es: ['testigo', 'testigos'], g: 'm' },
  },
} as const;

const DISPOSITION_WORDS: Record<Exclude<Disposition, 'offered_services' | 'protective_custody'>, { en: string; es: [string, string, string, string] }> = {
  // es: masculine singular, feminine singular, masculine plural, feminine plural
  detained: { en: 'detained', es: ['detenido', 'detenida', 'detenidos', 'detenidas'] },
  arrested: { en: 'arrested', es: ['arrestado', 'arrestada', 'arrestados', 'arrestadas'] },
  cited: { en: 'cited', es: ['citado', 'citada', 'citados', 'citadas'] },
  released: { en: 'released', es: ['liberado', 'liberada', 'liberados', 'liberadas'] },
};

const esForm = (forms: readonly [string, string, string, string], g: Gender, n: number) => forms[(n === 1 ? 0 : 2) + (g === 'f' ? 1 : 0)]!;
const sexKey = (groups: FactGroup[]): 'male' | 'female' | 'mixed' => {
  const sexes = new Set(groups.filter((g) => g.count > 0).map((g) => g.sex));
  return sexes.size === 1 && sexes.has('male') ? 'male' : sexes.size === 1 && sexes.has('female') ? 'female' : 'mixed';
};
const sum = (groups: FactGroup[]) => groups.reduce((n, g) => n + g.count, 0);

function contacted(lang: Lang, g: Gender, n: number) {
  return lang === 'en' ? (n === 1 ? 'was contacted' : 'were contacted') : `${n === 1 ? 'fue' : 'fueron'} ${esForm(['contactado', 'contactada', 'contactados', 'contactadas'], g, n)}`;
}

/** "Five adult males were contacted and detained." — one sentence per disposition of the suspects. */
function suspectSentences(groups: FactGroup[], lang: Lang): string[] {
  const out: string[] = [];
  const byDisposition = new Map<Disposition | null, FactGroup[]>();
  for (const g of groups) byDisposition.set(g.disposition, [...(byDisposition.get(g.disposition) ?? []), g]);
  for (const [disposition, gs] of byDisposition) {
    const n = sum(gs);
    if (n === 0) continue;
    const words = PERSON_WORDS.suspect[sexKey(gs)];
    const noun = words[lang][n === 1 ? 0 : 1];
    const g = words.g as Gender;
    const count = apCount(n, lang, { start: true, gender: g });
    if (disposition && disposition in DISPOSITION_WORDS) {
      const d = DISPOSITION_WORDS[disposition as keyof typeof DISPOSITION_WORDS];
      out.push(lang === 'en' ? `${count} ${noun} ${contacted(lang, g, n)} and ${d.en}.` : `${count} ${noun} ${contacted(lang, g, n)} y ${esForm(d.es, g, n)}.`);
    } else {
      out.push(lang === 'en' ? `${count} ${noun} ${contacted(lang, g, n)} as ${n === 1 ? 'a suspect' : 'suspects'}.` : `${count} ${noun} ${contacted(lang, g, n)} como ${n === 1 ? 'sospechoso' : 'sospechosos'}.`);
    }
  }
  return out;
}

function victimSentences(groups: FactGroup[], services: Partial<Record<Service, number>>, lang: Lang): string[] {
  const n = sum(groups);
  if (n === 0) return [];
  const words = PERSON_WORDS.adult_victim[sexKey(groups)];
  const g = words.g as Gender;
  const noun = words[lang][n === 1 ? 0 : 1];
  const count = apCount(n, lang, { start: true, gender: g });
  const offeredCount = sum(groups.filter((x) => x.disposition === 'offered_services'));
  const offered = SERVICES.filter((s) => (services[s] ?? 0) > 0).map((s) => SERVICE_WORDS[s][lang]);
  const asVictims = lang === 'en' ? ` as potential ${n === 1 ? 'victim' : 'victims'}` : ` como ${n === 1 ? 'posible víctima' : 'posibles víctimas'}`;
  if (offeredCount === 0 || offered.length === 0) return [`${count} ${noun} ${contacted(lang, g, n)}${asVictims}.`];
  const including = lang === 'en' ? `including ${listJoin(offered, 'en')}` : `incluidos ${listJoin(offered, 'es')}`;
  if (offeredCount === n) {
    return lang === 'en'
      ? [`${count} ${noun} ${contacted(lang, g, n)} and offered victim services, ${including}.`]
      : [`${count} ${noun} ${contacted(lang, g, n)} y ${n === 1 ? 'se le ofrecieron' : 'se les ofrecieron'} servicios para víctimas, ${including}.`];
  }
  const m = apCount(offeredCount, lang, { start: true, gender: g });
  return lang === 'en'
    ? [`${count} ${noun} ${contacted(lang, g, n)}${asVictims}.`, `${m} of them ${offeredCount === 1 ? 'was' : 'were'} offered victim services, ${including}.`]
    : [`${count} ${noun} ${contacted(lang, g, n)}${asVictims}.`, `A ${numberOf(offeredCount, g)} de ${g === 'f' ? 'ellas' : 'ellos'} se ${offeredCount === 1 ? 'le' : 'les'} ofrecieron servicios para víctimas, ${including}.`];
}

const numberOf = (n: number, g: Gender) => apCount(n, 'es', { gender: g });

/** The age every child was under, when it says something: "all under the age of 5". */
function allUnder(groups: FactGroup[]): number | null {
  const bands = new Set(groups.filter((g) => g.count > 0).map((g) => g.ageBand));
  const limits: Partial<Record<AgeBand, number>> = { under_5: 5, '5_to_11': 12, '12_to_14': 15 };
  if ([...bands].some((b) => !(MINOR_AGE_BANDS as readonly string[]).includes(b) || b === '15_to_17')) return null;
  return Math.max(...[...bands].map((b) => limits[b] ?? 18));
}

function minorSentences(groups: FactGroup[], childWelfare: string[], lang: Lang): string[] {
  const out: string[] = [];
  const custody = groups.filter((g) => g.disposition === 'protective_custody');
  const others = groups.filter((g) => g.disposition !== 'protective_custody');
  const n = sum(custody);
  if (n > 0) {
    const words = PERSON_WORDS.minor[sexKey(custody)];
    const g = words.g as Gender;
    const noun = words[lang][n === 1 ? 0 : 1];
    const under = allUnder(custody);
    const to = childWelfare.length ? childWelfare : [];
    if (lang === 'en') {
      const ageText = under ? (n === 1 ? `, under the age of ${under},` : `, all under the age of ${under},`) : '';
      const released = to.length ? ` and released to ${listJoin(to.map((a) => agencyFirst(a, 'en')), 'en')}` : '';
      out.push(`${apCount(n, 'en', { start: true })} ${noun}${ageText} ${n === 1 ? 'was' : 'were'} taken into protective custody${released}.`);
    } else {
      const ageText = under ? (n === 1 ? `, menor de ${under} años,` : `, ${g === 'f' ? 'todas' : 'todos'} menores de ${under} años,`) : '';
      const released = to.length ? ` y ${esForm(['entregado', 'entregada', 'entregados', 'entregadas'], g, n)} ${listJoin(to.map(toAgencyEs), 'es')}` : '';
      const placed = esForm(['puesto', 'puesta', 'puestos', 'puestas'], g, n);
      out.push(`${apCount(n, 'es', { start: true, gender: g })} ${noun}${ageText} ${n === 1 ? 'fue' : 'fueron'} ${placed} bajo custodia protectora${released}.`);
    }
  }
  const m = sum(others);
  if (m > 0) {
    const words = PERSON_WORDS.minor[sexKey(others)];
    const g = words.g as Gender;
    const noun = words[lang][m === 1 ? 0 : 1];
    out.push(lang === 'en' ? `${apCount(m, 'en', { start: true })} other ${noun} ${contacted('en', g, m)}.` : `${apCount(m, 'es', { start: true, gender: g })} ${noun} más ${contacted('es', g, m)}.`);
  }
  return out;
}

function witnessSentences(groups: FactGroup[], lang: Lang): string[] {
  const n = sum(groups);
  if (n === 0) return [];
  const noun = PERSON_WORDS.witness.mixed[lang][n === 1 ? 0 : 1];
  return lang === 'en'
    ? [`${apCount(n, 'en', { start: true })} ${noun} ${n === 1 ? 'was' : 'were'} interviewed.`]
    : [`${apCount(n, 'es', { start: true })} ${noun} ${n === 1 ? 'fue entrevistado' : 'fueron entrevistados'}.`];
}

export function hotlineParagraph(lang: Lang, hotline: { phone: string; text: string }) {
  return lang === 'en'
    ? `Anyone with information about human trafficking, or who suspects it, is asked to call the National Human Trafficking Hotline at ${hotline.phone} or text ${hotline.text}. In an emergency, call 911.`
    : `Cualquier persona que tenga información sobre la trata de personas, o que la sospeche, puede llamar a la Línea Nacional contra la Trata de Personas al ${hotline.phone} o enviar un mensaje de texto al ${hotline.text}. En caso de emergencia, llame al 911.`;
}

export function holdParagraph(lang: Lang) {
  return lang === 'en'
    ? 'Because the investigation is ongoing, no further details about those detained will be released.'
    : 'Debido a que la investigación continúa, no se darán más detalles sobre las personas detenidas.';
}

function headline(facts: ReleaseFacts, lang: Lang): string {
  const bits: string[] = [];
  const suspects = sum(facts.groups.filter((g) => g.role === 'suspect' && g.disposition === 'detained'));
  const arrested = sum(facts.groups.filter((g) => g.role === 'suspect' && g.disposition === 'arrested'));
  const victims = sum(facts.groups.filter((g) => g.role === 'adult_victim' && g.disposition === 'offered_services'));
  const custody = sum(facts.groups.filter((g) => g.role === 'minor' && g.disposition === 'protective_custody'));
  // AP headlines use figures for every number.
  if (lang === 'en') {
    if (suspects) bits.push(`${suspects} ${suspects === 1 ? 'adult' : 'adults'} detained`);
    if (arrested) bits.push(`${arrested} arrested`);
    if (victims) bits.push(`${victims} offered victim services`);
    if (custody) bits.push(`${custody} ${custody === 1 ? 'child' : 'children'} taken into protective custody`);
    const city = facts.city;
    return bits.length ? `Human trafficking operation in ${city}: ${listJoin(bits, 'en')}` : `Human trafficking operation in ${city}`;
  }
  // Spanish agrees in gender: "3 adultas detenidas" when every one was a woman.
  const female = (d: Disposition) => sexKey(facts.groups.filter((g) => g.role === 'suspect' && g.disposition === d)) === 'female';
  if (suspects) bits.push(`${suspects} ${esForm(female('detained') ? ['adulta detenida', 'adulta detenida', 'adultas detenidas', 'adultas detenidas'] : ['adulto detenido', 'adulto detenido', 'adultos detenidos', 'adultos detenidos'], 'm', suspects)}`);
  if (arrested) bits.push(`${arrested} ${esForm(['persona arrestada', 'persona arrestada', 'personas arrestadas', 'personas arrestadas'], 'm', arrested)}`);
  if (victims) bits.push(`${victims} ${victims === 1 ? 'persona recibió' : 'personas recibieron'} ofertas de servicios para víctimas`);
  if (custody) bits.push(`${custody} ${custody === 1 ? 'menor' : 'menores'} bajo custodia protectora`);
  return bits.length ? `Operativo contra la trata de personas en ${facts.city}: ${listJoin(bits, 'es')}` : `Operativo contra la trata de personas en ${facts.city}`;
}

/**
 * Drafts a release from the recorded outcome: headline, dateline, lead paragraph, one sentence per
 * outcome group, partners and advocates, the hold sentence while the investigation is ongoing, and the
 * hotline. Every figure in it comes from `facts`.
 */
export function draftText(facts: ReleaseFacts, lang: Lang): DraftText {
  const state = AP_STATES[facts.stateFips] ?? { en: '', es: '' };
  const dateline = `${facts.city.toUpperCase()}${state[lang] ? `, ${state[lang]}` : ''} —`;
  const when = apDateRange(facts.date, facts.endDate === undefined ? facts.date : facts.endDate, lang);
  const lead =
    lang === 'en'
      ? `${capitalize(agencyFirst(facts.leadAgency, 'en'))} led ${OPERATION_PHRASE[facts.operationType].en} in ${facts.city} ${when}${facts.partners.length || facts.advocates.length ? ', with partner agencies and victim advocates' : ''}.`
      : `${capitalize(agencyFirst(facts.leadAgency, 'es'))} encabezó ${OPERATION_PHRASE[facts.operationType].es} en ${facts.city} ${when}${facts.partners.length || facts.advocates.length ? ', con agencias asociadas y defensores de víctimas' : ''}.`;
  const by = (role: ContactRole) => facts.groups.filter((g) => g.role === role);
  const outcome = [
    ...suspectSentences(by('suspect'), lang),
    ...victimSentences(by('adult_victim'), facts.servicesOffered, lang),
    ...minorSentences(by('minor'), facts.childWelfare, lang),
    ...witnessSentences(by('witness'), lang),
  ];
  const paragraphs = [`${dateline} ${lead}`, ...outcome];
  if (facts.hold) paragraphs.push(holdParagraph(lang));
  if (facts.partners.length) {
    paragraphs.push(
      lang === 'en'
        ? `Other agencies that took part were ${listJoin(facts.partners.map((a) => agencyFirst(a, 'en')), 'en')}.`
        : `También participaron ${listJoin(facts.partners.map(withArticleEs), 'es')}.`,
    );
  }
  if (facts.advocates.length) {
    paragraphs.push(
      lang === 'en'
        ? `Victim advocates from ${listJoin(facts.advocates.map((a) => agencyFirst(a, 'en')), 'en')} were also credited with involvement.`
        : `También se reconoció la participación de defensores de víctimas ${`de ${listJoin(facts.advocates.map(withArticleEs), 'es')}`.replace(/^de el /, 'del ')}.`,
    );
  }
  paragraphs.push(hotlineParagraph(lang, facts.hotline));
  return { title: headline(facts, lang), dateline, paragraphs };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
