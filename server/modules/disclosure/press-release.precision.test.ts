import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Lang } from './ap-style.ts';
import { apDateRange } from './ap-style.ts';
import { agencyEs, agencyForms, attributionEn, attributionEs, spellOutAgency } from './ap-style.agencies.ts';
import { checkRelease, collapseFindings, type GuardInput, type GuardProblem } from './press-release.guards.ts';
import { draftText, type FactGroup, type ReleaseFacts } from './press-release.text.ts';
import { STORY } from './press-release.story.test-support.ts';

/**
 * Issue 9, item 8: the guards refuse what identifies a person or a withheld count, and nothing else.
 * "No one should be bought or sold" is not the figure 1; a phone number is one finding, not four.
 * Property tests plant identifiers in generated English and Spanish prose (none may get through) and
 * measure how often clean prose is refused.
 */

const input = (facts: ReleaseFacts, extra: Partial<GuardInput> = {}): GuardInput => ({
  facts,
  identifying: [],
  staffText: [],
  allowedNames: [...[facts.leadAgency, ...facts.partners, ...facts.advocates, ...facts.childWelfare].flatMap(agencyForms), facts.city],
  ...extra,
});
const bodyOf = (facts: ReleaseFacts, lang: Lang) => {
  const d = draftText(facts, lang);
  return `${d.title}\n\n${d.paragraphs.join('\n\n')}`;
};
const RECORDED_PHONE = '(816) 555-0142';

describe('the figure guard reads counts of people only', () => {
  const text = bodyOf(STORY, 'en');
  const es = bodyOf(STORY, 'es');
  it.each([
    'No one should be bought or sold.',
    'No one should have to live in fear.',
    'One day, we hope no operation like this is needed.',
    'One of the partner agencies provided interpreters.',
    'Each one of us can help.',
    'Officers worked for 14 hours, from 5 p.m. to 7 a.m.',
    'The operation took two days to plan.',
    'The task force has 12 member agencies in three counties.',
    'The investigation began in 2019.',
    'Human trafficking is a crime under 18 U.S.C. 1591 and section 566.209 RSMo.',
    'Thank you to the 40 officers and 12 advocates who worked through the night.',
    'The operation focused on the Interstate 70 corridor.',
    'Ninety percent of tips come from the public.',
    'Everyone deserves to be safe; one call can change a life.',
  ])('passes “%s”', (sentence) => {
    expect(checkRelease(`${text}\n\n${sentence}`, input(STORY))).toEqual([]);
  });
  it.each([
    'Nadie debería ser comprado ni vendido.',
    'Un día esperamos que no haga falta otro operativo.',
    'Cada uno de nosotros puede ayudar.',
    'Los agentes trabajaron durante 14 horas.',
    'El grupo de trabajo incluye 12 agencias de tres condados.',
    'La investigación comenzó en 2019.',
    'Agradecemos a los 40 agentes que trabajaron toda la noche.',
  ])('passes “%s”', (sentence) => {
    expect(checkRelease(`${es}\n\n${sentence}`, input(STORY))).toEqual([]);
  });
  it.each(['One of the men ran.', 'Seven adult males were contacted and detained.', 'Two of them were 16.', 'One was arrested.', 'Only one was arrested.', 'Five members of the ring were arrested.', 'Two groups of women were found.', 'One other child was contacted.', 'Tres de ellas eran de otro estado.'])('still checks “%s”', (sentence) => {
    expect(checkRelease(`${text}\n\n${sentence}`, input(STORY)).map((p) => p.code)).toContain('figure');
  });
});

