import type { ReleaseFacts } from './press-release.text.ts';

/** The Missouri sting of the press report: the outcome every press-release test drafts from. */
export const STORY: ReleaseFacts = {
  operationType: 'buyer_sting',
  date: '2020-10-23',
  city: 'Oak Grove',
  stateFips: '29',
  leadAgency: 'Oak Grove Police Department',
  partners: ['Missouri State Highway Patrol', "Missouri Attorney General's Human Trafficking Task Force", "Jackson County Sheriff's Office", 'U.S. Marshals Service'],
  advocates: ['RISE Coalition', 'Relentless Pursuit', 'Central Missouri Stop Human Trafficking Coalition'],
  childWelfare: ["Missouri DSS Children's Division"],
  groups: [
    { role: 'suspect', sex: 'male', ageBand: '25_to_34', disposition: 'detained', count: 3 },
    { role: 'suspect', sex: 'male', ageBand: '35_to_49', disposition: 'detained', count: 2 },
    { role: 'adult_victim', sex: 'female', ageBand: '18_to_24', disposition: 'offered_services', count: 6 },
    { role: 'adult_victim', sex: 'female', ageBand: '25_to_34', disposition: 'offered_services', count: 4 },
    { role: 'minor', sex: 'female', ageBand: 'under_5', disposition: 'protective_custody', count: 2 },
    { role: 'minor', sex: 'male', ageBand: 'under_5', disposition: 'protective_custody', count: 1 },
  ],
  servicesOffered: { food: 10, lodging: 10, medical: 10, counseling: 10, drug_rehabilitation: 10 },
  hold: true,
  hotline: { phone: '1-888-373-7888', text: '233733' },
};
