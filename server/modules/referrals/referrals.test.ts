import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { as, auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, extraUsers, minor, recordContact, referral, suspect, type SignedIn } from '../../test/operations-fixtures.ts';
import { PART2_NOTICE } from '../../../common/part2.ts';
import { seal } from '../../lib/sealed.ts';
import { fireTogether, roundsFor } from '../../test/race.ts';
import { SERVICES } from '../../../common/operations.ts';

describeEachDatabase('referrals', (backend) => {
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

  /** An adult potential victim with identity the referral must never carry. */
  const victim = async () =>
    recordContact(await signedIn(world.users.officer), op.id, adultVictim({ name: 'Rosa Secretsurname', dob: '1996-03-03', ageBand: 'unknown', phones: ['816-555-0101'], disposition: 'offered_services', services: [{ service: 'lodging', offered: true }] }));

  const send = async (contactId: string, over: Record<string, unknown> = {}) => {
    const res = await (await signedIn(world.users.officer)).post(`/api/contacts/${contactId}/referrals`, referral(world, over));
    expect(res.statusCode, res.body).toBe(201);
    return body(res);
  };

  it('an assigned officer refers an adult potential victim with consent: sealed at rest, a notice to the advocates, consent in the audit', async () => {
    const c = await victim();
    const res = await (await signedIn(world.users.officer)).post(`/api/contacts/${c.id}/referrals`, referral(world));
    expect(res.statusCode).toBe(201);
    const r = body(res);
    expect(r).toMatchObject({
      view: 'referring',
      contactId: c.id,
      operationId: op.id,
      personNumber: c.personNumber,
      toAgency: { id: world.agencies.advocates, name: 'Harbor Advocates' },
      services: ['lodging', 'counseling'],
      part2: false,
      status: 'sent',
      respondedAt: null,
    });
    expect(r).not.toHaveProperty('notes');
    expect(r).not.toHaveProperty('safeContact');

    const stored = await env.ctx.db.selectFrom('referral').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(stored.first_name).toMatch(/^enc1\./);
    expect(stored.safe_contact).toMatch(/^enc1\./);
    expect(stored).toMatchObject({ agency_id: world.agencies.lead, to_agency_id: world.agencies.advocates, status: 'sent', sent_by: world.users.officer.id });

    const [audit] = await auditRows(env, 'referral.create', r.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id, record_type: 'referral', record_agency_id: world.agencies.lead });
    expect(JSON.parse(audit!.detail)).toMatchObject({ consent: true, consentRecordedBy: world.users.officer.id, consentAt: env.clock.now().toISOString(), contactId: c.id, part2: false });
    expect(audit!.detail).not.toContain('Rosa');

    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', r.id).execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ agency_id: world.agencies.advocates, audience: 'advocate', kind: 'referral.received', operation_id: null });
    expect(`${notices[0]!.title} ${notices[0]!.body}`).not.toMatch(/Rosa|lodging|counseling|555/);
    const inbox = body(await (await signedIn(world.users.advocate)).get('/api/inbox'));
    expect(inbox.items.map((i: { recordId: string }) => i.recordId)).toContain(r.id);

    const events = await env.ctx.db.selectFrom('operation_event').select('detail').where('operation_id', '=', op.id).where('kind', '=', 'referral_sent').execute();
    expect(events.map((e) => JSON.parse(e.detail))).toContainEqual({ personNumber: c.personNumber, toAgency: 'Harbor Advocates', part2: false });
  });

  it('a substance-use service makes it a 42 CFR Part 2 referral, carrying the notice to the advocates', async () => {
    const c = await victim();
    const r = await send(c.id, { services: ['drug_rehabilitation', 'shelter'] });
    expect(r.part2).toBe(true);
    const seen = body(await (await signedIn(world.users.advocate)).get(`/api/referrals/${r.id}`));
    expect(seen.part2).toBe(true);
    expect(seen.part2Notice.statement).toBe(PART2_NOTICE);
    expect(seen.part2Notice.citation).toMatch(/42 CFR/);
    const plain = await send((await victim()).id, { services: ['food'] });
    expect(body(await (await signedIn(world.users.advocate)).get(`/api/referrals/${plain.id}`)).part2Notice).toBeNull();
  });

  it('refuses: no consent, a non-victim, a wrong agency, a second open referral, the unassigned, outsiders, the anonymous', async () => {
    const c = await victim();
    const officer = await signedIn(world.users.officer);
    const url = `/api/contacts/${c.id}/referrals`;
    const before = await tableCounts(env.ctx, ['referral', 'inbox_item']);
    const bad: [Record<string, unknown>, number, string][] = [
      [referral(world, { consent: false }), 400, 'consent'],
      [referral(world, { consent: undefined }), 400, 'consent'],
      [referral(world, { toAgencyId: world.agencies.partner }), 400, 'toAgencyId'],
      [referral(world, { toAgencyId: world.agencies.childWelfare }), 400, 'toAgencyId'],
      [referral(world, { services: [] }), 400, 'services'],
      [referral(world, { services: ['massage'] }), 400, 'services.0'],
      [referral(world, { firstName: '' }), 400, 'firstName'],
      [referral(world, { safeContact: undefined }), 400, 'safeContact'],
    ];
    for (const [input, status, field] of bad) {
      const res = await officer.post(url, input);
      expect(res.statusCode, JSON.stringify(input)).toBe(status);
      expect(body(res).error.field, JSON.stringify(input)).toBe(field);
    }
    // A victim-services agency of the task force that does not take part in the operation is a fine target.
    expect((await officer.post(url, referral(world, { toAgencyId: extra.agencies.otherAdvocates }))).statusCode).toBe(201);
    const susp = await recordContact(officer, op.id, suspect());
    expect(body(await officer.post(`/api/contacts/${susp.id}/referrals`, referral(world))).error.field).toBe('role');
    const child = await recordContact(officer, op.id, minor());
    expect((await officer.post(`/api/contacts/${child.id}/referrals`, referral(world))).statusCode).toBe(409);

    expect((await officer.post(url, referral(world))).statusCode).toBe(201);
    const twice = await officer.post(url, referral(world));
    expect(twice.statusCode).toBe(409);
    expect(body(twice).error.field).toBe('toAgencyId');

    // Visible but not theirs to send (403); not visible (404); anonymous (401).
    for (const user of [extra.users.unassignedCoordinator, world.users.analyst]) {
      expect((await (await signedIn(user)).post(url, referral(world))).statusCode, user.email).toBe(403);
    }
    for (const user of [world.users.outsiderOfficer, world.users.advocate, world.users.caseworker, world.users.pio]) {
      expect((await (await signedIn(user)).post(url, referral(world))).statusCode, user.email).toBe(404);
    }
    expect((await as(env, null).post(url, referral(world))).statusCode).toBe(401);
    const after = await tableCounts(env.ctx, ['referral', 'inbox_item']);
    expect(after.referral).toBe(before.referral! + 2);
  });

  it('the receiving advocates see only what the referral carries — never the contact, the operation or other persons', async () => {
    const c = await victim();
    const r = await send(c.id, { firstName: 'Rosa' });
    const advocate = await signedIn(world.users.advocate);
    const res = await advocate.get(`/api/referrals/${r.id}`);
    expect(res.statusCode).toBe(200);
    const seen = body(res);
    expect(Object.keys(seen).sort()).toEqual(
      ['id', 'view', 'firstName', 'language', 'services', 'safeContact', 'part2', 'part2Notice', 'referringAgency', 'referringOfficer', 'status', 'sentAt', 'respondedAt', 'notes', 'abilities'].sort(),
    );
    expect(seen).toMatchObject({
      view: 'receiving',
      firstName: 'Rosa',
      language: 'Spanish',
      services: ['lodging', 'counseling'],
      safeContact: 'Text only, (816) 555-0142; never call after 6 pm',
      referringAgency: { name: 'Lead Police Department' },
      referringOfficer: { name: expect.any(String), phone: '(816) 235-0199' },
      status: 'sent',
      notes: [],
      abilities: { 'referral.read': true, 'referral.respond': true, 'referral.annotate': true },
    });
    expect(res.body).not.toMatch(/Secretsurname|1996-03|555-0101|Operation Lantern|church|Person \d/);
    expect(res.body).not.toContain(c.id);
    expect(res.body).not.toContain(op.id);
    const [audit] = await auditRows(env, 'referral.read', r.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.advocate.id, record_agency_id: world.agencies.lead });
    expect(JSON.parse(audit!.detail)).toEqual({ view: 'receiving' });

    const listed = body(await advocate.get('/api/referrals'));
    expect(listed.referrals.every((x: { view: string }) => x.view === 'receiving')).toBe(true);
    expect(listed.referrals.map((x: { id: string }) => x.id)).toContain(r.id);
    // Nothing else of the operation: its record, its contacts, its outcome, the person's own record.
    for (const url of [`/api/contacts/${c.id}`, `/api/operations/${op.id}`, `/api/operations/${op.id}/contacts`, `/api/operations/${op.id}/outcome`]) {
      expect((await advocate.get(url)).statusCode, url).toBe(404);
    }
    expect((await advocate.patch(`/api/contacts/${c.id}`, { sex: 'unknown' })).statusCode).toBe(404);
    // The advocates' agency administrator does not read case content by role.
    expect((await (await signedIn(extra.users.advocateAdmin)).get(`/api/referrals/${r.id}`)).statusCode).toBe(404);
  });

  it('advocates accept or decline with a note and keep their notes; police see the status, never the notes', async () => {
    const c = await victim();
    const r = await send(c.id);
    const advocate = await signedIn(world.users.advocate);
    env.clock.advance(60_000);
    const accepted = await advocate.post(`/api/referrals/${r.id}/accept`, { note: 'Intake booked; prefers afternoons.' });
    expect(accepted.statusCode).toBe(200);
    expect(body(accepted)).toMatchObject({ status: 'accepted', respondedAt: env.clock.now().toISOString() });
    expect(body(accepted).notes).toEqual([{ id: expect.any(String), at: env.clock.now().toISOString(), author: { userId: world.users.advocate.id, name: 'Test advocate' }, text: 'Intake booked; prefers afternoons.' }]);
    const [respond] = await auditRows(env, 'referral.respond', r.id);
    expect(respond).toMatchObject({ actor_user_id: world.users.advocate.id });
    expect(JSON.parse(respond!.detail)).toEqual({ status: 'accepted' });
    expect(respond!.detail).not.toContain('Intake');

    env.clock.advance(60_000);
    const notes = await advocate.post(`/api/referrals/${r.id}/notes`, { text: 'Housing placement at the shelter on Elm; court date in May.' });
    expect(notes.statusCode).toBe(201);
    expect(body(notes).notes.map((n: { text: string }) => n.text)).toEqual(['Intake booked; prefers afternoons.', 'Housing placement at the shelter on Elm; court date in May.']);
    const [annotate] = await auditRows(env, 'referral.annotate', r.id);
    expect(JSON.parse(annotate!.changed_fields)).toEqual(['notes']);
    expect(JSON.parse(annotate!.detail)).toEqual({ noteId: body(notes).notes[1].id });
    expect(annotate!.detail).not.toContain('Elm');
    const stored = await env.ctx.db.selectFrom('referral_note').select('body').where('referral_id', '=', r.id).execute();
    expect(stored.map((n) => n.body)).toEqual([expect.stringMatching(/^enc1\./), expect.stringMatching(/^enc1\./)]);

    // The sender hears of the answer.
    const senderInbox = body(await (await signedIn(world.users.officer)).get('/api/inbox'));
    expect(senderInbox.items.find((i: { recordId: string; kind: string }) => i.recordId === r.id && i.kind === 'referral.accepted')).toBeTruthy();

    // Police: the referring operation's readers see the status — not a word of the notes.
    for (const user of [world.users.officer, world.users.partnerOfficer, extra.users.unassignedCoordinator, world.users.analyst]) {
      const client = await signedIn(user);
      const one = await client.get(`/api/referrals/${r.id}`);
      expect(one.statusCode, user.email).toBe(200);
      expect(body(one)).toMatchObject({ view: 'referring', status: 'accepted', toAgency: { name: 'Harbor Advocates' }, sentAt: r.sentAt, respondedAt: expect.any(String) });
      expect(body(one)).not.toHaveProperty('notes');
      expect(one.body).not.toMatch(/Intake|Elm|court date|afternoons/);
      const listed = await client.get(`/api/referrals?contactId=${c.id}`);
      expect(body(listed).referrals.map((x: { id: string }) => x.id), user.email).toEqual([r.id]);
      expect(listed.body).not.toMatch(/Intake|Elm|court date/);
      expect(body(one).abilities).toEqual({ 'referral.read': true, 'referral.respond': false, 'referral.annotate': false });
      // Visible but not theirs: no notes written, no answer given (403).
      expect((await client.post(`/api/referrals/${r.id}/notes`, { text: 'police note' })).statusCode, user.email).toBe(403);
      expect((await client.post(`/api/referrals/${r.id}/decline`, {})).statusCode, user.email).toBe(403);
    }
    const contactView = body(await (await signedIn(world.users.officer)).get(`/api/contacts/${c.id}`));
    expect(contactView.referralCount).toBe(1);

    // Answered once.
    const again = await advocate.post(`/api/referrals/${r.id}/decline`);
    expect(again.statusCode).toBe(409);
    // Declining another, without a note.
    const other = await send((await victim()).id);
    const declined = await advocate.post(`/api/referrals/${other.id}/decline`);
    expect(declined.statusCode).toBe(200);
    expect(body(declined)).toMatchObject({ status: 'declined', notes: [] });
    expect(body(await (await signedIn(world.users.officer)).get(`/api/referrals/${other.id}`)).status).toBe('declined');
  });

  it('an advocate of another victim-services agency, a PIO, outsiders and the anonymous see nothing', async () => {
    const r = await send((await victim()).id);
    for (const user of [extra.users.otherAdvocate, world.users.pio, world.users.outsiderCoordinator, world.users.caseworker, world.users.leadAdmin]) {
      const client = await signedIn(user);
      expect((await client.get(`/api/referrals/${r.id}`)).statusCode, user.email).toBe(404);
      expect(body(await client.get('/api/referrals')).referrals.map((x: { id: string }) => x.id), user.email).not.toContain(r.id);
      expect((await client.post(`/api/referrals/${r.id}/accept`, {})).statusCode, user.email).toBe(404);
      expect((await client.post(`/api/referrals/${r.id}/notes`, { text: 'x' })).statusCode, user.email).toBe(404);
    }
    for (const [method, url] of [
      ['GET', '/api/referrals'],
      ['GET', `/api/referrals/${r.id}`],
      ['POST', `/api/referrals/${r.id}/accept`],
      ['POST', `/api/referrals/${r.id}/decline`],
      ['POST', `/api/referrals/${r.id}/notes`],
    ] as const) {
      const res = await env.app.inject({ method, url, ...(method === 'GET' ? {} : { payload: { text: 'x' } }) });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('lists with filters, one audit row per list that returns referrals', async () => {
    const c = await victim();
    const r = await send(c.id);
    const officer = await signedIn(world.users.officer);
    const listed = await officer.get(`/api/referrals?operationId=${op.id}&status=sent`);
    expect(listed.statusCode).toBe(200);
    expect(body(listed).referrals.map((x: { id: string }) => x.id)).toContain(r.id);
    expect(body(listed).referrals.every((x: { status: string; view: string }) => x.status === 'sent' && x.view === 'referring')).toBe(true);
    const [audit] = await auditRows(env, 'referral.read');
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id, record_id: null });
    expect(JSON.parse(audit!.detail).ids).toContain(r.id);
    expect((await officer.get('/api/referrals?status=lost')).statusCode).toBe(400);
  });

  const nameOf = async (u: { id: string }) => (await env.ctx.db.selectFrom('app_user').select('display_name').where('id', '=', u.id).executeTakeFirstOrThrow()).display_name;

  it('names the referring officer and the callback number they gave: a valid number, stored sealed and formatted, shown to the advocates', async () => {
    const c = await victim();
    const officer = await signedIn(world.users.officer);
    const url = `/api/contacts/${c.id}/referrals`;
    for (const bad of [undefined, '', '555', '123-456-7890', 'call me', '+1 800 000 0000 ext']) {
      const res = await officer.post(url, referral(world, { callbackPhone: bad }));
      expect(res.statusCode, String(bad)).toBe(400);
      expect(body(res).error.field, String(bad)).toBe('callbackPhone');
    }
    const r = await send(c.id, { callbackPhone: '+1 816.235.0177' });
    const stored = await env.ctx.db.selectFrom('referral').select('callback_phone').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(stored.callback_phone).toMatch(/^enc1\./);
    const seen = body(await (await signedIn(world.users.advocate)).get(`/api/referrals/${r.id}`));
    expect(seen.referringOfficer).toEqual({ name: await nameOf(world.users.officer), phone: '(816) 235-0177' });
    const [audit] = await auditRows(env, 'referral.create', r.id);
    expect(JSON.parse(audit!.changed_fields)).toContain('callbackPhone');
    expect(audit!.detail).not.toContain('235-0177');
  });

  it('advocates keep a dated, append-only history of notes, oldest first; no one else reads or writes it', async () => {
    const r = await send((await victim()).id);
    const advocate = await signedIn(world.users.advocate);
    const first = env.clock.now().toISOString();
    expect((await advocate.post(`/api/referrals/${r.id}/notes`, { text: 'First call: safe to text.' })).statusCode).toBe(201);
    env.clock.advance(5 * 60_000);
    const second = env.clock.now().toISOString();
    const res = await advocate.post(`/api/referrals/${r.id}/notes`, { text: 'Second call: shelter bed found.' });
    expect(res.statusCode).toBe(201);
    const author = { userId: world.users.advocate.id, name: await nameOf(world.users.advocate) };
    expect(body(res).notes).toEqual([
      { id: expect.any(String), at: first, author, text: 'First call: safe to text.' },
      { id: expect.any(String), at: second, author, text: 'Second call: shelter bed found.' },
    ]);
    expect((await advocate.post(`/api/referrals/${r.id}/notes`, { text: '  ' })).statusCode).toBe(400);
    // Append-only: there is no way to change or remove a note.
    const noteId = body(res).notes[0].id;
    expect((await advocate.patch(`/api/referrals/${r.id}/notes/${noteId}`, { text: 'changed' })).statusCode).toBe(404);
    expect((await advocate.patch(`/api/referrals/${r.id}/notes`, { notes: 'overwritten' })).statusCode).toBe(404);
    // The consent rule: the person agreed to a referral, not to their advocates' notes reaching law
    // enforcement. The referring side — assigned officer, coordinators, analysts, partners — is denied.
    for (const user of [world.users.officer, world.users.partnerOfficer, extra.users.unassignedCoordinator, world.users.analyst]) {
      const client = await signedIn(user);
      const one = await client.get(`/api/referrals/${r.id}`);
      expect(one.statusCode).toBe(200);
      expect(one.body, user.email).not.toMatch(/safe to text|shelter bed/);
      expect((await client.get(`/api/referrals?operationId=${op.id}`)).body, user.email).not.toMatch(/safe to text|shelter bed/);
      expect((await client.post(`/api/referrals/${r.id}/notes`, { text: 'police note' })).statusCode, user.email).toBe(403);
    }
    // Another agency's advocates, child welfare, the advocates' own administrator: not found.
    for (const user of [extra.users.otherAdvocate, world.users.caseworker, extra.users.advocateAdmin, world.users.outsiderOfficer]) {
      const client = await signedIn(user);
      expect((await client.post(`/api/referrals/${r.id}/notes`, { text: 'x' })).statusCode, user.email).toBe(404);
      expect((await client.get('/api/referrals')).body, user.email).not.toMatch(/safe to text|shelter bed/);
    }
    const rows = await env.ctx.db.selectFrom('referral_note').selectAll().where('referral_id', '=', r.id).execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((n) => n.agency_id === world.agencies.advocates && n.legacy === 0)).toBe(true);
  });

  it('the notes field from before issue #9 reads as the first note, with later notes after it', async () => {
    const r = await send((await victim()).id);
    const advocate = await signedIn(world.users.advocate);
    await advocate.post(`/api/referrals/${r.id}/accept`, {});
    const respondedAt = env.clock.now().toISOString();
    // As migration 0011 leaves a referral that had notes: the text where it was, a legacy note row.
    await env.ctx.db.updateTable('referral').set({ advocate_notes: seal(env.ctx.keyring, 'referral', 'advocate_notes', r.id, 'Accepted 2026-01-01: old notes.') }).where('id', '=', r.id).execute();
    await env.ctx.db.insertInto('referral_note').values({ id: r.id, referral_id: r.id, agency_id: world.agencies.advocates, author_user_id: world.users.advocate.id, created_at: respondedAt, body: null, legacy: 1 }).execute();
    env.clock.advance(60_000);
    const res = await advocate.post(`/api/referrals/${r.id}/notes`, { text: 'A new note.' });
    expect(body(res).notes.map((n: { text: string; at: string }) => [n.at, n.text])).toEqual([
      [respondedAt, 'Accepted 2026-01-01: old notes.'],
      [env.clock.now().toISOString(), 'A new note.'],
    ]);
    expect((await (await signedIn(world.users.officer)).get(`/api/referrals/${r.id}`)).body).not.toContain('old notes');
  });

  it('notes added at the same moment all land (appending never loses one)', async () => {
    const r = await send((await victim()).id);
    const advocate = await signedIn(world.users.advocate);
    const rounds = roundsFor(backend, 5);
    for (let round = 0; round < rounds; round++) {
      const results = await fireTogether([1, 2, 3, 4].map((i) => () => advocate.post(`/api/referrals/${r.id}/notes`, { text: `round ${round} note ${i}` })));
      expect(results.map((x) => x.statusCode)).toEqual([201, 201, 201, 201]);
    }
    const count = await env.ctx.db.selectFrom('referral_note').select((eb) => eb.fn.countAll().as('n')).where('referral_id', '=', r.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(rounds * 4);
  });

  it('fuzz: random referral bodies never get a 5xx', async () => {
    const c = await victim();
    const officer = await signedIn(world.users.officer);
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(world.agencies.advocates, ...SERVICES), fc.array(fc.constantFrom(...SERVICES, 'x'), { maxLength: 4 }));
    const input = fc.dictionary(fc.constantFrom('toAgencyId', 'firstName', 'language', 'services', 'safeContact', 'consent', 'note', 'notes'), value, { maxKeys: 7 });
    await fc.assert(
      fc.asyncProperty(input, async (payload) => {
        const res = await officer.post(`/api/contacts/${c.id}/referrals`, payload);
        expect(res.statusCode, res.body).toBeLessThan(500);
      }),
      { numRuns: 50 },
    );
  });
});
