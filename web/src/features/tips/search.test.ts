import { describe, expect, it } from 'vitest';
import { TIP_PAGE_SIZE, isFiltered, tipFilterOf, validateTipQueueSearch } from './search.ts';

const AGENCY = '00000000-0000-4000-8000-0000000000a1';

describe('the tip queue search in the URL', () => {
  it('keeps each filter it understands, in the forms the router gives them', () => {
    expect(validateTipQueueSearch({ agency: AGENCY, county: 29095, status: 'under_review', urgent: true, from: '2026-11-01', to: '2026-11-30', mine: 'true', page: 3 })).toEqual({
      agency: AGENCY,
      county: '29095',
      status: 'under_review',
      urgent: true,
      from: '2026-11-01',
      to: '2026-11-30',
      mine: true,
      page: 3,
    });
  });

  it('drops what it does not understand rather than sending it to the server', () => {
    expect(validateTipQueueSearch({ agency: 'x', county: '123', status: 'pending', urgent: 'yes', from: '11/01/2026', to: 'soon', mine: false, page: -2 })).toEqual({});
    expect(validateTipQueueSearch({ page: 1 })).toEqual({});
  });

  it('says whether anything narrows the queue (the page is not a filter)', () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ page: 2 })).toBe(false);
    expect(isFiltered({ urgent: true })).toBe(true);
    expect(isFiltered({ county: '29095' })).toBe(true);
  });

  it('asks the API for a window of instants that includes the last day, one page at a time', () => {
    const filter = tipFilterOf({ county: '29095', status: 'new', urgent: true, mine: true, from: '2026-11-01', to: '2026-11-30', page: 2 });
    expect(filter).toMatchObject({ county: '29095', status: 'new', urgent: 'true', assigned: 'me', limit: TIP_PAGE_SIZE, offset: TIP_PAGE_SIZE });
    expect(new Date(filter.from!).getTime()).toBe(new Date('2026-11-01T00:00:00').getTime());
    expect(new Date(filter.to!).getTime()).toBe(new Date('2026-12-01T00:00:00').getTime());
    expect(tipFilterOf({})).toEqual({ limit: TIP_PAGE_SIZE });
  });
});
