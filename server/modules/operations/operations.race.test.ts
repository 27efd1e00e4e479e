import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { body, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, draftOperation, minor, recordContact, type SignedIn } from '../../test/operations-fixtures.ts';

/**
 * Every operations state change under concurrency (issue #7, finding 4 and "every state change is
 * race-safe"). On SQLite requests take turns, so only PostgreSQL can lose these races: the conflicting
 * requests are fired at once, with as many connections as requests, round after round, and each round
 * asserts the invariant. `LANTERN_RACE_ROUNDS` sets the rounds (default 10).
 */
const ROUNDS = Number(process.env.LANTERN_RACE_ROUNDS ?? 10);
const POOL = 12;

describe.skipIf(!inject('pgAvailable'))('operations races [postgres]', () => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv('postgres', { env: { LANTERN_DB_POOL: String(POOL) } });
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const codes = (responses: LightMyRequestResponse[]) => responses.map((r) => r.statusCode);
  /** A losing request is told it lost: 409 (the state changed under it) or 403 (it loaded the new state). */
  const expectLost = (res: LightMyRequestResponse) => expect([403, 409], res.body).toContain(res.statusCode);
  const operation = (id: string) => env.ctx.db.selectFrom('operation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = async (id: string, kind: string) =>
    (await env.ctx.db.selectFrom('operation_event').select('id').where('operation_id', '=', id).where('kind', '=', kind).execute()).length;
  const atom = async (family: string, category: string) => {
    const rows = await env.ctx.db.selectFrom('stat_atom').select('value').where('family', '=', family).where('category', '=', category).execute();
    return rows.reduce((n, r) => n + Number(r.value), 0);
  };

  it('approve × approve: one approval, one event, one audit row', async () => {
    const lead = await signedIn(world.users.coordinator);
    for (let round = 0; round < ROUNDS; round++) {
      const op = await draftOperation(signedIn, world);
      const res = await Promise.all([1, 2, 3, 4].map(() => lead.post(`/api/operations/${op.id}/approve`)));
      expect(codes(res).filter((c) => c === 200), `round ${round}: ${codes(res)}`).toHaveLength(1);
      res.filter((r) => r.statusCode !== 200).forEach(expectLost);
      const row = await operation(op.id);
      expect(row.status).toBe('approved');
      expect(row.version).toBe(op.version + 1);
      expect(await events(op.id, 'approved')).toBe(1);
      expect(await auditRows(env, 'operation.approve', op.id)).toHaveLength(1);
    }
  });

  it('close × close: closed once, counted once into the public statistics', async () => {
    const lead = await signedIn(world.users.coordinator);
    for (let round = 0; round < ROUNDS; round++) {
      const op = await activeOperation(signedIn, world);
      await recordContact(lead, op.id, adultVictim());
      const [ops, persons] = [await atom('operations', 'all'), await atom('persons', 'adult_victim')];
      const res = await Promise.all([1, 2, 3, 4].map(() => lead.post(`/api/operations/${op.id}/close`)));
      expect(codes(res).filter((c) => c === 200), `round ${round}: ${codes(res)}`).toHaveLength(1);
      res.filter((r) => r.statusCode !== 200).forEach(expectLost);
      expect((await operation(op.id)).status).toBe('closed');
      expect(await events(op.id, 'closed')).toBe(1);
      expect(await auditRows(env, 'operation.close', op.id)).toHaveLength(1);
      expect(await atom('operations', 'all')).toBe(ops + 1);
      expect(await atom('persons', 'adult_victim')).toBe(persons + 1);
    }
  });

  it('resolve × resolve from the other side × waive: one of them settles the conflict, and the record says which', async () => {
    const lead = await signedIn(world.users.coordinator);
    for (let round = 0; round < ROUNDS; round++) {
      const a = await draftOperation(signedIn, world);
      const b = await draftOperation(signedIn, world, { startsAt: a.startsAt, endsAt: a.endsAt });
      expect((await lead.post(`/api/operations/${a.id}/approve`)).statusCode).toBe(200);
      const conflictId = body(await lead.get(`/api/operations/${a.id}`)).conflicts[0].id as string;
      const [resolveA, resolveB, waive] = await Promise.all([
        lead.post(`/api/operations/${a.id}/conflicts/${conflictId}/resolve`, { note: `Round ${round}: different unit.` }),
        lead.post(`/api/operations/${b.id}/conflicts/${conflictId}/resolve`, { note: `Round ${round}: spoke with them.` }),
        lead.post(`/api/operations/${a.id}/waiver`, { reason: `Round ${round}: a child is in danger tonight.` }),
      ]);
      const all = [resolveA, resolveB, waive];
      expect(codes(all).filter((c) => c === 200), `round ${round}: ${codes(all)}`).toHaveLength(1);
      all.filter((r) => r.statusCode !== 200).forEach(expectLost);
      const c = await env.ctx.db.selectFrom('deconfliction_conflict').selectAll().where('id', '=', conflictId).executeTakeFirstOrThrow();
      const waivers = await env.ctx.db.selectFrom('operation_waiver').selectAll().where('operation_id', '=', a.id).execute();
      if (waive.statusCode === 200) {
        expect(c.status).toBe('waived');
        expect(waivers).toHaveLength(1);
        expect(JSON.parse(waivers[0]!.conflict_ids)).toEqual([conflictId]);
      } else {
        expect(c.status).toBe('resolved');
        expect(c.resolution).toBe(`Round ${round}: ${resolveA.statusCode === 200 ? 'different unit.' : 'spoke with them.'}`);
        expect(waivers).toHaveLength(0);
      }
      const settled = (await auditRows(env, 'operation.resolveConflict')).filter((r) => r.record_id === a.id || r.record_id === b.id);
      expect(settled.length + (await auditRows(env, 'operation.waive', a.id)).length).toBe(1);
      expect(await events(a.id, 'conflict_resolved') + (await events(b.id, 'conflict_resolved')) + (await events(a.id, 'waiver'))).toBe(1);
    }
  });

  it('activate × edit: an operation runs only the plan approved as it stands, and never with an open conflict', async () => {
    const lead = await signedIn(world.users.coordinator);
    // Another operation's subject: an edit that adds it opens a subject conflict whatever the time or place.
    const phone = '(816) 555-0177';
    const holder = await draftOperation(signedIn, world, { subjects: [{ kind: 'phone', value: phone }] });
    for (let round = 0; round < ROUNDS; round++) {
      const op = await draftOperation(signedIn, world);
      expect((await lead.post(`/api/operations/${op.id}/approve`)).statusCode).toBe(200);
      const [activate, edit] = await Promise.all([
        lead.post(`/api/operations/${op.id}/activate`),
        lead.patch(`/api/operations/${op.id}`, { name: `Edited ${round}`, subjects: [{ kind: 'phone', value: phone }] }),
      ]);
      expect(codes([activate, edit]).filter((c) => c === 200), `round ${round}: ${activate.body} ${edit.body}`).toHaveLength(1);
      const row = await operation(op.id);
      const open = await env.ctx.db
        .selectFrom('deconfliction_conflict')
        .select('id')
        .where('status', '=', 'open')
        // With the holder's phone: an earlier round whose edit won holds the same phone, and conflicts too.
        .where((eb) => eb.or([eb.and([eb('operation_a', '=', op.id), eb('operation_b', '=', holder.id)]), eb.and([eb('operation_a', '=', holder.id), eb('operation_b', '=', op.id)])]))
        .execute();
      const subjects = await env.ctx.db.selectFrom('operation_subject').select('id').where('operation_id', '=', op.id).execute();
      if (activate.statusCode === 200) {
        expectLost(edit);
        expect(row).toMatchObject({ status: 'active', name: op.name });
        expect(subjects).toHaveLength(0);
        expect(open).toHaveLength(0);
        expect(await auditRows(env, 'operation.update', op.id)).toHaveLength(0);
      } else {
        expectLost(activate);
        expect(row).toMatchObject({ status: 'draft', name: `Edited ${round}`, approved_at: null });
        expect(open).toHaveLength(1);
        expect(await events(op.id, 'active')).toBe(0);
      }
    }
  });

  it('record contact × close: no contact lands in a closed operation, and a close never passes an undecided minor', async () => {
    const [lead, officer, partnerOfficer] = await Promise.all([signedIn(world.users.coordinator), signedIn(world.users.officer), signedIn(world.users.partnerOfficer)]);
    for (let round = 0; round < ROUNDS; round++) {
      const op = await activeOperation(signedIn, world);
      await recordContact(officer, op.id, adultVictim());
      const [close, child, adult1, adult2] = await Promise.all([
        lead.post(`/api/operations/${op.id}/close`),
        officer.post(`/api/operations/${op.id}/contacts`, minor()),
        partnerOfficer.post(`/api/operations/${op.id}/contacts`, adultVictim()),
        officer.post(`/api/operations/${op.id}/contacts`, adultVictim()),
      ]);
      const records = [child, adult1, adult2];
      const row = await operation(op.id);
      const contacts = await env.ctx.db.selectFrom('contact').select(['role', 'disposition']).where('operation_id', '=', op.id).execute();
      // A recording that reaches the operation after the close committed is refused by the grant (403: a
      // closed operation takes no contacts); one already past that check meets the re-check where it writes (409).
      for (const r of records) expect([201, 403, 409], r.body).toContain(r.statusCode);
      expect(contacts).toHaveLength(1 + records.filter((r) => r.statusCode === 201).length);
      if (close.statusCode === 200) {
        expect(row.status).toBe('closed');
        // Every contact stored was there when the close counted it, and none is an undecided minor.
        expect(contacts.filter((c) => c.role === 'minor' && c.disposition !== 'released' && c.disposition !== 'protective_custody')).toHaveLength(0);
        expect([403, 409], `round ${round}: ${child.body}`).toContain(child.statusCode);
        const counted = await env.ctx.db.selectFrom('stat_counted').selectAll().where('operation_id', '=', op.id).where('family', '=', 'persons').execute();
        expect(counted.reduce((n, c) => n + Number(c.value), 0)).toBe(contacts.length);
        for (const r of records.filter((x) => x.statusCode === 409)) expect(body(r).error.message).toContain('closed');
      } else {
        expect(close.statusCode, close.body).toBe(409);
        expect(body(close).error.code).toBe('minor_undecided');
        expect(row.status).toBe('active');
        expect(child.statusCode).toBe(201);
        expect(records.map((r) => r.statusCode)).toEqual([201, 201, 201]);
      }
    }
  });
  it('edit contact × close: a field edit never lands after the close, so a closed operation keeps every minor decided', async () => {
    const [lead, officer] = await Promise.all([signedIn(world.users.coordinator), signedIn(world.users.officer)]);
    for (let round = 0; round < ROUNDS; round++) {
      const op = await activeOperation(signedIn, world);
      const child = await recordContact(officer, op.id, minor({ disposition: 'released' }));
      const [close, edit] = await Promise.all([lead.post(`/api/operations/${op.id}/close`), officer.patch(`/api/contacts/${child.id}`, { disposition: null })]);
      const row = await operation(op.id);
      const stored = await env.ctx.db.selectFrom('contact').select('disposition').where('id', '=', child.id).executeTakeFirstOrThrow();
      if (close.statusCode === 200) {
        expect(row.status).toBe('closed');
        expectLost(edit);
        expect(stored.disposition, `round ${round}: ${edit.statusCode}`).toBe('released');
      } else {
        expect(body(close).error.code, close.body).toBe('minor_undecided');
        expect(edit.statusCode).toBe(200);
        expect(stored.disposition).toBeNull();
        expect(row.status).toBe('active');
      }
    }
  });
});
