import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from 'altcha-lib/v1';
import { body, describeEachDatabase, openSecondContext, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, type World } from '../../test/fixtures.ts';
import { raceRounds, roundsFor } from '../../test/race.ts';
import { loadActor } from '../../auth/actor.ts';
import { unseal } from '../../lib/sealed.ts';
import { TIP_LIMITS } from '../../../common/tips.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';
import { ALTCHA_MAXNUMBER, createTipChallenge, encodeProof, pruneSpentChallenges } from './altcha.ts';
import { fileTip, formatReceipt, normalizeReceipt, receiptHash } from './tips.intake.ts';
import { configureTipIntake, drainTipQueue, queuedReceiptExists, submitPublicTip } from './tips.public.ts';
import { RateLimited, TIP_LIMITS_PER_IP } from './tips.limits.ts';
import { columnsContaining, postTip, publicTip, sendTip, solvedProof } from './tips.test-support.ts';

/** A tip as staff enter it (the schema's defaults filled in). */
const staffTip = () => ({ ...(publicTip() as Omit<TipFields, 'phones' | 'emails' | 'online' | 'businesses'>), phones: [], emails: [], online: [], businesses: [] });

const TIP_TABLES = ['tip', 'tip_event', 'tip_intake_queue', 'tip_challenge_spent', 'record_identifier', 'audit_event'];
const RECEIPT = /^\d{4}( \d{4}){4}$/;

describe('receipts', () => {
  it('are grouped in fours for reading aloud, and normalised whatever the spacing or dashes', () => {
    expect(formatReceipt('12345678901234567890')).toBe('1234 5678 9012 3456 7890');
    for (const typed of ['1234 5678 9012 3456 7890', '1234-5678-9012-3456-7890', ' 12345678901234567890 ', '1234\u20135678 9012\u00a03456 7890', '１２３４５６７８９０１２３４５６７８９０']) {
      expect(normalizeReceipt(typed)).toBe('12345678901234567890');
    }
  });
});

