import { US_STATES } from '../../../common/states.ts';
import { withArticle, type Lang } from './ap-style.ts';

/**
 * Agency names the way AP prints them on first reference: spelled out ("the Missouri Department of
 * Social Services' Children's Division", not "Missouri DSS Children's Division"), and in Spanish in
 * their Spanish form ("el Departamento de Policía de Oak Grove"). A name Lantern does not recognize is
 * a proper noun and is kept as written.
 */

/** Abbreviations agencies are recorded with, spelled out. Keys are matched as whole words, case-sensitively. */
const ABBREVIATIONS: Record<string, string> = {
  DSS: 'Department of Social Services',
  DHS: 'Department of Homeland Security',
  DOJ: 'Department of Justice',
  DPS: 'Department of Public Safety',
  HSI: 'Homeland Security Investigations',
  ICE: 'Immigration and Customs Enforcement',
  FBI: 'Federal Bureau of Investigation',
  DEA: 'Drug Enforcement Administration',
  ATF: 'Bureau of Alcohol, Tobacco, Firearms and Explosives',
  IRS: 'Internal Revenue Service',
  USMS: 'U.S. Marshals Service',
  MSHP: 'Missouri State Highway Patrol',
  AGO: "Attorney General's Office",
  HT: 'Human Trafficking',
  PD: 'Police Department',
  SO: "Sheriff's Office",
  'Co.': 'County',
  Dept: 'Department',
  'Dept.': 'Department',
};

/** An expansion that names an institution takes the possessive before a unit of it: "…Services' Children's Division". */
const INSTITUTION = /^(Department|Office|Bureau|Administration|Service|Attorney General's Office)\b|(Services|Service|Department|Office|Investigations)$/;

/** "Missouri DSS Children's Division" → "Missouri Department of Social Services' Children's Division". */
export function spellOutAgency(name: string): string {
  const words = name.trim().split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const bare = w.replace(/[,;]$/, '');
    const trail = w.slice(bare.length);
    const full = ABBREVIATIONS[bare];
    if (!full) {
      out.push(w);
      continue;
    }
    const next = words[i + 1];
    // A unit follows (a capitalized word that is not itself an abbreviation): the institution owns it.
    const possessive = next !== undefined && !trail && /^[A-Z]/.test(next) && !ABBREVIATIONS[next] && INSTITUTION.test(full) && !/^(Task|Unit|Division)$/.test(full);
    out.push(possessive ? `${full}${full.endsWith('s') ? '’' : '’s'}${trail}` : `${full}${trail}`);
  }
  return out.join(' ').replace(/’/g, "'");
}

type EsGender = 'm' | 'f' | 'fp' | 'none';

interface EsName {
  name: string;
  /** The article the name takes in a sentence; `none` for a proper name kept as written. */
  gender: EsGender;
}

const STATE_ES = new Map(US_STATES.map((s) => [s.name.en, s.name.es]));

/** "Jackson County" → "Condado de Jackson"; "Missouri" → "Misuri"; anything else as written. */
function placeEs(place: string): string {
  const p = place.trim();
  const county = /^(.+?) County(?: \(([A-Z]{2})\))?$/.exec(p);
  if (county) return `Condado de ${county[1]}`;
  return STATE_ES.get(p) ?? p;
}

/** "del Condado de Jackson", "de Oak Grove". */
const ofPlace = (place: string) => {
  const p = placeEs(place);
  return p.startsWith('Condado ') ? `del ${p}` : `de ${p}`;
};

