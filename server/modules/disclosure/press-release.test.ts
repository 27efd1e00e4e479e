import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRelease, type GuardInput } from './press-release.guards.ts';
import { draftText, type FactGroup, type ReleaseFacts } from './press-release.text.ts';
import type { Lang } from './ap-style.ts';
import { STORY } from './press-release.story.test-support.ts';

const input = (facts: ReleaseFacts, extra: Partial<GuardInput> = {}): GuardInput => ({
  facts,
  identifying: [],
  staffText: [],
  allowedNames: [facts.leadAgency, ...facts.partners, ...facts.advocates, ...facts.childWelfare, facts.city],
  ...extra,
});

const bodyOf = (facts: ReleaseFacts, lang: Lang) => {
  const d = draftText(facts, lang);
  return `${d.title}\n\n${d.paragraphs.join('\n\n')}`;
};

describe('press release draft', () => {
  it('writes the story the way the Oak Grove release did, in AP style', () => {
    const text = bodyOf(STORY, 'en');
    expect(text).toContain('OAK GROVE, Mo. —');
    expect(text).toContain('Oct. 23, 2020');
    expect(text).toContain('Five adult males were contacted and detained.');
    expect(text).toContain('Ten adult women were contacted and offered victim services, including food, lodging, onsite medical services, counseling/therapy and drug rehabilitation.');
    expect(text).toContain("Three children, all under the age of 5, were taken into protective custody and released to the Missouri Department of Social Services' Children's Division.");
    expect(text).toContain('1-888-373-7888');
    expect(text).toContain('233733');
    expect(text).not.toContain('373-8888');
    expect(text).toContain('Because the investigation is ongoing');
  });

  it('writes it in Spanish too', () => {
    const text = bodyOf(STORY, 'es');
    expect(text).toContain('OAK GROVE, Misuri —');
    expect(text).toContain('23 de octubre de 2020');
    expect(text).toContain('Cinco hombres adultos fueron contactados y detenidos.');
    expect(text).toContain('Diez mujeres adultas fueron contactadas y se les ofrecieron servicios para víctimas');
    expect(text).toContain('Tres niños, todos menores de 5 años, fueron puestos bajo custodia protectora');
    expect(text).toContain('Línea Nacional contra la Trata de Personas al 1-888-373-7888');
  });

  it('passes its own guards in both languages', () => {
    for (const lang of ['en', 'es'] as const) expect(checkRelease(bodyOf(STORY, lang), input(STORY))).toEqual([]);
  });
});

