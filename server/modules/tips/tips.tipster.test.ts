import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { seedWorld, type World } from '../../test/fixtures.ts';
import { fireTogether, roundsFor, startRaceEnv } from '../../test/race.ts';
import { normalizeReceipt } from './tips.tipster.intake.ts';
import { fileTestTip, insertStaffMessage } from './tips.tipster.fixtures.ts';
import { TIPSTER_LIMITS } from './tips.tipster.ts';

/**
 * Issue #10, item 3, the tipster's JSON side: with the receipt alone, the status word and the conversation;
 * a wrong receipt answers like a right one with nothing to show; a message from the tipster is written
 * with its history entry, audit row (no address) and a notice, in one transaction.
 */

describe('receipts as typed', () => {
  it('ignore spaces and dashes between the groups', () => {
    expect(normalizeReceipt(' 1234 5678-9012\u00a03456 7890 ')).toBe('12345678901234567890');
  });
});

describeEachDatabase('the tipster’s status and messages', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const post = (url: string, payload: unknown) => env.app.inject({ method: 'POST', url, payload: payload as object });

  it('shows the status word and the conversation, staff only as the investigator, and marks staff messages read', async () => {
    const { receipt, tip } = await fileTestTip(env, { language: 'es' });
    const staffId = await insertStaffMessage(env, tip, world.users.analyst.id, '¿A qué hora llegan?');
    const grouped = receipt.replace(/(\d{4})(?=\d)/g, '$1 ');
    const res = await post('/api/public/tips/status', { receipt: grouped });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const view = body(res);
    expect(view).toEqual({ status: 'received', language: 'es', messages: [{ at: expect.any(String), fromTipster: false, body: '¿A qué hora llegan?' }] });
    // Nothing of the staff member, the agency or the tip's internals reaches the tipster.
    expect(JSON.stringify(view)).not.toContain(world.users.analyst.id);
    expect(JSON.stringify(view)).not.toContain(tip.agency_id);
    const read = await env.ctx.db.selectFrom('tip_message').select('read_at').where('id', '=', staffId).executeTakeFirstOrThrow();
    expect(read.read_at).not.toBeNull();
  });

  it('reads linked and referred tips as "under review", closed as "closed", never more', async () => {
    const { receipt, tip } = await fileTestTip(env);
    for (const [status, word] of [['assigned', 'received'], ['under_review', 'under_review'], ['linked', 'under_review'], ['referred', 'under_review'], ['closed', 'closed']] as const) {
      await env.ctx.db.updateTable('tip').set({ status, close_reason: status === 'closed' ? 'duplicate' : null }).where('id', '=', tip.id).execute();
      const view = body(await post('/api/public/tips/status', { receipt }));
      expect(view.status, status).toBe(word);
      expect(JSON.stringify(view)).not.toContain('duplicate');
    }
  });

  it('answers a wrong receipt exactly like a right one with nothing to show, in about the same time', async () => {
    const { receipt } = await fileTestTip(env);
    const wrong = receipt.replace(/.$/, (d) => String((Number(d) + 1) % 10));
    const right = await post('/api/public/tips/status', { receipt });
    const bad = await post('/api/public/tips/status', { receipt: wrong });
    expect(bad.statusCode).toBe(right.statusCode);
    expect(body(bad)).toEqual(body(right));
    expect(body(bad)).toEqual({ status: 'received', language: 'en', messages: [] });

    // Medians of alternating runs: the same lookups either way, so the times agree within noise.
    const time = async (r: string) => {
      const start = process.hrtime.bigint();
      await post('/api/public/tips/status', { receipt: r });
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const rights: number[] = [];
    const wrongs: number[] = [];
    for (let i = 0; i < 30; i++) {
      rights.push(await time(receipt));
      wrongs.push(await time(wrong));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(wrongs) / median(rights);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('writes the tipster’s message with its history entry, an audit row without any address, and notices the queue', async () => {
    const { receipt, tip } = await fileTestTip(env);
    const res = await env.app.inject({ method: 'POST', url: '/api/public/tips/messages', payload: { receipt, body: 'He drives a <b>white van</b>.' }, remoteAddress: '198.51.100.23' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(body(res)).toEqual({ at: expect.any(String) });
    const messages = await env.ctx.db.selectFrom('tip_message').selectAll().where('tip_id', '=', tip.id).execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.from_tipster).toBe(1);
    expect(messages[0]!.body).not.toContain('white van');
    const events = await env.ctx.db.selectFrom('tip_event').select(['kind', 'detail']).where('tip_id', '=', tip.id).where('kind', '=', 'message').execute();
    expect(events).toEqual([{ kind: 'message', detail: JSON.stringify({ direction: 'from_tipster', messageId: messages[0]!.id }) }]);
    const audit = await env.ctx.db.selectFrom('audit_event').selectAll().where('record_id', '=', tip.id).where('action', '=', 'tip.message').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, ip: null, user_agent: null, record_agency_id: tip.agency_id });
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', tip.id).execute();
    expect(notices.map((n) => n.audience).sort()).toEqual(['analyst', 'coordinator']);
    for (const n of notices) {
      expect(n.agency_id).toBe(tip.agency_id);
      expect(n.title).toBe('A tipster replied');
      expect(n.body).not.toContain('white van');
    }
    // The tipster reads their own words back, as text.
    expect(body(await post('/api/public/tips/status', { receipt })).messages).toEqual([{ at: expect.any(String), fromTipster: true, body: 'He drives a <b>white van</b>.' }]);
  });

  it('notices only the person handling the tip once it is assigned', async () => {
    const { receipt, tip } = await fileTestTip(env);
    await env.ctx.db.updateTable('tip').set({ status: 'assigned', assigned_user_id: world.users.officer.id }).where('id', '=', tip.id).execute();
    expect((await post('/api/public/tips/messages', { receipt, body: 'One more thing.' })).statusCode).toBe(201);
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', tip.id).execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ audience: 'user', user_id: world.users.officer.id, agency_id: tip.agency_id });
  });

  it('answers a message under a wrong receipt like any other, and writes nothing', async () => {
    const before = await env.ctx.db.selectFrom('tip_message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await post('/api/public/tips/messages', { receipt: '0000 0000 0000 0000 0000', body: 'Hello?' });
    expect(res.statusCode).toBe(201);
    expect(body(res)).toEqual({ at: expect.any(String) });
    const after = await env.ctx.db.selectFrom('tip_message').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('shows one tipster nothing of another tip: a receipt opens its own conversation only', async () => {
    const a = await fileTestTip(env);
    const b = await fileTestTip(env);
    await insertStaffMessage(env, b.tip, world.users.analyst.id, 'Only for tipster B');
    const view = body(await post('/api/public/tips/status', { receipt: a.receipt }));
    expect(JSON.stringify(view)).not.toContain('tipster B');
  });

  it('refuses bad input with a 400 naming the field', async () => {
    for (const [url, payload, field] of [
      ['/api/public/tips/status', {}, 'receipt'],
      ['/api/public/tips/status', { receipt: '' }, 'receipt'],
      ['/api/public/tips/status', { receipt: 42 }, 'receipt'],
      ['/api/public/tips/status', { receipt: '1'.repeat(101) }, 'receipt'],
      ['/api/public/tips/status', { receipt: '1234', language: 'fr' }, 'language'],
      ['/api/public/tips/messages', { receipt: '1234' }, 'body'],
      ['/api/public/tips/messages', { receipt: '1234', body: 'x'.repeat(4001) }, 'body'],
      ['/api/public/tips/messages', { receipt: '1234', body: 'bad\u0000byte' }, 'body'],
    ] as const) {
      const res = await post(url, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(body(res).error.field, JSON.stringify(payload)).toBe(field);
    }
    const junk = await env.app.inject({ method: 'POST', url: '/api/public/tips/status', headers: { 'content-type': 'application/json' }, payload: '{"receipt":' });
    expect(junk.statusCode).toBe(400);
    expect(body(junk).error.field).toBe('body');
  });
});

describeEachDatabase('the tipster’s rate limit', (backend) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv(backend, { env: { LANTERN_RATE_LIMIT: 'on' } });
    await seedWorld(env);
  });
  afterAll(() => env.close());

  it('limits lookups per keyed address hash, says when to try again, and stores no address', async () => {
    const ask = (ip: string) => env.app.inject({ method: 'POST', url: '/api/public/tips/status', payload: { receipt: '1111 2222 3333 4444 5555' }, remoteAddress: ip });
    for (let i = 0; i < TIPSTER_LIMITS.lookup.max; i++) expect((await ask('192.0.2.77')).statusCode).toBe(200);
    const limited = await ask('192.0.2.77');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(body(limited).error.code).toBe('rate_limited');
    // Another address is not held back by the first.
    expect((await ask('192.0.2.78')).statusCode).toBe(200);
    const keys = await env.ctx.db.selectFrom('rate_limit').select('key').execute();
    expect(keys.some((k) => k.key.startsWith('tipster:lookup:'))).toBe(true);
    for (const k of keys) expect(k.key).not.toContain('192.0.2');
  });

  it('tells a tipster on the status page, in their language, when to try again', async () => {
    const ask = () =>
      env.app.inject({ method: 'POST', url: '/tip/status?lang=es', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'receipt=1111+2222', remoteAddress: '192.0.2.90' });
    for (let i = 0; i < TIPSTER_LIMITS.lookup.max; i++) expect((await ask()).statusCode).toBe(200);
    const limited = await ask();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('Inténtelo de nuevo en');
  });
});

describeEachDatabase('the tipster’s messages, at the same moment', (backend) => {
  let env: TestEnv;
  const rounds = roundsFor(backend, 5);
  const together = 6;
  beforeAll(async () => {
    env = await startRaceEnv(backend, together);
    await seedWorld(env);
  });
  afterAll(() => env.close());

  it('keeps every message, one history entry and one audit row each, and one notice per audience', async () => {
    for (let round = 0; round < rounds; round++) {
      const { receipt, tip } = await fileTestTip(env);
      const results = await fireTogether(
        Array.from({ length: together }, (_, i) => () => env.app.inject({ method: 'POST', url: '/api/public/tips/messages', payload: { receipt, body: `message ${i}` } })),
      );
      expect(results.map((r) => r.statusCode)).toEqual(Array(together).fill(201));
      const n = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await q.executeTakeFirstOrThrow()).n);
      const db = env.ctx.db;
      expect(await n(db.selectFrom('tip_message').select((eb) => eb.fn.countAll<number>().as('n')).where('tip_id', '=', tip.id))).toBe(together);
      expect(await n(db.selectFrom('tip_event').select((eb) => eb.fn.countAll<number>().as('n')).where('tip_id', '=', tip.id).where('kind', '=', 'message'))).toBe(together);
      expect(await n(db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('record_id', '=', tip.id).where('action', '=', 'tip.message'))).toBe(together);
      // Repeated replies refresh one notice per audience rather than piling up.
      expect(await n(db.selectFrom('inbox_item').select((eb) => eb.fn.countAll<number>().as('n')).where('record_id', '=', tip.id))).toBe(2);
    }
  });
});