describe('one finding per passage', () => {
  const text = bodyOf(STORY, 'en');
  const identifying: GuardInput['identifying'] = [
    { kind: 'phone', value: RECORDED_PHONE },
    { kind: 'name', value: 'Marisol Quintanilla' },
  ];
  it.each(['(816) 555-0142', '816-555-0142', '816.555.0142', '8165550142', '+1 816 555 0142', '1-816-555-0142', '555-0142'])('a recorded phone number, %s, is one finding: a phone number, not a name', (phone) => {
    const problems = checkRelease(`${text}\n\nCall ${phone} for more.`, input(STORY, { identifying }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'identifying', kind: 'phone', excerpt: phone });
  });
  it('a phone number nobody recorded is one finding too, and the hotline none', () => {
    const problems = checkRelease(`${text}\n\nCall 660-555-0199 for more.`, input(STORY, { identifying }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'figure', excerpt: '660-555-0199' });
    expect(checkRelease(`${text}\n\nCall 1-888-373-7888.`, input(STORY, { identifying }))).toEqual([]);
  });
  it('a name is one finding, whose kind is a name', () => {
    const problems = checkRelease(`${text}\n\nMarisol Quintanilla was there.`, input(STORY, { identifying }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'identifying', kind: 'name', excerpt: 'Marisol Quintanilla' });
  });
  it('collapses the same span and contained spans to the strongest reason, and leaves apart what only touches', () => {
    const p = (code: GuardProblem['code'], start: number, end: number): GuardProblem => ({ code, message: code, excerpt: '', start, end });
    const text = 'abcdefghijklmnopqrstuvwxyz';
    const out = collapseFindings([p('figure', 0, 3), p('identifying', 0, 10), p('figure', 4, 7), p('hold', 4, 7), p('figure', 12, 14), p('staff_text', 13, 18)], text);
    expect(out.map((x) => [x.code, x.start, x.end, x.excerpt])).toEqual([
      ['identifying', 0, 10, 'abcdefghij'],
      ['figure', 12, 14, 'mn'],
      ['staff_text', 13, 18, 'nopqr'],
    ]);
  });
});

describe('when the operation ran', () => {
  it('writes the actual dates, one day or several, while running or closed, in both languages', () => {
    expect(apDateRange('2020-10-23', '2020-10-23', 'en')).toBe('on Oct. 23, 2020');
    expect(apDateRange('2020-10-23', '2020-10-24', 'en')).toBe('from Oct. 23 to Oct. 24, 2020');
    expect(apDateRange('2020-12-31', '2021-01-01', 'en')).toBe('from Dec. 31, 2020, to Jan. 1, 2021');
    expect(apDateRange('2020-10-23', null, 'en')).toBe('starting Oct. 23, 2020');
    expect(apDateRange('2020-10-23', '2020-10-23', 'es')).toBe('el 23 de octubre de 2020');
    expect(apDateRange('2020-10-23', '2020-10-24', 'es')).toBe('del 23 al 24 de octubre de 2020');
    expect(apDateRange('2020-10-31', '2020-11-02', 'es')).toBe('del 31 de octubre al 2 de noviembre de 2020');
    expect(apDateRange('2020-12-31', '2021-01-01', 'es')).toBe('del 31 de diciembre de 2020 al 1 de enero de 2021');
    expect(apDateRange('2020-10-23', null, 'es')).toBe('a partir del 23 de octubre de 2020');
  });
  it.each([
    ['2020-10-23', '2020-10-24'],
    ['2020-10-31', '2020-11-02'],
    ['2020-12-31', '2021-01-01'],
    ['2020-10-23', null],
  ] as const)('a draft run from %s to %s passes its own guards', (date, endDate) => {
    for (const lang of ['en', 'es'] as const) expect(checkRelease(bodyOf({ ...STORY, date, endDate }, lang), input({ ...STORY, date, endDate }))).toEqual([]);
  });
});

