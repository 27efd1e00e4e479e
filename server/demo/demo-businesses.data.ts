import type { BusinessFactKind, BusinessIndicator, OperatorKind, OperatorRole } from '../../common/businesses.ts';

/**
 * The demo's business campaign (issue #11, item 8): about 80 plainly fictional massage businesses, mostly
 * in the West Missouri task force's counties, whose dated histories reproduce the Hope Initiative's public
 * figures for that task force — 77 landlords notified, 41 who answered (23 removed the business or did not
 * renew its lease, 17 committed to remove it, 1 refused), 23 businesses evicted or in some phase of
 * eviction — and a few in the Southwest task force, which sees only its own. Phone numbers are in the
 * 555-01xx range set aside for fiction; streets, people and companies are invented.
 */

/** Where a demo business stands, and how it got there (the loader dates each step). */
export type DemoStory =
  /** Before the landlord's notice. */
  | 'identified'
  | 'verified'
  | 'landlord_identified'
  /** A legitimate business, cleared with a reason. */
  | 'cleared'
  /** Notified in 2020–2021; no answer, the deadline long past, nothing recorded yet. */
  | 'notified'
  /** Notified in the last weeks: the deadline is still ahead (the reminders have something to say). */
  | 'notified_recent'
  /** No answer by the deadline, recorded as such. */
  | 'no_response'
  /** No answer; the Initiative's later phase sued the business. */
  | 'no_response_sued'
  /** The landlord committed to remove the business. */
  | 'committed'
  /** The landlord refused; the business was sued. */
  | 'refused_sued'
  /** The landlord committed and acted: a lease action under way. */
  | 'lease_action'
  /** …and the business has closed. */
  | 'closed'
  /** …closed, then referred for prosecution. */
  | 'closed_referred';

/** A town of the demo, its county and the agency that works its businesses. */
export interface DemoPlace {
  city: string;
  zip: string;
  countyFips: string;
  /** A DEMO_AGENCIES key. */
  agency: string;
  areaCode: string;
  /** The Southwest task force's (issue #10's other task force). */
  southwest?: true;
}

export const PLACES = {
  kcDowntown: { city: 'Kansas City', zip: '64106', countyFips: '29095', agency: 'kcpd', areaCode: '816' },
  kcMidtown: { city: 'Kansas City', zip: '64111', countyFips: '29095', agency: 'kcpd', areaCode: '816' },
  kcSouth: { city: 'Kansas City', zip: '64131', countyFips: '29095', agency: 'kcpd', areaCode: '816' },
  kcNorth: { city: 'Kansas City', zip: '64118', countyFips: '29047', agency: 'kcpd', areaCode: '816' },
  kcAirport: { city: 'Kansas City', zip: '64151', countyFips: '29165', agency: 'kcpd', areaCode: '816' },
  liberty: { city: 'Liberty', zip: '64068', countyFips: '29047', agency: 'kcpd', areaCode: '816' },
  belton: { city: 'Belton', zip: '64012', countyFips: '29037', agency: 'kcpd', areaCode: '816' },
  independence: { city: 'Independence', zip: '64050', countyFips: '29095', agency: 'mshp', areaCode: '816' },
  leesSummit: { city: 'Lees Summit', zip: '64063', countyFips: '29095', agency: 'mshp', areaCode: '816' },
  oakGrove: { city: 'Oak Grove', zip: '64075', countyFips: '29095', agency: 'oakgrove', areaCode: '816' },
  odessa: { city: 'Odessa', zip: '64076', countyFips: '29107', agency: 'oakgrove', areaCode: '816' },
  harrisonville: { city: 'Harrisonville', zip: '64701', countyFips: '29037', agency: 'mshp', areaCode: '816' },
  warrensburg: { city: 'Warrensburg', zip: '64093', countyFips: '29101', agency: 'mshp', areaCode: '660' },
  stJoseph: { city: 'Saint Joseph', zip: '64501', countyFips: '29021', agency: 'mshp', areaCode: '816' },
  sedalia: { city: 'Sedalia', zip: '65301', countyFips: '29159', agency: 'ago', areaCode: '660' },
  columbia: { city: 'Columbia', zip: '65201', countyFips: '29019', agency: 'ago', areaCode: '573' },
  jeffersonCity: { city: 'Jefferson City', zip: '65101', countyFips: '29051', agency: 'ago', areaCode: '573' },
  springfield: { city: 'Springfield', zip: '65802', countyFips: '29077', agency: 'springfield', areaCode: '417', southwest: true },
  springfieldSouth: { city: 'Springfield', zip: '65804', countyFips: '29077', agency: 'springfield', areaCode: '417', southwest: true },
} as const satisfies Record<string, DemoPlace>;
type PlaceKey = keyof typeof PLACES;

