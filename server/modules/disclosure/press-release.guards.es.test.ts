import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SERVICES, type Service } from '../../../common/operations.ts';
import { numberWords } from './ap-style.ts';
import { checkRelease, type GuardInput } from './press-release.guards.ts';
import { draftText, PERSON_WORDS, SERVICE_WORDS, type FactGroup, type ReleaseFacts } from './press-release.text.ts';

/**
 * Issue #7, item 9: the figure guard on Spanish text. "un"/"una" before a noun is an article ("un
 * intérprete", "un operativo"), never the figure 1; before a person, or as "uno", it is a figure and
 * must agree with the outcome. Sentences are generated from the release's own vocabulary.
 */
const BASE: Omit<ReleaseFacts, 'groups' | 'servicesOffered' | 'hold'> = {
  operationType: 'buyer_sting',
  date: '2020-10-23',
  city: 'Oak Grove',
  stateFips: '29',
  leadAgency: 'Oak Grove Police Department',
  partners: ['Missouri State Highway Patrol'],
  advocates: ['RISE Coalition'],
  childWelfare: ["Missouri DSS Children's Division"],
  hotline: { phone: '1-888-373-7888', text: '233733' },
};

const input = (facts: ReleaseFacts): GuardInput => ({
  facts,
  identifying: [],
  staffText: [],
  allowedNames: [facts.leadAgency, ...facts.partners, ...facts.advocates, ...facts.childWelfare, facts.city],
});
const paragraphsOf = (facts: ReleaseFacts) => {
  const d = draftText(facts, 'es');
  return [d.title, ...d.paragraphs];
};
const figures = (text: string, facts: ReleaseFacts) => checkRelease(text, input(facts)).filter((p) => p.code === 'figure');

const DISPOSITIONS: Record<FactGroup['role'], (FactGroup['disposition'])[]> = {
  suspect: ['detained', 'arrested', 'cited', 'released', null],
  adult_victim: ['offered_services', 'offered_services', null],
  minor: ['protective_custody', 'released'],
  witness: [null],
};
const BANDS: Record<FactGroup['role'], FactGroup['ageBand']> = { suspect: '25_to_34', adult_victim: '18_to_24', minor: 'under_5', witness: '25_to_34' };

const groupArb = fc.record({
  role: fc.constantFrom<FactGroup['role']>('suspect', 'adult_victim', 'minor', 'witness'),
  sex: fc.constantFrom<FactGroup['sex']>('female', 'male'),
  count: fc.integer({ min: 1, max: 40 }),
  pick: fc.nat(),
});
const factsArb = fc
  .record({
    groups: fc.array(groupArb, { minLength: 1, maxLength: 6 }),
    services: fc.subarray([...SERVICES], { minLength: 1 }),
    interpreter: fc.boolean(),
    hold: fc.boolean(),
  })
  .map(({ groups, services, interpreter, hold }): ReleaseFacts => {
    const offered = new Set<Service>(interpreter ? [...services, 'interpreter'] : services);
    return {
      ...BASE,
      hold,
      groups: groups.map((g) => ({ role: g.role, sex: g.sex, ageBand: BANDS[g.role], disposition: DISPOSITIONS[g.role][g.pick % DISPOSITIONS[g.role].length]!, count: g.count })),
      servicesOffered: Object.fromEntries([...offered].map((s) => [s, 1])),
    };
  });

/** Phrases of the release's vocabulary that start with an article. */
const ARTICLE_PHRASES = [
  ...Object.values(SERVICE_WORDS).map((w) => w.es).filter((w) => /^(un|una) /.test(w)),
  'un operativo contra la trata de personas',
  'una investigación de trata de personas',
  'un portavoz',
  'un mensaje de texto',
  'una línea de ayuda',
  'un refugio',
  'una organización de defensores de víctimas',
];
const ARTICLE_FRAMES = [
  (p: string) => `También se ofreció ${p}.`,
  (p: string) => `Se puso a disposición ${p} y servicios legales.`,
  (p: string) => `${p.charAt(0).toUpperCase()}${p.slice(1)} estuvo disponible durante el operativo.`,
  (p: string) => `Se les ofrecieron alimentos y ${p}.`,
  (p: string) => `Las víctimas pidieron ${p}, alojamiento y ${p}.`,
];