const ES_PATTERNS: [RegExp, (m: RegExpExecArray) => EsName][] = [
  [/^(.+?) Department of Social Services' Children's Division$/, (m) => ({ name: `División de Niños del Departamento de Servicios Sociales de ${placeEs(m[1]!)}`, gender: 'f' })],
  [/^(.+?) Department of Social Services$/, (m) => ({ name: `Departamento de Servicios Sociales de ${placeEs(m[1]!)}`, gender: 'm' })],
  [/^(.+?) Children's Division$/, (m) => ({ name: `División de Niños de ${placeEs(m[1]!)}`, gender: 'f' })],
  [/^(.+?) Department for Children and Families$/, (m) => ({ name: `Departamento para Niños y Familias de ${placeEs(m[1]!)}`, gender: 'm' })],
  [/^(.+?) Department of Public Safety$/, (m) => ({ name: `Departamento de Seguridad Pública de ${placeEs(m[1]!)}`, gender: 'm' })],
  [/^(.+?) Police Department$/, (m) => ({ name: `Departamento de Policía de ${placeEs(m[1]!)}`, gender: 'm' })],
  [/^(.+?) Sheriff's Office$/, (m) => ({ name: `Oficina del Sheriff ${ofPlace(m[1]!)}`, gender: 'f' })],
  [/^(.+?) State Highway Patrol$/, (m) => ({ name: `Patrulla de Carreteras del Estado de ${placeEs(m[1]!)}`, gender: 'f' })],
  [/^(.+?) Highway Patrol$/, (m) => ({ name: `Patrulla de Carreteras de ${placeEs(m[1]!)}`, gender: 'f' })],
  [/^(.+?) Attorney General's Human Trafficking Task Force$/, (m) => ({ name: `Grupo de Trabajo contra la Trata de Personas de la Fiscalía General de ${placeEs(m[1]!)}`, gender: 'm' })],
  [/^(.+?) Attorney General's Office$/, (m) => ({ name: `Fiscalía General de ${placeEs(m[1]!)}`, gender: 'f' })],
  [/^(.+?) Prosecuting Attorney's Office$/, (m) => ({ name: `Fiscalía ${ofPlace(m[1]!)}`, gender: 'f' })],
  [/^(.+?) Human Trafficking Task Force$/, (m) => ({ name: `Grupo de Trabajo contra la Trata de Personas de ${placeEs(m[1]!)}`, gender: 'm' })],
  [/^(.+?) Police$/, (m) => ({ name: `Policía de ${placeEs(m[1]!)}`, gender: 'f' })],
  [/^Federal Bureau of Investigation$/, () => ({ name: 'Buró Federal de Investigaciones', gender: 'm' })],
  [/^U\.S\. Marshals Service$/, () => ({ name: 'Servicio de Alguaciles de los Estados Unidos', gender: 'm' })],
  [/^U\.S\. Department of Homeland Security$/, () => ({ name: 'Departamento de Seguridad Nacional de los Estados Unidos', gender: 'm' })],
  [/^(U\.S\. )?Department of Justice$/, () => ({ name: 'Departamento de Justicia de los Estados Unidos', gender: 'm' })],
  [/^Homeland Security Investigations$/, () => ({ name: 'Investigaciones de Seguridad Nacional', gender: 'fp' })],
  [/^(U\.S\. )?Immigration and Customs Enforcement$/, () => ({ name: 'Servicio de Inmigración y Control de Aduanas', gender: 'm' })],
  [/^(U\.S\. )?Drug Enforcement Administration$/, () => ({ name: 'Administración de Control de Drogas', gender: 'f' })],
  [/^Internal Revenue Service$/, () => ({ name: 'Servicio de Impuestos Internos', gender: 'm' })],
];

/** An agency's Spanish form (first reference, spelled out), with the article it takes; a proper name is kept. */
export function agencyEs(name: string): EsName {
  const full = spellOutAgency(name).replace(/^the\s+/i, '');
  for (const [re, make] of ES_PATTERNS) {
    const m = re.exec(full);
    if (m) return make(m);
  }
  return { name: full, gender: 'none' };
}

const ARTICLE: Record<EsGender, string> = { m: 'el ', f: 'la ', fp: 'las ', none: '' };

/** "el Departamento de Policía de Oak Grove"; "RISE Coalition" (a proper name takes no article). */
export const withArticleEs = (name: string) => {
  const es = agencyEs(name);
  return `${ARTICLE[es.gender]}${es.name}`;
};

/** "del Departamento…", "de la Patrulla…", "de RISE Coalition". */
export const ofAgencyEs = (name: string) => `de ${withArticleEs(name)}`.replace(/^de el /, 'del ');

/** "al Departamento…", "a la División…". */
export const toAgencyEs = (name: string) => `a ${withArticleEs(name)}`.replace(/^a el /, 'al ');

/** An agency on first reference in a sentence, in either language: "the Missouri Department of…". */
export function agencyFirst(name: string, lang: Lang): string {
  return lang === 'en' ? withArticle(spellOutAgency(name)) : withArticleEs(name);
}

/** Every form of an agency's name a release may print: as recorded, spelled out, and in Spanish. */
export function agencyForms(name: string): string[] {
  return [...new Set([name, spellOutAgency(name), agencyEs(name).name])];
}

/** Generic titles of the people quoted in releases, English (lowercase) to Spanish. */
const TITLES_ES: Record<string, string> = {
  'chief of police': 'jefe de policía',
  'police chief': 'jefe de policía',
  'assistant chief of police': 'subjefe de policía',
  'deputy chief': 'subjefe',
  chief: 'jefe',
  sheriff: 'sheriff',
  'county sheriff': 'sheriff del condado',
  'deputy sheriff': 'ayudante del sheriff',
  undersheriff: 'subsheriff',
  colonel: 'coronel',
  'lieutenant colonel': 'teniente coronel',
  major: 'comandante',
  captain: 'capitán',
  lieutenant: 'teniente',
  sergeant: 'sargento',
  detective: 'detective',
  corporal: 'cabo',
  officer: 'agente',
  trooper: 'agente',
  'special agent': 'agente especial',
  'special agent in charge': 'agente especial a cargo',
  'public information officer': 'oficial de información pública',
  spokesperson: 'portavoz',
  spokesman: 'portavoz',
  spokeswoman: 'portavoz',
  director: 'director',
  'executive director': 'director ejecutivo',
  'attorney general': 'fiscal general',
  'prosecuting attorney': 'fiscal',
  prosecutor: 'fiscal',
  'district attorney': 'fiscal de distrito',
  'u.s. attorney': 'fiscal federal',
  commander: 'comandante',
  superintendent: 'superintendente',
  coordinator: 'coordinador',
  'task force coordinator': 'coordinador del grupo de trabajo',
  mayor: 'alcalde',
  governor: 'gobernador',
};

const AGENCY_WORDS = /\b(Department|Office|Patrol|Division|Service|Bureau|Coalition|Task Force|Administration|Agency|Commission|Center|Alliance|Network|Project|Unit|Police|Sheriff's|PD|SO|DSS|FBI|HSI|ICE)\b/;

/** A quote's "by" line read as its parts: a title (its English key), an agency, and whatever else (a name). */
interface Attribution {
  title: string | null;
  agency: string | null;
  /** The title came before a name ("Sheriff Darryl Forté"). */
  titleFirst: boolean;
  name: string;
}

function parseAttribution(by: string): Attribution {
  const parts = by
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  let title: string | null = null;
  let agency: string | null = null;
  let titleFirst = false;
  const rest: string[] = [];
  for (const p of parts) {
    const key = p.toLowerCase().replace(/^the\s+/, '');
    // "Chief of Police of the Oak Grove Police Department" in one part.
    const inOne = /^(?:the\s+)?(.+?)\s+(?:of|at|for)\s+(?:the\s+)?(.+)$/i.exec(p);
    // "Sheriff Darryl Forté": a title before a name.
    const before = Object.keys(TITLES_ES)
      .filter((t) => key.startsWith(`${t} `) && /^\p{Lu}/u.test(p.slice(t.length + 1)))
      .sort((a, b) => b.length - a.length)[0];
    if (!title && TITLES_ES[key]) title = key;
    else if (!title && !agency && inOne && TITLES_ES[inOne[1]!.toLowerCase()] && AGENCY_WORDS.test(inOne[2]!)) {
      title = inOne[1]!.toLowerCase();
      agency = inOne[2]!;
    } else if (!agency && AGENCY_WORDS.test(p) && !before) agency = p.replace(/^the\s+/i, '');
    else if (!title && before) {
      title = before;
      rest.push(p.slice(before.length + 1));
      titleFirst = rest.length === 1;
    } else rest.push(p);
  }
  return { title, agency, titleFirst, name: rest.join(', ') };
}

/**
 * Who said the quote, in Spanish: "Chief of Police, Oak Grove Police Department" → "el jefe de policía
 * del Departamento de Policía de Oak Grove"; "Jane Doe, Chief of Police, Oak Grove Police Department" →
 * "Jane Doe, jefe de policía del Departamento de Policía de Oak Grove". Parts it does not recognize (a
 * person's name, a title already in Spanish) are kept as written.
 */
export function attributionEs(by: string): string {
  const a = parseAttribution(by);
  if (!a.title && !a.agency) return by.trim();
  const title = a.title ? TITLES_ES[a.title]! : null;
  const { name } = a;
  const of = a.agency ? ofAgencyEs(a.agency) : '';
  if (title && a.titleFirst) return `el ${title} ${name}${of ? ` ${of}` : ''}`;
  if (title) return name ? `${name}, ${title}${of ? ` ${of}` : ''}` : `el ${title}${of ? ` ${of}` : ''}`;
  return name ? `${name}, ${of}` : `un portavoz ${of}`;
}

/**
 * Who said the quote, in English as AP writes it: a title standing alone is lowercase and takes "the"
 * ("Chief of Police, Oak Grove Police Department" → "the chief of police of the Oak Grove Police
 * Department"); a title before a name stays capitalized ("Sheriff Darryl Forté"); anything it does not
 * recognize is kept as written.
 */
export function attributionEn(by: string): string {
  const a = parseAttribution(by);
  if (!a.title || a.titleFirst) return by.trim();
  const of = a.agency ? ` of ${withArticle(a.agency)}` : '';
  return a.name ? `${a.name}, ${a.title}${of}` : `the ${a.title}${of}`;
}
