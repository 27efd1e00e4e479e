import '../../test/setup.ts';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { eventText, reasonText, routingText } from './labels.tsx';

const t = i18next.t.bind(i18next);

describe('the reasons behind a rank, in words', () => {
  it.each([
    [{ code: 'typology_terms', count: 2, terms: ['massage', 'debt'] }, 'Typology words: massage, debt'],
    [{ code: 'typology_terms', count: 1, terms: ['masaje'] }, 'Typology words: masaje'],
    [{ code: 'repeated_identifiers', count: 2 }, 'Shares an identifier with 2 other tips'],
    [{ code: 'repeated_identifiers', count: 1 }, 'Shares an identifier with 1 other tip'],
    // Should the triage ever name the kinds shared, the sentence names them.
    [{ code: 'repeated_identifiers', count: 2, terms: ['phone'] }, 'Shares a phone with 2 other tips'],
    [{ code: 'repeated_identifiers', count: 3, terms: ['phone', 'plate'] }, 'Shares an identifier with 3 other tips'],
    [{ code: 'open_operation', count: 1 }, 'Linked to an open operation'],
    [{ code: 'open_operation', count: 2 }, 'Linked to 2 open operations'],
    [{ code: 'minor_involved' }, 'A minor may be involved'],
    [{ code: 'immediate_danger' }, 'Someone may be in danger now'],
  ])('%j reads “%s”', (reason, words) => {
    expect(reasonText(t, reason)).toBe(words);
  });

  it('still shows a reason it has no words for, in the server’s code words, with its figures', () => {
    expect(reasonText(t, { code: 'night_hours', count: 4 })).toBe('Night hours (4)');
    expect(reasonText(t, { code: 'ad_site', terms: ['example'] })).toBe('Ad site (example)');
  });
});

describe('routing and history in words', () => {
  it('tells how the queue was chosen', () => {
    expect(routingText(t, { rule: 'county', zip: '64075', countyFips: '29095', countyChosenBy: 'largest_share' }, 'Jackson County')).toBe(
      'ZIP 64075 is in Jackson County; the tip went to the agency serving that county. The ZIP spans several counties; the county holding most of it was used.',
    );
    expect(routingText(t, { rule: 'no_county' }, null)).toMatch(/task force's coordinators/);
    expect(routingText(t, {}, null)).toBe('Routing was not recorded.');
  });

  it('dates each step by what happened, never the tip’s text', () => {
    expect(eventText(t, 'status', { from: 'under_review', to: 'closed', reason: 'duplicate' })).toBe('State changed to Closed (Duplicate of another tip)');
    expect(eventText(t, 'assigned', { from: 'new', to: 'assigned', assignee: 'Ann Analyst' })).toBe('Assigned to Ann Analyst');
    expect(eventText(t, 'message', { direction: 'to_tipster' })).toBe('Question sent to the tipster');
    expect(eventText(t, 'message', { fromTipster: true })).toBe('Message from the tipster');
    const names = (id: string) => (id === 'a2' ? 'Jackson County Sheriff' : undefined);
    expect(eventText(t, 'rerouted', { from: 'a1', to: 'a2', reason: 'Their county' }, names)).toBe('Rerouted to Jackson County Sheriff: Their county');
    expect(eventText(t, 'shared', { with: 'a9', reason: 'Patrols there' }, names)).toBe('Shared with another agency: Patrols there');
    expect(eventText(t, 'received', { source: 'phone' })).toBe('Received (Phone)');
    expect(eventText(t, 'message', {})).toBe('Question sent to the tipster');
  });
});