export interface DemoOperator {
  kind: OperatorKind;
  role: OperatorRole;
  name: string;
  detail?: string;
}

export interface DemoBusiness {
  key: string;
  name: string;
  place: DemoPlace;
  address: string;
  hours: string;
  license: { number: string; issuer: string; issued: string; expires: string; status: string };
  facts: { kind: BusinessFactKind; value: string }[];
  operators: DemoOperator[];
  indicators: BusinessIndicator[];
  story: DemoStory;
  /** The landlord: businesses naming the same key share one owner. */
  landlord: string | null;
  /** Wave of notices (0, 1, 2) and the business's place in it: the loader turns them into dates. */
  wave: number;
  slot: number;
  /** Created (or, for a recent notice, notified) this many days before now: the businesses still being worked. */
  recentDays?: number;
}

/**
 * Phones the demo's tips and operations already use, kept off businesses unless a business is meant to
 * share one (the re-opening alert and the tips' links): 0142 and 0171 are shared on purpose below.
 */
const TAKEN = new Set(['8165550100', '8165550140', '8165550141', '8165550142', '8165550155', '8165550171', '8165550177', '8165550199', '6605550140', '6605550141']);

/** The businesses the story needs by name: the re-opening, the tips' links, the cleared one. */
export const JADE_BLOSSOM = 'jade-blossom';
export const GOLDEN_LOTUS = 'golden-lotus';
export const SERENITY_GARDEN = 'serenity-garden';
export const WILLOW_CREEK = 'willow-creek';

/** The phone of the closed Jade Blossom Spa that a demo tip names again (tip "spa-independence"). */
export const REOPENED_PHONE = '(816) 555-0142';

const PREFIXES = [
  'Lotus', 'Jade', 'Orchid', 'Bamboo', 'Pearl', 'Harmony', 'Sunrise', 'Silk Road', 'Blue Sky', 'Happy Feet',
  'Spring Rain', 'Moonlight', 'Cherry Blossom', 'Tranquil', 'Golden Sun', 'Royal', 'Zen Garden', 'Peach Tree',
  'Ocean Breeze', 'Magnolia', 'Crystal', 'Evergreen', 'Sakura', 'Rainbow', 'Dynasty', 'Plum Flower', 'Summit',
  'Star', 'Paradise',
];
const KINDS = ['Wellness Spa', 'Massage', 'Foot Spa', 'Body Care', 'Day Spa', 'Reflexology', 'Massage Therapy', 'Spa'];
const STREETS = [
  'Willowmere Ave', 'Bramblewood Dr', 'Tanager Trl', 'Copperleaf Pkwy', 'Quail Run Rd', 'Larkspur Ln', 'Hollowbrook Dr',
  'Fernhill Rd', 'Kestrel Way', 'Ashgrove Blvd', 'Thistle Ct', 'Marigold St', 'Stonecrest Ave', 'Juniper Hollow Rd',
  'Partridge Ln', 'Silverbell Dr', 'Meadowlark Pkwy', 'Briarcliff Ter', 'Cobblefield Rd', 'Wrenfield Ave',
];
const HOURS = ['Daily 10 am – 11 pm', 'Daily 9 am – midnight', 'Mon–Sun 10 am – 2 am', 'Mon–Sat 11 am – 1 am', 'Daily 9:30 am – 10:30 pm'];
const INDICATOR_SETS: BusinessIndicator[][] = [
  ['covered_windows', 'locked_door', 'late_hours'],
  ['reviews_describe_sex_acts', 'male_only_clientele', 'cash_only'],
  ['ads_on_sex_buyer_sites', 'below_market_prices', 'late_hours', 'covered_windows'],
  ['workers_living_on_site', 'locked_door', 'cash_only'],
  ['reviews_describe_sex_acts', 'ads_on_sex_buyer_sites'],
  ['male_only_clientele', 'late_hours', 'below_market_prices'],
];

