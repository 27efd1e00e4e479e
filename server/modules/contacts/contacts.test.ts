import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import {
  activeOperation,
  adultVictim,
  closeOperation,
  draftOperation,
  extraUsers,
  handOff,
  minor,
  recordContact,
  referral,
  suspect,
  type SignedIn,
} from '../../test/operations-fixtures.ts';
import { AGE_BANDS, CONTACT_ROLES, DISPOSITIONS, REFERRAL_STATUSES, SERVICES, SEXES } from '../../../common/operations.ts';

describeEachDatabase('contacts', (backend) => {
  let env: TestEnv;
  let world: World;
  let extra: Awaited<ReturnType<typeof extraUsers>>;
  let signedIn: SignedIn;
  let op: { id: string };

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    extra = await extraUsers(env, world);
    signedIn = sessionCache(env);
    op = await activeOperation(signedIn, world);
  });
  afterAll(() => env.close());

  const contactsUrl = (id = op.id) => `/api/operations/${id}/contacts`;

  it('an assigned officer records a contact: the next person number, identity sealed at rest, a timeline event and an audit row', async () => {
    const officer = await signedIn(world.users.partnerOfficer);
    const res = await officer.post(
      contactsUrl(),
      adultVictim({
        name: 'Jane Roe',
        aliases: ['JR', 'Janie'],
        dob: '1998-04-02',
        phones: ['(816) 555-0199'],
        disposition: 'offered_services',
        screening: { tool: 'vera_tvit_short', result: 'positive' },
        services: [
          { service: 'food', offered: true, accepted: true },
          { service: 'drug_rehabilitation', offered: true },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const c = body(res);
    expect(c).toMatchObject({
      operationId: op.id,
      personNumber: 1,
      label: 'Person 1',
      restricted: false,
      sealed: false,
      role: 'adult_victim',
      sex: 'female',
      ageBand: '25_to_34',
      disposition: 'offered_services',
      name: 'Jane Roe',
      aliases: ['JR', 'Janie'],
      dob: '1998-04-02',
      phones: ['(816) 555-0199'],
      screening: { tool: 'vera_tvit_short', result: 'positive' },
      services: [
        { service: 'drug_rehabilitation', offered: true, accepted: false },
        { service: 'food', offered: true, accepted: true },
      ],
      version: 1,
      recordedBy: { userId: world.users.partnerOfficer.id, agencyName: 'Partner Highway Patrol' },
    });
    expect(c.abilities).toMatchObject({ 'contact.read': true, 'contact.update': true, 'contact.refer': true, 'contact.handOff': false });
    // The reply is built from what was written; it says exactly what reading the record back says.
    expect(body(await officer.get(`/api/contacts/${c.id}`))).toEqual(c);

    const stored = await env.ctx.db.selectFrom('contact').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    // Owned by the lead agency; recorded by the partner.
    expect(stored.agency_id).toBe(world.agencies.lead);
    expect(stored.recorded_by_agency_id).toBe(world.agencies.partner);
    for (const column of ['name', 'aliases', 'dob', 'phones'] as const) {
      expect(stored[column]).toMatch(/^enc1\./);
    }
    // Whole values, not fragments: a ciphertext's random base64 can hold "Roe" by chance (it once did).
    for (const plain of ['Jane Roe', 'Janie', '1998-04-02', '555-0199']) expect(JSON.stringify(stored)).not.toContain(plain);

    const events = await env.ctx.db.selectFrom('operation_event').selectAll().where('operation_id', '=', op.id).where('kind', '=', 'contact_recorded').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.detail)).toEqual({ personNumber: 1, role: 'adult_victim', disposition: 'offered_services' });

    const [audit] = await auditRows(env, 'contact.create', c.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.partnerOfficer.id, record_type: 'contact', record_agency_id: world.agencies.lead, outcome: 'success' });
    expect(JSON.parse(audit!.changed_fields)).toEqual(expect.arrayContaining(['role', 'name', 'dob', 'phones', 'services']));
    expect(audit!.detail).not.toContain('Roe');
    expect(audit!.detail).not.toMatch(/1998-04|04\D?02\D?1998/);
  });

  it('fills an unknown age band from the date of birth at the operation’s start', async () => {
    const officer = await signedIn(world.users.officer);
    const c = await recordContact(officer, op.id, { role: 'witness', sex: 'male', ageBand: 'unknown', dob: '1970-01-01' });
    expect(c.ageBand).toBe('50_plus');
  });

  it('refuses recording to the unassigned (403), outsiders and advocates (404), the anonymous (401), and before the operation runs (403)', async () => {
    const before = await tableCounts(env.ctx, ['contact', 'contact_service']);
    for (const user of [extra.users.unassignedCoordinator, world.users.analyst]) {
      const res = await (await signedIn(user)).post(contactsUrl(), adultVictim());
      expect(res.statusCode, user.email).toBe(403);
    }
    for (const user of [world.users.outsiderOfficer, world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker, world.users.leadAdmin]) {
      const res = await (await signedIn(user)).post(contactsUrl(), adultVictim());
      expect(res.statusCode, user.email).toBe(404);
      expect(body(res).error.code).toBe('not_found');
    }
    expect((await as(env, null).post(contactsUrl(), adultVictim())).statusCode).toBe(401);
    const draft = await draftOperation(signedIn, world);
    expect((await (await signedIn(world.users.officer)).post(contactsUrl(draft.id), adultVictim())).statusCode).toBe(403);
    expect(await tableCounts(env.ctx, ['contact', 'contact_service'])).toEqual(before);
  });

  it('refuses impossible combinations with a 400 naming the field', async () => {
    const officer = await signedIn(world.users.officer);
    const cases: [Record<string, unknown>, string][] = [
      [adultVictim({ ageBand: '15_to_17' }), 'ageBand'],
      [minor({ ageBand: '18_to_24', estimatedAge: null }), 'ageBand'],
      [adultVictim({ ageBand: '18_to_24', dob: '1980-01-01' }), 'ageBand'],
      [minor({ ageBand: '12_to_14', estimatedAge: 13, dob: '2020-01-01' }), 'ageBand'],
      [minor({ ageBand: 'unknown', estimatedAge: null, dob: '1990-05-05' }), 'dob'],
      [adultVictim({ dob: '2031-01-01', ageBand: 'unknown' }), 'dob'],
      [adultVictim({ disposition: 'protective_custody' }), 'disposition'],
      [suspect({ disposition: 'protective_custody' }), 'disposition'],
      [adultVictim({ disposition: 'offered_services' }), 'services'],
      [adultVictim({ disposition: 'offered_services', services: [{ service: 'food', offered: false, accepted: false }] }), 'services'],
      [adultVictim({ services: [{ service: 'food', offered: false, accepted: true }] }), 'services.0.accepted'],
      [adultVictim({ services: [{ service: 'food', offered: true }, { service: 'food', offered: true }] }), 'services.1.service'],
      [minor({ estimatedAge: 9 }), 'estimatedAge'],
      [minor({ estimatedAge: 18 }), 'estimatedAge'],
      [adultVictim({ estimatedAge: 30 }), 'estimatedAge'],
      [suspect({ disposition: 'detained', charges: ['RSMo 567.030'] }), 'charges'],
      [suspect({ disposition: 'arrested' }), 'charges'],
      [suspect({ services: [{ service: 'food', offered: true }] }), 'services'],
      [suspect({ screening: { tool: 'vera_tvit', result: 'negative' } }), 'screening'],
      [{ role: 'witness', sex: 'male', ageBand: '25_to_34', suspectType: 'buyer' }, 'suspectType'],
      [adultVictim({ dob: '1990-02-30' }), 'dob'],
      [adultVictim({ role: 'bystander' }), 'role'],
      [adultVictim({ sex: undefined }), 'sex'],
      [adultVictim({ phones: ['call me'] }), 'phones.0'],
      [adultVictim({ clientRef: 'has spaces' }), 'clientRef'],
    ];
    const before = await tableCounts(env.ctx, ['contact']);
    for (const [input, field] of cases) {
      const res = await officer.post(contactsUrl(), input);
      expect(res.statusCode, JSON.stringify(input)).toBe(400);
      expect(body(res).error.field, JSON.stringify(input)).toBe(field);
      expect(body(res).error.message, JSON.stringify(input)).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: `));
    }
    expect(await tableCounts(env.ctx, ['contact'])).toEqual(before);
    // The same person, possible: an arrest with charges; a minor with a matching date of birth.
    await recordContact(officer, op.id, suspect({ disposition: 'arrested', charges: ['RSMo 567.030 patronizing prostitution'] }));
    await recordContact(officer, op.id, minor({ ageBand: '12_to_14', estimatedAge: 13, dob: '2013-01-01' }));
  });

  it('numbers persons without gaps or duplicates under 20 parallel posts from three officers', async () => {
    const fresh = await activeOperation(signedIn, world);
    const clients = await Promise.all([world.users.officer, world.users.partnerOfficer, world.users.coordinator].map((u) => signedIn(u)));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 3]!.post(contactsUrl(fresh.id), suspect())));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(results.map((r) => body(r).personNumber).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = await env.ctx.db.selectFrom('contact').select('person_number').where('operation_id', '=', fresh.id).orderBy('person_number').execute();
    expect(stored.map((r) => r.person_number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await auditRows(env, 'contact.create')).filter((a) => JSON.parse(a.detail).operationId === fresh.id)).toHaveLength(20);
  });

  it('a retried clientRef returns the first contact with 200, also when the retries race', async () => {
    const officer = await signedIn(world.users.officer);
    const first = await officer.post(contactsUrl(), suspect({ clientRef: 'device-7:entry-1' }));
    expect(first.statusCode).toBe(201);
    const again = await officer.post(contactsUrl(), suspect({ clientRef: 'device-7:entry-1', sex: 'female' }));
    expect(again.statusCode).toBe(200);
    expect(body(again)).toMatchObject({ id: body(first).id, personNumber: body(first).personNumber, sex: 'male' });
    expect((await auditRows(env, 'contact.read', body(first).id))[0]).toMatchObject({ actor_user_id: world.users.officer.id });

    const racing = await Promise.all(Array.from({ length: 6 }, () => officer.post(contactsUrl(), suspect({ clientRef: 'device-7:entry-2' }))));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(racing.map((r) => body(r).id)).size).toBe(1);
    const stored = await env.ctx.db.selectFrom('contact').select('id').where('client_ref', '=', 'device-7:entry-2').execute();
    expect(stored).toHaveLength(1);
  });

  it('the live list: rows changed since, no date of birth or phones, one audit row per poll that returns persons', async () => {
    const fresh = await activeOperation(signedIn, world);
    const officer = await signedIn(world.users.officer);
    const a = await recordContact(officer, fresh.id, adultVictim({ name: 'Ann Example', dob: '1990-01-01', phones: ['816-555-0111'], ageBand: 'unknown' }));
    const first = await officer.get(contactsUrl(fresh.id));
    expect(first.statusCode).toBe(200);
    const list = body(first);
    expect(list).toMatchObject({ total: 1, sealedCount: 0, abilities: { 'operation.recordContact': true } });
    expect(list.contacts).toHaveLength(1);
    expect(list.contacts[0]).toMatchObject({ id: a.id, name: 'Ann Example', personNumber: 1 });
    expect(list.contacts[0]).not.toHaveProperty('dob');
    expect(list.contacts[0]).not.toHaveProperty('phones');
    expect(first.body).not.toContain('1990-01-01');
    expect(first.body).not.toContain('555-0111');
    const [audit] = await auditRows(env, 'contact.read', fresh.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id, record_type: 'operation', record_agency_id: world.agencies.lead });
    expect(JSON.parse(audit!.detail)).toMatchObject({ count: 1, personNumbers: '1' });

    // A poll with nothing new returns nothing and writes no audit row.
    env.clock.advance(10_000);
    const readsBefore = (await auditRows(env, 'contact.read', fresh.id)).length;
    const quiet = body(await officer.get(`${contactsUrl(fresh.id)}?since=${encodeURIComponent(env.clock.now().toISOString())}`));
    expect(quiet.contacts).toEqual([]);
    expect(quiet.total).toBe(1);
    expect((await auditRows(env, 'contact.read', fresh.id)).length).toBe(readsBefore);

    // Another officer records; the poll with the previous nextSince returns just that row.
    const partner = await signedIn(world.users.partnerOfficer);
    env.clock.advance(10_000);
    const b = await recordContact(partner, fresh.id, suspect());
    const polled = body(await officer.get(`${contactsUrl(fresh.id)}?since=${encodeURIComponent(quiet.nextSince)}`));
    expect(polled.contacts.map((c: { id: string }) => c.id)).toEqual([b.id]);
    expect(polled.total).toBe(2);
    expect((await officer.get(`${contactsUrl(fresh.id)}?since=yesterday`)).statusCode).toBe(400);
  });

  it('lists only to those who may read the operation’s contacts: 403 for a PIO, 404 outside, 401 anonymous', async () => {
    expect((await (await signedIn(world.users.pio)).get(contactsUrl())).statusCode).toBe(403);
    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker]) {
      expect((await (await signedIn(user)).get(contactsUrl())).statusCode, user.email).toBe(404);
    }
    expect((await as(env, null).get(contactsUrl())).statusCode).toBe(401);
    // The lead's coordinators and analysts read the contacts of the lead's operations without an assignment.
    expect((await (await signedIn(extra.users.unassignedCoordinator)).get(contactsUrl())).statusCode).toBe(200);
    expect((await (await signedIn(world.users.analyst)).get(contactsUrl())).statusCode).toBe(200);
  });

  it('seals minors: listed and readable only by the lead agency’s assigned users; a count for everyone else', async () => {
    const fresh = await activeOperation(signedIn, world);
    const officer = await signedIn(world.users.officer);
    const adult = await recordContact(officer, fresh.id, adultVictim({ name: 'Adult Person' }));
    const child = await recordContact(officer, fresh.id, minor({ name: 'Child Person', dob: '2023-05-01', ageBand: 'under_5', estimatedAge: 2 }));
    // A juvenile suspect is sealed too (a minor's age band).
    const juvenile = await recordContact(officer, fresh.id, suspect({ ageBand: '15_to_17', name: 'Juvenile Person' }));
    expect(child).toMatchObject({ sealed: true, restricted: false, name: 'Child Person' });
    expect(juvenile.sealed).toBe(true);

    const own = body(await officer.get(contactsUrl(fresh.id)));
    expect(own.contacts.map((c: { id: string }) => c.id)).toEqual([adult.id, child.id, juvenile.id]);
    expect(own.sealedCount).toBe(0);
    expect((await officer.get(`/api/contacts/${child.id}`)).statusCode).toBe(200);

    // Assigned but of another agency; the lead's coordinator and analyst who are not assigned.
    for (const user of [world.users.partnerOfficer, extra.users.unassignedCoordinator, world.users.analyst]) {
      const client = await signedIn(user);
      const res = await client.get(contactsUrl(fresh.id));
      expect(res.statusCode, user.email).toBe(200);
      const seen = body(res);
      expect(seen.contacts.map((c: { id: string }) => c.id), user.email).toEqual([adult.id]);
      expect(seen).toMatchObject({ sealedCount: 2, total: 3 });
      expect(res.body).not.toContain('Child Person');
      expect(res.body).not.toContain(child.id);
      for (const sealed of [child.id, juvenile.id]) {
        const one = await client.get(`/api/contacts/${sealed}`);
        expect(one.statusCode, user.email).toBe(404);
        expect(one.body).not.toContain('Child');
      }
      expect((await client.get(`/api/contacts/${adult.id}`)).statusCode, user.email).toBe(200);
    }
    // Outside the task force, and the child-welfare agency before any hand-off: nothing.
    for (const user of [world.users.outsiderCoordinator, world.users.caseworker, world.users.advocate]) {
      expect((await (await signedIn(user)).get(`/api/contacts/${child.id}`)).statusCode, user.email).toBe(404);
    }
    // The partner officer who records a child gets only the number back.
    const partner = await signedIn(world.users.partnerOfficer);
    const res = await partner.post(contactsUrl(fresh.id), minor({ name: 'Second Child', clientRef: 'partner-child-1' }));
    expect(res.statusCode).toBe(201);
    expect(body(res)).toEqual({ id: expect.any(String), operationId: fresh.id, personNumber: 4, label: 'Person 4', restricted: true });
    expect(res.body).not.toContain('Second Child');
    // A change into a minor's age band seals the record from the editor who is outside the seal.
    const witness = await recordContact(partner, fresh.id, { role: 'witness', sex: 'male', ageBand: '18_to_24', name: 'Young Witness' });
    const sealedNow = await partner.patch(`/api/contacts/${witness.id}`, { ageBand: '15_to_17' });
    expect(sealedNow.statusCode).toBe(200);
    expect(body(sealedNow)).toEqual({ id: witness.id, operationId: fresh.id, personNumber: 5, label: 'Person 5', restricted: true });
    expect((await partner.get(`/api/contacts/${witness.id}`)).statusCode).toBe(404);
    // The sealed list audit says how many were returned and whether sealed records were among them.
    const [audit] = await auditRows(env, 'contact.read', fresh.id);
    expect(JSON.parse(audit!.detail)).toMatchObject({ sealedIncluded: false });
  });

  it('reads one contact with date of birth and phones, audited; 404 outside, 401 anonymous', async () => {
    const officer = await signedIn(world.users.officer);
    const c = await recordContact(officer, op.id, suspect({ name: 'Detail Person', dob: '1985-07-04', ageBand: '35_to_49', phones: ['+1 816 555 0177'] }));
    const res = await (await signedIn(world.users.partnerOfficer)).get(`/api/contacts/${c.id}`);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ id: c.id, name: 'Detail Person', dob: '1985-07-04', phones: ['+1 816 555 0177'], operationStatus: 'active' });
    const [audit] = await auditRows(env, 'contact.read', c.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.partnerOfficer.id, record_type: 'contact', record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('Detail Person');
    for (const user of [world.users.outsiderOfficer, world.users.outsiderAdmin, world.users.pio, world.users.advocate, world.users.leadAdmin]) {
      expect((await (await signedIn(user)).get(`/api/contacts/${c.id}`)).statusCode, user.email).toBe(404);
    }
    expect((await as(env, null).get(`/api/contacts/${c.id}`)).statusCode).toBe(401);
    expect((await officer.get('/api/contacts/not-an-id')).statusCode).toBe(400);
  });

  it('changes a contact while the operation runs: version bumps, a stale version is refused, the audit names the fields', async () => {
    const officer = await signedIn(world.users.officer);
    const c = await recordContact(officer, op.id, suspect({ disposition: null }));
    const res = await officer.patch(`/api/contacts/${c.id}`, { disposition: 'arrested', charges: ['RSMo 566.209 trafficking for sexual servitude'], version: 1 });
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ disposition: 'arrested', charges: ['RSMo 566.209 trafficking for sexual servitude'], version: 2 });
    const [audit] = await auditRows(env, 'contact.update', c.id);
    expect(JSON.parse(audit!.changed_fields)).toEqual(['disposition', 'charges']);
    expect(audit!.detail).not.toContain('566.209');
    const event = await env.ctx.db.selectFrom('operation_event').select('detail').where('kind', '=', 'contact_updated').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(event.detail)).toMatchObject({ personNumber: c.personNumber, fields: 'disposition,charges', disposition: 'arrested' });

    const stale = await officer.patch(`/api/contacts/${c.id}`, { disposition: 'released', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error.field).toBe('version');
    // Impossible after the change: release with the charges still there.
    const bad = await officer.patch(`/api/contacts/${c.id}`, { disposition: 'released' });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('charges');
    expect((await officer.patch(`/api/contacts/${c.id}`, { disposition: 'released', charges: [] })).statusCode).toBe(200);
    expect((await officer.patch(`/api/contacts/${c.id}`, {})).statusCode).toBe(400);

    // Visible but not theirs to change (403); not visible (404); anonymous (401).
    expect((await (await signedIn(extra.users.unassignedCoordinator)).patch(`/api/contacts/${c.id}`, { sex: 'unknown' })).statusCode).toBe(403);
    expect((await (await signedIn(world.users.analyst)).patch(`/api/contacts/${c.id}`, { sex: 'unknown' })).statusCode).toBe(403);
    expect((await (await signedIn(world.users.outsiderCoordinator)).patch(`/api/contacts/${c.id}`, { sex: 'unknown' })).statusCode).toBe(404);
    expect((await as(env, null).patch(`/api/contacts/${c.id}`, { sex: 'unknown' })).statusCode).toBe(401);
  });

  it('a closed operation changes only by a correction with a reason, by the lead’s coordinator, audited with the reason', async () => {
    const fresh = await activeOperation(signedIn, world);
    const officer = await signedIn(world.users.officer);
    const c = await recordContact(officer, fresh.id, suspect());
    await closeOperation(signedIn, world, fresh.id);

    expect((await officer.patch(`/api/contacts/${c.id}`, { disposition: 'cited', correctionReason: 'typo' })).statusCode).toBe(403);
    expect((await officer.post(contactsUrl(fresh.id), suspect())).statusCode).toBe(403);
    const coordinator = await signedIn(world.users.coordinator);
    const noReason = await coordinator.patch(`/api/contacts/${c.id}`, { disposition: 'cited' });
    expect(noReason.statusCode).toBe(400);
    expect(body(noReason).error.field).toBe('correctionReason');
    const ok = await coordinator.patch(`/api/contacts/${c.id}`, { disposition: 'cited', correctionReason: 'Cited at the scene, not detained (per the arrest report)' });
    expect(ok.statusCode).toBe(200);
    expect(body(ok)).toMatchObject({ disposition: 'cited', version: 2, operationStatus: 'closed' });
    const [audit] = await auditRows(env, 'contact.update', c.id);
    expect(JSON.parse(audit!.changed_fields)).toEqual(['disposition']);
    expect(JSON.parse(audit!.detail)).toMatchObject({ correction: true, reason: 'Cited at the scene, not detained (per the arrest report)' });
    const events = await env.ctx.db.selectFrom('operation_event').select('kind').where('operation_id', '=', fresh.id).where('kind', '=', 'contact_corrected').execute();
    expect(events).toHaveLength(1);
  });

  it('the outcome tells the story from the recorded contacts: 5 men detained, 10 women offered services, 3 children in custody', async () => {
    const story = await activeOperation(signedIn, world);
    const officer = await signedIn(world.users.officer);
    const partner = await signedIn(world.users.partnerOfficer);
    for (let i = 0; i < 5; i++) await recordContact(partner, story.id, suspect({ suspectType: i === 4 ? 'facilitator' : 'buyer' }));
    const story5 = ['food', 'lodging', 'medical', 'counseling', 'drug_rehabilitation'];
    const women = [];
    for (let i = 0; i < 10; i++) {
      women.push(
        await recordContact(
          officer,
          story.id,
          adultVictim({
            name: `Woman ${i}`,
            ageBand: i < 4 ? '18_to_24' : '25_to_34',
            disposition: 'offered_services',
            services: story5.map((service, j) => ({ service, offered: true, accepted: (i + j) % 3 === 0 })),
          }),
        ),
      );
    }
    const takenAt = env.clock.now().toISOString();
    for (let i = 0; i < 3; i++) {
      const child = await recordContact(officer, story.id, minor({ estimatedAge: i + 2, disposition: 'protective_custody', name: `Child ${i}` }));
      const res = await officer.post(`/api/contacts/${child.id}/custody`, handOff(world, takenAt));
      expect(res.statusCode).toBe(201);
    }
    for (const w of women.slice(0, 3)) expect((await officer.post(`/api/contacts/${w.id}/referrals`, referral(world))).statusCode).toBe(201);
    const advocate = await signedIn(world.users.advocate);
    const sent = body(await advocate.get(`/api/referrals`)).referrals;
    await advocate.post(`/api/referrals/${sent[0].id}/accept`, {});

    for (const user of [world.users.coordinator, extra.users.unassignedCoordinator, world.users.pio, world.users.analyst, world.users.partnerOfficer]) {
      const res = await (await signedIn(user)).get(`/api/operations/${story.id}/outcome`);
      expect(res.statusCode, user.email).toBe(200);
    }
    const res = await (await signedIn(world.users.pio)).get(`/api/operations/${story.id}/outcome`);
    const outcome = body(res);
    expect(outcome.byRole).toEqual({ suspect: 5, adult_victim: 10, minor: 3, witness: 0 });
    expect(outcome.byDisposition).toEqual({ detained: 5, arrested: 0, cited: 0, released: 0, offered_services: 10, protective_custody: 3 });
    expect(Object.keys(outcome.servicesOffered).sort()).toEqual([...SERVICES].sort());
    expect(outcome.servicesOffered).toMatchObject({ food: 10, lodging: 10, medical: 10, counseling: 10, drug_rehabilitation: 10, shelter: 0, legal: 0 });
    const accepted = (j: number) => Array.from({ length: 10 }, (_, i) => (i + j) % 3 === 0).filter(Boolean).length;
    expect(outcome.servicesAccepted).toMatchObject({ food: accepted(0), lodging: accepted(1), medical: accepted(2), counseling: accepted(3), drug_rehabilitation: accepted(4), shelter: 0 });
    expect(outcome.protectiveCustody).toEqual({ count: 3, handedOff: 3, received: 0, releasedTo: ["State Children's Division"] });
    expect(outcome.byRoleAndSex.suspect).toEqual({ female: 0, male: 5, unknown: 0 });
    expect(outcome.byRoleAndSex.adult_victim).toEqual({ female: 10, male: 0, unknown: 0 });
    expect(outcome.bySex).toEqual({ female: 13, male: 5, unknown: 0 });
    expect(Object.keys(outcome.byAgeBand).sort()).toEqual([...AGE_BANDS].sort());
    expect(outcome.byAgeBand).toMatchObject({ under_5: 3, '18_to_24': 4, '25_to_34': 6, '35_to_49': 5, '50_plus': 0 });
    expect(outcome.suspectTypes).toEqual({ buyer: 4, facilitator: 1, trafficker: 0, unspecified: 0 });
    expect(outcome.referrals).toEqual({ total: 3, byStatus: { sent: 2, accepted: 1, declined: 0, closed: 0 }, byAgency: [{ agencyName: 'Harbor Advocates', count: 3 }] });
    expect(outcome).toMatchObject({ total: 18, dispositionPending: 0, personsOfferedServices: 10 });
    expect(Object.keys(outcome.byRole).sort()).toEqual([...CONTACT_ROLES].sort());
    expect(Object.keys(outcome.byDisposition).sort()).toEqual([...DISPOSITIONS].sort());
    expect(Object.keys(outcome.bySex).sort()).toEqual([...SEXES].sort());
    expect(Object.keys(outcome.referrals.byStatus).sort()).toEqual([...REFERRAL_STATUSES].sort());
    // Aggregates only: no person, no identity.
    expect(res.body).not.toMatch(/Woman|Child \d|Rosa|personNumber|Person \d/);
    const [audit] = await auditRows(env, 'operation.readOutcome', story.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.pio.id, record_type: 'operation' });

    for (const user of [world.users.outsiderCoordinator, world.users.advocate, world.users.caseworker, world.users.leadAdmin]) {
      expect((await (await signedIn(user)).get(`/api/operations/${story.id}/outcome`)).statusCode, user.email).toBe(404);
    }
    expect((await as(env, null).get(`/api/operations/${story.id}/outcome`)).statusCode).toBe(401);
  });

  it('an empty operation’s outcome has every key, all zeros', async () => {
    const empty = await activeOperation(signedIn, world);
    const outcome = body(await (await signedIn(world.users.coordinator)).get(`/api/operations/${empty.id}/outcome`));
    expect(outcome.byRole).toEqual({ suspect: 0, adult_victim: 0, minor: 0, witness: 0 });
    expect(Object.values(outcome.servicesOffered).every((n) => n === 0)).toBe(true);
    expect(outcome.protectiveCustody).toEqual({ count: 0, handedOff: 0, received: 0, releasedTo: [] });
    expect(outcome.total).toBe(0);
  });

  it('fuzz: random bodies never get a 5xx', async () => {
    const officer = await signedIn(world.users.officer);
    const value = fc.oneof(fc.constantFrom(...CONTACT_ROLES, ...AGE_BANDS, ...DISPOSITIONS, ...SEXES, 'buyer', '2010-01-01'), fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const field = fc.constantFrom('role', 'sex', 'ageBand', 'estimatedAge', 'disposition', 'charges', 'name', 'aliases', 'dob', 'phones', 'screening', 'services', 'suspectType', 'clientRef', 'version', 'correctionReason');
    const contact = fc.dictionary(field, fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 3 })), { maxKeys: 8 });
    const target = await recordContact(officer, op.id, suspect());
    await fc.assert(
      fc.asyncProperty(contact, async (input) => {
        const created = await officer.post(contactsUrl(), input);
        expect(created.statusCode, created.body).toBeLessThan(500);
        const changed = await officer.patch(`/api/contacts/${target.id}`, input);
        expect(changed.statusCode, changed.body).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
