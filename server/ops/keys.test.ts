import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditLog } from '../audit/audit.ts';
import { verifyAuditLog } from '../audit/audit.verify.ts';
import type { AppContext } from '../context.ts';
import { keyIdOf, type Keyring } from '../lib/crypto.ts';
import { ENCRYPTED_COLUMNS, seal, unseal } from '../lib/sealed.ts';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../test/harness.ts';
import { as, auditRows, insertUser, seedWorld, signIn, type TestUser, type World } from '../test/fixtures.ts';
import { countSealedRows, reencryptAll } from './keys.ts';

/** Every sealed value in the database, whatever table holds it. */
async function sealedValues(ctx: AppContext) {
  const out: { table: string; column: string; id: string; value: string }[] = [];
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    for (const column of columns) {
      const r = await sql<{ id: string; v: string }>`select id, ${sql.ref(column)} as v from ${sql.table(table)} where ${sql.ref(column)} is not null`.execute(ctx.db);
      out.push(...r.rows.map((row) => ({ table, column, id: row.id, value: row.v })));
    }
  }
  return out;
}

describeEachDatabase('key rotation', (backend) => {
  let env: TestEnv;
  let world: World;
  let oldRing: Keyring;
  let newRing: Keyring;
  let withPhone: TestUser;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    oldRing = env.ctx.keyring;
    newRing = { activeKeyId: 'test2', keys: new Map([['test2', randomBytes(32)], ...oldRing.keys]), source: 'test', ...(oldRing.indexKey ? { indexKey: oldRing.indexKey } : {}) };
    withPhone = await insertUser(env, world.agencies.lead, ['officer']);
    await env.ctx.db.updateTable('app_user').set({ phone: seal(oldRing, 'app_user', 'phone', withPhone.id, '+1 816 555 0100') }).where('id', '=', withPhone.id).execute();
    // A half-finished MFA enrolment holds a pending secret.
    const enrolling = await insertUser(env, world.agencies.lead, ['analyst'], { enrolled: false });
    await env.ctx.db.updateTable('app_user').set({ totp_pending_secret: seal(oldRing, 'app_user', 'totp_pending_secret', enrolling.id, 'PENDINGSECRET') }).where('id', '=', enrolling.id).execute();
  });
  afterAll(() => env.close());

  it('re-encrypts every sealed value under the new active key, with progress up to the total', async () => {
    const before = await sealedValues(env.ctx);
    expect(before.length).toBeGreaterThanOrEqual(16);
    expect(before.every((v) => v.value.startsWith('enc1.test1.'))).toBe(true);

    env.ctx.keyring = newRing;
    const total = await countSealedRows(env.ctx);
    const progress: number[] = [];
    const result = await reencryptAll(env.ctx, (n) => progress.push(n));
    expect(result.values).toBe(before.length);
    expect(result.rows).toBe(total);
    expect(progress.at(-1)).toBe(total);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const after = await sealedValues(env.ctx);
    expect(after.map((v) => `${v.table}.${v.column}:${v.id}`).sort()).toEqual(before.map((v) => `${v.table}.${v.column}:${v.id}`).sort());
    for (const v of after) {
      expect(v.value.startsWith('enc1.test2.')).toBe(true);
      expect(keyIdOf(v.value)).toBe('test2');
    }
    // Each value still reads the same, now without the old key at all.
    const onlyNew: Keyring = { ...newRing, keys: new Map([['test2', newRing.keys.get('test2')!]]) };
    for (const v of before.filter((x) => x.table === 'app_user')) {
      const then = unseal(oldRing, v.table, v.column, v.id, v.value);
      const now = unseal(onlyNew, v.table, v.column, v.id, after.find((a) => a.id === v.id && a.column === v.column)!.value);
      expect(now).toBe(then);
    }
    expect(unseal(onlyNew, 'app_user', 'phone', withPhone.id, after.find((a) => a.id === withPhone.id && a.column === 'phone')!.value)).toBe('+1 816 555 0100');

    const rows = await auditRows(env, 'keys.rotate');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + (JSON.parse(r.detail) as { values: number }).values, 0)).toBe(before.length);
    expect(JSON.parse(rows[0]!.detail)).toMatchObject({ keyId: 'test2' });
    expect(JSON.stringify(rows)).not.toContain('816 555');
    expect((await verifyAuditLog(env.ctx.db, env.ctx.dialect, env.ctx.audit.keys)).ok).toBe(true);

    // Sign-in (which unseals the TOTP secret) works with the old key gone.
    env.ctx.keyring = onlyNew;
    const cookie = await signIn(env, world.users.officer);
    expect(body(await as(env, cookie).get('/api/me')).user.email).toBe(world.users.officer.email);
    env.ctx.keyring = newRing;
  });

  it('does nothing on a second run', async () => {
    const auditBefore = (await auditRows(env, 'keys.rotate')).length;
    const before = await sealedValues(env.ctx);
    const result = await reencryptAll(env.ctx, () => {});
    expect(result.values).toBe(0);
    expect(await sealedValues(env.ctx)).toEqual(before);
    expect((await auditRows(env, 'keys.rotate')).length).toBe(auditBefore);
  });

  it('never writes an old value over a change made while it ran', async () => {
    const victim = await insertUser(env, world.agencies.lead, ['officer']);
    const rotated: Keyring = { activeKeyId: 'test3', keys: new Map([['test3', randomBytes(32)], ...newRing.keys]), source: 'test', ...(newRing.indexKey ? { indexKey: newRing.indexKey } : {}) };
    await env.ctx.db.updateTable('app_user').set({ phone: seal(newRing, 'app_user', 'phone', victim.id, 'old phone') }).where('id', '=', victim.id).execute();
    // Between rotation reading a batch and writing it, an admin resets the victim's MFA (lost phone)
    // and records a new phone number.
    let interfered = false;
    const racing = {
      ...env.ctx,
      keyring: rotated,
      audit: {
        transact: async (...args: Parameters<AuditLog['transact']>) => {
          if (!interfered) {
            interfered = true;
            await env.ctx.db
              .updateTable('app_user')
              .set({ totp_secret: null, phone: seal(newRing, 'app_user', 'phone', victim.id, 'new phone') })
              .where('id', '=', victim.id)
              .execute();
          }
          return env.ctx.audit.transact(...args);
        },
      } as unknown as AuditLog,
    };
    await reencryptAll(racing, () => {});
    expect(interfered).toBe(true);
    const row = await env.ctx.db.selectFrom('app_user').select(['totp_secret', 'phone']).where('id', '=', victim.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toBeNull();
    expect(unseal(rotated, 'app_user', 'phone', victim.id, row.phone)).toBe('new phone');
    // A second run moves what was skipped.
    await reencryptAll(racing, () => {});
    expect((await sealedValues(env.ctx)).every((v) => keyIdOf(v.value) === 'test3')).toBe(true);
  });
});
