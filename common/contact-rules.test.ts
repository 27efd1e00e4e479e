import { describe, expect, it } from 'vitest';
import { ageOn, bandForAge, contactProblem, type ContactFacts } from './contact-rules.ts';

const base: ContactFacts = { role: 'adult_victim', suspectType: null, ageBand: '25_to_34', estimatedAge: null, disposition: null, charges: [], dob: null, screening: null, services: [] };
const opts = { operationDay: '2020-10-23', today: '2020-10-24' };

describe('contact rules', () => {
  it('counts whole years to the day', () => {
    expect(ageOn('2002-10-23', '2020-10-23')).toBe(18);
    expect(ageOn('2002-10-24', '2020-10-23')).toBe(17);
    expect(ageOn('2004-02-29', '2020-02-28')).toBe(15);
    expect(bandForAge(17)).toBe('15_to_17');
    expect(bandForAge(18)).toBe('18_to_24');
    expect(bandForAge(0)).toBe('under_5');
  });

  it('measures a date of birth against the operation’s start: 18 on the day is an adult', () => {
    expect(contactProblem({ ...base, ageBand: '18_to_24', dob: '2002-10-23' }, opts)).toBeNull();
    expect(contactProblem({ ...base, ageBand: 'unknown', dob: '2002-10-24' }, opts)?.field).toBe('dob');
    expect(contactProblem({ ...base, role: 'minor', ageBand: '15_to_17', dob: '2002-10-24' }, opts)).toBeNull();
  });

  it('accepts the story’s people', () => {
    expect(contactProblem({ ...base, disposition: 'offered_services', services: [{ service: 'food', offered: true, accepted: false }] }, opts)).toBeNull();
    expect(contactProblem({ ...base, role: 'suspect', suspectType: 'buyer', ageBand: '35_to_49', disposition: 'detained' }, opts)).toBeNull();
    expect(contactProblem({ ...base, role: 'minor', ageBand: 'under_5', estimatedAge: 3, disposition: 'protective_custody' }, opts)).toBeNull();
  });
});