/** Evidence notes as an investigator writes them: what was seen, never who was seen. */
export const INDICATOR_NOTES: Record<BusinessIndicator, string> = {
  below_market_prices: 'Posted price of $40 for an hour, about half of what licensed spas nearby charge.',
  male_only_clientele: 'Over two evenings of surveillance, every customer going in was a man arriving alone.',
  locked_door: 'The front door is locked during opening hours; customers are buzzed in after ringing.',
  covered_windows: 'Front windows covered with paper and dark film; no view of the inside from the street.',
  workers_living_on_site: 'Laundry drying behind the building and mattresses seen through the back door; staff never leave at closing.',
  ads_on_sex_buyer_sites: 'The business phone number appears in ads on a sex-buyer website (screenshot kept in the case file).',
  reviews_describe_sex_acts: 'Reviews on a sex-buyer review board describe sexual services at this address.',
  late_hours: 'Open and taking customers after midnight on weeknights.',
  cash_only: 'Sign at the counter says cash only; no card reader.',
};

/** The stories of the West Missouri task force's 83 businesses, in order; the first four are named above. */
const WEST_STORIES: [DemoStory, number][] = [
  ['closed', 14],
  ['closed_referred', 1],
  ['lease_action', 8],
  ['committed', 17],
  ['refused_sued', 1],
  ['no_response', 20],
  ['no_response_sued', 6],
  ['notified', 7],
  ['notified_recent', 3],
  ['identified', 2],
  ['verified', 1],
  ['landlord_identified', 2],
  ['cleared', 1],
];

/** Where the West task force's generated businesses are, most in the Kansas City area. */
const WEST_PLACES: PlaceKey[] = [
  'kcDowntown', 'kcMidtown', 'kcSouth', 'kcNorth', 'independence', 'kcAirport', 'leesSummit', 'oakGrove', 'liberty', 'belton',
  'kcMidtown', 'kcDowntown', 'harrisonville', 'stJoseph', 'odessa', 'independence', 'kcSouth', 'warrensburg', 'sedalia',
  'columbia', 'jeffersonCity', 'kcNorth',
];

function pad(n: number, width = 4) {
  return String(n).padStart(width, '0');
}

/** Invented people and companies behind several storefronts each (Polaris: networks of one to three owners). */
const NETWORKS: { operators: DemoOperator[]; sharedPhone?: string; sharedHandle?: string }[] = [
  {
    operators: [
      { kind: 'person', role: 'operator', name: 'Lian Example (demo)', detail: 'Named on the lease application of two storefronts (demo).' },
      { kind: 'company', role: 'owner', name: 'Golden Hands Management LLC (demo)', detail: 'Missouri LLC registered 2018 (demo registration number LC-0000001).' },
    ],
  },
  { operators: [{ kind: 'person', role: 'manager', name: 'Dae Sample (demo)' }], sharedPhone: '(816) 555-0160' },
  {
    operators: [{ kind: 'company', role: 'owner', name: 'Red Lantern Ventures Inc (demo)', detail: 'Registered agent at a mail drop (demo).' }],
    sharedHandle: '@redlantern_spas_demo',
  },
];

/**
 * Builds the demo's businesses: deterministic, so every load tells the same story. The West task force's
 * 77 notified businesses each have their own landlord; two owners also own a second, not yet notified,
 * storefront (the landlord view's "other properties").
 */
