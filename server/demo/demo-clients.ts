import type { AppContext } from '../context.ts';
import { loadActor, type Actor } from '../auth/actor.ts';
import { TestClock } from '../lib/clock.ts';
import type { Nationality, ServiceCategory, TraffickingType } from '../../common/clients.ts';
import { respondToReferral } from '../modules/referrals/referrals.service.ts';
import { addService, createClient, createRelease, revokeRelease, shareUnderRelease, updateClient } from '../modules/clients/clients.service.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-directory.ts';

const meta = { ip: null, userAgent: 'lantern demo', requestId: null };
const DAY = 86_400_000;

/** The advocate groups of the story, by agency key, and the demo advocate who works each one's referrals. */
const ADVOCATES = { rise: 'advocate', relentless: 'relentless-advocate', cmsht: 'cmsht-advocate' } as const;
type Group = keyof typeof ADVOCATES;
const GROUP_NAMES: Record<Group, string> = { rise: 'RISE Coalition', relentless: 'Relentless Pursuit', cmsht: 'Central Missouri Stop Human Trafficking Coalition' };

/**
 * The ten women of the story (person 6 to 15 of the operation), in order: the group each is referred to,
 * whether she takes up its services, and, for those who do, her record. All ten were referred on the
 * night (demo-operations.ts); RISE and Relentless Pursuit answered then, CMSHTC answers here. A service's date is a day in 2020 or a
 * number of days before the demo is loaded, so the report of the last ended quarter has something to count.
 */
const WOMEN: {
  group: Group;
  accepts: boolean;
  client?: { type: TraffickingType; nationality: Nationality; services: [ServiceCategory, string | number][]; closed?: string };
}[] = [
  {
    group: 'rise',
    accepts: true,
    client: {
      type: 'sex',
      nationality: 'us_citizen_lpr',
      services: [
        ['crisis_intervention', '2020-10-24'],
        ['emergency_shelter', '2020-10-25'],
        ['case_management', '2020-11-02'],
        ['mental_health', 120],
        ['case_management', 75],
        ['criminal_justice_advocacy', 30],
      ],
    },
  },
  { group: 'rise', accepts: true, client: { type: 'sex', nationality: 'us_citizen_lpr', services: [['medical', '2020-10-26'], ['case_management', 100]] } },
  {
    group: 'rise',
    accepts: true,
    client: { type: 'sex', nationality: 'unknown', services: [['emergency_shelter', '2020-10-24'], ['substance_use_treatment', '2020-11-10']], closed: '2021-03-01' },
  },
  // Accepted on the night, then never came in.
  { group: 'relentless', accepts: true },
  {
    group: 'relentless',
    accepts: true,
    client: { type: 'sex_and_labor', nationality: 'foreign_national', services: [['legal_immigration', 90], ['interpretation', 90], ['case_management', 45]] },
  },
  { group: 'cmsht', accepts: true, client: { type: 'sex', nationality: 'us_citizen_lpr', services: [['substance_use_treatment', 80], ['mental_health', 60]] } },
  { group: 'cmsht', accepts: false },
  // Accepted on the night, then never came in.
  { group: 'rise', accepts: true },
  { group: 'relentless', accepts: true, client: { type: 'sex', nationality: 'us_citizen_lpr', services: [['transitional_housing', 110], ['education_employment', 20]] } },
  { group: 'cmsht', accepts: true, client: { type: 'labor', nationality: 'foreign_national', services: [['mental_health', 50]] } },
];

/**
 * The advocates' compartment in the demo (issue #12, item 7): the story's ten women referred to the three
 * advocate groups on the night; each group's demo advocate accepts or declines, opens client records from the accepted
 * referrals and records dated services — all through the services, with the clock set to each moment. One
 * release to the attorney general's office for service status only, shared once; one release to Oak Grove
 * police revoked. Idempotent; runs after the operations.
 */
