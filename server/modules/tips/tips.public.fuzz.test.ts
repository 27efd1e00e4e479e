/**
 * Fuzzes the public tip routes (issue #10, "Bad input"): well-formed tips, tips with one field gone wrong,
 * replayed proofs, random JSON and random bytes, several at once, with the burst queue forced on in some
 * rounds. Never a 5xx, every refusal in the error shape, and no tip lost or duplicated: once the queue is
 * drained, the tips grew by exactly the number answered 201 or 202, one per receipt.
 *
 * LANTERN_FUZZ_SEED reproduces a failure; LANTERN_FUZZ_RUNS sets the rounds (default 40).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { body, describeEachDatabase, startTestEnv, tableCounts, type TestEnv } from '../../test/harness.ts';
import { seedWorld } from '../../test/fixtures.ts';
import { TIP_LIMITS } from '../../../common/tips.ts';
import { receiptHash } from './tips.intake.ts';
import { configureTipIntake, drainTipQueue } from './tips.public.ts';
import { postTip, publicTip, solvedProof } from './tips.test-support.ts';

const SEED = process.env.LANTERN_FUZZ_SEED ? Number(process.env.LANTERN_FUZZ_SEED) : undefined;
const RUNS = Number(process.env.LANTERN_FUZZ_RUNS ?? 40);

const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('<script>alert(1)</script>', '"; drop table tip; --', '\u0000', '\ud800', '𝕋𝕚𝕡', ' ', '', 'null', '{{7*7}}', '../../etc/passwd'),
);
const zipish = fc.constantFrom('64075', '64106', '63101', '65801', '', '00000', '99999', 'abcde', '6407', ' 64075 ');

/** A tip the form could send, with the odd field a little off. */
const tipArb = fc.record(
  {
    narrative: fc.oneof(hostile, fc.constant('Someone is kept at the motel on Route 40 and their phone is taken away.')),
    zip: zipish,
    minorInvolved: fc.boolean(),
    immediateDanger: fc.boolean(),
    language: fc.constantFrom('en', 'es', 'en', 'es', 'fr'),
    address: hostile,
    city: hostile,
    county: hostile,
    when: hostile,
    people: hostile,
    vehicles: hostile,
    phones: fc.array(fc.oneof(hostile, fc.constantFrom('816-555-0142', '3I4-five five five 0199')), { maxLength: 3 }),
    emails: fc.array(hostile, { maxLength: 2 }),
    online: fc.array(hostile, { maxLength: 2 }),
    businesses: fc.array(hostile, { maxLength: 2 }),
    contact: fc.record({ name: hostile, phone: fc.string({ maxLength: 45 }), email: hostile, safeMethod: fc.constantFrom('phone_call', 'text_message', 'email', 'do_not_contact', 'pigeon') }, { requiredKeys: [] }),
  },
  { requiredKeys: ['narrative', 'zip', 'minorInvolved', 'immediateDanger', 'language'] },
);

type Shot =
  | { kind: 'tip'; fields: Record<string, unknown>; proof: 'fresh' | 'replay' | 'none' | 'junk' }
  | { kind: 'broken'; fields: Record<string, unknown>; key: string; value: unknown }
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'huge' };

const shotArb: fc.Arbitrary<Shot> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ kind: fc.constant('tip' as const), fields: tipArb, proof: fc.constantFrom('fresh' as const, 'fresh' as const, 'fresh' as const, 'replay' as const, 'none' as const, 'junk' as const) }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('broken' as const), fields: tipArb, key: fc.constantFrom('narrative', 'zip', 'minorInvolved', 'language', 'phones', 'contact', 'altcha', 'countyFips'), value: fc.anything({ maxDepth: 2 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 200 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
);

describeEachDatabase('public tip routes under fuzz', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    await seedWorld(env);
  });
  afterAll(() => env.close());

  it('never a 5xx; no tip lost or duplicated', async () => {
    const before = (await tableCounts(env.ctx, ['tip'])).tip;
    const receipts: string[] = [];
    let lastProof: string | null = null;
    const tally: Record<number, number> = {};

    await fc.assert(
      fc.asyncProperty(fc.array(shotArb, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 1, 32), async (shots, maxInFlight) => {
        configureTipIntake(env.ctx, { maxInFlight });
        const requests = await Promise.all(
          shots.map(async (shot) => {
            switch (shot.kind) {
              case 'tip': {
                const altcha = shot.proof === 'fresh' ? await solvedProof(env.ctx, 300) : shot.proof === 'replay' ? (lastProof ?? 'x') : shot.proof === 'junk' ? 'eyJhbGdvcml0aG0iOiJTSEEtMjU2In0=' : undefined;
                if (shot.proof === 'fresh') lastProof = altcha!;
                return () => postTip(env, { ...shot.fields, ...(altcha === undefined ? {} : { altcha }) });
              }
              case 'broken': {
                const altcha = await solvedProof(env.ctx, 300);
                return () => postTip(env, { ...shot.fields, altcha, [shot.key]: shot.value });
              }
              case 'json':
                return () => postTip(env, shot.value);
              case 'bytes':
                return () => postTip(env, null, { raw: Buffer.from(shot.bytes) });
              case 'huge':
                return () => postTip(env, null, { raw: JSON.stringify({ ...publicTip(), narrative: 'z'.repeat(TIP_LIMITS.bodyBytes + 10) }) });
            }
          }),
        );
        const answers = await Promise.all(requests.map((send) => send()));
        for (const res of answers) {
          tally[res.statusCode] = (tally[res.statusCode] ?? 0) + 1;
          expect(res.statusCode, res.body).toBeLessThan(500);
          const json = body(res);
          if (res.statusCode === 201 || res.statusCode === 202) {
            expect(json.receipt).toMatch(/^\d{4}( \d{4}){4}$/);
            expect(json.queued === true, res.body).toBe(res.statusCode === 202);
            receipts.push(json.receipt);
          } else {
            expect([400, 413], res.body).toContain(res.statusCode);
            expect(typeof json.error.code).toBe('string');
            expect(typeof json.error.message).toBe('string');
            if (res.statusCode === 400) expect(typeof json.error.field).toBe('string');
          }
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    // One round that always queues (no filing may run at once), so the burst path is proved whatever the
    // random rounds drew: in rare draws none of them queued a valid tip.
    configureTipIntake(env.ctx, { maxInFlight: 0 });
    const burst = await postTip(env, { ...publicTip(), altcha: await solvedProof(env.ctx, 300) });
    expect(burst.statusCode, burst.body).toBe(202);
    tally[202] = (tally[202] ?? 0) + 1;
    receipts.push(body(burst).receipt);
    configureTipIntake(env.ctx, { maxInFlight: 32 });

    await drainTipQueue(env.ctx);
    expect((await tableCounts(env.ctx, ['tip_intake_queue'])).tip_intake_queue).toBe(0);
    expect((await tableCounts(env.ctx, ['tip'])).tip! - before!, JSON.stringify(tally)).toBe(receipts.length);
    expect(new Set(receipts).size).toBe(receipts.length);
    for (const r of receipts) {
      expect(await env.ctx.db.selectFrom('tip').select('id').where('receipt_hash', '=', receiptHash(env.ctx, r)).execute()).toHaveLength(1);
    }
    // The rounds must have let tips in, queued some, and refused some, or they proved little.
    expect(tally[201] ?? 0).toBeGreaterThan(0);
    expect(tally[202] ?? 0).toBeGreaterThan(0);
    expect(tally[400] ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