describe('agencies and titles, AP style, in both languages', () => {
  it('spells agencies out on first reference', () => {
    expect(spellOutAgency("Missouri DSS Children's Division")).toBe("Missouri Department of Social Services' Children's Division");
    expect(spellOutAgency('Oak Grove PD')).toBe('Oak Grove Police Department');
    expect(spellOutAgency('Jackson Co. SO')).toBe("Jackson County Sheriff's Office");
    expect(spellOutAgency('FBI')).toBe('Federal Bureau of Investigation');
    expect(spellOutAgency('Relentless Pursuit')).toBe('Relentless Pursuit');
    const en = bodyOf(STORY, 'en');
    expect(en).toContain("released to the Missouri Department of Social Services' Children's Division.");
    expect(en).not.toContain('DSS');
  });
  it('gives agencies their Spanish forms, and keeps a proper name it does not know', () => {
    expect(agencyEs('Oak Grove Police Department').name).toBe('Departamento de Policía de Oak Grove');
    expect(agencyEs("Jackson County Sheriff's Office").name).toBe('Oficina del Sheriff del Condado de Jackson');
    expect(agencyEs("Missouri DSS Children's Division").name).toBe('División de Niños del Departamento de Servicios Sociales de Misuri');
    expect(agencyEs('RISE Coalition')).toEqual({ name: 'RISE Coalition', gender: 'none' });
    const es = bodyOf(STORY, 'es');
    expect(es).toContain('El Departamento de Policía de Oak Grove encabezó');
    expect(es).toContain('entregados a la División de Niños del Departamento de Servicios Sociales de Misuri.');
    expect(es).toContain('También participaron la Patrulla de Carreteras del Estado de Misuri, el Grupo de Trabajo contra la Trata de Personas de la Fiscalía General de Misuri, la Oficina del Sheriff del Condado de Jackson y el Servicio de Alguaciles de los Estados Unidos.');
    // Every generic English word of an agency's name is translated; only proper names stay.
    const withoutProperNames = STORY.advocates.reduce((t, a) => t.replaceAll(a, ''), es);
    expect(withoutProperNames).not.toMatch(/\b(Department|Office|Patrol|Police|Division|Service|Sheriff's|Task Force|DSS)\b/);
  });
  it('agrees in gender in the Spanish headline', () => {
    const women: ReleaseFacts = { ...STORY, groups: [{ role: 'suspect', sex: 'female', ageBand: '25_to_34', disposition: 'detained', count: 3 }, { role: 'suspect', sex: 'female', ageBand: '25_to_34', disposition: 'arrested', count: 1 }] };
    expect(draftText(women, 'es').title).toBe('Operativo contra la trata de personas en Oak Grove: 3 adultas detenidas y 1 persona arrestada');
    expect(checkRelease(bodyOf(women, 'es'), input(women))).toEqual([]);
  });
  it('says who spoke in Spanish: title and agency translated, the name kept', () => {
    expect(attributionEs('Chief of Police, Oak Grove Police Department')).toBe('el jefe de policía del Departamento de Policía de Oak Grove');
    expect(attributionEs('Jane Doe, Chief of Police, Oak Grove Police Department')).toBe('Jane Doe, jefe de policía del Departamento de Policía de Oak Grove');
    expect(attributionEs('Sheriff Darryl Forté')).toBe('el sheriff Darryl Forté');
    expect(attributionEs('Captain, Missouri State Highway Patrol')).toBe('el capitán de la Patrulla de Carreteras del Estado de Misuri');
    expect(attributionEs('la jefa')).toBe('la jefa');
    // English, AP style: a title standing alone is lowercase with "the"; before a name it stays as written.
    expect(attributionEn('Chief of Police, Oak Grove Police Department')).toBe('the chief of police of the Oak Grove Police Department');
    expect(attributionEn('Jane Doe, Chief of Police, Oak Grove Police Department')).toBe('Jane Doe, chief of police of the Oak Grove Police Department');
    expect(attributionEn('Sheriff Darryl Forté')).toBe('Sheriff Darryl Forté');
    expect(attributionEn('Captain, Missouri State Highway Patrol')).toBe('the captain of the Missouri State Highway Patrol');
    expect(attributionEn('A spokesperson for RISE')).toBe('A spokesperson for RISE');
  });
});

// ------------------------------------------------------------------------------------ property tests

const FIRST = ['Marisol', 'Jasmine', 'Tiana', 'Brenda', 'Destiny', 'Rosa', 'José', 'Jamal', 'Derek', 'Travis', 'Ximena', 'Nayeli'];
const LAST = ['Quintanilla', 'Okafor', 'Delacroix', 'Whitfield', 'Navarro', 'Kowalski', 'Núñez', 'Castellanos', 'Pemberton', 'Valenzuela'];
const STREETS = ['South Broadway Street', 'West Main Street', 'Locust Avenue', 'North Oak Trafficway', 'Elm Road'];
const MONTHS_EN = ['January', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];
const MONTHS_ES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const EN_NUMBERS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen'];
const ES_NUMBERS = ['un', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete'];

/** Sentences a PIO writes around the figures: numbers, dates, times and pronouns that count no one. */
const cleanSentence = (lang: Lang) =>
  fc
    .record({ n: fc.integer({ min: 2, max: 60 }), small: fc.integer({ min: 2, max: 9 }), year: fc.integer({ min: 2010, max: 2026 }), month: fc.integer({ min: 0, max: 11 }), day: fc.integer({ min: 1, max: 28 }), which: fc.nat() })
    .map(({ n, small, year, month, day, which }) => {
      const en = [
        'No one should be bought or sold.',
        'No one should have to live in fear.',
        'One day, we hope no operation like this is needed.',
        `One of the ${n} partner agencies provided interpreters.`,
        'Each one of us can help.',
        `Officers worked for ${n} hours.`,
        `Officers worked from ${small} p.m. to ${small} a.m.`,
        `The operation took ${EN_NUMBERS[small - 1]} days to plan.`,
        `The task force has ${n} member agencies in ${EN_NUMBERS[small - 1]} counties.`,
        `The investigation began in ${year}.`,
        `It was planned for ${MONTHS_EN[month]} ${day}, ${year}.`,
        `The task force met on ${MONTHS_EN[month]} ${day}.`,
        `Human trafficking is a crime under 18 U.S.C. 1591.`,
        `Thank you to the ${n} officers and ${small} advocates who worked through the night.`,
        'The operation focused on the Interstate 70 corridor.',
        `About ${n} percent of tips come from the public.`,
        'Everyone deserves to be safe; one call can change a life.',
        `This was the task force's ${['second', 'third', 'fourth'][which % 3]} operation this year.`,
        'Anyone with information can call the hotline at 1-888-373-7888.',
        `Training over the past ${n} months prepared the teams.`,
        // Sentences from real releases, not written to fit the guard.
        `The operation was the result of a ${EN_NUMBERS[small - 1]}-month investigation.`,
        `Since 2007, the hotline has answered more than 1,000 calls a week.`,
        `In the past year, the task force trained more than ${n * 10} hotel employees to recognize trafficking.`,
        'Traffickers often target children as young as 12.',
        `Officers were stationed at ${small} locations.`,
        'The operation began at 6 p.m. Friday and ended at 2 a.m. Saturday.',
        `Nearly ${n} million people worldwide are victims of human trafficking.`,
        'The hotline is open 24 hours a day, 7 days a week.',
        `Missouri passed Senate Bill ${small} in ${year}.`,
        `Two detectives and one advocate stayed with each child.`,
      ];
      const es = [
        'Nadie debería ser comprado ni vendido.',
        'Nadie debería vivir con miedo.',
        'Un día esperamos que no haga falta otro operativo.',
        'Cada uno de nosotros puede ayudar.',
        `Los agentes trabajaron durante ${n} horas.`,
        `El operativo se planeó durante ${ES_NUMBERS[small - 1]} semanas.`,
        `El grupo de trabajo incluye ${n} agencias de ${ES_NUMBERS[small - 1]} condados.`,
        `La investigación comenzó en ${year}.`,
        `Se planeó para el ${day} de ${MONTHS_ES[month]} de ${year}.`,
        `El grupo se reunió el ${day} de ${MONTHS_ES[month]}.`,
        `Agradecemos a los ${n} agentes que trabajaron toda la noche.`,
        `Cerca del ${n} por ciento de las denuncias viene del público.`,
        'Una llamada puede cambiar una vida.',
        `Los equipos se prepararon durante ${n} meses.`,
        'Cualquier persona con información puede llamar al 1-888-373-7888.',
        // Frases de comunicados reales, no escritas a la medida del guardia.
        `El operativo fue el resultado de una investigación de ${ES_NUMBERS[small - 1]} meses.`,
        `Más de ${n} millones de personas en el mundo son víctimas de la trata.`,
        `Se capacitó a más de ${n * 10} empleados de hoteles para reconocer la trata.`,
        `Los agentes estuvieron en ${small} lugares.`,
        'La línea funciona las 24 horas, los 7 días de la semana.',
        'Los tratantes buscan a menores de hasta 12 años.',
        `Dos detectives y una defensora acompañaron a cada niño.`,
      ];
      const list = lang === 'en' ? en : es;
      return list[which % list.length]!;
    });

const groupArb = fc.record({ role: fc.constantFrom<FactGroup['role']>('suspect', 'adult_victim', 'minor', 'witness'), sex: fc.constantFrom<FactGroup['sex']>('female', 'male'), count: fc.integer({ min: 1, max: 14 }), pick: fc.nat() });
const DISPOSITIONS: Record<FactGroup['role'], FactGroup['disposition'][]> = { suspect: ['detained', 'arrested', 'cited', null], adult_victim: ['offered_services', null], minor: ['protective_custody', 'released'], witness: [null] };
const BANDS: Record<FactGroup['role'], FactGroup['ageBand'][]> = { suspect: ['25_to_34', '50_plus'], adult_victim: ['18_to_24'], minor: ['under_5', '12_to_14'], witness: ['25_to_34'] };

const scene = fc.record({
  groups: fc.array(groupArb, { minLength: 1, maxLength: 5 }),
  lang: fc.constantFrom<Lang>('en', 'es'),
  hold: fc.boolean(),
  days: fc.integer({ min: 0, max: 3 }),
  name: fc.tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST)),
  phone: fc.tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 })),
  street: fc.tuple(fc.integer({ min: 100, max: 9999 }), fc.constantFrom(...STREETS)),
  plate: fc.stringMatching(/^[A-HJ-NP-Z]{2}[0-9][A-HJ-NP-Z0-9]{3}$/),
  dob: fc.date({ min: new Date('1965-01-01'), max: new Date('2019-12-31'), noInvalidDate: true }),
  childAge: fc.integer({ min: 1, max: 17 }),
  clean: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
});

