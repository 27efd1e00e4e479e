import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSINESS_LIMITS } from '../../../common/businesses.ts';
import { describeEachDatabase, startTestEnv, body, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { newId } from '../../lib/ids.ts';
import { unseal } from '../../lib/sealed.ts';
import { insertIndicator, insertPipelineBusiness, type PipelineBusiness } from './businesses.pipeline.test-support.ts';

/** A tiny real PNG (1×1) and PDF header: what the magic-byte check reads. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex')]);
const PDF = Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');

/** Indicators with evidence, a second person's verification, withdrawal and attachments (issue #11, item 2). */
describeEachDatabase('business indicators', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
  });
  afterAll(() => env.close());

  const business = (over: Partial<PipelineBusiness> = {}) =>
    insertPipelineBusiness(env.ctx, { agencyId: world.agencies.lead, taskForceId: world.taskForceId, createdBy: world.users.officer.id, ...over });
  const storedIndicator = (id: string) => env.ctx.db.selectFrom('business_indicator').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const input = (over: Record<string, unknown> = {}) => ({ indicator: 'covered_windows', note: 'Front windows covered with black film; buzzer at the door.', observedOn: '2026-01-14', ...over });

  it('an officer records an indicator with a photo: note and file sealed, sha256 kept, event and audit row; the score counts it', async () => {
    const b = await business();
    const officer = await signedIn(world.users.officer);
    const res = await officer.post(`/api/businesses/${b.id}/indicators`, input({ attachment: { filename: 'front door.png', contentType: 'image/png', base64: PNG.toString('base64') } }));
    expect(res.statusCode, res.body).toBe(201);
    const dto = body(res);
    expect(dto).toMatchObject({
      businessId: b.id,
      indicator: 'covered_windows',
      note: 'Front windows covered with black film; buzzer at the door.',
      observedOn: '2026-01-14',
      recordedBy: 'Test officer',
      recordedByMe: true,
      attachment: { filename: 'front door.png', contentType: 'image/png', size: PNG.length },
      verifiedAt: null,
      verifiedBy: null,
      withdrawnAt: null,
      version: 1,
      abilities: { 'business.verify': false, 'business.withdrawIndicator': true },
    });
    const row = await storedIndicator(dto.id);
    expect(row.note).not.toContain('black film');
    expect(unseal(env.ctx.keyring, 'business_indicator', 'note', row.id, row.note)).toContain('black film');
    const file = await env.ctx.db.selectFrom('business_attachment').selectAll().where('id', '=', dto.attachment.id).executeTakeFirstOrThrow();
    expect(file).toMatchObject({ business_id: b.id, size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), uploaded_by: world.users.officer.id });
    expect(file.content).not.toBe(PNG.toString('base64'));
    const [event] = await env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', b.id).execute();
    expect(event).toMatchObject({ kind: 'indicator', actor_user_id: world.users.officer.id });
    expect(JSON.parse(event!.detail)).toEqual({ indicatorId: dto.id, indicator: 'covered_windows', observedOn: '2026-01-14', attachment: true });
    const [audit] = await auditRows(env, 'business.recordIndicator', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.officer.id, record_agency_id: world.agencies.lead });
    expect(audit!.detail).not.toContain('film');

    // Anyone reading the business reads the evidence and the score (an audited read).
    const list = body(await (await signedIn(world.users.partnerOfficer)).get(`/api/businesses/${b.id}/indicators`));
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([dto.id]);
    expect(list.score).toEqual({ score: 1, reasons: [{ indicator: 'covered_windows', count: 1, latest: '2026-01-14', recent: true, verified: false, points: 1 }] });
    expect((await auditRows(env, 'business.read', b.id))[0]).toMatchObject({ actor_user_id: world.users.partnerOfficer.id });
  });

  it('downloads an attachment to readers of its business, as an attachment that is never sniffed; audited; others 404', async () => {
    const b = await business();
    const officer = await signedIn(world.users.officer);
    const dto = body(await officer.post(`/api/businesses/${b.id}/indicators`, input({ attachment: { filename: 'lease "copy".pdf', contentType: 'application/pdf', base64: PDF.toString('base64') } })));
    const reader = await signedIn(world.users.partnerOfficer);
    const res = await reader.get(`/api/business-attachments/${dto.attachment.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="lease_copy_.pdf"');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // The digest recorded at upload, for whoever must show the evidence is the file that was filed.
    expect(res.headers['repr-digest']).toBe(`sha-256=:${createHash('sha256').update(PDF).digest('base64')}:`);
    const [audit] = await auditRows(env, 'business.read', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.partnerOfficer.id });
    expect(JSON.parse(audit!.detail!)).toMatchObject({ view: 'attachment', attachmentId: dto.attachment.id });
    for (const user of [world.users.outsiderCoordinator, world.users.advocate]) {
      expect((await (await signedIn(user)).get(`/api/business-attachments/${dto.attachment.id}`)).statusCode, user.email).toBe(404);
    }
    expect((await reader.get(`/api/business-attachments/${newId()}`)).statusCode).toBe(404);
  });

  it('refuses bad evidence naming the field: a future day, a file over 5 MB, bytes not matching the type, not base64; nothing written', async () => {
    const b = await business();
    const officer = await signedIn(world.users.officer);
    const before = await tableCounts(env.ctx, ['business_indicator', 'business_attachment', 'business_event']);
    const cases: [Record<string, unknown>, number, string][] = [
      [input({ observedOn: '2026-01-16' }), 400, 'observedOn'],
      [input({ observedOn: '2026-02-30' }), 400, 'observedOn'],
      [input({ observedOn: 'yesterday' }), 400, 'observedOn'],
      [input({ attachment: { filename: 'x.jpg', contentType: 'image/jpeg', base64: PNG.toString('base64') } }), 400, 'attachment.base64'],
      [input({ attachment: { filename: 'x.pdf', contentType: 'application/pdf', base64: Buffer.from('<html><script>alert(1)</script>').toString('base64') } }), 400, 'attachment.base64'],
      [input({ attachment: { filename: 'x.png', contentType: 'image/png', base64: 'not base64!' } }), 400, 'attachment.base64'],
      [input({ attachment: { filename: 'x.gif', contentType: 'image/gif', base64: PNG.toString('base64') } }), 400, 'attachment.contentType'],
      [input({ indicator: 'nice_sign' }), 400, 'indicator'],
      [input({ note: '' }), 400, 'note'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await officer.post(`/api/businesses/${b.id}/indicators`, payload);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(status);
      expect(body(res).error.field).toBe(field);
    }
    const big = Buffer.alloc(BUSINESS_LIMITS.attachmentBytesMax + 1);
    PNG.copy(big);
    const res = await officer.post(`/api/businesses/${b.id}/indicators`, input({ attachment: { filename: 'big.png', contentType: 'image/png', base64: big.toString('base64') } }));
    expect(res.statusCode).toBe(413);
    expect(body(res).error).toMatchObject({ field: 'attachment.base64' });
    expect(body(res).error.message).toContain('5 MB');
    // Exactly the limit is accepted.
    const atLimit = await officer.post(`/api/businesses/${b.id}/indicators`, input({ attachment: { filename: 'max.png', contentType: 'image/png', base64: big.subarray(0, BUSINESS_LIMITS.attachmentBytesMax).toString('base64') } }));
    expect(atLimit.statusCode).toBe(201);
    const after = await tableCounts(env.ctx, ['business_indicator', 'business_attachment', 'business_event']);
    expect(after).toEqual({ business_indicator: before.business_indicator! + 1, business_attachment: before.business_attachment! + 1, business_event: before.business_event! + 1 });
  });

  it('a second person verifies: the recorder is refused (403), the verifier is named, the score goes up by half; verified once', async () => {
    const b = await business();
    const analyst = await signedIn(world.users.analyst);
    const dto = body(await analyst.post(`/api/businesses/${b.id}/indicators`, input({ indicator: 'reviews_describe_sex_acts' })));
    expect(dto.abilities['business.verify']).toBe(false);
    const own = await analyst.post(`/api/business-indicators/${dto.id}/verify`, { version: 1 });
    expect(own.statusCode).toBe(403);
    expect(body(own).error.message).toContain('A second person must verify');
    // An officer reports; only coordinators and analysts verify.
    expect((await (await signedIn(world.users.officer)).post(`/api/business-indicators/${dto.id}/verify`, { version: 1 })).statusCode).toBe(403);
    const coordinator = await signedIn(world.users.partnerCoordinator);
    const seen = body(await coordinator.get(`/api/businesses/${b.id}/indicators`)).items[0];
    expect(seen.abilities['business.verify']).toBe(true);
    const res = await coordinator.post(`/api/business-indicators/${dto.id}/verify`, { version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ verifiedBy: 'Test coordinator', verifiedAt: env.clock.now().toISOString(), version: 2, abilities: { 'business.verify': false } });
    expect(await storedIndicator(dto.id)).toMatchObject({ verified_by: world.users.partnerCoordinator.id, version: 2 });
    expect(body(await coordinator.get(`/api/businesses/${b.id}/indicators`)).score.score).toBe(6);
    const [audit] = await auditRows(env, 'business.verify', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.partnerCoordinator.id, record_agency_id: world.agencies.lead });
    const events = await env.ctx.db.selectFrom('business_event').selectAll().where('business_id', '=', b.id).where('kind', '=', 'verified').execute();
    expect(events).toHaveLength(1);
    const again = await (await signedIn(world.users.coordinator)).post(`/api/business-indicators/${dto.id}/verify`, { version: 2 });
    expect(again.statusCode).toBe(409);
    expect(body(again).error.message).toContain('already verified');
    const stale = await (await signedIn(world.users.coordinator)).post(`/api/business-indicators/${dto.id}/verify`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(body(stale).error).toMatchObject({ field: 'version' });
  });

  it('withdraws with a reason, by its recorder or a verifier: kept in the list, marked, out of the score; others 403', async () => {
    const b = await business();
    const officer = await signedIn(world.users.officer);
    const mine = body(await officer.post(`/api/businesses/${b.id}/indicators`, input({ indicator: 'cash_only' })));
    const theirs = await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.analyst.id, indicator: 'late_hours', observedOn: '2026-01-10' });
    // An officer withdraws their own, not another's.
    const notMine = await officer.post(`/api/business-indicators/${theirs.id}/withdraw`, { reason: 'wrong place', version: 1 });
    expect(notMine.statusCode).toBe(403);
    expect((await (await signedIn(world.users.partnerOfficer)).post(`/api/business-indicators/${mine.id}/withdraw`, { reason: 'no', version: 1 })).statusCode).toBe(403);
    const res = await officer.post(`/api/business-indicators/${mine.id}/withdraw`, { reason: 'Entered on the wrong storefront', version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(body(res)).toMatchObject({ withdrawnAt: env.clock.now().toISOString(), withdrawnReason: 'Entered on the wrong storefront', version: 2, abilities: { 'business.withdrawIndicator': false, 'business.verify': false } });
    // A coordinator may withdraw anyone's.
    expect((await (await signedIn(world.users.coordinator)).post(`/api/business-indicators/${theirs.id}/withdraw`, { reason: 'Hours were a sign painter’s error', version: 1 })).statusCode).toBe(200);
    const list = body(await officer.get(`/api/businesses/${b.id}/indicators`));
    expect(list.items.map((i: { indicator: string; withdrawnReason: string }) => [i.indicator, i.withdrawnReason])).toEqual([
      ['cash_only', 'Entered on the wrong storefront'],
      ['late_hours', 'Hours were a sign painter’s error'],
    ]);
    expect(list.score).toEqual({ score: 0, reasons: [] });
    const [audit] = await auditRows(env, 'business.withdrawIndicator', b.id);
    expect(audit).toMatchObject({ actor_user_id: world.users.coordinator.id });
    expect(audit!.detail).not.toContain('painter');
    const again = await officer.post(`/api/business-indicators/${mine.id}/withdraw`, { reason: 'again', version: 2 });
    expect(again.statusCode).toBe(409);
    // A withdrawn piece cannot be verified.
    const verify = await (await signedIn(world.users.analyst)).post(`/api/business-indicators/${mine.id}/verify`, { version: 2 });
    expect(verify.statusCode).toBe(409);
    expect(body(verify).error.message).toContain('withdrawn');
  });

  it('another task force’s coordinator finds nothing (404) for every indicator action; a cleared business takes no new evidence (403)', async () => {
    const b = await business();
    const ind = await insertIndicator(env.ctx, { businessId: b.id, agencyId: world.agencies.lead, recordedBy: world.users.officer.id });
    for (const user of [world.users.outsiderCoordinator, world.users.outsiderOfficer, world.users.caseworker]) {
      const client = await signedIn(user);
      expect((await client.post(`/api/businesses/${b.id}/indicators`, input())).statusCode, user.email).toBe(404);
      expect((await client.get(`/api/businesses/${b.id}/indicators`)).statusCode, user.email).toBe(404);
      expect((await client.post(`/api/business-indicators/${ind.id}/verify`, { version: 1 })).statusCode, user.email).toBe(404);
      expect((await client.post(`/api/business-indicators/${ind.id}/withdraw`, { reason: 'x', version: 1 })).statusCode, user.email).toBe(404);
    }
    expect(await storedIndicator(ind.id)).toMatchObject({ verified_at: null, withdrawn_at: null, version: 1 });
    const cleared = await business({ stage: 'cleared' });
    expect((await (await signedIn(world.users.officer)).post(`/api/businesses/${cleared.id}/indicators`, input())).statusCode).toBe(403);
    expect((await (await signedIn(world.users.officer)).post(`/api/businesses/${newId()}/indicators`, input())).statusCode).toBe(404);
  });
});
