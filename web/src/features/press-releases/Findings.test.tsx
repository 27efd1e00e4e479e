import '../../test/setup.ts';
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import type { GuardProblemDto } from '../../api/types.ts';
import { FieldFindings, HighlightedText, ProblemSummaryList } from './Findings.tsx';
import { distinctProblems, locate, segments } from './problems.ts';

const at = (text: string, excerpt: string, from = 0) => {
  const start = text.indexOf(excerpt, from);
  if (start < 0) throw new Error(`"${excerpt}" is not in the text`);
  return { start, end: start + excerpt.length, excerpt };
};

const problem = (text: string, excerpt: string, over: Partial<GuardProblemDto> = {}): GuardProblemDto => ({
  code: 'identifying',
  message: 'contains a name recorded for this operation',
  field: 'bodyEn',
  ...at(text, excerpt),
  ...over,
});

describe('segments', () => {
  it('cuts the text at the offsets and gives it back whole', () => {
    const text = 'Officers contacted Ann Lee at 816-555-0100 on Main Street.';
    const parts = segments(text, [at(text, 'Ann Lee'), at(text, '816-555-0100')]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.problems.length > 0).map((p) => p.text)).toEqual(['Ann Lee', '816-555-0100']);
    expect(parts[0]).toEqual({ text: 'Officers contacted ', problems: [] });
  });

  it('marks overlapping findings once, naming both', () => {
    const text = 'Bartholomew Quackenbush was arrested.';
    const parts = segments(text, [at(text, 'Bartholomew Quackenbush'), at(text, 'Quackenbush was')]);
    expect(parts.map((p) => p.text)).toEqual(['Bartholomew Quackenbush was', ' arrested.']);
    expect(parts[0]!.problems).toEqual([0, 1]);
  });

  it('keeps findings at the very start and end, and counts UTF-16 like the server', () => {
    const text = '“Ñandú” said José 😀 Lee';
    const parts = segments(text, [at(text, '“Ñandú”'), at(text, 'Lee')]);
    expect(parts.map((p) => [p.text, p.problems.length > 0])).toEqual([
      ['“Ñandú”', true],
      [' said José 😀 ', false],
      ['Lee', true],
    ]);
  });

  it('finds the excerpt nearest its old place when the offsets no longer fit, and drops what is gone', () => {
    const text = 'Ann met Ann.';
    expect(locate(text, { start: 7, end: 10, excerpt: 'Ann' })).toEqual({ start: 8, end: 11 });
    expect(locate(text, { start: 40, end: 43, excerpt: 'Bob' })).toBeNull();
    expect(locate(text, { start: 5, end: 2, excerpt: '' })).toBeNull();
    expect(segments(text, [{ start: 40, end: 43, excerpt: 'Bob' }])).toEqual([{ text, problems: [] }]);
  });
});

describe('distinctProblems', () => {
  it('keeps one finding per passage: the widest, and the first of identical ones', () => {
    const text = 'We thank Sunny Example for her help.';
    const whole = problem(text, 'Sunny Example');
    const first = problem(text, 'Sunny', { message: 'contains part of a name recorded for this operation' });
    const last = problem(text, 'Example', { message: 'contains part of a name recorded for this operation' });
    const again = problem(text, 'Sunny Example', { message: 'contains an alias recorded for this operation' });
    const elsewhere = problem(text, 'Sunny', { field: 'quoteEn' });
    const figure = problem(text, 'Sunny', { code: 'figure' });
    expect(distinctProblems([first, whole, last, again, elsewhere, figure])).toEqual([whole, elsewhere, figure]);
  });
});

describe('HighlightedText', () => {
  it('wraps each finding in a <mark>, in order', () => {
    const text = 'Five adults were contacted. Ann Lee and Bo Diaz were arrested.';
    const { container } = render(<HighlightedText text={text} problems={[at(text, 'Bo Diaz'), at(text, 'Ann Lee')]} />);
    const marks = [...container.querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['Ann Lee', 'Bo Diaz']);
    // Screen readers hear where each flagged passage starts and ends; the visible text is unchanged.
    const preview = container.querySelector('.lantern-marked')!;
    expect(preview.textContent!.replaceAll('Flagged:', '').replaceAll('(end of flagged words)', '')).toBe(text);
  });

  it('shows markup in the text as typed, never as markup', () => {
    const text = 'Call <b>Ann</b> & <script>alert("x")</script> now <img src=x onerror=alert(1)>';
    const { container } = render(<HighlightedText text={text} problems={[at(text, '<b>Ann</b>'), at(text, '<script>alert("x")</script>')]} />);
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    const marks = [...container.querySelectorAll('mark')];
    expect(marks.map((m) => m.textContent)).toEqual(['<b>Ann</b>', '<script>alert("x")</script>']);
    expect(marks[0]!.children).toHaveLength(0);
    expect(container.querySelector('.lantern-marked')!.innerHTML).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps line breaks (paragraphs) as text', () => {
    const text = 'First paragraph.\n\nSecond names Ann Lee.';
    const { container } = render(<HighlightedText text={text} problems={[at(text, 'Ann Lee')]} />);
    expect(container.querySelector('.lantern-marked')!.textContent).toContain('First paragraph.\n\nSecond names ');
    expect(container.querySelector('mark')!.textContent).toBe('Ann Lee');
  });
});

