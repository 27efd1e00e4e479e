import { describe, expect, it } from 'vitest';
import { checkRelease, figuresOf, inspectRelease, releaseFigures, type TextFigure } from './press-release.guards.ts';
import { draftText, type ReleaseFacts } from './press-release.text.ts';
import type { Lang } from './ap-style.ts';
import { STORY } from './press-release.story.test-support.ts';

/** Issue #8, item 3: the figures a published release puts in the ledger, read by the guard's own pass. */
const textOf = (facts: ReleaseFacts, lang: Lang) => {
  const d = draftText(facts, lang);
  return `${d.title}\n\n${d.paragraphs.join('\n\n')}`;
};
/** Each figure with the words it was read from. */
const read = (text: string, facts: ReleaseFacts) => figuresOf(text, facts).map((f) => ({ words: text.slice(f.start, f.end), ...f }));

describe('figures of a release', () => {
  it('reads the story’s English figures: the headline’s are whole counts, the body’s “adult males” and “adult women” lower bounds', () => {
    const text = textOf(STORY, 'en');
    expect(read(text, STORY).map(({ words, role, disposition, exact, value }) => ({ words, role, disposition, exact, value }))).toEqual([
      { words: '5', role: 'suspect', disposition: 'detained', exact: true, value: 5 },
      { words: '10', role: 'adult_victim', disposition: 'offered_services', exact: true, value: 10 },
      { words: '3', role: 'minor', disposition: 'protective_custody', exact: true, value: 3 },
      { words: 'Five', role: 'suspect', disposition: 'detained', exact: false, value: 5 },
      { words: 'Ten', role: 'adult_victim', disposition: 'offered_services', exact: false, value: 10 },
      // "all under the age of 5" is an age bound, not a figure; the date and the hotline are not figures either.
      { words: 'Three', role: 'minor', disposition: 'protective_custody', exact: true, value: 3 },
    ]);
  });

  it('reads the story’s Spanish figures the same way', () => {
    const text = textOf(STORY, 'es');
    expect(read(text, STORY).map(({ words, role, disposition, exact, value }) => ({ words, role, disposition, exact, value }))).toEqual([
      { words: '5', role: 'suspect', disposition: 'detained', exact: true, value: 5 },
      { words: '10', role: 'adult_victim', disposition: 'offered_services', exact: true, value: 10 },
      { words: '3', role: 'minor', disposition: 'protective_custody', exact: true, value: 3 },
      { words: 'Cinco', role: 'suspect', disposition: 'detained', exact: false, value: 5 },
      { words: 'Diez', role: 'adult_victim', disposition: 'offered_services', exact: false, value: 10 },
      { words: 'Tres', role: 'minor', disposition: 'protective_custody', exact: true, value: 3 },
    ]);
    // "Tres niñas" names a sex: then it counts part of the children in custody.
    const girls: ReleaseFacts = { ...STORY, groups: STORY.groups.map((g) => (g.role === 'minor' ? { ...g, sex: 'female' } : g)) };
    const words = read(textOf(girls, 'es'), girls).find((f) => f.words === 'Tres');
    expect(words).toMatchObject({ role: 'minor', disposition: 'protective_custody', exact: false, value: 3 });
  });

  it('shares one reading with the guard: a figure the guard refuses is not a figure', () => {
    const text = textOf(STORY, 'en').replace('Five adult males', 'Six adult males');
    const { problems, figures } = inspectRelease(text, { facts: STORY, identifying: [], staffText: [], allowedNames: [] });
    expect(problems).toEqual(checkRelease(text, { facts: STORY, identifying: [], staffText: [], allowedNames: [] }));
    expect(problems.map((p) => p.excerpt)).toEqual(['Six']);
    expect(figures.map((f) => text.slice(f.start, f.end))).toEqual(['5', '10', '3', 'Ten', 'Three']);
    expect(figuresOf(`${textOf(STORY, 'en')} Another 23 businesses were closed.`, STORY).map((f) => f.value)).not.toContain(23);
  });

  it('reads persons with no disposition, witnesses and “other children”, and sums the children', () => {
    const facts: ReleaseFacts = {
      ...STORY,
      groups: [
        ...STORY.groups,
        { role: 'suspect', sex: 'female', ageBand: '35_to_49', disposition: null, count: 2 },
        { role: 'minor', sex: 'male', ageBand: '12_to_14', disposition: 'released', count: 2 },
        { role: 'witness', sex: 'male', ageBand: '25_to_34', disposition: null, count: 4 },
      ],
    };
    for (const lang of ['en', 'es'] as const) {
      const text = textOf(facts, lang);
      const figures = read(text, facts);
      // "Two adult females were contacted as suspects": part of the suspects (those with no disposition).
      const noDisposition = figures.find((f) => /^(Two|Dos)$/.test(f.words) && f.role === 'suspect');
      expect(noDisposition, lang).toMatchObject({ exact: false, value: 2 });
      expect(noDisposition?.disposition, lang).toBeUndefined();
      expect(figures.find((f) => f.role === 'witness'), lang).toMatchObject({ exact: true, value: 4 });
      const other = figures.find((f) => f.otherThanCustody);
      expect(other, lang).toMatchObject({ role: 'minor', exact: false, value: 2, otherThanCustody: { exact: true } });

      const whole = releaseFigures([{ field: 'bodyEn', figures }]);
      const minors = whole.filter((f) => f.role === 'minor' && !f.disposition);
      // Alone, "two other children" says at least two minors; beside "three … in protective custody", exactly five.
      expect(minors.map(({ exact, value }) => ({ exact, value })).sort((a, b) => a.value - b.value), lang).toEqual([
        { exact: false, value: 2 },
        { exact: true, value: 5 },
      ]);
      const five = minors.find((f) => f.value === 5)!;
      expect(five.at.map((a) => text.slice(a.start, a.end)).sort(), lang).toEqual(lang === 'en' ? ['3', 'Three', 'Two'] : ['3', 'Dos', 'Tres']);
    }
  });

  it('dedupes identical figures across fields and languages, keeping every place each is written', () => {
    const en = textOf(STORY, 'en');
    const es = textOf(STORY, 'es');
    const whole = releaseFigures([
      { field: 'bodyEn', figures: figuresOf(en, STORY) },
      { field: 'bodyEs', figures: figuresOf(es, STORY) },
    ]);
    const key = (f: { role?: string | undefined; disposition?: string | undefined; exact: boolean; value: number }) => `${f.role}|${f.disposition}|${f.exact}|${f.value}`;
    expect(whole.map(key).sort()).toEqual(
      [
        'suspect|detained|true|5',
        'suspect|detained|false|5',
        'adult_victim|offered_services|true|10',
        'adult_victim|offered_services|false|10',
        'minor|protective_custody|true|3',
      ].sort(),
    );
    const custody = whole.find((f) => f.role === 'minor')!;
    expect(custody.at.map((a) => `${a.field}:${(a.field === 'bodyEn' ? en : es).slice(a.start, a.end)}`)).toEqual(['bodyEn:3', 'bodyEn:Three', 'bodyEs:3', 'bodyEs:Tres']);
  });

  it('sums “other girls” with a custody figure only as a lower bound', () => {
    const other: TextFigure = { role: 'minor', exact: false, value: 2, start: 0, end: 3, otherThanCustody: { exact: false } };
    const custody: TextFigure = { role: 'minor', disposition: 'protective_custody', exact: true, value: 3, start: 10, end: 15 };
    const whole = releaseFigures([{ field: 'bodyEn', figures: [other, custody] }]);
    expect(whole.find((f) => f.value === 5)).toMatchObject({ role: 'minor', exact: false });
  });
});
