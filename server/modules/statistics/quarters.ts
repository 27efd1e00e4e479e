import type { Quarter } from '../disclosure/statistics.cells.ts';

/**
 * Calendar quarters of the public statistics, in the task force's time zone (the jurisdiction's): an
 * operation that starts at 7 p.m. on 31 December in Oak Grove (Central) counts in the fourth quarter,
 * whatever UTC says.
 * `2020Q4` strings compare in time order as plain strings (four-digit years).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** The quarter of an instant, in the time zone `timeZone` (ctx.jurisdiction.timeZone). */
export function quarterOf(at: Date | string, timeZone: string): Quarter {
  let parts = formats.get(timeZone);
  if (!parts) formats.set(timeZone, (parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' })));
  const p = parts.formatToParts(typeof at === 'string' ? new Date(at) : at);
  const year = p.find((x) => x.type === 'year')!.value;
  const month = Number(p.find((x) => x.type === 'month')!.value);
  return `${year}Q${Math.ceil(month / 3)}`;
}

const index = (q: Quarter) => Number(q.slice(0, 4)) * 4 + Number(q.slice(5)) - 1;
const fromIndex = (i: number): Quarter => `${Math.floor(i / 4)}Q${(i % 4) + 1}`;

export const nextQuarter = (q: Quarter): Quarter => fromIndex(index(q) + 1);
export const previousQuarter = (q: Quarter): Quarter => fromIndex(index(q) - 1);

/** Every quarter from `from` through `through`, ascending (empty when `from` is later). */
export function quarterRange(from: Quarter, through: Quarter): Quarter[] {
  const out: Quarter[] = [];
  for (let i = index(from); i <= index(through); i++) out.push(fromIndex(i));
  return out;
}

/** The newest quarter that has ended (in the task force's zone) at `now`: the last one a release may cover. */
export const lastClosedQuarter = (now: Date, timeZone: string): Quarter => previousQuarter(quarterOf(now, timeZone));

export const yearOf = (q: Quarter) => q.slice(0, 4);
