import { describe, expect, it } from 'vitest';
import type { AgencyKind } from '../../../../common/roles.ts';
import { checkDraft, emptyDraft, participantRole, planInput, updateInput, type PlanDraft } from './plan-form.ts';

const TF = '00000000-0000-4000-8000-0000000000f1';
const MSHP = '00000000-0000-4000-8000-0000000000a2';
const RISE = '00000000-0000-4000-8000-0000000000a3';
const KINDS = new Map<string, AgencyKind>([
  [MSHP, 'law_enforcement'],
  [RISE, 'victim_services'],
]);

function complete(): PlanDraft {
  return {
    ...emptyDraft(TF),
    name: 'Oak Grove October sting',
    type: 'buyer_sting',
    startsAt: '2020-10-23T18:00',
    endsAt: '2020-10-24T02:00',
    locations: [{ key: 'l1', label: 'Motel on Broadway', countyFips: '29095', lat: '39.0047', lng: '-94.1291', radiusM: '' }],
    participantIds: [MSHP, RISE],
    commanderName: 'Sgt. Olivia Officer',
    commanderPhone: '(816) 555-0100',
  };
}

describe('plan form', () => {
  it('starts with the investigation hold on', () => {
    expect(emptyDraft(TF).investigationHold).toBe(true);
  });

  it('names each problem by the path the server uses', () => {
    const d = { ...complete(), name: ' ', endsAt: '2020-10-23T17:00', commanderPhone: 'call me' };
    d.locations = [{ ...d.locations[0]!, lat: '139', lng: '', radiusM: '10' }];
    expect(checkDraft(d, { needsTaskForce: false })).toEqual({
      name: 'required',
      endsAt: 'endBeforeStart',
      'locations.0.lat': 'latitude',
      'locations.0.lng': 'required',
      'locations.0.radiusM': 'radius',
      'commander.phone': 'phone',
    });
    expect(checkDraft(complete(), { needsTaskForce: false })).toEqual({});
    expect(checkDraft({ ...complete(), taskForceId: '' }, { needsTaskForce: true })).toEqual({ taskForceId: 'required' });
  });

  it('gives each partner the role its kind of agency fills', () => {
    expect(participantRole('law_enforcement')).toBe('participant');
    expect(participantRole('federal')).toBe('participant');
    expect(participantRole('victim_services')).toBe('victim_services');
    expect(participantRole('child_welfare')).toBe('child_welfare');
  });

  it('sends instants in ISO and leaves a blank radius to the type default', () => {
    const input = planInput(complete(), KINDS);
    expect(input.startsAt).toBe(new Date('2020-10-23T18:00').toISOString());
    expect(input.locations[0]).toEqual({ label: 'Motel on Broadway', countyFips: '29095', lat: 39.0047, lng: -94.1291 });
    expect(input.participants).toEqual([
      { agencyId: MSHP, role: 'participant' },
      { agencyId: RISE, role: 'victim_services' },
    ]);
    expect(input.investigationHold).toBe(true);
    expect(input.briefing).toBeNull();
  });

  it('sends only what changed, with the version, and never untouched locations', () => {
    const before = complete();
    expect(updateInput(before, { ...before }, KINDS, 4)).toEqual({ version: 4 });
    const renamed = updateInput(before, { ...before, name: 'Renamed', participantIds: [RISE, MSHP] }, KINDS, 4);
    expect(renamed).toEqual({ name: 'Renamed', version: 4 });
    const moved = updateInput(before, { ...before, locations: [{ ...before.locations[0]!, lat: '39.01' }] }, KINDS, 4);
    expect(Object.keys(moved).sort()).toEqual(['locations', 'version']);
  });
});