describeEachDatabase('public tip intake', (backend) => {
  let env: TestEnv;
  let world: World;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  it('contract: the challenge carries algorithm, challenge, salt (with its expiry), maxnumber and signature; solved, it lets a tip in with 201 {receipt}', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/public/tips/challenge' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const challenge = body(res);
    expect(Object.keys(challenge).sort()).toEqual(['algorithm', 'challenge', 'maxnumber', 'salt', 'signature']);
    expect(challenge).toMatchObject({ algorithm: 'SHA-256', maxnumber: ALTCHA_MAXNUMBER });
    expect(challenge.challenge).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.salt).toMatch(/\?expires=\d+&$/);
    const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
    const sent = await postTip(env, { ...publicTip(), altcha: encodeProof(challenge, solution!.number) });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(Object.keys(body(sent))).toEqual(['receipt']);
    expect(body(sent).receipt).toMatch(RECEIPT);
  }, 60_000);

  it('a tip is one tip row, its received and routed events and one audit row, sealed, found by its receipt, with no IP address or browser anywhere', async () => {
    const before = await tableCounts(env.ctx, ['tip', 'tip_event']);
    const res = await postTip(
      env,
      { ...publicTip({ phones: ['816-555-0199'], contact: { name: 'Dana Tipster', email: 'dana@example.test', safeMethod: 'email' } }), altcha: await solvedProof(env.ctx) },
      { remoteAddress: '198.51.100.73', headers: { 'user-agent': 'TipsterPhoneBrowser/9.1' } },
    );
    expect(res.statusCode, res.body).toBe(201);
    const { receipt } = body(res);
    expect(await tableCounts(env.ctx, ['tip', 'tip_event'])).toEqual({ tip: before.tip! + 1, tip_event: before.tip_event! + 2 });

    const tip = await env.ctx.db.selectFrom('tip').selectAll().where('receipt_hash', '=', receiptHash(env.ctx, receipt)).executeTakeFirstOrThrow();
    // Typed back with dashes instead of spaces, the receipt finds the same tip.
    expect(receiptHash(env.ctx, receipt.replaceAll(' ', '-'))).toBe(tip.receipt_hash);
    expect(tip).toMatchObject({ source: 'web', status: 'new', version: 1, zip: '64075', language: 'en', created_by: null, external_ref: null, minor_involved: 0, immediate_danger: 0, urgent: 0 });
    for (const column of ['narrative', 'details', 'contact'] as const) expect(tip[column]).toMatch(/^enc1\./);
    expect(unseal(env.ctx.keyring, 'tip', 'narrative', tip.id, tip.narrative)).toBe(publicTip().narrative);
    expect(JSON.parse(unseal(env.ctx.keyring, 'tip', 'contact', tip.id, tip.contact!))).toEqual({ name: 'Dana Tipster', email: 'dana@example.test', safeMethod: 'email' });
    expect(JSON.parse(unseal(env.ctx.keyring, 'tip', 'details', tip.id, tip.details)).phones).toEqual(['816-555-0199']);

    const events = await env.ctx.db.selectFrom('tip_event').selectAll().where('tip_id', '=', tip.id).orderBy('kind').execute();
    expect(events.map((e) => e.kind)).toEqual(['received', 'routed']);
    expect(events.every((e) => e.agency_id === tip.agency_id && e.actor_user_id === null)).toBe(true);

    const audit = await auditRows(env, 'tip.create', tip.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, actor_agency_id: null, ip: null, user_agent: null, request_id: null, record_type: 'tip', record_agency_id: tip.agency_id, outcome: 'success' });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ source: 'web', urgent: false, queued: false });

    expect(await columnsContaining(env.ctx, '198.51.100.73')).toEqual([]);
    expect(await columnsContaining(env.ctx, 'TipsterPhoneBrowser')).toEqual([]);
    expect(await columnsContaining(env.ctx, 'Dana Tipster')).toEqual([]);
    expect(await columnsContaining(env.ctx, receipt.replaceAll(' ', ''))).toEqual([]);
  });

  it('a minor or danger now makes the tip urgent', async () => {
    const res = await sendTip(env, { minorInvolved: true });
    const tip = await env.ctx.db.selectFrom('tip').select(['urgent', 'minor_involved']).where('receipt_hash', '=', receiptHash(env.ctx, body(res).receipt)).executeTakeFirstOrThrow();
    expect(tip).toEqual({ urgent: 1, minor_involved: 1 });
  });

  it('forged, expired, wrong-answer, replayed and malformed proofs are refused with 400 altcha, and nothing is written', async () => {
    const challenge = await createTipChallenge(env.ctx, { maxnumber: 500 });
    const solution = (await solveChallenge(challenge.challenge, challenge.salt, 'SHA-256', 500).promise)!;
    const good = encodeProof(challenge, solution.number);
    const tamper = (over: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(good, 'base64').toString()), ...over })).toString('base64');
    const forgedSalt = challenge.salt.replace(/expires=(\d+)/, (_m, s: string) => `expires=${Number(s) + 86_400}`);
    const proofs: [string, string][] = [
      ['forged signature', tamper({ signature: 'f'.repeat(64) })],
      ['forged expiry', tamper({ salt: forgedSalt })],
      ['wrong answer', tamper({ number: solution.number + 1 })],
      ['another algorithm', tamper({ algorithm: 'SHA-1' })],
      ['a number that is not one', tamper({ number: '12' })],
      ['not base64 JSON', 'bm90IGpzb24='],
      ['junk', '%%%'],
      ['an empty object', Buffer.from('{}').toString('base64')],
      ['null', Buffer.from('null').toString('base64')],
    ];
    const before = await tableCounts(env.ctx, TIP_TABLES);
    for (const [what, altcha] of proofs) {
      const res = await postTip(env, { ...publicTip(), altcha });
      expect(res.statusCode, what).toBe(400);
      expect(body(res).error.field, what).toBe('altcha');
    }
    expect(await tableCounts(env.ctx, TIP_TABLES)).toEqual(before);

    // Expired: the same good proof, ten minutes and a second later.
    const late = await createTipChallenge(env.ctx, { maxnumber: 500 });
    const lateSolution = (await solveChallenge(late.challenge, late.salt, 'SHA-256', 500).promise)!;
    env.clock.advance(10 * 60_000 + 1_000);
    try {
      const res = await postTip(env, { ...publicTip(), altcha: encodeProof(late, lateSolution.number) });
      expect(res.statusCode).toBe(400);
      expect(body(res).error).toMatchObject({ field: 'altcha', message: expect.stringMatching(/expired/) });
    } finally {
      env.clock.advance(-(10 * 60_000 + 1_000));
    }
    expect(await tableCounts(env.ctx, TIP_TABLES)).toEqual(before);

    // Replayed: the first use lets one tip in, the second is refused and writes nothing.
    expect((await postTip(env, { ...publicTip(), altcha: good })).statusCode).toBe(201);
    const afterFirst = await tableCounts(env.ctx, TIP_TABLES);
    const replay = await postTip(env, { ...publicTip({ narrative: 'A second tip riding on the same proof.' }), altcha: good });
    expect(replay.statusCode).toBe(400);
    expect(body(replay).error).toMatchObject({ field: 'altcha', message: expect.stringMatching(/already used/) });
    expect(await tableCounts(env.ctx, TIP_TABLES)).toEqual(afterFirst);
  });

  it('a bad ZIP is refused before the proof is spent, so the tipster can correct it and send again', async () => {
    const altcha = await solvedProof(env.ctx);
    const bad = await postTip(env, { ...publicTip({ zip: '00000' }), altcha });
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.field).toBe('zip');
    expect((await postTip(env, { ...publicTip(), altcha })).statusCode).toBe(201);
  });

  it('two requests with one proof at once: exactly one tip', async () => {
    await raceRounds(roundsFor(backend, 10), {
      prepare: async () => ({ altcha: await solvedProof(env.ctx), before: (await tableCounts(env.ctx, ['tip'])).tip }),
      fire: ({ altcha }) => [0, 1].map((i) => () => postTip(env, { ...publicTip({ narrative: `racing tip ${i}` }), altcha })),
      check: async ({ before }, results) => {
        expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400]);
        expect(body(results.find((r) => r.statusCode === 400)!).error.field).toBe('altcha');
        expect((await tableCounts(env.ctx, ['tip'])).tip).toBe(before! + 1);
      },
    });
  });

  it('bad input: each a 400 naming the field (or 413, 415), nothing written, no cookie', async () => {
    const altcha = await solvedProof(env.ctx);
    const withProof = (over: Record<string, unknown>) => JSON.stringify({ ...publicTip(over), altcha });
    const cases: [string, string | Buffer, number, string | undefined][] = [
      ['malformed JSON', '{"narrative": "half', 400, 'body'],
      ['binary junk', Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x9c, 0x00, 0x01]), 400, 'body'],
      ['an array', '[1,2,3]', 400, 'body'],
      ['null', 'null', 400, 'body'],
      ['a number for the narrative', withProof({ narrative: 5 }), 400, 'narrative'],
      ['an empty narrative', withProof({ narrative: '   ' }), 400, 'narrative'],
      ['a narrative over the limit', withProof({ narrative: 'x'.repeat(TIP_LIMITS.narrative + 1) }), 400, 'narrative'],
      ['a string for a flag', withProof({ minorInvolved: 'yes' }), 400, 'minorInvolved'],
      ['a missing flag', JSON.stringify({ ...publicTip(), immediateDanger: undefined, altcha }), 400, 'immediateDanger'],
      ['a language we do not speak', withProof({ language: 'fr' }), 400, 'language'],
      ['a ZIP of letters', withProof({ zip: 'abcde' }), 400, 'zip'],
      ['a ZIP that does not exist', withProof({ zip: '00001' }), 400, 'zip'],
      ['a string for a list', withProof({ phones: '816-555-0100' }), 400, 'phones'],
      ['too many phones', withProof({ phones: Array.from({ length: TIP_LIMITS.listItems + 1 }, (_, i) => `816-555-01${String(i).padStart(2, '0')}`) }), 400, 'phones'],
      ['a control character', withProof({ people: 'a\u0000b' }), 400, 'people'],
      ['an unknown safe method', withProof({ contact: { safeMethod: 'pigeon' } }), 400, 'contact.safeMethod'],
      ['no proof', JSON.stringify(publicTip()), 400, 'altcha'],
      ['a body over the limit', JSON.stringify({ ...publicTip(), people: 'y'.repeat(TIP_LIMITS.bodyBytes), altcha }), 413, undefined],
    ];
    const before = await tableCounts(env.ctx, TIP_TABLES);
    for (const [what, raw, status, field] of cases) {
      const res = await postTip(env, null, { raw });
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.headers['content-type'], what).toMatch(/application\/json/);
      expect(typeof body(res).error.message, what).toBe('string');
      if (field) expect(body(res).error.field, what).toBe(field);
    }
    const octets = await postTip(env, null, { raw: Buffer.from([0xde, 0xad, 0xbe, 0xef]), headers: { 'content-type': 'application/octet-stream' } });
    expect(octets.statusCode).toBe(415);
    expect(body(octets).error.code).toBe('unsupported_media_type');
    expect(await tableCounts(env.ctx, TIP_TABLES)).toEqual(before);
  });

  it('HTML and script in every field are stored as the text they are', async () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;';
    const fields = {
      narrative: `Tip ${evil}`,
      address: evil,
      city: evil,
      county: evil,
      when: evil,
      people: evil,
      vehicles: evil,
      phones: [evil],
      emails: [evil],
      online: [evil],
      businesses: [evil],
      contact: { name: evil, phone: evil.slice(0, 40), email: evil, safeMethod: 'text_message', safeTimes: evil },
    };
    const res = await sendTip(env, fields);
    expect(res.statusCode, res.body).toBe(201);
    const tip = await env.ctx.db.selectFrom('tip').selectAll().where('receipt_hash', '=', receiptHash(env.ctx, body(res).receipt)).executeTakeFirstOrThrow();
    expect(unseal(env.ctx.keyring, 'tip', 'narrative', tip.id, tip.narrative)).toBe(fields.narrative);
    expect(JSON.parse(unseal(env.ctx.keyring, 'tip', 'details', tip.id, tip.details))).toEqual({
      address: evil,
      city: evil,
      county: evil,
      when: evil,
      people: evil,
      vehicles: evil,
      phones: [evil],
      emails: [evil],
      online: [evil],
      businesses: [evil],
    });
    expect(JSON.parse(unseal(env.ctx.keyring, 'tip', 'contact', tip.id, tip.contact!))).toEqual(fields.contact);
  });

  it('a burst is queued, not dropped: 202 with the receipt, the proof spent, then drained into exactly one tip under that receipt', async () => {
    configureTipIntake(env.ctx, { maxInFlight: 0 });
    const altcha = await solvedProof(env.ctx);
    const before = await tableCounts(env.ctx, ['tip', 'tip_intake_queue']);
    let res;
    try {
      res = await postTip(env, { ...publicTip({ immediateDanger: true }), altcha });
    } finally {
      configureTipIntake(env.ctx, { maxInFlight: 32 });
    }
    expect(res.statusCode, res.body).toBe(202);
    expect(body(res)).toEqual({ receipt: expect.stringMatching(RECEIPT), queued: true });
    const hash = receiptHash(env.ctx, body(res).receipt);
    await drainTipQueue(env.ctx);
    const tips = await env.ctx.db.selectFrom('tip').selectAll().where('receipt_hash', '=', hash).execute();
    expect(tips).toHaveLength(1);
    expect(tips[0]).toMatchObject({ urgent: 1, immediate_danger: 1, source: 'web' });
    expect(await tableCounts(env.ctx, ['tip', 'tip_intake_queue'])).toEqual({ tip: before.tip! + 1, tip_intake_queue: before.tip_intake_queue });
    expect(await queuedReceiptExists(env.ctx, hash)).toBe(false);
    expect(JSON.parse((await auditRows(env, 'tip.create', tips[0]!.id))[0]!.detail)).toMatchObject({ queued: true });
    // The proof went with the queued submission.
    expect(body(await postTip(env, { ...publicTip(), altcha })).error.field).toBe('altcha');
    expect(await drainTipQueue(env.ctx)).toBe(0);
  });

  it('while queued the receipt is known; processes draining at once file each submission once', async () => {
    configureTipIntake(env.ctx, { maxInFlight: 0 });
    const receipts: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const res = await sendTip(env, { narrative: `queued tip ${i}` });
        expect(res.statusCode).toBe(202);
        receipts.push(body(res).receipt);
      }
    } finally {
      configureTipIntake(env.ctx, { maxInFlight: 32 });
    }
    expect(await queuedReceiptExists(env.ctx, receiptHash(env.ctx, receipts[0]!))).toBe(true);
    const before = (await tableCounts(env.ctx, ['tip'])).tip;
    const second = await openSecondContext(env);
    try {
      // SQLite's connections in one process block each other's thread while they wait: there, the drains take turns.
      const filed =
        backend === 'postgres'
          ? await Promise.all([drainTipQueue(env.ctx), drainTipQueue(second), drainTipQueue(second)])
          : [await drainTipQueue(second), await drainTipQueue(env.ctx)];
      expect(filed.reduce((a, b) => a + b, 0)).toBe(12);
    } finally {
      await second.database.close();
    }
    expect((await tableCounts(env.ctx, ['tip', 'tip_intake_queue']))).toEqual({ tip: before! + 12, tip_intake_queue: 0 });
    for (const r of receipts) {
      expect(await env.ctx.db.selectFrom('tip').select('id').where('receipt_hash', '=', receiptHash(env.ctx, r)).execute()).toHaveLength(1);
    }
  });

  it('spent challenges are pruned once expired', async () => {
    await sendTip(env);
    const spent = (await tableCounts(env.ctx, ['tip_challenge_spent'])).tip_challenge_spent;
    expect(spent).toBeGreaterThan(0);
    expect(await pruneSpentChallenges(env.ctx)).toBe(0);
    env.clock.advance(11 * 60_000);
    expect(await pruneSpentChallenges(env.ctx)).toBe(spent);
  });

  it('staff entry: created by the staff member, audited as them; a hotline reference twice is a 409 naming the first tip, even at once', async () => {
    const coordinator = await loadActor(env.ctx.db, world.users.coordinator.id);
    const meta = { ip: '10.1.2.3', userAgent: 'staff', requestId: 'r1' };
    const filed = await fileTip(env.ctx, { ...staffTip(), source: 'hotline', externalRef: 'NHTH-1', receivedAt: '2026-01-10T08:00:00-06:00' }, coordinator, meta);
    expect(filed.receipt).toMatch(RECEIPT);
    const tip = await env.ctx.db.selectFrom('tip').selectAll().where('id', '=', filed.tipId).executeTakeFirstOrThrow();
    expect(tip).toMatchObject({ source: 'hotline', created_by: coordinator.userId, external_ref: 'hotline:NHTH-1', received_at: '2026-01-10T14:00:00.000Z', receipt_hash: receiptHash(env.ctx, filed.receipt) });
    expect((await auditRows(env, 'tip.create', filed.tipId))[0]).toMatchObject({ actor_user_id: coordinator.userId, actor_agency_id: coordinator.agencyId, ip: '10.1.2.3' });

    const again = fileTip(env.ctx, { ...staffTip(), source: 'hotline', externalRef: 'NHTH-1' }, coordinator);
    await expect(again).rejects.toMatchObject({ status: 409, field: 'externalRef', details: { tipId: filed.tipId } });

    await raceRounds(roundsFor(backend, 8), {
      prepare: async (round) => ({ ref: `NHTH-race-${round}`, before: (await tableCounts(env.ctx, ['tip'])).tip }),
      fire: ({ ref }) => [0, 1].map(() => () => fileTip(env.ctx, { ...staffTip(), source: 'hotline', externalRef: ref }, coordinator).then((f) => f.tipId, (err: { status?: number }) => err.status ?? 500)),
      check: async ({ before }, results) => {
        expect(results.filter((r) => typeof r === 'string')).toHaveLength(1);
        expect(results.filter((r) => r === 409)).toHaveLength(1);
        expect((await tableCounts(env.ctx, ['tip'])).tip).toBe(before! + 1);
      },
    });
  });

  it('the form without JavaScript comes through submitPublicTip with no proof', async () => {
    const taken = await submitPublicTip(env.ctx, { ip: '192.0.2.1', fields: publicTip({ phones: [], emails: [], online: [], businesses: [] }) as never, altcha: null });
    expect(taken).toEqual({ status: 201, receipt: expect.stringMatching(RECEIPT) });
  });
});