export async function loadDemoClients(ctx: AppContext): Promise<{ created: boolean }> {
  const done = await ctx.db.selectFrom('setting').select('value').where('key', '=', 'demo.clients').executeTakeFirst();
  if (done) return { created: false };
  const story = await ctx.db.selectFrom('operation').select('id').where('name', '=', 'Operation Harvest Moon (demo)').executeTakeFirst();
  if (!story) return { created: false };

  const now = ctx.clock.now().getTime();
  const clock = new TestClock(new Date('2020-10-24T05:10:00.000Z'));
  const at = { ...ctx, clock };
  const user = async (local: string): Promise<Actor | null> => {
    const row = await ctx.db.selectFrom('app_user').select('id').where('email', '=', `${local}@${DEMO_EMAIL_DOMAIN}`).executeTakeFirst();
    return row ? loadActor(ctx.db, row.id) : null;
  };
  const agencyId = async (name: string) => (await ctx.db.selectFrom('agency').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const advocates = { rise: await user(ADVOCATES.rise), relentless: await user(ADVOCATES.relentless), cmsht: await user(ADVOCATES.cmsht) };
  const groups = { rise: await agencyId(GROUP_NAMES.rise), relentless: await agencyId(GROUP_NAMES.relentless), cmsht: await agencyId(GROUP_NAMES.cmsht) };
  const dayOf = (d: string | number) => (typeof d === 'number' ? new Date(now - d * DAY).toISOString().slice(0, 10) : d);

  const women = await ctx.db.selectFrom('contact').select('id').where('operation_id', '=', story.id).where('role', '=', 'adult_victim').orderBy('person_number').execute();
  const clients: (string | null)[] = [];
  for (const [i, woman] of WOMEN.entries()) {
    const contactId = women[i]!.id;
    const to = groups[woman.group];
    const referral = await ctx.db.selectFrom('referral').select(['id', 'status']).where('contact_id', '=', contactId).where('to_agency_id', '=', to).executeTakeFirst();
    const advocate = advocates[woman.group];
    // A demo loaded before all ten were referred, or before CMSHTC had an account, skips what it lacks.
    if (!referral || !advocate) {
      clients.push(null);
      continue;
    }
    if (referral.status === 'sent') {
      clock.set('2020-10-24T14:00:00.000Z');
      await respondToReferral(at, advocate, referral.id, woman.accepts ? 'accepted' : 'declined', woman.accepts ? undefined : 'She chose not to take up services for now (demo).', meta);
    }
    if (!woman.client) {
      clients.push(null);
      continue;
    }
    clock.set(new Date(Date.parse('2020-10-24T16:00:00.000Z') + i * 45 * 60_000));
    const opened = await createClient(at, advocate, { intake: 'referral', referralId: referral.id }, meta);
    const updated = await updateClient(at, advocate, opened.id, { version: opened.version, traffickingType: woman.client.type, nationality: woman.client.nationality }, meta);
    let version = updated.version;
    const services = [...woman.client.services].map(([category, d]) => [category, dayOf(d)] as const).sort((a, b) => a[1].localeCompare(b[1]));
    for (const [category, day] of services) {
      if (woman.client.closed && day > woman.client.closed) continue;
      clock.set(`${day}T19:00:00.000Z`);
      version = (await addService(at, advocate, opened.id, { category, providedOn: day }, meta)).version;
    }
    if (woman.client.closed) {
      clock.set(`${woman.client.closed}T16:00:00.000Z`);
      await updateClient(at, advocate, opened.id, { version, status: 'closed', closeReason: 'Services completed; moved in with family (demo)' }, meta);
    }
    clients.push(opened.id);
  }

  // Sunny's release to the attorney general's office: service status only, shared once.
  const rise = advocates.rise!;
  clock.set(new Date(now - 14 * DAY));
  const ago = await agencyId("Missouri Attorney General's Human Trafficking Task Force");
  const toProsecutor = await createRelease(
    at,
    rise,
    clients[0]!,
    {
      recipientAgencyId: ago,
      scopes: ['service_status'],
      purpose: 'Victim-witness coordination for the prosecution (demo)',
      informed: true,
      consentMethod: 'signed_on_screen',
      signature: 'Sunny',
      expiresAt: new Date(now - 14 * DAY + 180 * DAY).toISOString(),
    },
    meta,
  );
  clock.set(new Date(now - 13 * DAY));
  await shareUnderRelease(at, rise, toProsecutor.id, {}, meta);

  // Jade's release to Oak Grove police for her contact details, shared once, then revoked orally.
  const relentless = advocates.relentless!;
  clock.set(new Date(now - 60 * DAY));
  const toPolice = await createRelease(
    at,
    relentless,
    clients[4]!,
    { recipientAgencyId: await agencyId('Oak Grove Police Department'), scopes: ['contact_details'], purpose: 'A follow-up interview with the detective (demo)', informed: true, consentMethod: 'signed_on_screen', signature: 'Jade' },
    meta,
  );
  clock.set(new Date(now - 59 * DAY));
  await shareUnderRelease(at, relentless, toPolice.id, {}, meta);
  clock.set(new Date(now - 40 * DAY));
  await revokeRelease(at, relentless, toPolice.id, { method: 'oral', note: 'She called: no more contact from the police for now (demo).' }, meta);

  const stamp = new Date().toISOString();
  await ctx.db.insertInto('setting').values({ key: 'demo.clients', value: stamp, updated_at: stamp }).execute();
  return { created: true };
}