describe('press release guards', () => {
  const text = bodyOf(STORY, 'en');

  it('refuses a name, an alias, a phone, a date of birth, a plate and an address recorded for the operation', () => {
    const identifying: GuardInput['identifying'] = [
      { kind: 'name', value: 'Marisol Quintanilla' },
      { kind: 'alias', value: 'Candy' },
      { kind: 'phone', value: '(816) 555-0142' },
      { kind: 'dob', value: '1999-04-09' },
      { kind: 'plate', value: 'MO KX4-82T' },
      { kind: 'address', value: '1401 South Broadway Street' },
    ];
    const cases: [string, string][] = [
      [`${text} Marisol Quintanilla was among them.`, 'Marisol Quintanilla'],
      [`${text} One went by Candy.`, 'Candy'],
      [`${text} Call 816.555.0142 for more.`, '816.555.0142'],
      [`${text} Born April 9, 1999.`, 'April 9, 1999'],
      [`${text} Born 4/9/1999.`, '4/9/1999'],
      [`${text} A car, KX4 82T, was towed.`, 'KX4 82T'],
      [`${text} It happened at 1401 S. Broadway St.`, '1401'],
      [`${text} Quintanilla said thanks.`, 'Quintanilla'],
    ];
    for (const [t, words] of cases) {
      const problems = checkRelease(t, input(STORY, { identifying }));
      expect(problems.map((p) => p.code), t).toContain('identifying');
      const strip = (x: string) => x.replace(/[^A-Za-z0-9]/g, '');
      expect(strip(problems.find((p) => p.code === 'identifying')!.excerpt), t).toContain(strip(words.split(' ')[0]!).slice(0, 4));
    }
    expect(checkRelease(text, input(STORY, { identifying }))).toEqual([]);
  });

  it('refuses free text written by staff', () => {
    const staffText = ['Staging at the church lot behind the motel; radio channel 3 for the arrest team.'];
    const leaked = `${text} Officers were staging at the church lot behind the motel that evening.`;
    const problems = checkRelease(leaked, input(STORY, { staffText }));
    expect(problems.map((p) => p.code)).toContain('staff_text');
    expect(problems.find((p) => p.code === 'staff_text')!.excerpt).toMatch(/church lot behind the motel/);
  });

  it('refuses a figure that disagrees with the outcome, pointing at it', () => {
    const wrong = text.replace('Five adult males', 'Six adult males');
    const problems = checkRelease(wrong, input(STORY));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'figure', excerpt: 'Six' });
    expect(checkRelease(text.replace('Ten adult women', 'Nine adult women'), input(STORY))[0]!.code).toBe('figure');
    expect(checkRelease(text.replace('all under the age of 5', 'all under the age of 3'), input(STORY))[0]!.code).toBe('figure');
    expect(checkRelease(text.replace('5 adults detained', '6 adults detained'), input(STORY))[0]!.excerpt).toBe('6');
    expect(checkRelease(`${text} Another 23 businesses were closed.`, input(STORY))[0]!.code).toBe('figure');
  });

  it('under hold, refuses charges and ages', () => {
    expect(checkRelease(`${text} Two were charged with patronizing prostitution.`, input(STORY)).map((p) => p.code)).toContain('hold');
    expect(checkRelease(`${text} The youngest was a 2-year-old.`, input(STORY)).map((p) => p.code)).toContain('hold');
    const lifted = { ...STORY, hold: false };
    expect(checkRelease(`${bodyOf(lifted, 'en')} Charges are pending.`, input(lifted)).map((p) => p.code)).not.toContain('hold');
  });
});

const FIRST = ['Ana', 'Maria', 'Lucia', 'Jasmine', 'Tiana', 'Brenda', 'Kayla', 'Destiny', 'Rosa', 'Elena', 'Jamal', 'Derek', 'Travis', 'Kevin', 'Luis', 'Omar'];
const LAST = ['Quintanilla', 'Okafor', 'Delacroix', 'Whitfield', 'Navarro', 'Kowalski', 'Abernathy', 'Fairbanks', 'Montgomery', 'Castellanos', 'Pemberton', 'Valenzuela'];

const group = fc.record({
  role: fc.constantFrom('suspect', 'adult_victim', 'minor', 'witness'),
  sex: fc.constantFrom('female', 'male'),
  count: fc.integer({ min: 1, max: 14 }),
  pick: fc.nat(),
});

const DISPOSITIONS_BY_ROLE: Record<FactGroup['role'], FactGroup['disposition'][]> = {
  suspect: ['detained', 'arrested', 'cited', 'released', null],
  adult_victim: ['offered_services', 'offered_services', null],
  minor: ['protective_custody', 'protective_custody', 'released'],
  witness: [null],
};
const BANDS_BY_ROLE: Record<FactGroup['role'], FactGroup['ageBand'][]> = {
  suspect: ['18_to_24', '25_to_34', '50_plus'],
  adult_victim: ['18_to_24', '25_to_34'],
  minor: ['under_5', '5_to_11', '12_to_14', '15_to_17'],
  witness: ['25_to_34'],
};

/** A random operation: random persons, names, phones, dates of birth and counts. */
const operation = fc.record({
  groups: fc.array(group, { minLength: 1, maxLength: 6 }),
  names: fc.array(fc.tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST)), { minLength: 1, maxLength: 5 }),
  phones: fc.array(fc.tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 })), { minLength: 1, maxLength: 3 }),
  dobs: fc.array(fc.date({ min: new Date('1960-01-01'), max: new Date('2019-12-31'), noInvalidDate: true }), { minLength: 1, maxLength: 3 }),
  hold: fc.boolean(),
  lang: fc.constantFrom<Lang>('en', 'es'),
});