export function demoBusinesses(): DemoBusiness[] {
  const phones = new Map<string, number>();
  const nextPhone = (areaCode: string) => {
    let n = phones.get(areaCode) ?? 101;
    while (TAKEN.has(`${areaCode}5550${n}`) || (areaCode === '816' && n === 160)) n++;
    phones.set(areaCode, n + 1);
    if (n > 199) throw new Error(`the demo ran out of fictional ${areaCode} numbers`);
    return `(${areaCode}) 555-0${n}`;
  };

  const out: DemoBusiness[] = [];
  let i = 0;
  const base = (place: DemoPlace, story: DemoStory, wave: number, slot: number): DemoBusiness => {
    const n = i++;
    const name = `${PREFIXES[n % PREFIXES.length]} ${KINDS[(n * 3) % KINDS.length]} (demo)`;
    const issuedYear = 2016 + (n % 4);
    const slug = name.toLowerCase().replace(/\(demo\)/, '').trim().replace(/[^a-z0-9]+/g, '-');
    const facts: DemoBusiness['facts'] = [{ kind: 'phone', value: nextPhone(place.areaCode) }];
    if (n % 3 === 0) facts.push({ kind: 'website', value: `https://${slug}.example/` });
    if (n % 4 === 1) facts.push({ kind: 'handle', value: `massage-board.example/listing/${slug}` });
    if (n % 11 === 5) facts.push({ kind: 'former_name', value: `${PREFIXES[(n + 7) % PREFIXES.length]} Massage (demo)` });
    return {
      key: `business-${pad(n, 2)}`,
      name,
      place,
      address: `${100 + ((n * 137) % 8900)} ${STREETS[n % STREETS.length]}`,
      hours: HOURS[n % HOURS.length]!,
      license: {
        number: `MB-${issuedYear}-${pad(1000 + n)}`,
        issuer: 'Missouri Board of Therapeutic Massage (demo lookup)',
        issued: `${issuedYear}-0${1 + (n % 9)}-15`,
        expires: `${issuedYear + 2}-0${1 + (n % 9)}-14`,
        status: story === 'closed' || story === 'closed_referred' ? 'revoked' : n % 5 === 0 ? 'expired' : 'active',
      },
      facts,
      operators: [],
      indicators: INDICATOR_SETS[n % INDICATOR_SETS.length]!,
      story,
      landlord: story === 'identified' || story === 'verified' || story === 'cleared' ? null : `landlord-${pad(n, 2)}`,
      wave,
      slot,
    };
  };

  // The named businesses of the story.
  const jade = base(PLACES.kcNorth, 'closed', 0, 0);
  Object.assign(jade, {
    key: JADE_BLOSSOM,
    name: 'Jade Blossom Spa (demo)',
    address: '2210 NE Kestrel Way',
    facts: [
      { kind: 'phone', value: REOPENED_PHONE },
      { kind: 'handle', value: 'massage-board.example/listing/jade-blossom-kc' },
      { kind: 'former_name', value: 'Jade Garden Massage (demo)' },
    ],
    indicators: ['reviews_describe_sex_acts', 'workers_living_on_site', 'covered_windows', 'locked_door'],
  } satisfies Partial<DemoBusiness>);
  const golden = base(PLACES.warrensburg, 'identified', 0, 0);
  Object.assign(golden, {
    key: GOLDEN_LOTUS,
    name: 'Golden Lotus Spa (demo)',
    address: '315 Business 13 Hwy',
    indicators: ['cash_only', 'below_market_prices', 'reviews_describe_sex_acts', 'locked_door'],
    recentDays: 12,
  } satisfies Partial<DemoBusiness>);
  const serenity = base(PLACES.liberty, 'committed', 1, 0);
  Object.assign(serenity, {
    key: SERENITY_GARDEN,
    name: 'Serenity Garden Massage (demo)',
    address: '48 Larkspur Ln',
    facts: [
      { kind: 'phone', value: '(816) 555-0171' },
      { kind: 'handle', value: 'escort-ads.example/liberty/demo-4411' },
    ],
    indicators: ['ads_on_sex_buyer_sites', 'late_hours', 'male_only_clientele'],
  } satisfies Partial<DemoBusiness>);
  const willow = base(PLACES.leesSummit, 'cleared', 0, 0);
  Object.assign(willow, {
    key: WILLOW_CREEK,
    name: 'Willow Creek Therapeutic Massage (demo)',
    address: '901 Thistle Ct',
    indicators: ['covered_windows', 'late_hours'],
  } satisfies Partial<DemoBusiness>);
  out.push(jade, golden, serenity, willow);

  // The rest of the West task force's businesses, story by story.
  const named = new Map<DemoStory, number>([['closed', 1], ['identified', 1], ['committed', 1], ['cleared', 1]]);
  let placeAt = 0;
  let slot = 1;
  for (const [story, count] of WEST_STORIES) {
    for (let k = named.get(story) ?? 0; k < count; k++) {
      const place = PLACES[WEST_PLACES[placeAt++ % WEST_PLACES.length]!];
      out.push(base(place, story, slot % 3, slot));
      slot++;
    }
  }

  // The networks: an operator behind two or three storefronts, some sharing a phone or an ad handle.
  const byStory = (s: DemoStory) => out.filter((b) => b.story === s);
  const members = [
    [jade, byStory('closed')[1]!, byStory('lease_action')[0]!],
    [byStory('committed')[2]!, byStory('no_response')[0]!],
    [byStory('no_response')[3]!, byStory('notified')[1]!, byStory('closed')[4]!],
  ];
  NETWORKS.forEach((net, k) => {
    for (const b of members[k]!) {
      b.operators.push(...net.operators);
      if (net.sharedPhone) b.facts.push({ kind: 'phone', value: net.sharedPhone });
      if (net.sharedHandle) b.facts.push({ kind: 'handle', value: net.sharedHandle });
    }
  });
  // Some storefronts have a named operator of their own.
  out.forEach((b, k) => {
    if (b.operators.length === 0 && k % 4 === 2) b.operators.push({ kind: 'person', role: 'operator', name: `Operator ${pad(k, 2)} Example (demo)` });
  });

  // The notices of the last weeks: one landlord's deadline is days away (the reminders' week before it).
  byStory('notified_recent').forEach((b, k) => (b.recentDays = [26, 18, 8][k]));

  // Two owners hold a second storefront, not yet notified.
  const second = byStory('landlord_identified');
  second[0]!.landlord = byStory('closed')[2]!.landlord;
  second[1]!.landlord = byStory('committed')[5]!.landlord;

  // The Southwest task force's own, which the West task force never sees.
  for (const [k, place] of (['springfield', 'springfieldSouth', 'springfield'] as const).entries()) {
    const b = base(PLACES[place], 'identified', 0, 0);
    b.recentDays = 20 + k * 9;
    out.push(b);
  }
  return out;
}

