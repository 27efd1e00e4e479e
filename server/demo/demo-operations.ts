import type { AppContext } from '../context.ts';
import { loadActor, type Actor } from '../auth/actor.ts';
import { TestClock } from '../lib/clock.ts';
import type { Service } from '../../common/operations.ts';
import { activateOperation, approveOperation, closeOperation, planOperation } from '../modules/operations/operations.service.ts';
import { recordContact } from '../modules/contacts/contacts.service.ts';
import { referContact, respondToReferral } from '../modules/referrals/referrals.service.ts';
import { handOffChild, recordParentNotification, recordReceipt, updateCustody } from '../modules/custody/custody.service.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-directory.ts';

const meta = { ip: null, userAgent: 'lantern demo', requestId: null };
const STORY_SERVICES: Service[] = ['food', 'lodging', 'medical', 'counseling', 'drug_rehabilitation'];

/** Oak Grove, Missouri (Jackson County) and two other places the demo's operations use. */
const OAK_GROVE = { label: 'Motel on S Broadway St, Oak Grove (demo)', countyFips: '29095', lat: 38.9645, lng: -94.1291 };
const OAK_GROVE_TRUCK_STOP = { label: 'Truck stop at I-70 exit 28, Oak Grove (demo)', countyFips: '29095', lat: 38.9808, lng: -94.1335 };
const WARRENSBURG = { label: 'Massage business on Business 13, Warrensburg (demo)', countyFips: '29101', lat: 38.7628, lng: -93.7361 };

/**
 * The demo's operations (issue #3, item 7): the story's operation of 23 October 2020 in Oak Grove with its
 * 18 contacts, referrals and hand-offs — every person plainly fictional — entered through the same
 * services and policies as the web app, with the clock set to when each step happened; plus a pair of
 * upcoming operations that raise a place conflict, and an operation closed last year.
 */