describe('Spanish figure guard', () => {
  it('approves a release that offers an interpreter (it read "un intérprete" as the figure 1)', () => {
    const facts: ReleaseFacts = {
      ...BASE,
      hold: false,
      groups: [
        { role: 'suspect', sex: 'male', ageBand: '25_to_34', disposition: 'detained', count: 5 },
        { role: 'adult_victim', sex: 'female', ageBand: '18_to_24', disposition: 'offered_services', count: 10 },
      ],
      servicesOffered: { food: 10, lodging: 10, interpreter: 3 },
    };
    const text = paragraphsOf(facts).join('\n\n');
    expect(text).toContain('alojamiento y un intérprete');
    expect(checkRelease(text, input(facts))).toEqual([]);
  });

  it('still counts "uno de los detenidos" and "un hombre" where the outcome says otherwise', () => {
    const facts: ReleaseFacts = { ...BASE, hold: false, servicesOffered: {}, groups: [{ role: 'suspect', sex: 'male', ageBand: '25_to_34', disposition: 'detained', count: 5 }] };
    const base = paragraphsOf(facts);
    for (const planted of ['Uno de los hombres adultos detenidos fue arrestado.', 'Un hombre adulto fue contactado y arrestado.', 'Una mujer adulta fue contactada y detenida.', 'Treinta y un hombres adultos fueron contactados y detenidos.']) {
      const text = [...base, planted].join('\n\n');
      const found = figures(text, facts);
      expect(found.map((p) => p.excerpt.toLowerCase()), planted).toContainEqual(expect.stringMatching(/^(uno|un|una|treinta y un)$/));
    }
  });

  it('never reads an article as a figure (property)', () => {
    fc.assert(
      fc.property(factsArb, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }), (facts, plants) => {
        const paragraphs = paragraphsOf(facts);
        expect(figures(paragraphs.join('\n\n'), facts)).toEqual([]);
        for (const [phrase, frame, where] of plants) {
          const sentence = ARTICLE_FRAMES[frame % ARTICLE_FRAMES.length]!(ARTICLE_PHRASES[phrase % ARTICLE_PHRASES.length]!);
          const at = 1 + (where % (paragraphs.length - 1));
          paragraphs[at] = `${paragraphs[at]} ${sentence}`;
        }
        expect(figures(paragraphs.join('\n\n'), facts)).toEqual([]);
      }),
      { numRuns: Number(process.env.LANTERN_FUZZ_RUNS ?? 300) },
    );
  });

  /** A sentence counting one group of the outcome, the way the draft words it, with the count `n`. */
  type Template = { expected: (facts: ReleaseFacts) => number; write: (n: number) => string };
  const total = (facts: ReleaseFacts, keep: (g: FactGroup) => boolean) => facts.groups.filter(keep).reduce((s, g) => s + g.count, 0);
  const spelled = (n: number, g: 'm' | 'f', digits: boolean) => {
    const w = digits && n >= 10 ? String(n) : numberWords(n, 'es', g);
    return w.charAt(0).toUpperCase() + w.slice(1);
  };
  const ES_DISPOSITION = { detained: 'detenid', arrested: 'arrestad', cited: 'citad', released: 'liberad' } as const;
  const templates = (digits: boolean): Template[] => [
    ...(['male', 'female'] as const).flatMap((sex) =>
      (Object.keys(ES_DISPOSITION) as (keyof typeof ES_DISPOSITION)[]).map((d): Template => {
        const words = PERSON_WORDS.suspect[sex];
        const g = words.g;
        const ending = (n: number) => `${g === 'f' ? 'a' : 'o'}${n === 1 ? '' : 's'}`;
        return {
          expected: (facts) => total(facts, (x) => x.role === 'suspect' && x.sex === sex && x.disposition === d),
          write: (n) => `${spelled(n, g, digits)} ${words.es[n === 1 ? 0 : 1]} ${n === 1 ? 'fue' : 'fueron'} contactad${ending(n)} y ${ES_DISPOSITION[d]}${ending(n)}.`,
        };
      }),
    ),
    {
      expected: (facts) => total(facts, (x) => x.role === 'witness'),
      write: (n) => `${spelled(n, 'm', digits)} ${n === 1 ? 'testigo fue entrevistado' : 'testigos fueron entrevistados'}.`,
    },
    {
      expected: (facts) => total(facts, (x) => x.role === 'minor' && x.disposition === 'protective_custody'),
      write: (n) => `${spelled(n, 'm', digits)} ${n === 1 ? 'menor fue puesto' : 'menores fueron puestos'} bajo custodia protectora.`,
    },
    {
      expected: (facts) => total(facts, (x) => x.role === 'suspect' && x.sex === 'male' && x.disposition === 'arrested'),
      write: (n) => (n === 1 ? 'Uno de los hombres adultos contactados fue arrestado.' : `${spelled(n, 'm', digits)} de los hombres adultos contactados fueron arrestados.`),
    },
  ];

  it('never misses a planted wrong figure (property)', () => {
    fc.assert(
      fc.property(factsArb, fc.nat(), fc.integer({ min: 0, max: 60 }), fc.boolean(), fc.nat(), (facts, which, wrong, digits, where) => {
        const all = templates(digits);
        const template = all[which % all.length]!;
        const want = template.expected(facts);
        const n = wrong === want ? want + 1 + (which % 3) : wrong;
        const planted = template.write(n);
        const paragraphs = paragraphsOf(facts);
        const at = 1 + (where % (paragraphs.length - 1));
        paragraphs.splice(at, 0, planted);
        const text = paragraphs.join('\n\n');
        const start = text.indexOf(planted);
        const found = figures(text, facts).filter((p) => p.start >= start && p.end <= start + planted.length);
        expect(found, `${planted} (the outcome has ${want})`).not.toEqual([]);
        // The right figure in the same words passes.
        paragraphs[at] = template.write(want);
        expect(want === 0 ? [] : figures(paragraphs.join('\n\n'), facts), template.write(want)).toEqual([]);
      }),
      { numRuns: Number(process.env.LANTERN_FUZZ_RUNS ?? 300) },
    );
  });
});