/** Invented landlords: companies and people, some with an agent or property manager. */
export function demoLandlord(key: string, n: number): { kind: OperatorKind; name: string; agent: string | null; mailingAddress: string; phone: string; email: string; source: string } {
  const surnames = ['Ashworth', 'Bellamy', 'Carrow', 'Delacroix', 'Ellery', 'Fairbanks', 'Galloway', 'Hartwell', 'Ingram', 'Jessup', 'Kinsley', 'Lockhart', 'Merriweather', 'Norcross', 'Oakhurst'];
  const firsts = ['Pat', 'Robin', 'Jamie', 'Taylor', 'Morgan', 'Casey', 'Jordan', 'Quinn'];
  const surname = surnames[n % surnames.length]!;
  const company = n % 3 !== 1;
  const name = company ? `${surname} ${['Properties', 'Holdings', 'Realty Trust', 'Commercial Partners'][n % 4]} ${pad(n, 2)} LLC (demo)` : `${firsts[n % firsts.length]} ${surname} ${pad(n, 2)} (demo)`;
  return {
    kind: company ? 'company' : 'person',
    name,
    agent: n % 2 === 0 ? `${firsts[(n + 3) % firsts.length]} ${surnames[(n + 5) % surnames.length]}, property manager (demo)` : null,
    mailingAddress: `PO Box ${1000 + n * 7}, Kansas City, MO 64141`,
    phone: `(913) 555-01${pad(n % 100, 2)}`,
    email: `owner-${key}@landlord.example`,
    source: `County assessor record, parcel ${pad(10 + n, 2)}-${pad(300 + n * 3)} (demo)`,
  };
}

/** The attorney general's notice to landlords (version 1): every merge field, no victim details. */
export const DEMO_NOTICE_TEMPLATE = {
  title: 'Notice to property owner: illicit massage business on your property',
  body: [
    'Letter {{letter_number}}, {{date}}',
    '',
    'To {{owner}}',
    'c/o {{agent}}',
    '',
    'Re: {{business_name}}, {{property}}',
    '',
    'The Attorney General\'s Office has information that the business named above, operating on property you own, shows signs of commercial sex and human trafficking:',
    '',
    '{{evidence_summary}}',
    '',
    '{{legal_basis}}',
    '',
    'Please tell this office by {{response_deadline}} what you will do about the business\'s lease. Owners who have answered such notices have ended leases, declined to renew them or filed for eviction.',
    '',
    'Missouri Attorney General\'s Office, Human Trafficking Task Force (demo)',
  ].join('\n'),
  legalBasis:
    'Using premises for prostitution is an offense under Missouri law (RSMo chapter 567), and a property used for it may be abated as a public nuisance. (Demo text: have counsel confirm the citations before any real use.)',
  responseDays: 30,
};
