import { describe, expect, it } from 'vitest';
import {
  batchPercent,
  campaignMapClass,
  dayToInstant,
  funnelRows,
  insertMergeField,
  mergeFieldsUsed,
  percentOf,
  stageCounts,
  templateErrorField,
  todayInput,
  unknownMergeFields,
} from './campaign.ts';

describe('the campaign pages’ helpers', () => {
  it('puts a county’s count in its map class, light to dark', () => {
    expect(campaignMapClass(0)).toBe('0');
    expect(campaignMapClass(1)).toBe('1');
    expect(campaignMapClass(3)).toBe('2');
    expect(campaignMapClass(4)).toBe('3');
    expect(campaignMapClass(10)).toBe('4');
    expect(campaignMapClass(500)).toBe('5');
  });

  it('orders the funnel as the pipeline runs and gives each stage as a share of the first', () => {
    const rows = funnelRows([
      { stage: 'closed', reached: 20 },
      { stage: 'identified', reached: 80 },
      { stage: 'landlord_notified', reached: 77 },
    ]);
    expect(rows.map((r) => r.stage)).toEqual(['identified', 'landlord_notified', 'closed']);
    expect(rows.map((r) => r.percent)).toEqual([100, 96, 25]);
    expect(funnelRows([{ stage: 'identified', reached: 0 }])[0]!.percent).toBeNull();
  });

  it('says a rate in whole percent, and nothing before there is one', () => {
    expect(percentOf(41 / 77)).toBe('53%');
    expect(percentOf(null)).toBeUndefined();
  });

  it('lists every stage with its count, 0 for those the server left out', () => {
    const counts = stageCounts({ identified: 3, closed: 2 });
    expect(counts).toHaveLength(10);
    expect(counts[0]).toEqual({ stage: 'identified', count: 3 });
    expect(counts.find((c) => c.stage === 'verified')!.count).toBe(0);
  });

  it('finds the merge fields a template uses and the ones that are not merge fields', () => {
    const body = 'Dear {{owner}}, about {{ property }} and {{owner}}; reply by {{deadline}}.';
    expect(mergeFieldsUsed(body)).toEqual(['owner', 'property', 'deadline']);
    expect(unknownMergeFields(body)).toEqual(['deadline']);
  });

  it('inserts a merge field at the caret, replacing a selection', () => {
    expect(insertMergeField('Dear ,', 5, 5, 'owner')).toEqual({ text: 'Dear {{owner}},', caret: 14 });
    expect(insertMergeField('Dear XX,', 5, 7, 'owner').text).toBe('Dear {{owner}},');
    expect(insertMergeField('ab', 99, 99, 'date').text).toBe('ab{{date}}');
  });

  it('measures a batch’s progress in whole percent', () => {
    expect(batchPercent({ processed: 0, total: 0 })).toBe(0);
    expect(batchPercent({ processed: 1, total: 3 })).toBe(33);
    expect(batchPercent({ processed: 3, total: 3 })).toBe(100);
  });

  it('finds the template field a server error names, the letter text included', () => {
    expect(templateErrorField('body')).toBe('body');
    expect(templateErrorField('body.body')).toBe('body');
    expect(templateErrorField('/responseDays')).toBe('responseDays');
    expect(templateErrorField('version')).toBeUndefined();
    expect(templateErrorField(undefined)).toBeUndefined();
  });

  it('turns a date input into an instant on that day and back', () => {
    const instant = dayToInstant('2026-12-04')!;
    expect(todayInput(new Date(instant))).toBe('2026-12-04');
    expect(dayToInstant('12/04/2026')).toBeUndefined();
    // Today is the moment itself: at 23:01 a letter drafted at 23:00 was not sent at noon, before it existed.
    const late = new Date(2026, 11, 4, 23, 1);
    expect(dayToInstant(todayInput(late), late)).toBe(late.toISOString());
  });
});
