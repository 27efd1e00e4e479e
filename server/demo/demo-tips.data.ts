import type { TipFields } from '../../common/schemas/tips.ts';
import type { TipCloseReason, TipSource, TipStatus } from '../../common/tips.ts';

/**
 * The demo's tips (issue #10): a few dozen, plainly fictional, across the task force's counties, as
 * tipsters write them — some in Spanish, some by phone or forwarded by the national hotline — at
 * different stages of triage. Phone numbers are in the 555-01xx range set aside for fiction. One tip
 * shares the story operation's phone number, written the way sex ads disguise it.
 */
export interface DemoTip {
  key: string;
  daysAgo: number;
  source: TipSource;
  fields: Omit<TipFields, 'phones' | 'emails' | 'online' | 'businesses'> & Partial<Pick<TipFields, 'phones' | 'emails' | 'online' | 'businesses'>>;
  /** Where triage has got to, by whom (a demo account's local part). */
  status?: TipStatus;
  handler?: string;
  closeReason?: TipCloseReason;
  /** A question the investigator asked, and the tipster's answer if they came back. */
  question?: string;
  answer?: string;
  externalRef?: string;
}

const yes = true;
const no = false;

export const DEMO_TIPS: DemoTip[] = [
  {
    key: 'oak-grove-motel',
    daysAgo: 2,
    source: 'web',
    fields: {
      narrative:
        'Several young women are moved in and out of a motel off S Broadway in Oak Grove every few days by the same two men. The women never carry bags and one looked scared when I said hello. There is an online ad with the number 8I6-five five five-0I99.',
      city: 'Oak Grove',
      zip: '64075',
      when: 'Most evenings after 9 pm, for about two weeks',
      people: 'Two men in their 40s who seem to be in charge; four or five women in their 20s',
      vehicles: 'Silver minivan, MO plate ABC-123 (demo)',
      phones: ['8I6-five five five-0I99'],
      online: ['@demo_listing_kc'],
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
    status: 'under_review',
    handler: 'oakgrove-analyst',
    question: 'Thank you. Do the women stay in the same room each time, and do you know its number?',
  },
  {
    key: 'truck-stop-minor',
    daysAgo: 1,
    source: 'phone',
    fields: {
      narrative:
        'Caller works nights at a truck stop off I-70 and saw a girl who looked about 15 going from truck to truck with an older woman. The girl did not know what town she was in.',
      city: 'Oak Grove',
      zip: '64075',
      when: 'Last night around 2 am',
      people: 'A girl about 15; a woman about 35 with a red jacket',
      minorInvolved: yes,
      immediateDanger: no,
      language: 'en',
    },
  },
  {
    key: 'spa-independence',
    daysAgo: 6,
    source: 'web',
    fields: {
      narrative:
        'The massage spa on the corner has covered windows, a buzz-in door and only men going in, late at night. The workers seem to live there; I see laundry hanging in the back and a mattress through the back door.',
      address: '4100 N Oak Trafficway (demo)',
      city: 'Kansas City',
      zip: '64118',
      businesses: ['Lucky Garden Massage (demo)'],
      phones: ['(816) 555-0142'],
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
    status: 'assigned',
    handler: 'kcpd-officer',
  },
  {
    key: 'kc-apartment-es',
    daysAgo: 3,
    source: 'web',
    fields: {
      narrative:
        'Mi vecina trabaja en un restaurante y dice que su jefe tiene su pasaporte y que tiene una deuda que no puede pagar. No puede salir sola del apartamento.',
      city: 'Kansas City',
      zip: '64118',
      when: 'Desde hace tres meses',
      people: 'Una mujer de unos 30 años; su jefe',
      minorInvolved: no,
      immediateDanger: no,
      language: 'es',
      contact: { name: 'Vecina (demo)', phone: '(816) 555-0155', safeMethod: 'text_message', safeTimes: 'Por la mañana' },
    },
    status: 'under_review',
    handler: 'kcpd-coordinator',
    question: '¿Sabe el nombre del restaurante?',
    answer: 'Creo que es un restaurante en la calle principal, cerca del mercado.',
  },
  {
    key: 'liberty-escort-ads',
    daysAgo: 9,
    source: 'hotline',
    externalRef: 'NHTH-2026-0411',
    fields: {
      narrative: 'Forwarded by the national hotline: caller reports escort ads posting the same young woman in Liberty and St. Joseph, with a number that changes weekly.',
      city: 'Liberty',
      zip: '64068',
      phones: ['816-555-0171'],
      online: ['escort-ads.example/liberty/demo-4411'],
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
    status: 'referred',
    handler: 'kcpd-coordinator',
  },
  {
    key: 'st-joseph-escort',
    daysAgo: 8,
    source: 'web',
    fields: {
      narrative: 'Same woman in ads in St. Joseph as in Liberty, I think. The ad says new in town and the phone is 816.555.0171.',
      city: 'Saint Joseph',
      zip: '64501',
      phones: ['816.555.0171'],
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
  },
  {
    key: 'danger-now-belton',
    daysAgo: 0,
    source: 'web',
    fields: {
      narrative: 'A woman ran into the gas station crying and said a man took her phone and will hurt her. He is waiting in the car outside.',
      city: 'Belton',
      zip: '64012',
      when: 'Right now',
      minorInvolved: no,
      immediateDanger: yes,
      language: 'en',
    },
  },
  {
    key: 'warrensburg-spa',
    daysAgo: 14,
    source: 'web',
    fields: {
      narrative: 'Golden Lotus Spa has cash only prices far below other places and reviews online describe sex acts. The door is locked and you have to be buzzed in.',
      city: 'Warrensburg',
      zip: '64093',
      businesses: ['Golden Lotus Spa LLC (demo)'],
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
    status: 'linked',
    handler: 'oakgrove-analyst',
  },
  {
    key: 'jefferson-city-farm',
    daysAgo: 20,
    source: 'hotline',
    externalRef: 'NHTH-2026-0388',
    fields: {
      narrative: 'Farm workers housed in a barn outside Jefferson City say their employer charges them for rent and transport so they always owe more than they earn.',
      city: 'Jefferson City',
      zip: '65101',
      county: 'Cole',
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
    status: 'closed',
    handler: 'coordinator',
    closeReason: 'outside_jurisdiction',
  },
  {
    key: 'columbia-nail-salon',
    daysAgo: 11,
    source: 'web',
    fields: {
      narrative: 'Workers at a nail salon are driven in together in the morning and picked up at night; they never seem to leave for lunch and do not speak to customers.',
      city: 'Columbia',
      zip: '65201',
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
  },
  {
    key: 'lees-summit-party',
    daysAgo: 5,
    source: 'web',
    fields: {
      narrative: 'Teenagers are invited to parties at a house where older men give them alcohol. One girl said she owes money for a phone and has to "work it off".',
      city: 'Oak Grove',
      zip: '64075',
      minorInvolved: yes,
      immediateDanger: no,
      language: 'en',
    },
    status: 'assigned',
    handler: 'coordinator',
  },
  {
    key: 'platte-hotel-es',
    daysAgo: 4,
    source: 'web',
    fields: {
      narrative: 'En un hotel cerca del aeropuerto vi a un hombre que controlaba a varias mujeres jóvenes y se quedaba con el dinero. Una me dijo que tenía miedo.',
      city: 'Kansas City',
      zip: '64151',
      minorInvolved: no,
      immediateDanger: no,
      language: 'es',
    },
    status: 'linked',
    handler: 'kcpd-coordinator',
  },
  {
    key: 'closed-no-indicators',
    daysAgo: 30,
    source: 'web',
    fields: {
      narrative: 'A lot of cars come and go from a house on my street at night.',
      city: 'Oak Grove',
      zip: '64075',
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
    status: 'closed',
    handler: 'coordinator',
    closeReason: 'no_trafficking_indicated',
  },
  {
    key: 'springfield-same-number',
    daysAgo: 1,
    source: 'web',
    fields: {
      narrative: 'Ads for massage in Springfield list the number (816) 555-0199 even though it is a Kansas City number. New girls every week.',
      city: 'Springfield',
      zip: '65802',
      phones: ['(816) 555-0199'],
      minorInvolved: no,
      immediateDanger: no,
      language: 'en',
    },
  },
];

/** More tips, briefer, so the queue and the map have a task force's ordinary weeks in them. */
const EVERYDAY: [string, string, string, boolean][] = [
  ['64050', 'Independence', 'Men come and go from an apartment at all hours; a woman inside seems to be kept there.', false],
  ['64106', 'Kansas City', 'A bar downtown has young women who say they must meet a nightly quota or pay a fine.', false],
  ['64118', 'Kansas City', 'Door-to-door magazine sellers say their crew leader keeps their IDs and their pay.', false],
  ['64081', 'Lees Summit', 'A massage place opened where the last one was closed; same covered windows and late hours.', false],
  ['64086', 'Lees Summit', 'A high-school student says an older boyfriend posts her photos online and takes the money.', true],
  ['64701', 'Harrisonville', 'Workers at a roadside restaurant sleep in the storage room and are never paid directly.', false],
  ['64093', 'Warrensburg', 'Students were offered modelling jobs that turned into escort dates arranged by one man.', false],
  ['64020', 'Concordia', 'A truck driver says a woman at the rest area asked him for help getting away from her boyfriend.', false],
  ['64501', 'Saint Joseph', 'A cleaning crew is moved between motels in a van; the supervisor holds their passports.', false],
  ['64068', 'Liberty', 'A 16-year-old runaway is staying with adults who bring men to the house.', true],
  ['64012', 'Belton', 'A spa advertises on a sex-buyer review site with male-only clientele.', false],
  ['65201', 'Columbia', 'Housekeepers at a hotel say their recruiter charges a debt for their visas.', false],
  ['64151', 'Kansas City', 'Handles on a social app recruit girls for "hostess" jobs at private parties near the airport.', false],
  ['65101', 'Jefferson City', 'A construction crew lives in the boss\'s house and is locked in at night.', false],
  ['64063', 'Lees Summit', 'A woman in a nail salon passed me a note that said "help" in Spanish.', false],
  ['64075', 'Oak Grove', 'Cars with out-of-state plates park behind a house near the interstate late every night.', false],
  ['64106', 'Kansas City', 'Escort ads with the same photos under different names, always near the stadium on game days.', false],
  ['64050', 'Independence', 'A man at church says his employer keeps his passport and he owes a debt for his travel.', false],
  ['64118', 'Kansas City', 'A girl who looks 14 is dropped off at a motel by different men.', true],
  ['64701', 'Harrisonville', 'Farm workers are charged for water and food and cannot leave the property.', false],
];

export const DEMO_EVERYDAY_TIPS: DemoTip[] = EVERYDAY.map(([zip, city, narrative, minor], i) => ({
  key: `everyday-${i + 1}`,
  daysAgo: 3 + ((i * 7) % 40),
  source: i % 5 === 0 ? 'hotline' : i % 3 === 0 ? 'phone' : 'web',
  ...(i % 5 === 0 ? { externalRef: `NHTH-2026-${String(300 + i).padStart(4, '0')}` } : {}),
  fields: { narrative, city, zip, minorInvolved: minor, immediateDanger: false, language: 'en' },
  ...(i % 4 === 1 ? { status: 'closed' as const, handler: 'coordinator', closeReason: 'insufficient_information' as const } : {}),
}));
