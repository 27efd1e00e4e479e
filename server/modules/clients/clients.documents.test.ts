import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, type TestUser, type World } from '../../test/fixtures.ts';
import { extraUsers, type SignedIn } from '../../test/operations-fixtures.ts';
import { CLIENT_DOCUMENT_MAX_BYTES } from '../../../common/clients.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

const PDF = Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex')]);

const upload = (over: Record<string, unknown> = {}) => ({ name: 'Signed release (Rosa).pdf', contentType: 'application/pdf', content: PDF.toString('base64'), ...over });

/**
 * A client's documents, releases on a scanned form, and who is assigned (issue #12, items 1 and 2): files
 * are sealed and checked, downloads are saved (never shown) and audited, and only the agency's supervisors
 * assign its own advocates.
 */
describeEachDatabase('client documents, scanned releases and assignments (issue #12)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let extra: Awaited<ReturnType<typeof extraUsers>>;
  let supervisor: TestUser;
  let secondAdvocate: TestUser;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    extra = await extraUsers(env, world);
    supervisor = await insertUser(env, world.agencies.advocates, ['coordinator'], { name: 'Advocates Supervisor' });
    secondAdvocate = await insertUser(env, world.agencies.advocates, ['advocate'], { name: 'Second Advocate' });
  });
  afterAll(() => env.close());

  it('an advocate attaches a PDF: sealed at rest, listed without content, downloaded byte for byte as an attachment never sniffed or cached; both audited', async () => {
    const advocate = await signedIn(world.users.advocate);
    const advocateName = (await env.ctx.db.selectFrom('app_user').select('display_name').where('id', '=', world.users.advocate.id).executeTakeFirstOrThrow()).display_name;
    const client = await clientFromReferral(signedIn, world);
    const res = await advocate.post(`/api/clients/${client.id}/documents`, upload());
    expect(res.statusCode, res.body).toBe(201);
    const doc = body(res);
    expect(doc).toMatchObject({ name: 'Signed release (Rosa).pdf', mime: 'application/pdf', size: PDF.length, addedBy: advocateName });

    const stored = await env.ctx.db.selectFrom('client_document').selectAll().where('id', '=', doc.id).executeTakeFirstOrThrow();
    expect(stored.content).toMatch(/^enc1\./);
    expect(stored.name).toMatch(/^enc1\./);
    expect(stored.content).not.toContain(PDF.toString('base64').slice(0, 12));

    const record = body(await advocate.get(`/api/clients/${client.id}`));
    expect(record.documents).toEqual([{ id: doc.id, name: 'Signed release (Rosa).pdf', mime: 'application/pdf', size: PDF.length, addedBy: advocateName, addedAt: doc.addedAt }]);

    const [added] = await auditRows(env, 'client.document.add', client.id);
    expect(added).toMatchObject({ actor_user_id: world.users.advocate.id });
    expect(JSON.parse(added!.detail!)).toMatchObject({ documentId: doc.id, mime: 'application/pdf', size: PDF.length });

    for (const reader of [world.users.advocate, supervisor]) {
      const got = await (await signedIn(reader)).get(`/api/clients/${client.id}/documents/${doc.id}`);
      expect(got.statusCode, got.body).toBe(200);
      expect(got.rawPayload.equals(PDF)).toBe(true);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.headers['content-disposition']).toBe('attachment; filename="Signed_release_Rosa_.pdf"');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['cache-control']).toBe('no-store');
    }
    const reads = await auditRows(env, 'client.document.read', client.id);
    expect(reads.map((r) => r.actor_user_id)).toEqual([supervisor.id, world.users.advocate.id]);
    expect(JSON.parse(reads[0]!.detail!)).toEqual({ documentId: doc.id });
  });

  it('refuses a file that is not what it says, not base64, of another type, or over 5 MB (413 in the error shape); nothing written', async () => {
    const advocate = await signedIn(world.users.advocate);
    const client = await clientFromReferral(signedIn, world);
    const before = await tableCounts(env.ctx, ['client_document']);
    const cases: [Record<string, unknown>, string][] = [
      [upload({ contentType: 'image/jpeg', content: PNG.toString('base64') }), 'content'],
      [upload({ content: Buffer.from('<html><script>alert(1)</script>').toString('base64') }), 'content'],
      [upload({ content: 'not base64!' }), 'content'],
      [upload({ contentType: 'text/html' }), 'contentType'],
      [upload({ name: '' }), 'name'],
    ];
    for (const [payload, field] of cases) {
      const res = await advocate.post(`/api/clients/${client.id}/documents`, payload);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(body(res).error.field).toBe(field);
    }
    const big = Buffer.alloc(CLIENT_DOCUMENT_MAX_BYTES + 1);
    PNG.copy(big);
    const tooBig = await advocate.post(`/api/clients/${client.id}/documents`, upload({ name: 'big.png', contentType: 'image/png', content: big.toString('base64') }));
    expect(tooBig.statusCode).toBe(413);
    expect(body(tooBig).error).toMatchObject({ code: 'payload_too_large', field: 'content' });
    expect(body(tooBig).error.message).toContain('5 MB');
    // A body past the route's own limit is refused by the parser, with the same JSON shape.
    const huge = await advocate.post(`/api/clients/${client.id}/documents`, upload({ content: 'A'.repeat(CLIENT_DOCUMENT_MAX_BYTES * 2) }));
    expect(huge.statusCode).toBe(413);
    expect(body(huge).error.code).toBe('payload_too_large');
    expect(await tableCounts(env.ctx, ['client_document'])).toEqual(before);
    // Exactly the limit is accepted.
    const atLimit = await advocate.post(`/api/clients/${client.id}/documents`, upload({ name: 'max.png', contentType: 'image/png', content: big.subarray(0, CLIENT_DOCUMENT_MAX_BYTES).toString('base64') }));
    expect(atLimit.statusCode, atLimit.body).toBe(201);
  });

  it('police, a caseworker, another agency’s advocate, the agency’s administrator and an unassigned advocate get the same 404 as for no client, on upload and download', async () => {
    const advocate = await signedIn(world.users.advocate);
    const client = await clientFromReferral(signedIn, world);
    const doc = body(await advocate.post(`/api/clients/${client.id}/documents`, upload()));
    const before = await tableCounts(env.ctx, ['client_document']);
    const readsBefore = (await auditRows(env, 'client.document.read', client.id)).length;
    for (const user of [world.users.officer, world.users.coordinator, world.users.partnerOfficer, world.users.caseworker, extra.users.otherAdvocate, extra.users.advocateAdmin, secondAdvocate]) {
      const as = await signedIn(user);
      const real = [await as.get(`/api/clients/${client.id}/documents/${doc.id}`), await as.post(`/api/clients/${client.id}/documents`, upload())];
      const random = [await as.get(`/api/clients/${randomUUID()}/documents/${randomUUID()}`), await as.post(`/api/clients/${randomUUID()}/documents`, upload())];
      for (let i = 0; i < real.length; i++) {
        expect(real[i]!.statusCode, `${user.email}: ${real[i]!.body}`).toBe(404);
        expect(real[i]!.body).toBe(random[i]!.body);
      }
    }
    // A document id of another client, asked for under this one: 404 too.
    const other = await clientFromReferral(signedIn, world);
    expect((await advocate.get(`/api/clients/${other.id}/documents/${doc.id}`)).statusCode).toBe(404);
    expect(await tableCounts(env.ctx, ['client_document'])).toEqual(before);
    expect((await auditRows(env, 'client.document.read', client.id)).length).toBe(readsBefore);
  });

  it('a release on a scanned form names one of this client’s documents; the record and the printout say so; another client’s document is refused naming the field', async () => {
    const advocate = await signedIn(world.users.advocate);
    const client = await clientFromReferral(signedIn, world);
    const other = await clientFromReferral(signedIn, world);
    const scan = body(await advocate.post(`/api/clients/${client.id}/documents`, upload({ name: 'release-form.pdf' })));
    const othersScan = body(await advocate.post(`/api/clients/${other.id}/documents`, upload({ name: 'other.pdf' })));

    const scanned = (scanDocumentId?: string) => releaseInput(world.agencies.lead, { consentMethod: 'scan', signature: undefined, ...(scanDocumentId ? { scanDocumentId } : {}) });
    for (const [payload, why] of [
      [scanned(othersScan.id), 'another client’s document'],
      [scanned(randomUUID()), 'no document'],
      [scanned(), 'none given'],
    ] as const) {
      const res = await advocate.post(`/api/clients/${client.id}/releases`, payload);
      expect(res.statusCode, `${why}: ${res.body}`).toBe(400);
      expect(body(res).error.field, why).toBe('scanDocumentId');
    }

    const res = await advocate.post(`/api/clients/${client.id}/releases`, scanned(scan.id));
    expect(res.statusCode, res.body).toBe(201);
    expect(body(res)).toMatchObject({ consentMethod: 'scan', scanDocument: { id: scan.id, name: 'release-form.pdf' } });
    const [granted] = await auditRows(env, 'client.release', body(res).id);
    expect(JSON.parse(granted!.detail!)).toMatchObject({ event: 'granted', consentMethod: 'scan' });
    const onScreen = body(await advocate.post(`/api/clients/${client.id}/releases`, releaseInput(world.agencies.lead)));
    expect(onScreen).toMatchObject({ consentMethod: 'signed_on_screen', scanDocument: null });

    const printout = await advocate.get(`/api/clients/${client.id}/releases/printout.pdf?lang=en`);
    expect(printout.statusCode, printout.body).toBe(200);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: printout.rawPayload }).toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain('How you signed: A signed paper form, scanned and kept with your record (release-form.pdf)');
    expect(text).toContain('How you signed: Signed on screen');
  });

  it('a supervisor assigns an advocate of the agency (who then sees the client) and unassigns them (who then gets 404); both audited', async () => {
    const client = await clientFromReferral(signedIn, world);
    const boss = await signedIn(supervisor);
    const second = await signedIn(secondAdvocate);
    expect((await second.get(`/api/clients/${client.id}`)).statusCode).toBe(404);

    const seen = body(await boss.get(`/api/clients/${client.id}`));
    expect(seen.abilities['client.assign']).toBe(true);
    expect(seen.assignableAdvocates).toEqual([{ id: secondAdvocate.id, name: 'Second Advocate' }]);

    const res = await boss.post(`/api/clients/${client.id}/assignments`, { userId: secondAdvocate.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(body(res).assignments.map((a: { userId: string }) => a.userId).sort()).toEqual([world.users.advocate.id, secondAdvocate.id].sort());
    expect(body(res).assignments.find((a: { userId: string }) => a.userId === secondAdvocate.id)).toMatchObject({ name: 'Second Advocate', assignedBy: 'Advocates Supervisor' });
    expect(body(res).assignableAdvocates).toEqual([]);
    const [assigned] = await auditRows(env, 'client.assign', client.id);
    expect(assigned).toMatchObject({ actor_user_id: supervisor.id });
    expect(JSON.parse(assigned!.detail!)).toEqual({ event: 'assigned', userId: secondAdvocate.id });

    const asAssigned = await second.get(`/api/clients/${client.id}`);
    expect(asAssigned.statusCode).toBe(200);
    expect(body(asAssigned).abilities['client.assign']).toBe(false);
    expect(body(asAssigned).assignableAdvocates).toEqual([]);

    const again = await boss.post(`/api/clients/${client.id}/assignments`, { userId: secondAdvocate.id });
    expect(again.statusCode).toBe(409);
    expect(body(again).error.field).toBe('userId');

    const removed = await boss.delete(`/api/clients/${client.id}/assignments/${secondAdvocate.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(body(removed).assignments.map((a: { userId: string }) => a.userId)).toEqual([world.users.advocate.id]);
    const [unassigned] = await auditRows(env, 'client.assign', client.id);
    expect(JSON.parse(unassigned!.detail!)).toEqual({ event: 'unassigned', userId: secondAdvocate.id });
    expect((await second.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    expect((await boss.delete(`/api/clients/${client.id}/assignments/${secondAdvocate.id}`)).statusCode).toBe(404);
  });

  it('an assigned advocate may not assign (403); outsiders get 404; only an advocate of the client’s agency may be assigned (400 naming userId)', async () => {
    const client = await clientFromReferral(signedIn, world);
    const advocate = await signedIn(world.users.advocate);
    const boss = await signedIn(supervisor);
    const before = await tableCounts(env.ctx, ['client_assignment']);

    const byAdvocate = await advocate.post(`/api/clients/${client.id}/assignments`, { userId: secondAdvocate.id });
    expect(byAdvocate.statusCode, byAdvocate.body).toBe(403);
    expect((await advocate.delete(`/api/clients/${client.id}/assignments/${world.users.advocate.id}`)).statusCode).toBe(403);

    for (const user of [world.users.officer, world.users.coordinator, world.users.caseworker, extra.users.otherAdvocate, extra.users.advocateAdmin, secondAdvocate]) {
      const as = await signedIn(user);
      const real = await as.post(`/api/clients/${client.id}/assignments`, { userId: secondAdvocate.id });
      const random = await as.post(`/api/clients/${randomUUID()}/assignments`, { userId: secondAdvocate.id });
      expect(real.statusCode, `${user.email}: ${real.body}`).toBe(404);
      expect(real.body).toBe(random.body);
      expect((await as.delete(`/api/clients/${client.id}/assignments/${world.users.advocate.id}`)).statusCode).toBe(404);
    }

    // Another agency's supervisor: their own role, but not this client's agency.
    const otherSupervisor = await insertUser(env, extra.agencies.otherAdvocates, ['coordinator']);
    expect((await (await signedIn(otherSupervisor)).post(`/api/clients/${client.id}/assignments`, { userId: secondAdvocate.id })).statusCode).toBe(404);

    for (const [userId, who] of [
      [extra.users.otherAdvocate.id, 'another agency’s advocate'],
      [world.users.officer.id, 'a police officer'],
      [extra.users.advocateAdmin.id, 'the agency’s administrator'],
      [randomUUID(), 'no one'],
    ] as const) {
      const res = await boss.post(`/api/clients/${client.id}/assignments`, { userId });
      expect(res.statusCode, `${who}: ${res.body}`).toBe(400);
      expect(body(res).error.field, who).toBe('userId');
    }
    expect(await tableCounts(env.ctx, ['client_assignment'])).toEqual(before);
  });
});