function factsOf(s: { groups: { role: FactGroup['role']; sex: FactGroup['sex']; count: number; pick: number }[]; hold: boolean; days: number }): ReleaseFacts {
  const groups = s.groups.map((g) => ({ role: g.role, sex: g.sex, ageBand: BANDS[g.role][g.pick % BANDS[g.role].length]!, disposition: DISPOSITIONS[g.role][g.pick % DISPOSITIONS[g.role].length]!, count: g.count }));
  const end = new Date(Date.UTC(2020, 9, 23 + s.days)).toISOString().slice(0, 10);
  return { ...STORY, groups, hold: s.hold, endDate: end };
}

/** One planted identifier or narrowing figure, written as a person would, in `lang`. */
function plantsOf(s: { lang: Lang; name: [string, string]; phone: [number, number, number]; street: [number, string]; plate: string; dob: Date; childAge: number }) {
  const [a, b, c] = s.phone;
  const local = String(c).padStart(4, '0');
  const iso = s.dob.toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const plate = `${s.plate.slice(0, 3)}-${s.plate.slice(3)}`;
  const en = s.lang === 'en';
  const fold = (w: string) => w.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const planted: { kind: string; words: string; sentence: string }[] = [
    { kind: 'name', words: `${s.name[0]} ${s.name[1]}`, sentence: en ? `Officers spoke with ${s.name[0]} ${s.name[1]}.` : `Los agentes hablaron con ${s.name[0]} ${s.name[1]}.` },
    { kind: 'name', words: fold(s.name[1]).toUpperCase(), sentence: en ? `The family of ${fold(s.name[1]).toUpperCase()} was told.` : `Se informó a la familia ${fold(s.name[1]).toUpperCase()}.` },
    { kind: 'phone', words: `(${a}) ${b}-${local}`, sentence: `Call (${a}) ${b}-${local}.` },
    { kind: 'phone', words: `${a}.${b}.${local}`, sentence: en ? `Her number was ${a}.${b}.${local}.` : `Su número era ${a}.${b}.${local}.` },
    { kind: 'phone', words: `${a}${b}${local}`, sentence: `Tel. ${a}${b}${local}.` },
    { kind: 'phone', words: `+1 ${a} ${b} ${local}`, sentence: `WhatsApp: +1 ${a} ${b} ${local}.` },
    { kind: 'address', words: `${s.street[0]}`, sentence: en ? `It happened at ${s.street[0]} ${s.street[1]}.` : `Ocurrió en ${s.street[0]} ${s.street[1]}.` },
    { kind: 'plate', words: plate.replace('-', ' '), sentence: en ? `A car with plate ${plate.replace('-', ' ')} was towed.` : `Se remolcó un auto con placa ${plate.replace('-', ' ')}.` },
    { kind: 'plate', words: plate.toLowerCase(), sentence: `(${plate.toLowerCase()})` },
    { kind: 'dob', words: en ? `${MONTHS_EN[m - 1]} ${d}, ${y}` : `${d} de ${MONTHS_ES[m - 1]} de ${y}`, sentence: en ? `She was born ${MONTHS_EN[m - 1]} ${d}, ${y}.` : `Nació el ${d} de ${MONTHS_ES[m - 1]} de ${y}.` },
    { kind: 'dob', words: `${m}/${d}/${y}`, sentence: `DOB ${m}/${d}/${y}.` },
    { kind: 'dob', words: iso, sentence: `(${iso})` },
    {
      kind: 'age',
      words: en ? `${s.childAge}-year-old` : `de ${s.childAge} años`,
      sentence: en ? `One was a ${s.childAge}-year-old girl.` : `Una era una niña de ${s.childAge} años.`,
    },
    {
      kind: 'age',
      words: en ? `${EN_NUMBERS[s.childAge - 1]}-year-old` : `de ${ES_NUMBERS[s.childAge - 1]} años`,
      sentence: en ? `The youngest was a ${EN_NUMBERS[s.childAge - 1]}-year-old.` : `La menor era una niña de ${ES_NUMBERS[s.childAge - 1]} años.`,
    },
    // Figures that would narrow a withheld count: a part of a group the outcome does not split.
    { kind: 'figure', words: cap(en ? EN_NUMBERS[(s.childAge % 5) + 1]! : ES_NUMBERS[(s.childAge % 5) + 1]!), sentence: en ? `${cap(EN_NUMBERS[(s.childAge % 5) + 1]!)} of them were from out of state.` : `${cap(ES_NUMBERS[(s.childAge % 5) + 1]!)} de ellos eran de otro estado.` },
    { kind: 'figure', words: String(s.childAge + 1), sentence: en ? `In all, ${s.childAge + 1} people were reached.` : `En total, se atendió a ${s.childAge + 1} personas.` },
    { kind: 'figure', words: en ? 'one' : 'una', sentence: en ? 'Only one of them spoke English.' : 'Solo una de ellas hablaba inglés.' },
    { kind: 'figure', words: String(s.childAge + 2), sentence: en ? `${s.childAge + 2} members of the ring were sought.` : `Se buscaba a ${s.childAge + 2} miembros de la red.` },
  ];
  const identifying: GuardInput['identifying'] = [
    { kind: 'name', value: `${s.name[0]} ${s.name[1]}` },
    { kind: 'phone', value: `(${a}) ${b}-${local}` },
    { kind: 'address', value: `${s.street[0]} ${s.street[1]}` },
    { kind: 'plate', value: `MO ${plate}` },
    { kind: 'dob', value: iso },
  ];
  return { planted, identifying };
}
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