export async function loadDemoOperations(ctx: AppContext): Promise<{ created: boolean }> {
  const done = await ctx.db.selectFrom('setting').select('value').where('key', '=', 'demo.operations').executeTakeFirst();
  if (done) return { created: false };

  const clock = new TestClock(new Date('2020-10-19T15:00:00.000Z'));
  const at = { ...ctx, clock };
  const user = async (local: string): Promise<Actor> => {
    const row = await ctx.db.selectFrom('app_user').select('id').where('email', '=', `${local}@${DEMO_EMAIL_DOMAIN}`).executeTakeFirstOrThrow();
    return loadActor(ctx.db, row.id);
  };
  const agency = async (name: string) => (await ctx.db.selectFrom('agency').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const coordinator = await user('coordinator');
  const officer = await user('officer');
  const trooper = await user('mshp-officer');
  const advocate = await user('advocate');
  const otherAdvocate = await user('relentless-advocate');
  const caseworker = await user('caseworker');
  const kcpdCoordinator = await user('kcpd-coordinator');
  const kcpdOfficer = await user('kcpd-officer');
  const taskForceId = coordinator.taskForceIds[0]!;

  const partnerNames = [
    'Missouri State Highway Patrol',
    "Missouri Attorney General's Human Trafficking Task Force",
    "Jackson County Sheriff's Office",
    "Johnson County (MO) Sheriff's Office",
    'St. Joseph Police Department',
    'Kansas City Missouri Police Department',
    'Federal Bureau of Investigation',
    'U.S. Department of Homeland Security',
    'Internal Revenue Service',
    'U.S. Marshals Service',
  ];
  const advocateNames = ['RISE Coalition', 'Relentless Pursuit', 'Central Missouri Stop Human Trafficking Coalition'];
  const dss = await agency("Missouri DSS Children's Division");
  const rise = await agency('RISE Coalition');
  const relentless = await agency('Relentless Pursuit');
  const cmsht = await agency('Central Missouri Stop Human Trafficking Coalition');
  const participants = [
    ...(await Promise.all(partnerNames.map(async (n) => ({ agencyId: await agency(n), role: 'participant' as const })))),
    ...(await Promise.all(advocateNames.map(async (n) => ({ agencyId: await agency(n), role: 'victim_services' as const })))),
    { agencyId: dss, role: 'child_welfare' as const },
  ];

  // ---- The story: Friday 23 October 2020, 6 p.m. to midnight in Oak Grove (Central time, UTC-5).
  const story = await planOperation(
    at,
    coordinator,
    {
      taskForceId,
      name: 'Operation Harvest Moon (demo)',
      type: 'buyer_sting',
      startsAt: '2020-10-23T23:00:00.000Z',
      endsAt: '2020-10-24T05:00:00.000Z',
      locations: [OAK_GROVE, OAK_GROVE_TRUCK_STOP],
      participants,
      commander: { userId: coordinator.userId, name: coordinator.displayName, phone: '(816) 555-0100' },
      subjects: [{ kind: 'phone', value: '(816) 555-0199' }, { kind: 'handle', value: '@demo_listing_kc' }],
      briefing: 'Demo briefing: staging at the church lot two blocks north at 5 p.m.; advocates wait in the community room; Children’s Division on call.',
      investigationHold: true,
      assignedUserIds: [officer.userId, trooper.userId],
    },
    meta,
  );
  clock.set('2020-10-21T16:00:00.000Z');
  await approveOperation(at, coordinator, story.id, meta);
  clock.set('2020-10-23T22:30:00.000Z');
  await activateOperation(at, coordinator, story.id, meta);

  let minute = 0;
  const tick = () => clock.set(new Date(Date.parse('2020-10-23T23:20:00.000Z') + minute++ * 7 * 60_000));
  const record = async (by: Actor, input: Parameters<typeof recordContact>[3]) => {
    tick();
    const { contact } = await recordContact(at, by, story.id, input, meta);
    return contact.id;
  };

  // Five adult men detained (buyers), none named in the demo.
  const suspectBands = ['25_to_34', '35_to_49', '35_to_49', '50_plus', '18_to_24'] as const;
  for (const [i, band] of suspectBands.entries()) {
    await record(i % 2 ? trooper : officer, { role: 'suspect', suspectType: 'buyer', sex: 'male', ageBand: band, disposition: 'detained', charges: [], aliases: [], phones: [], services: [] });
  }

  // Ten adult women offered the story's services; some accept, some are referred.
  const victims: { id: string; accepts: Service[]; referTo: string | null; first: string }[] = [];
  const accepts: Service[][] = [
    ['food', 'lodging', 'counseling'],
    ['food', 'medical'],
    ['food', 'lodging', 'drug_rehabilitation'],
    [],
    ['medical'],
    ['food', 'counseling', 'drug_rehabilitation'],
    ['lodging'],
    [],
    ['food', 'lodging', 'medical', 'counseling'],
    ['counseling'],
  ];
  const firstNames = ['Sunny', 'Ivy', 'Dawn', 'Star', 'Jade', 'Robin', 'Sky', 'Wren', 'Marigold', 'Pearl'];
  for (let i = 0; i < 10; i++) {
    const id = await record(officer, {
      role: 'adult_victim',
      sex: 'female',
      ageBand: i < 4 ? '18_to_24' : i < 8 ? '25_to_34' : '35_to_49',
      disposition: 'offered_services',
      charges: [],
      // Plainly fictional, as every person in the demo.
      name: i % 3 === 0 ? `${firstNames[i]} Example` : undefined,
      aliases: i % 3 === 0 ? [`${firstNames[i]} (demo alias)`] : [],
      phones: [],
      screening: i < 6 ? { tool: 'vera_tvit_short', result: i % 2 ? 'positive' : 'inconclusive' } : undefined,
      services: STORY_SERVICES.map((service) => ({ service, offered: true, accepted: accepts[i]!.includes(service) })),
    });
    // Each of the ten is referred to one of the three advocate groups (their records: demo-clients.ts).
    victims.push({ id, accepts: accepts[i]!, referTo: [rise, rise, rise, relentless, relentless, cmsht, cmsht, rise, relentless, cmsht][i]!, first: firstNames[i]! });
  }

  // Three children under five in protective custody, handed to the Children's Division.
  const children: string[] = [];
  for (const sex of ['female', 'male', 'female'] as const) {
    children.push(await record(officer, { role: 'minor', sex, ageBand: 'under_5', estimatedAge: children.length + 2, disposition: 'protective_custody', charges: [], aliases: [], phones: [], services: [] }));
  }

  for (const v of victims.filter((x) => x.referTo)) {
    tick();
    const services = v.accepts.length ? v.accepts : (['shelter'] as Service[]);
    const sent = await referContact(at, officer, v.id, { toAgencyId: v.referTo!, firstName: v.first, language: 'English', services, safeContact: 'Through the advocate on scene only (demo)', consent: true, callbackPhone: '(660) 555-0141' }, meta);
    clock.advance(40 * 60_000);
    if (v.referTo === rise) await respondToReferral(at, advocate, sent.id, 'accepted', 'Met on scene; follow-up tomorrow (demo).', meta);
    if (v.referTo === relentless) await respondToReferral(at, otherAdvocate, sent.id, 'accepted', undefined, meta);
  }

  const custodyTaken = ['2020-10-24T01:05:00.000Z', '2020-10-24T01:05:00.000Z', '2020-10-24T01:40:00.000Z'];
  for (const [i, contactId] of children.entries()) {
    clock.set(new Date(Date.parse(custodyTaken[i]!) + 30 * 60_000));
    const handoff = await handOffChild(
      at,
      officer,
      contactId,
      {
        takenAt: custodyTaken[i]!,
        reason: 'imminent_danger',
        juvenileOfficerNotifiedAt: new Date(Date.parse(custodyTaken[i]!) + 20 * 60_000).toISOString(),
        childrensDivisionNotifiedAt: new Date(Date.parse(custodyTaken[i]!) + 25 * 60_000).toISOString(),
        toAgencyId: dss,
      },
      meta,
    );
    clock.advance(50 * 60_000);
    await recordParentNotification(at, officer, handoff.id, { at: clock.now().toISOString(), method: 'phone', outcome: i === 2 ? 'reached' : 'no_answer' }, meta);
    clock.set('2020-10-24T03:30:00.000Z');
    await recordReceipt(
      at,
      caseworker,
      handoff.id,
      { receivedAt: '2020-10-24T03:15:00.000Z', placementType: i === 2 ? 'relative_kinship' : 'emergency_shelter', placementName: i === 2 ? 'Maternal aunt, Independence (demo)' : 'Harbor Light Shelter (demo)' },
      meta,
    );
    clock.set('2020-10-24T11:00:00.000Z');
    await updateCustody(at, officer, handoff.id, { statementFiledAt: '2020-10-24T10:45:00.000Z' }, meta);
  }

  clock.set('2020-10-24T16:00:00.000Z');
  await closeOperation(at, coordinator, story.id, meta);

  // ---- Closed last year: a massage-business inspection in Warrensburg.
  const lastYear = new Date().getUTCFullYear() - 1;
  clock.set(`${lastYear}-06-01T15:00:00.000Z`);
  const inspection = await planOperation(
    at,
    coordinator,
    {
      taskForceId,
      name: 'Operation Clear Windows (demo)',
      type: 'massage_inspection',
      startsAt: `${lastYear}-06-12T15:00:00.000Z`,
      endsAt: `${lastYear}-06-12T21:00:00.000Z`,
      locations: [WARRENSBURG],
      participants: [
        { agencyId: await agency("Johnson County (MO) Sheriff's Office"), role: 'participant' },
        { agencyId: cmsht, role: 'victim_services' },
      ],
      commander: { name: 'Sgt. Demo Commander', phone: '(660) 555-0140' },
      subjects: [{ kind: 'business', value: 'Golden Lotus Spa LLC (demo)' }],
      investigationHold: false,
      assignedUserIds: [officer.userId],
    },
    meta,
  );
  await approveOperation(at, coordinator, inspection.id, meta);
  clock.set(`${lastYear}-06-12T14:30:00.000Z`);
  await activateOperation(at, coordinator, inspection.id, meta);
  for (const [i, sex] of (['female', 'female', 'male'] as const).entries()) {
    clock.set(`${lastYear}-06-12T16:${10 + i * 12}:00.000Z`);
    await recordContact(
      at,
      officer,
      inspection.id,
      i < 2
        ? { role: 'adult_victim', sex, ageBand: '25_to_34', disposition: 'offered_services', charges: [], aliases: [], phones: [], services: (['interpreter', 'shelter', 'legal'] as Service[]).map((service) => ({ service, offered: true, accepted: service !== 'legal' })) }
        : { role: 'suspect', suspectType: 'facilitator', sex, ageBand: '50_plus', disposition: 'cited', charges: [], aliases: [], phones: [], services: [] },
      meta,
    );
  }
  clock.set(`${lastYear}-06-13T15:00:00.000Z`);
  await closeOperation(at, coordinator, inspection.id, meta);

  // ---- Upcoming: two agencies planning near each other on the same night — a place conflict.
  const now = new Date();
  clock.set(now);
  const night = new Date(now.getTime() + 6 * 24 * 60 * 60_000);
  night.setUTCHours(23, 0, 0, 0);
  const window = (startHours: number, hours: number) => ({
    startsAt: new Date(night.getTime() + startHours * 60 * 60_000).toISOString(),
    endsAt: new Date(night.getTime() + (startHours + hours) * 60 * 60_000).toISOString(),
  });
  await planOperation(
    at,
    coordinator,
    {
      taskForceId,
      name: 'Operation Harvest Moon II (demo)',
      type: 'buyer_sting',
      ...window(0, 6),
      locations: [OAK_GROVE_TRUCK_STOP],
      participants: [
        { agencyId: await agency('Missouri State Highway Patrol'), role: 'participant' },
        { agencyId: rise, role: 'victim_services' },
        { agencyId: dss, role: 'child_welfare' },
      ],
      commander: { userId: coordinator.userId, name: coordinator.displayName, phone: '(816) 555-0100' },
      subjects: [],
      briefing: 'Demo briefing for the follow-up operation.',
      investigationHold: true,
      assignedUserIds: [officer.userId, trooper.userId],
    },
    meta,
  );
  const kcpdPlan = await planOperation(
    at,
    kcpdCoordinator,
    {
      taskForceId,
      name: 'Operation Crossroads (demo)',
      type: 'warrant_service',
      ...window(3, 4),
      locations: [{ label: 'Residence near I-70 exit 28 (demo)', countyFips: '29095', lat: 38.9831, lng: -94.1301 }],
      participants: [{ agencyId: await agency("Jackson County Sheriff's Office"), role: 'participant' }],
      commander: { userId: kcpdCoordinator.userId, name: kcpdCoordinator.displayName, phone: '(816) 555-0177' },
      subjects: [],
      investigationHold: true,
      assignedUserIds: [kcpdOfficer.userId],
    },
    meta,
  );
  await approveOperation(at, kcpdCoordinator, kcpdPlan.id, meta);

  const stamp = new Date().toISOString();
  await ctx.db.insertInto('setting').values({ key: 'demo.operations', value: stamp, updated_at: stamp }).execute();
  return { created: true };
}
