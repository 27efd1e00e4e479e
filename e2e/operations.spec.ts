/**
 * Issue #3's "Done when", through the UI: a coordinator plans an operation where another agency has
 * one, sees the deconfliction conflict (their agency and on-scene contact, nothing of their plan),
 * resolves it, approves and starts the operation; an officer records the story's 18 people from a
 * phone, a second officer watching the live list; the children are handed to the Children's Division,
 * whose caseworker records receipt; the coordinator closes the operation, and its outcome is 5 / 10 / 3.
 *
 * One story told in steps (issue #9, item 16): each step is a test of its own with its own time budget,
 * run in order in one worker, carrying forward only the ids it made. A failed step skips the rest, and a
 * retry tells the story again from the start. Each step opens the pages it needs, so none depends on a
 * page left open by another.
 */
import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { expect, test, uniqueSuffix } from './support/fixtures.ts';
import { PLACES, localInput, post, whoAmI, windowAroundNow } from './support/operations.ts';
import { choose, tick } from './support/uswds.ts';

const PHONE = { width: 375, height: 812 };
const DSS = "Missouri DSS Children's Division";
const KCPD = 'Kansas City Missouri Police Department';
/** The services the story's women were offered (issue #3, item 4), as the field log labels them. */
const STORY_SERVICES = ['Food', 'Lodging', 'Onsite medical services', 'Counseling/therapy', 'Drug rehabilitation'] as const;
type StoryService = (typeof STORY_SERVICES)[number];

interface Person {
  role: 'Suspect' | 'Adult potential victim' | 'Minor';
  suspectType?: 'Buyer';
  sex: 'Male' | 'Female';
  band: string;
  estimatedAge?: number;
  disposition: 'Detained' | 'Offered services' | 'Protective custody';
  accepted?: StoryService[];
}

// The story (press report, October 2020): 5 adult men detained, 10 adult women offered services,
// 3 children under five in protective custody. Age bands as the field log shows them.
const MEN: Person[] = ['18–24', '25–34', '35–49', '35–49', '50 and over'].map((band) => ({ role: 'Suspect', suspectType: 'Buyer', sex: 'Male', band, disposition: 'Detained' }));
const ACCEPTED: StoryService[][] = [
  ['Food', 'Lodging', 'Counseling/therapy'],
  ['Food', 'Onsite medical services'],
  ['Food', 'Lodging', 'Drug rehabilitation'],
  [],
  ['Onsite medical services'],
  ['Food', 'Counseling/therapy', 'Drug rehabilitation'],
  ['Lodging'],
  [],
  ['Food', 'Lodging', 'Onsite medical services', 'Counseling/therapy'],
  ['Counseling/therapy'],
];
const WOMEN: Person[] = ACCEPTED.map((accepted, i) => ({
  role: 'Adult potential victim',
  sex: 'Female',
  band: i < 4 ? '18–24' : i < 8 ? '25–34' : '35–49',
  disposition: 'Offered services',
  accepted,
}));
const CHILDREN: Person[] = (['Female', 'Male', 'Female'] as const).map((sex, i) => ({ role: 'Minor', sex, band: 'Under 5', estimatedAge: i + 2, disposition: 'Protective custody' }));

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** The title the field log gives a person: "Person 7 — Adult potential victim — Offered services". */
const titleOf = (n: number, p: Person) => `Person ${n} — ${p.role} — ${p.disposition}`;