const RUNS = Number(process.env.LANTERN_FUZZ_RUNS ?? 400);
/**
 * The false-positive rate the clean-prose property must stay under (docs/disclosure.md). Measured at
 * 5.4% of clean sentences (the fixed sample; 5.5–6.5% over random ones): the sentences still refused count people who are not the operation's
 * ("300 hotel employees") or give an age ("as young as 12"), which the guard cannot tell from a count
 * or an age of the operation's persons. Refusing them costs a rewording; letting a count through could
 * narrow a withheld one. 8% leaves room for the corpus's sampling and fails a regression that would
 * refuse a whole new kind of ordinary sentence (one more template of ~47 is ~2%).
 */
const FALSE_POSITIVE_LIMIT = 0.08;

describe('press release guards over generated prose (property)', () => {
  it('let no planted identifier or narrowing figure through, in English or Spanish', () => {
    let planted = 0;
    fc.assert(
      fc.property(scene, fc.nat(), fc.nat(), fc.array(fc.nat(), { maxLength: 3 }), (s, which, where, cleanPicks) => {
        const facts = factsOf(s);
        const { planted: options, identifying } = plantsOf(s);
        const plant = options[which % options.length]!;
        const paragraphs = bodyOf(facts, s.lang).split('\n\n');
        const clean = cleanPicks.map((p) => fc.sample(cleanSentence(s.lang), { seed: p, numRuns: 1 })[0]!);
        paragraphs.splice(1 + (where % (paragraphs.length - 1)), 0, [...clean, plant.sentence].join(' '));
        const text = paragraphs.join('\n\n');
        const at = text.indexOf(plant.sentence) + plant.sentence.indexOf(plant.words);
        expect(plant.sentence.indexOf(plant.words), plant.sentence).toBeGreaterThanOrEqual(0);
        const problems = checkRelease(text, input(facts, { identifying }));
        const hit = problems.some((p) => p.start < at + plant.words.length && at < p.end);
        planted++;
        expect(hit, `${plant.kind} “${plant.words}” got through in: ${plant.sentence}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(planted).toBe(RUNS);
  }, 120_000);

  it(`refuses clean prose rarely: a measured false-positive rate under ${FALSE_POSITIVE_LIMIT * 100}%`, () => {
    let sentences = 0;
    let refused = 0;
    const refusedSentences = new Map<string, number>();
    fc.assert(
      fc.property(scene, cleanSentence('en'), cleanSentence('es'), fc.nat(), (s, en, es, where) => {
        const facts = factsOf(s);
        const { identifying } = plantsOf(s);
        const sentence = s.lang === 'en' ? en : es;
        const paragraphs = bodyOf(facts, s.lang).split('\n\n');
        paragraphs.splice(1 + (where % (paragraphs.length - 1)), 0, sentence);
        const problems = checkRelease(paragraphs.join('\n\n'), input(facts, { identifying }));
        sentences++;
        if (problems.length) {
          refused++;
          const shape = sentence.replace(/\d+/g, 'N');
          refusedSentences.set(shape, (refusedSentences.get(shape) ?? 0) + 1);
        }
      }),
      // A fixed sample, so the rate is a measurement and not a coin toss: the same 2,000 sentences each run.
      { numRuns: 2000, seed: 20261204 },
    );
    const rate = refused / sentences;
    const which = [...refusedSentences].map(([shape, n]) => `“${shape}” ×${n}`).join('; ');
    console.log(`press-release guards: false-positive rate on clean generated prose ${(rate * 100).toFixed(2)}% (${refused} of ${sentences} clean sentences refused)${which ? `: ${which}` : ''}`);
    expect(rate).toBeLessThan(FALSE_POSITIVE_LIMIT);
  }, 120_000);
});

describe('the public page of a release', () => {
  it('makes the hotline tap-to-call and tap-to-text in the body, and escapes the rest', async () => {
    const { withHotlineLinks } = await import('./public.routes.ts');
    const line = { phone: '1-888-373-7888', text: '233733' };
    expect(String(withHotlineLinks('Call 1-888-373-7888 or text 233733. In an emergency, call 911. <b>', line))).toBe(
      'Call <a href="tel:+18883737888">1-888-373-7888</a> or text <a href="sms:233733">233733</a>. In an emergency, call <a href="tel:911">911</a>. &lt;b&gt;',
    );
    expect(String(withHotlineLinks('Case 1911-2337334', line))).toBe('Case 1911-2337334');
  });
});