describe('findings beside a field, and the summary', () => {
  const body = 'Ann Lee, 34, was arrested. Six adults were contacted.';
  const problems: GuardProblemDto[] = [
    problem(body, 'Six', { code: 'figure', message: 'says 6 where the recorded outcome has 5' }),
    problem(body, 'Ann Lee'),
  ];

  it('lists each finding in plain words and marks the words in the saved text', () => {
    const { container, getByText } = render(<FieldFindings field="bodyEn" text={body} problems={[...problems].sort((a, b) => a.start - b.start)} caption="The saved text:" />);
    expect(getByText('The guards flagged 2 passages in Body (English):')).toBeTruthy();
    const items = [...container.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      'Names a person recorded for this operation: “Ann Lee” Body (English) contains a name recorded for this operation.',
      'Figure disagrees with the outcome: “Six” Body (English) says 6 where the recorded outcome has 5.',
    ]);
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Ann Lee', 'Six']);
    expect(container.querySelector('#findings-bodyEn')).toBeTruthy();
    expect(container.querySelector('#finding-bodyEn-1')!.textContent).toContain('Six');
  });

  it('names a figure the statistics withhold in plain words', () => {
    const text = 'Three children were taken into protective custody.';
    const found = problem(text, 'Three', { code: 'statistics', message: 'gives a figure that, with the statistics already published, would reveal a withheld count (children_protected: all, county 29095, 2020:Q4)' });
    const { container } = render(<FieldFindings field="bodyEn" text={text} problems={[found]} caption="The saved text:" />);
    expect(container.querySelector('li')!.textContent).toBe(
      'Would reveal a withheld statistic: “Three” Body (English) gives a figure that, with the statistics already published, would reveal a withheld count (children_protected: all, county 29095, 2020:Q4).',
    );
    expect(container.querySelector('mark')!.textContent).toBe('Three');
  });

  it('links each summary line to its finding, in reading order', () => {
    const title = 'Ann Lee arrested';
    const all = [...problems, problem(title, 'Ann Lee', { field: 'titleEn' }), problem('Hola', 'Hola', { field: 'bodyEs', code: 'staff_text' })];
    const { container } = render(<ProblemSummaryList problems={all} linkTo="finding" />);
    const links = [...container.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent]);
    expect(links).toEqual([
      ['#finding-titleEn-0', 'Names a person recorded for this operation: “Ann Lee”'],
      ['#finding-bodyEn-0', 'Names a person recorded for this operation: “Ann Lee”'],
      ['#finding-bodyEn-1', 'Figure disagrees with the outcome: “Six”'],
      ['#finding-bodyEs-0', 'Repeats staff notes: “Hola”'],
    ]);
    expect(container.textContent).toContain('(Body (Spanish))');
  });

  it('names what an identifying finding gives: a phone number is not a person’s name', () => {
    const text = 'Call (816) 555-0142. Ann Lee was there, a 14-year-old.';
    const all = [
      problem(text, '(816) 555-0142', { kind: 'phone', message: 'contains a phone number recorded for this operation' }),
      problem(text, 'Ann Lee', { kind: 'name' }),
      problem(text, '14-year-old', { kind: 'age', message: 'gives a child’s exact age' }),
    ];
    const { container } = render(<ProblemSummaryList problems={all} linkTo="finding" />);
    expect([...container.querySelectorAll('a')].map((a) => a.textContent)).toEqual([
      'Gives a phone number recorded for this operation: “(816) 555-0142”',
      'Names a person recorded for this operation: “Ann Lee”',
      'Gives a person’s exact age: “14-year-old”',
    ]);
  });
});