/** One person through the field log's form, by tapping its tiles; waits for the "Recorded" notice. */
async function recordPerson(page: Page, n: number, p: Person): Promise<void> {
  const form = page.getByRole('form', { name: 'Record person' });
  const group = (legend: string) => form.getByRole('group', { name: legend, exact: true });
  const tile = (legend: string, name: string) => choose(group(legend).getByRole('radio', { name, exact: true }));
  await tile('Role', p.role);
  if (p.suspectType) await tile('Kind of suspect', p.suspectType);
  await tile('Sex', p.sex);
  await tile('Age band', p.band);
  if (p.estimatedAge !== undefined) await form.getByLabel('Estimated age').fill(String(p.estimatedAge));
  await tile('Disposition', p.disposition);
  if (p.role === 'Adult potential victim') {
    for (const s of STORY_SERVICES) await tick(form.getByRole('checkbox', { name: `${s} offered`, exact: true }));
    for (const s of p.accepted ?? []) await tick(form.getByRole('checkbox', { name: `${s} accepted`, exact: true }));
  }
  await form.getByRole('button', { name: 'Record person', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Recorded: ${titleOf(n, p)}` })).toBeVisible();
}

/** The value beside a term of a `<dl>`. */
const factOf = (scope: Page | Locator, term: string) => scope.locator(`dt:text-is("${term}") + dd`);

/** What each step may take: about 10 s on a quiet two-core machine, several times that on a loaded one. */
const STEP_BUDGET_MS = 150_000;
/** The other officer's list polls every 4 s (live-contacts.ts): a loaded machine may miss a poll or two. */
const LIVE = { timeout: 30_000 };

test.describe('operations (issue #3): the story in steps', () => {
  test.describe.configure({ mode: 'serial', timeout: STEP_BUDGET_MS });

  const suffix = uniqueSuffix();
  const name = `Operation Riverlight ${suffix} (e2e)`;
  const place = PLACES.lexington;
  const when = windowAroundNow(6);
  // Another agency of the task force (KCPD) already has an operation there, at the same time.
  const theirs = {
    name: `Operation Lockbox ${suffix} (KCPD, e2e)`,
    label: `Apartment block on Main St, Lexington (KCPD ${suffix})`,
    briefing: `KCPD warrant briefing ${suffix}: entry at the rear door`,
    commander: `Lt. Dana Reyes ${suffix}`,
    phone: '(816) 555-0177',
  };
  let kcpdOperationId = '';
  let operationId = '';
  const handoffs: { id: string; person: number }[] = [];
  const operationPage = () => `/operations/${operationId}`;
  const fieldLog = () => `/operations/${operationId}/field`;

  /** The officer at phone width, and the Highway Patrol officer watching the same field log. */
  async function fieldLogPages(pageAs: (who: 'officer' | 'mshp-officer') => Promise<Page>) {
    const officer = await pageAs('officer');
    await officer.setViewportSize(PHONE);
    await officer.goto(fieldLog());
    await expect(h1(officer, 'Field log')).toBeVisible();
    const trooper = await pageAs('mshp-officer');
    await trooper.goto(fieldLog());
    await expect(h1(trooper, 'Field log')).toBeVisible();
    return { officer, trooper };
  }

  test('the coordinator plans the operation through the plan form, where KCPD has one', async ({ pageAs, apiAs }) => {
    const kcpd = await apiAs('kcpd-coordinator');
    const kcpdMe = await whoAmI(kcpd);
    const kcpdOp = await post<{ id: string }>(
      kcpd,
      '/api/operations',
      {
        taskForceId: kcpdMe.taskForces[0]!.id,
        name: theirs.name,
        type: 'warrant_service',
        startsAt: when.startsAt,
        endsAt: when.endsAt,
        locations: [{ label: theirs.label, countyFips: place.countyFips, lat: place.lat + 0.001, lng: place.lng }],
        commander: { name: theirs.commander, phone: theirs.phone },
        briefing: theirs.briefing,
      },
      201,
    );
    kcpdOperationId = kcpdOp.id;

    const coordinator = await pageAs('coordinator');
    await coordinator.goto('/operations');
    await expect(h1(coordinator, 'Operations')).toBeVisible();
    await expect(coordinator.getByRole('table').getByRole('link', { name: 'Operation Harvest Moon (demo)', exact: true })).toBeVisible();
    await expectAccessible(coordinator, 'operations list');

    await coordinator.getByRole('link', { name: 'Plan an operation' }).first().click();
    await expect(h1(coordinator, 'Plan an operation')).toBeVisible();
    await expectAccessible(coordinator, 'plan form');

    await coordinator.getByLabel('Operation name').fill(name);
    await choose(coordinator.getByRole('radio', { name: /^Buyer-focused sting/ }));
    await coordinator.getByLabel('Starts', { exact: true }).fill(localInput(when.startsMs));
    await coordinator.getByLabel('Ends', { exact: true }).fill(localInput(when.endsMs));
    await coordinator.getByLabel('Address or place name').fill(place.label);
    await coordinator.getByLabel('County', { exact: true }).selectOption({ label: place.countyOption });
    await coordinator.getByLabel('Latitude').fill(String(place.lat));
    await coordinator.getByLabel('Longitude').fill(String(place.lng));
    for (const agency of ['Missouri State Highway Patrol', 'RISE Coalition', DSS]) {
      await tick(coordinator.getByRole('checkbox', { name: new RegExp(`^${agency}`) }));
    }
    // Olivia records the people; Morgan (the Highway Patrol) watches the live list.
    await tick(coordinator.getByRole('checkbox', { name: /^Olivia Officer \(demo\)/ }));
    await tick(coordinator.getByRole('checkbox', { name: /^Morgan Trooper \(demo\)/ }));
    await coordinator.getByLabel("Commander's name").fill(`Sgt. Casey Lantern ${suffix}`);
    await coordinator.getByLabel('24/7 phone').fill('(816) 555-0142');
    await coordinator.getByRole('textbox', { name: /^Briefing/ }).fill(`Staging behind the grain elevator at 5 p.m. (${suffix}).`);
    await expect(coordinator.getByRole('checkbox', { name: /^Investigation hold/ })).toBeChecked();
    await coordinator.getByRole('button', { name: 'Save draft and check for conflicts' }).click();

    await expect(h1(coordinator, name)).toBeVisible();
    operationId = /\/operations\/([^/?#]+)$/.exec(new URL(coordinator.url()).pathname)![1]!;
    await expect(coordinator.getByText(/^Saved\. Deconfliction found \d+ open conflicts? with/)).toBeVisible();
  });

  test('the conflict names only KCPD and its on-scene commander, never their plan', async ({ pageAs, apiAs }) => {
    const coordinator = await pageAs('coordinator');
    await coordinator.goto(operationPage());
    await expect(h1(coordinator, name)).toBeVisible();
    const conflicts = coordinator.locator('#conflicts');
    const card = conflicts.getByRole('listitem').filter({ hasText: theirs.commander });
    await expect(card).toHaveCount(1);
    await expect(card.getByRole('heading', { name: 'Place and time overlap' })).toBeVisible();
    await expect(card.getByText('Open', { exact: true })).toBeVisible();
    await expect(factOf(card, 'Our location')).toHaveText(place.label);
    await expect(factOf(card, 'Other agency')).toHaveText(KCPD);
    await expect(card.getByRole('link', { name: theirs.phone })).toHaveAttribute('href', 'tel:8165550177');
    for (const secret of [theirs.name, theirs.label, theirs.briefing]) await expect(coordinator.getByText(secret)).toHaveCount(0);
    await expectAccessible(coordinator, 'operation page: draft with a conflict');

    // KCPD's side sees the same conflict: Oak Grove and its commander, nothing of this plan.
    const kcpd = await apiAs('kcpd-coordinator');
    const res = await kcpd.get(`/api/operations/${kcpdOperationId}`);
    expect(res.status()).toBe(200);
    const body = await res.text();
    const mine = (JSON.parse(body) as { conflicts: { status: string; other: { agencyName: string; commanderName: string; commanderPhone: string } }[] }).conflicts;
    expect(mine).toContainEqual(expect.objectContaining({ status: 'open', other: { agencyName: 'Oak Grove Police Department', commanderName: `Sgt. Casey Lantern ${suffix}`, commanderPhone: '(816) 555-0142', sameAgency: false, operationId: null, operationName: null } }));
    for (const secret of [name, place.label, 'grain elevator']) expect(body).not.toContain(secret);
  });

  test('approved, it cannot start until the conflict is resolved; then it starts', async ({ pageAs }) => {
    const coordinator = await pageAs('coordinator');
    await coordinator.goto(operationPage());
    await expect(h1(coordinator, name)).toBeVisible();
    await coordinator.getByRole('button', { name: 'Approve plan' }).click();
    const approve = coordinator.getByRole('dialog', { name: `Approve “${name}”?` });
    await approve.getByRole('button', { name: 'Approve plan' }).click();
    await expect(coordinator.getByText('The plan is approved.')).toBeVisible();
    await expect(coordinator.getByRole('heading', { name: /unresolved conflicts? stops? this operation from starting/ })).toBeVisible();

    const card = coordinator.locator('#conflicts').getByRole('listitem').filter({ hasText: theirs.commander });
    await card.getByRole('button', { name: /^Resolve/ }).click();
    const resolve = coordinator.getByRole('dialog', { name: 'Mark this conflict resolved?' });
    await resolve.getByLabel('What was agreed').fill(`Spoke with ${theirs.commander}: their warrant is served before 7 p.m., two blocks away.`);
    await resolve.getByRole('button', { name: 'Mark resolved' }).click();
    await expect(coordinator.getByText('The conflict is marked resolved.', { exact: false })).toBeVisible();
    await expect(card.getByText('Resolved', { exact: true })).toBeVisible();
    await expect(coordinator.getByRole('heading', { name: /unresolved conflicts? stops? this operation from starting/ })).toHaveCount(0);

    await coordinator.getByRole('button', { name: 'Start operation' }).click();
    await coordinator.getByRole('dialog', { name: `Start “${name}”?` }).getByRole('button', { name: 'Start operation' }).click();
    await expect(coordinator.getByText('The operation is active. The field log is open.')).toBeVisible();
  });

  test('at phone width, the officer records five adult men detained; a Highway Patrol officer’s list picks them up', async ({ pageAs }) => {
    const { officer, trooper } = await fieldLogPages(pageAs);
    await expect(officer.getByRole('heading', { name: 'No one recorded yet' })).toBeVisible();
    await expect(trooper.getByRole('heading', { name: 'No one recorded yet' })).toBeVisible();
    await expectAccessible(officer, 'field log at phone width');

    await recordPerson(officer, 1, MEN[0]!);
    // The other officer's list picks it up on its next poll, without a reload.
    await expect(trooper.getByRole('link', { name: titleOf(1, MEN[0]!) })).toBeVisible(LIVE);
    await expectAccessible(officer, 'field log at phone width, one person recorded');
    for (let i = 1; i < MEN.length; i++) await recordPerson(officer, i + 1, MEN[i]!);
    await expect(trooper.getByRole('link', { name: titleOf(5, MEN[4]!) })).toBeVisible(LIVE);
  });

  for (const [first, last] of [
    [0, 5],
    [5, 10],
  ] as const) {
    test(`adult women ${first + 1}–${last} of ten, offered food, lodging, onsite medical services, counseling/therapy and drug rehabilitation`, async ({ pageAs }) => {
      const { officer, trooper } = await fieldLogPages(pageAs);
      await expect(officer.getByRole('heading', { level: 2, name: `${5 + first} people contacted` })).toBeVisible();
      for (let i = first; i < last; i++) await recordPerson(officer, 6 + i, WOMEN[i]!);
      await expect(trooper.getByRole('link', { name: titleOf(5 + last, WOMEN[last - 1]!) })).toBeVisible(LIVE);
    });
  }

  test('three children under five in protective custody, each handed off to the Children’s Division', async ({ pageAs }) => {
    const { officer, trooper } = await fieldLogPages(pageAs);
    await expect(officer.getByRole('heading', { level: 2, name: '15 people contacted' })).toBeVisible();
    for (const [i, child] of CHILDREN.entries()) {
      const n = 16 + i;
      await recordPerson(officer, n, child);
      await officer.getByRole('link', { name: `Record custody hand-off for Person ${n}` }).click();
      await expect(h1(officer, 'Custody hand-off')).toBeVisible();
      if (i === 0) await expectAccessible(officer, 'custody hand-off form at phone width');
      await choose(officer.getByRole('radio', { name: /^Imminent danger/ }));
      // "Now", and for screen readers which time it sets.
      await officer.getByRole('button', { name: /^Now\W+Juvenile officer notified at$/ }).click();
      await officer.getByRole('button', { name: /^Now\W+Children's Division notified at$/ }).click();
      await expect(officer.getByRole('radio', { name: new RegExp(`^${DSS}`) })).toBeChecked();
      await officer.getByRole('button', { name: `Record hand-off of Person ${n}` }).click();
      await expect(h1(officer, `Custody hand-off: Person ${n}`)).toBeVisible();
      await expect(officer.getByText(`Hand-off of Person ${n} to ${DSS} recorded.`, { exact: false })).toBeVisible();
      await expect(officer.getByText(/^Written statement due in /)).toBeVisible();
      handoffs.push({ id: /\/custody\/([^/?#]+)$/.exec(new URL(officer.url()).pathname)![1]!, person: n });
      if (i === 0) await expectAccessible(officer, 'custody hand-off at phone width');
      await officer.goto(fieldLog());
      await expect(h1(officer, 'Field log')).toBeVisible();
    }
    await expect(officer.getByRole('heading', { level: 2, name: '18 people contacted' })).toBeVisible();
    // The Highway Patrol officer is assigned but not of the owning agency: the children's records are sealed from them.
    await expect(trooper.getByText('3 sealed records (minors) are not shown to you.')).toBeVisible(LIVE);
    await expect(trooper.getByRole('link', { name: /— Minor —/ })).toHaveCount(0);
    await expect(trooper.getByRole('link', { name: /^Person \d+ — / })).toHaveCount(15);
  });

  test('the Children’s Division caseworker records receipt of each child', async ({ pageAs }) => {
    expect(handoffs).toHaveLength(3);
    const caseworker = await pageAs('caseworker');
    await caseworker.goto('/custody');
    await expect(h1(caseworker, 'Custody hand-offs')).toBeVisible();
    await expectAccessible(caseworker, 'custody hand-offs (caseworker)');
    for (const [i, h] of handoffs.entries()) {
      await caseworker.goto(`/custody/${h.id}`);
      await expect(h1(caseworker, `Custody hand-off: Person ${h.person}`)).toBeVisible();
      await expect(caseworker.getByText('Awaiting receipt', { exact: true })).toBeVisible();
      if (i === 0) await expectAccessible(caseworker, 'custody hand-off (caseworker, receipt form)');
      await expect(caseworker.getByLabel('Caseworker', { exact: true })).toHaveValue('Cameron Caseworker (demo)');
      await choose(caseworker.getByRole('radio', { name: i === 2 ? 'Relative or kinship placement' : 'Emergency shelter', exact: true }));
      await caseworker.getByLabel("Placement's name").fill(i === 2 ? 'An aunt (e2e)' : 'Harbor Light Emergency Shelter (e2e)');
      await caseworker.getByRole('button', { name: 'Record receipt' }).click();
      await expect(caseworker.getByText('Receipt recorded. The officer has been told.')).toBeVisible();
      await expect(caseworker.getByText('Received', { exact: true })).toBeVisible();
      await expect(factOf(caseworker, 'Caseworker')).toHaveText('Cameron Caseworker (demo)');
    }
  });

  test('the coordinator closes the operation; the outcome is 5 / 10 / 3', async ({ pageAs, apiAs }) => {
    const coordinator = await pageAs('coordinator');
    await coordinator.goto(operationPage());
    await expect(h1(coordinator, name)).toBeVisible();
    await coordinator.getByRole('button', { name: 'Close operation' }).click();
    await coordinator.getByRole('dialog', { name: `Close “${name}”?` }).getByRole('button', { name: 'Close operation' }).click();
    await expect(coordinator.getByText('The operation is closed. Its outcome is ready.')).toBeVisible();

    await coordinator.getByRole('link', { name: 'See the outcome' }).click();
    await expect(h1(coordinator, 'Outcome')).toBeVisible();
    await expect(coordinator.getByRole('heading', { level: 2, name: '18 people contacted' })).toBeVisible();
    const row = (table: string, name: string) => coordinator.getByRole('table', { name: table, exact: true }).getByRole('row', { name, exact: true });
    for (const r of ['Suspect 5', 'Adult potential victim 10', 'Minor 3', 'Witness 0', 'Total 18']) await expect(row('By role', r)).toBeVisible();
    for (const r of ['Detained 5', 'Offered services 10', 'Protective custody 3', 'Total 18']) await expect(row('By disposition', r)).toBeVisible();
    const accepted = (s: StoryService) => ACCEPTED.filter((a) => a.includes(s)).length;
    for (const s of STORY_SERVICES) await expect(row('Services offered and accepted, by number of people', `${s} 10 ${accepted(s)}`)).toBeVisible();
    await expect(factOf(coordinator, 'Children in protective custody')).toHaveText('3');
    await expect(factOf(coordinator, 'Receipts recorded by caseworkers')).toHaveText('3');
    await expect(factOf(coordinator, 'Released to')).toHaveText(DSS);
    await expectAccessible(coordinator, 'outcome');

    // The same figures through the contract outside checks rely on.
    const api = await apiAs('coordinator');
    const res = await api.get(`/api/operations/${operationId}/outcome`);
    expect(res.status(), await res.text()).toBe(200);
    expect(await res.json()).toMatchObject({
      byRole: { suspect: 5, adult_victim: 10, minor: 3, witness: 0 },
      byDisposition: { detained: 5, offered_services: 10, protective_custody: 3 },
      servicesOffered: { food: 10, lodging: 10, medical: 10, counseling: 10, drug_rehabilitation: 10 },
      protectiveCustody: { count: 3, releasedTo: expect.arrayContaining([DSS]) as unknown },
    });
  });
});