function factsFrom(op: { groups: { role: string; sex: string; count: number; pick: number }[]; hold: boolean }): ReleaseFacts {
  const groups: FactGroup[] = op.groups.map((g) => {
    const role = g.role as FactGroup['role'];
    const dispositions = DISPOSITIONS_BY_ROLE[role];
    const bands = BANDS_BY_ROLE[role];
    return {
      role,
      sex: g.sex as FactGroup['sex'],
      ageBand: bands[g.pick % bands.length]!,
      disposition: dispositions[g.pick % dispositions.length]!,
      count: g.count,
    };
  });
  return { ...STORY, groups, hold: op.hold, servicesOffered: { food: 1, shelter: 1 } };
}

describe('press release guards, property tests', () => {
  it('never let an identifying value through, wherever it is put', () => {
    fc.assert(
      fc.property(operation, fc.nat(), fc.nat(), (op, which, where) => {
        const facts = factsFrom(op);
        const phones = op.phones.map(([a, b, c]) => `(${a}) ${b}-${String(c).padStart(4, '0')}`);
        const dobs = op.dobs.map((d) => d.toISOString().slice(0, 10));
        const identifying: GuardInput['identifying'] = [
          ...op.names.map(([f, l]) => ({ kind: 'name' as const, value: `${f} ${l}` })),
          ...phones.map((value) => ({ kind: 'phone' as const, value })),
          ...dobs.map((value) => ({ kind: 'dob' as const, value })),
        ];
        const base = bodyOf(facts, op.lang);
        const [y, m, d] = dobs[which % dobs.length]!.split('-');
        const leaks = [
          `${op.names[which % op.names.length]![0]} ${op.names[which % op.names.length]![1]}`,
          op.names[which % op.names.length]![1],
          phones[which % phones.length]!,
          phones[which % phones.length]!.replace(/\D/g, ''),
          `${Number(m)}/${Number(d)}/${y}`,
          `${y}-${m}-${d}`,
        ];
        const leak = leaks[which % leaks.length]!;
        const sentences = base.split('\n\n');
        const at = where % sentences.length;
        sentences[at] = `${sentences[at]} (${leak})`;
        const problems = checkRelease(sentences.join('\n\n'), input(facts, { identifying }));
        expect(problems.some((p) => p.code === 'identifying')).toBe(true);
      }),
      { numRuns: Number(process.env.LANTERN_FUZZ_RUNS ?? 300) },
    );
  });

  it('never pass a wrong figure, and always pass the right ones', () => {
    fc.assert(
      fc.property(operation, fc.nat(), fc.integer({ min: 1, max: 5 }), (op, which, delta) => {
        const facts = factsFrom(op);
        const base = bodyOf(facts, op.lang);
        expect(checkRelease(base, input(facts))).toEqual([]);
        // Change one count sentence's figure by `delta`.
        const outcome = base.split('\n\n').filter((p) => /contact|entrevist|interview|custod/i.test(p) && !/^OAK GROVE/.test(p));
        if (outcome.length === 0) return;
        const sentence = outcome[which % outcome.length]!;
        const words = draftWordsForNumbers(sentence);
        if (!words) return;
        const changed = sentence.replace(words.text, words.replace(delta));
        const problems = checkRelease(base.replace(sentence, changed), input(facts));
        expect(problems.some((p) => p.code === 'figure')).toBe(true);
      }),
      { numRuns: Number(process.env.LANTERN_FUZZ_RUNS ?? 300) },
    );
  });
});

const EN_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const ES_WORDS = ['cero', 'un', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve', 'veinte'];

/** The leading count word of an outcome sentence, and how to write it off by `delta`. */
function draftWordsForNumbers(sentence: string): { text: string; replace: (delta: number) => string } | null {
  const first = sentence.split(/\s/)[0]!;
  const lower = first.toLowerCase();
  const en = EN_WORDS.indexOf(lower);
  const es = ES_WORDS.indexOf(lower === 'una' ? 'un' : lower);
  const n = en >= 0 ? en : es;
  if (n < 0) return null;
  const list = en >= 0 ? EN_WORDS : ES_WORDS;
  return {
    text: first,
    replace: (delta) => {
      const w = list[(n + delta) % list.length] ?? String(n + delta);
      return w.charAt(0).toUpperCase() + w.slice(1);
    },
  };
}
