import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createChallenge, extractParams } from 'altcha-lib/v1';
import type { Challenge, Payload } from 'altcha-lib/v1/types';
import type { AppContext } from '../../context.ts';
import { insertRows } from '../../db/batch.ts';
import type { Queryable } from '../../db/database.ts';
import { KeyError } from '../../lib/crypto.ts';
import { invalid } from '../../lib/errors.ts';

/**
 * Proof of work for the public tip form (issue #10, item 2), ALTCHA's open protocol (v1 payloads: the
 * contract's `algorithm, challenge, salt, maxnumber, signature`) instead of a third-party captcha: the
 * browser spends a fraction of a second finding the number behind a hash, which is nothing to a tipster
 * and real cost to a flood. SHA-256 only. A challenge is signed with a key derived from the keyring, so
 * every process agrees without a new secret to configure; it expires after ALTCHA_TTL_MS and is spent
 * once: the spent challenge's row (`tip_challenge_spent`, primary key) refuses a replay atomically,
 * across processes, in the same transaction as the tip it let in.
 */
export const ALTCHA_TTL_MS = 10 * 60_000;
/** Solutions are drawn from 0..maxnumber: about 50,000 SHA-256 hashes on average, well under a second in a phone's browser. */
export const ALTCHA_MAXNUMBER = 100_000;
const ALGORITHM = 'SHA-256';

const keys = new WeakMap<Buffer, string>();

/** The HMAC key of the challenges' signatures: the blind-index key, bent to this one use. */
function altchaKey(ctx: AppContext): string {
  const root = ctx.keyring.indexKey;
  if (!root) throw new KeyError('no blind-index key: set LANTERN_INDEX_KEY (or use the key file)');
  let key = keys.get(root);
  if (!key) keys.set(root, (key = createHmac('sha256', root).update('lantern-tip-altcha-v1').digest('hex')));
  return key;
}

/**
 * A new challenge, valid for ALTCHA_TTL_MS. `number` fixes the solution (benchmarks precompute solved
 * proofs with it; a test makes a cheap one with a small `maxnumber`).
 */
export async function createTipChallenge(ctx: AppContext, opts: { maxnumber?: number; number?: number } = {}): Promise<Challenge & { maxnumber: number }> {
  const maxnumber = opts.maxnumber ?? ALTCHA_MAXNUMBER;
  const challenge = await createChallenge({
    algorithm: ALGORITHM,
    hmacKey: altchaKey(ctx),
    maxnumber,
    expires: new Date(ctx.clock.now().getTime() + ALTCHA_TTL_MS),
    ...(opts.number === undefined ? {} : { number: opts.number }),
  });
  return { ...challenge, maxnumber };
}

/** The base64 payload a solved challenge sends back (what the ALTCHA widget posts as `altcha`). */
export function encodeProof(challenge: Challenge, number: number): string {
  const payload: Payload = { algorithm: challenge.algorithm, challenge: challenge.challenge, number, salt: challenge.salt, signature: challenge.signature };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

/** A proof whose signature and solution hold: what is left is to spend it, once. */
export interface VerifiedProof {
  challenge: string;
  expiresAt: string;
}

const refused = (why: string) => invalid('altcha', why);
const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Checks an untrusted proof: a well-formed v1 payload, SHA-256, our signature, the right number, not
 * expired (by the server's clock). Does not spend it: `spendProof` does, inside the tip's transaction.
 * Every refusal is a 400 naming `altcha`.
 */
export async function verifyProof(ctx: AppContext, unverifiedProof: string): Promise<VerifiedProof> {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(unverifiedProof, 'base64').toString('utf8'));
  } catch {
    throw refused('is not a proof-of-work payload');
  }
  const p = payload as Partial<Record<keyof Payload, unknown>> | null;
  if (
    !p ||
    typeof p !== 'object' ||
    p.algorithm !== ALGORITHM ||
    typeof p.challenge !== 'string' ||
    !/^[0-9a-f]{64}$/.test(p.challenge) ||
    typeof p.salt !== 'string' ||
    p.salt.length > 200 ||
    typeof p.signature !== 'string' ||
    p.signature.length > 200 ||
    typeof p.number !== 'number' ||
    !Number.isSafeInteger(p.number) ||
    p.number < 0
  ) {
    throw refused('is not a proof-of-work payload');
  }
  const proof = p as Payload;
  const expires = Number(extractParams(proof).expires);
  // Every challenge Lantern issues carries its expiry inside the signed salt.
  if (!Number.isSafeInteger(expires)) throw refused('is not a proof-of-work payload');
  if (expires * 1000 <= ctx.clock.now().getTime()) throw refused('has expired: the page was open too long; send the tip again');
  // altcha-lib's verifySolution, in node:crypto: its WebCrypto calls (a key import and two jobs on the
  // thread pool per proof) cost fifty times as much, and a proof is checked on every tip.
  const solved = createHash('sha256').update(`${proof.salt}${proof.number}`).digest('hex');
  const signed = createHmac('sha256', altchaKey(ctx)).update(proof.challenge).digest('hex');
  if (!sameHex(solved, proof.challenge) || !sameHex(signed, proof.signature)) throw refused('is not a valid proof of work');
  return { challenge: proof.challenge, expiresAt: new Date(expires * 1000).toISOString() };
}

/**
 * Spends a verified proof: an atomic set-if-absent, so of two requests carrying one proof (in any
 * process) exactly one goes on. Runs in the transaction that writes the tip or queues it, so a tip that
 * fails to commit leaves its proof unspent.
 */
export async function spendProof(db: Queryable, proof: VerifiedProof): Promise<void> {
  const result = await db
    .insertInto('tip_challenge_spent')
    .values({ challenge: proof.challenge, expires_at: proof.expiresAt })
    .onConflict((oc) => oc.column('challenge').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) throw proofReplayed();
}

/** The insert that spends several proofs (tips filed together), for `Tx.insertAtEnd`: fewer rows than proofs means a replay. */
export function spendProofsInsert(proofs: readonly VerifiedProof[]) {
  return insertRows(
    'tip_challenge_spent',
    proofs.map((proof) => ({ challenge: proof.challenge, expires_at: proof.expiresAt })),
    { onConflictDoNothing: 'challenge' },
  );
}

export const proofReplayed = () => refused('was already used: send the tip again');

/** Drops spent challenges past their expiry: an expired proof is refused on its date alone. */
export async function pruneSpentChallenges(ctx: AppContext): Promise<number> {
  const result = await ctx.db.deleteFrom('tip_challenge_spent').where('expires_at', '<', ctx.clock.now().toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