describeEachDatabase('public tip rate limits', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend, { env: { LANTERN_RATE_LIMIT: 'on' } });
    await seedWorld(env);
  });
  afterAll(() => env.close());

  it('per keyed IP hash: 429 with Retry-After past the limit, stricter without a proof; another address goes on; the hash is not the address', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < TIP_LIMITS_PER_IP.withProof.max; i++) {
      const res = await sendTip(env, { narrative: `tip ${i}` }, { remoteAddress: ip });
      expect(res.statusCode, res.body).toBe(201);
    }
    const before = await tableCounts(env.ctx, TIP_TABLES);
    const limited = await sendTip(env, {}, { remoteAddress: ip });
    expect(limited.statusCode).toBe(429);
    expect(body(limited).error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await tableCounts(env.ctx, TIP_TABLES)).toEqual(before);
    expect((await sendTip(env, {}, { remoteAddress: '203.0.113.10' })).statusCode).toBe(201);

    const fields = publicTip({ phones: [], emails: [], online: [], businesses: [] }) as never;
    for (let i = 0; i < TIP_LIMITS_PER_IP.withoutProof.max; i++) expect((await submitPublicTip(env.ctx, { ip: '203.0.113.20', fields, altcha: null })).status).toBe(201);
    const refused = submitPublicTip(env.ctx, { ip: '203.0.113.20', fields, altcha: null });
    await expect(refused).rejects.toBeInstanceOf(RateLimited);
    await expect(submitPublicTip(env.ctx, { ip: '203.0.113.20', fields, altcha: null })).rejects.toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });

    // After the window, the address may send again.
    env.clock.advance(TIP_LIMITS_PER_IP.withProof.windowMs);
    expect((await sendTip(env, {}, { remoteAddress: ip })).statusCode).toBe(201);

    for (const address of [ip, '203.0.113.10', '203.0.113.20']) expect(await columnsContaining(env.ctx, address)).toEqual([]);
    if (backend === 'postgres') {
      const keys = await env.ctx.db.selectFrom('rate_limit').select('key').where('key', 'like', 'tip:%').execute();
      expect(keys.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('challenges are limited per address too', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < TIP_LIMITS_PER_IP.challenge.max; i++) {
      expect((await env.app.inject({ method: 'GET', url: '/api/public/tips/challenge', remoteAddress: ip })).statusCode).toBe(200);
    }
    const limited = await env.app.inject({ method: 'GET', url: '/api/public/tips/challenge', remoteAddress: ip });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
