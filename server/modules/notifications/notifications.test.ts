import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { body, describeEachDatabase, openSecondContext, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { auditRows, insertUser, seedWorld, sessionCache, signIn, type TestUser, type World } from '../../test/fixtures.ts';
import { activeOperation, handOff, minor, recordContact, type SignedIn } from '../../test/operations-fixtures.ts';
import { fireTogether } from '../../test/race.ts';
import { loadConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { notify } from '../inbox/inbox.service.ts';
import { DIGEST_SUBJECT, NOTICE_SUBJECT, smtpMailer, type Mailer } from './mailer.ts';
import { dispatchEmails, lastDigestMoment, MAX_ATTEMPTS, startEmailDispatch } from './notifications.dispatch.ts';
import { startSmtpCapture, type CapturedEmail, type SmtpCapture } from './smtp-capture.test-support.ts';

const PUBLIC_URL = 'https://lantern.example.gov';
const HOUR = 60 * 60_000;

describe('email configuration', () => {
  it('is off unless LANTERN_SMTP_URL is set, needs a sender with it, and never echoes the URL', () => {
    expect(loadConfig({}).smtpUrl).toBeUndefined();
    expect(() => loadConfig({ LANTERN_SMTP_URL: 'smtp://mail.example.gov:587' })).toThrow(/LANTERN_MAIL_FROM: is required/);
    let message = '';
    try {
      loadConfig({ LANTERN_SMTP_URL: 'http://user:s3cret@mail.example.gov', LANTERN_MAIL_FROM: 'lantern@example.gov' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/LANTERN_SMTP_URL=\(hidden\): must be an smtp:\/\//);
    expect(message).not.toContain('s3cret');
    const c = loadConfig({ LANTERN_SMTP_URL: 'smtps://u:p@mail.example.gov:465', LANTERN_MAIL_FROM: 'Lantern <lantern@example.gov>' });
    expect(c).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.gov:465', mailFrom: 'Lantern <lantern@example.gov>' });
  });

  it('sends the daily digest at 7:00 in the task force’s time zone, across daylight saving time', () => {
    expect(lastDigestMoment(new Date('2026-01-15T15:00:00Z'), 'America/Chicago').toISOString()).toBe('2026-01-15T13:00:00.000Z');
    expect(lastDigestMoment(new Date('2026-01-15T12:59:00Z'), 'America/Chicago').toISOString()).toBe('2026-01-14T13:00:00.000Z');
    expect(lastDigestMoment(new Date('2026-07-15T12:30:00Z'), 'America/Chicago').toISOString()).toBe('2026-07-15T12:00:00.000Z');
  });
});

describeEachDatabase('email notification', (backend) => {
  let env: TestEnv;
  let world: World;
  let smtp: SmtpCapture;
  let mailer: Mailer;
  let signedIn: SignedIn;
  let op: { id: string; name: string };
  let cookies: Map<string, string>;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    env = await startTestEnv(backend, { env: { LANTERN_SMTP_URL: smtp.url, LANTERN_MAIL_FROM: 'Lantern <lantern@example.gov>', LANTERN_PUBLIC_URL: PUBLIC_URL, LANTERN_DB_POOL: '8' } });
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    cookies = new Map();
    mailer = smtpMailer(env.ctx.config)!;
    op = await activeOperation(signedIn, world);
  });
  afterAll(async () => {
    mailer.close();
    await env.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    // Tests move the clock a day on: everyone signs in afresh.
    signedIn = sessionCache(env);
    cookies.clear();
  });

  const dispatch = (ctx: AppContext = env.ctx) => dispatchEmails(ctx, mailer);
  const to = (user: TestUser, messages: CapturedEmail[] = smtp.messages) => messages.filter((m) => m.to.includes(user.email));
  const cookieOf = async (user: TestUser) => {
    if (!cookies.has(user.id)) cookies.set(user.id, await signIn(env, user));
    return cookies.get(user.id)!;
  };
  const putPreferences = async (user: TestUser, payload: unknown) =>
    env.app.inject({ method: 'PUT', url: '/api/me/notification-preferences', headers: { cookie: await cookieOf(user) }, payload: payload as object });
  const getPreferences = async (user: TestUser) => env.app.inject({ method: 'GET', url: '/api/me/notification-preferences', headers: { cookie: await cookieOf(user) } });
  /** No email may carry what the notice is about: names, places, agencies, operations, numbers. */
  const expectNoCaseContent = (m: CapturedEmail, words: string[]) => {
    for (const w of words) expect(`${m.subject}\n${m.text}`).not.toContain(w);
    expect(m.text.replace(/https?:\/\/\S+/g, '')).not.toMatch(/\d/);
  };
  const draftAndApproveAsPio = async () => {
    const pio = await signedIn(world.users.pio);
    const draft = await pio.post(`/api/operations/${op.id}/press-releases`, {});
    expect(draft.statusCode, draft.body).toBe(201);
    const approved = await pio.post(`/api/press-releases/${body(draft).id}/approve`, { as: 'pio' });
    expect(approved.statusCode, approved.body).toBe(200);
    return body(draft) as { id: string; en: { title: string } };
  };

  it('a custody hand-off emails the receiving caseworkers “You have a notice in Lantern” and a link, with no case content', async () => {
    const c = await recordContact(await signedIn(world.users.officer), op.id, minor({ name: 'Lily Childname', dob: '2023-02-02' }));
    const takenAt = new Date(env.clock.now().getTime() - HOUR).toISOString();
    const res = await (await signedIn(world.users.officer)).post(`/api/contacts/${c.id}/custody`, handOff(world, takenAt, { reason: 'other', reasonDetail: 'Found alone in room 12' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(await dispatch()).toMatchObject({ sent: 1, failed: 0 });
    const [mail] = to(world.users.caseworker);
    expect(mail).toBeDefined();
    expect(mail!.from).toBe('lantern@example.gov');
    expect(mail!.subject).toBe(NOTICE_SUBJECT);
    expect(mail!.text).toContain(`${PUBLIC_URL}/inbox`);
    expect(mail!.text).toContain(`${PUBLIC_URL}/account#notifications`);
    expect(mail!.text).toContain('Custody deadline emails cannot be turned off.');
    expectNoCaseContent(mail!, ['Lily', 'Childname', 'room 12', op.name, 'Lead Police', "Children's Division", 'Person']);
    // Only the caseworkers of the receiving agency: the notice's audience.
    expect(smtp.messages.map((m) => m.to).flat()).toEqual([world.users.caseworker.email]);
    // Sent once: the next pass finds nothing new.
    expect(await dispatch()).toMatchObject({ scanned: 0, sent: 0 });
    const row = await env.ctx.db.selectFrom('email_delivery').selectAll().where('user_id', '=', world.users.caseworker.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 0 });

    // RSMo 210.125.2: the statement countdown escalates to the officer and the lead's coordinators.
    env.clock.advance(10 * HOUR);
    const { checkCustodyDeadlines } = await import('../custody/custody.service.ts');
    expect(await checkCustodyDeadlines(env.ctx)).toBeGreaterThan(0);
    await dispatch();
    expect(to(world.users.officer)).toHaveLength(1);
    expect(to(world.users.coordinator)).toHaveLength(1);
    expect(to(world.users.officer)[0]!.text).toContain('time-critical');
    for (const m of smtp.messages) expectNoCaseContent(m, ['Lily', op.name]);
  });

  it('a PIO’s approval emails the lead coordinators that a release awaits their approval; the second approval emails the PIO', async () => {
    const release = await draftAndApproveAsPio();
    const notice = await env.ctx.db.selectFrom('inbox_item').selectAll().where('record_id', '=', release.id).executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ kind: 'pressRelease.awaitingApproval', agency_id: world.agencies.lead, audience: 'coordinator' });
    await dispatch();
    expect(to(world.users.coordinator)).toHaveLength(1);
    expect(to(world.users.pio)).toHaveLength(0);
    expectNoCaseContent(to(world.users.coordinator)[0]!, [op.name, release.en.title]);

    smtp.messages.length = 0;
    const approved = await (await signedIn(world.users.coordinator)).post(`/api/press-releases/${release.id}/approve`, { as: 'coordinator' });
    expect(approved.statusCode, approved.body).toBe(200);
    await dispatch();
    expect(to(world.users.pio)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);

    // Item 7: the approval it asked for is given, so the coordinators' notice is done, not waiting unread.
    const inbox = await (await signedIn(world.users.coordinator)).get('/api/inbox');
    const asked = (body(inbox) as { items: { kind: string; recordId: string; read: boolean }[] }).items.find((i) => i.kind === 'pressRelease.awaitingApproval' && i.recordId === release.id);
    expect(asked).toMatchObject({ read: true });
  });

  it('preferences: defaults, validation beside the field, each person’s own, audited', async () => {
    const analyst = world.users.analyst;
    expect(body(await getPreferences(analyst))).toEqual({
      emailConfigured: true,
      address: analyst.email,
      email: { custody: true, deconfliction: true, pressReleases: true, account: true },
      delivery: 'immediate',
    });
    const refusedCustody = await putPreferences(analyst, { email: { custody: false, deconfliction: true, pressReleases: true, account: true }, delivery: 'immediate' });
    expect(refusedCustody.statusCode).toBe(400);
    expect(body(refusedCustody).error).toMatchObject({ code: 'invalid', field: 'email.custody' });
    expect(body(refusedCustody).error.message).toMatch(/cannot be turned off/);
    const refusedDelivery = await putPreferences(analyst, { email: { deconfliction: true, pressReleases: true, account: true }, delivery: 'weekly' });
    expect(body(refusedDelivery).error).toMatchObject({ code: 'invalid', field: 'delivery' });
    const saved = await putPreferences(analyst, { email: { deconfliction: false, pressReleases: true, account: true }, delivery: 'digest' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(body(saved)).toMatchObject({ email: { custody: true, deconfliction: false }, delivery: 'digest' });
    // Another person's choices are untouched (there is no way to name anyone else).
    expect(body(await getPreferences(world.users.partnerAnalyst))).toMatchObject({ email: { deconfliction: true }, delivery: 'immediate' });
    const [audit] = await auditRows(env, 'notifications.update', analyst.id);
    expect(audit).toMatchObject({ actor_user_id: analyst.id, record_agency_id: world.agencies.lead });
    expect(JSON.parse(audit!.changed_fields)).toEqual(['email.deconfliction', 'delivery']);
  });

  it('a group turned off sends nothing (the delivery is recorded as off); custody emails still go', async () => {
    const coordinator2 = await insertUser(env, world.agencies.lead, ['coordinator']);
    const off = await putPreferences(coordinator2, { email: { deconfliction: true, pressReleases: false, account: true }, delivery: 'immediate' });
    expect(off.statusCode, off.body).toBe(200);
    const release = await draftAndApproveAsPio();
    await dispatch();
    expect(to(coordinator2)).toHaveLength(0);
    expect(to(world.users.coordinator)).toHaveLength(1);
    const notice = await env.ctx.db.selectFrom('inbox_item').select('id').where('record_id', '=', release.id).executeTakeFirstOrThrow();
    const row = await env.ctx.db.selectFrom('email_delivery').selectAll().where('item_id', '=', notice.id).where('user_id', '=', coordinator2.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('off');
    await notify(env.ctx.db, env.ctx, { agencyId: world.agencies.lead, audience: { userId: coordinator2.id }, kind: 'custody.deadline.2h', title: 't', body: 'b' });
    await dispatch();
    expect(to(coordinator2)).toHaveLength(1);
  });

  it('the digest sends one email a day for all the notices, none while they wait, and none for notices already read', async () => {
    const pio2 = await insertUser(env, world.agencies.lead, ['pio']);
    expect((await putPreferences(pio2, { email: { deconfliction: true, pressReleases: true, account: true }, delivery: 'digest' })).statusCode).toBe(200);
    for (const n of [1, 2, 3]) {
      await notify(env.ctx.db, env.ctx, { agencyId: world.agencies.lead, audience: { userId: pio2.id }, kind: 'pressRelease.approved', title: `t${n}`, body: 'b' });
    }
    await dispatch();
    expect(to(pio2)).toHaveLength(0);
    env.clock.advance(24 * HOUR);
    await dispatch();
    const digest = to(pio2);
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toBe(DIGEST_SUBJECT);
    expectNoCaseContent(digest[0]!, ['t1', 't2']);
    await dispatch();
    expect(to(pio2)).toHaveLength(1);

    // Read in the app before the digest: nothing to tell.
    smtp.messages.length = 0;
    await notify(env.ctx.db, env.ctx, { agencyId: world.agencies.lead, audience: { userId: pio2.id }, kind: 'pressRelease.approved', title: 'read', body: 'b' });
    await dispatch();
    const item = await env.ctx.db.selectFrom('inbox_item').select('id').where('title', '=', 'read').executeTakeFirstOrThrow();
    const pioClient = await signIn(env, pio2);
    expect((await env.app.inject({ method: 'POST', url: `/api/inbox/${item.id}/read`, headers: { cookie: pioClient } })).statusCode).toBe(200);
    env.clock.advance(24 * HOUR);
    await dispatch();
    expect(to(pio2)).toHaveLength(0);
  });

  it('an account locked by failed sign-ins emails its agency’s administrators and the person, telling them it is locked', async () => {
    const victim = await insertUser(env, world.agencies.partner, ['officer']);
    for (let i = 0; i < 5; i++) {
      await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: victim.email, password: 'wrong-password-guess' } });
    }
    const notices = await env.ctx.db.selectFrom('inbox_item').selectAll().where('kind', '=', 'account.locked').where('record_id', '=', victim.id).execute();
    expect(notices.map((n) => n.audience).sort()).toEqual(['admin', 'user']);
    await dispatch();
    expect(to(world.users.partnerAdmin)).toHaveLength(1);
    expect(to(world.users.partnerAdmin)[0]!.subject).toBe(NOTICE_SUBJECT);
    expect(to(victim)).toHaveLength(1);
    expect(to(victim)[0]!.text).toContain('Your Lantern account was locked');
    expect(to(world.users.leadAdmin)).toHaveLength(0);
  });

  it('a mail server that refuses: each email is tried again on the next passes, then left as failed; the notice stays in the inbox', async () => {
    const refused = smtpMailer({ smtpUrl: 'smtp://127.0.0.1:1?ignoreTLS=true&connectionTimeout=2000', mailFrom: 'lantern@example.gov' })!;
    const person = await insertUser(env, world.agencies.advocates, ['advocate']);
    await notify(env.ctx.db, env.ctx, { agencyId: world.agencies.advocates, audience: { userId: person.id }, kind: 'custody.handoff', title: 't', body: 'b' });
    const where = () => env.ctx.db.selectFrom('email_delivery').selectAll().where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect(await dispatchEmails(env.ctx, refused)).toMatchObject({ sent: 0, failed: 1 });
    expect(await where()).toMatchObject({ status: 'pending', attempts: 1, claim: null });
    expect((await where()).error).toMatch(/ECONNREFUSED|connect/i);
    for (let i = 2; i <= MAX_ATTEMPTS; i++) await dispatchEmails(env.ctx, refused);
    expect(await where()).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(await dispatchEmails(env.ctx, refused)).toMatchObject({ failed: 0 });
    refused.close();
  });

  it('two dispatchers at once send each email once (two processes on PostgreSQL; one process on SQLite, its one writer)', async () => {
    const second = backend === 'postgres' ? await openSecondContext(env) : env.ctx;
    const secondMailer = smtpMailer(second.config)!;
    try {
      for (let round = 0; round < (backend === 'postgres' ? 8 : 2); round++) {
        smtp.messages.length = 0;
        const people = await Promise.all([1, 2, 3].map(() => insertUser(env, world.agencies.advocates, ['advocate'])));
        for (const p of people) {
          for (const kind of ['custody.handoff', 'custody.deadline.overdue']) {
            await notify(env.ctx.db, env.ctx, { agencyId: world.agencies.advocates, audience: { userId: p.id }, kind, title: 't', body: 'b' });
          }
        }
        const results = await fireTogether([() => dispatchEmails(env.ctx, mailer), () => dispatchEmails(second, secondMailer), () => dispatchEmails(second, secondMailer)]);
        expect(results.reduce((n, r) => n + r.sent, 0)).toBe(6);
        for (const p of people) expect(to(p)).toHaveLength(2);
        expect(smtp.messages).toHaveLength(6);
      }
    } finally {
      secondMailer.close();
      if (second !== env.ctx) await second.database.close();
    }
  });

  it('the running dispatcher sends soon after a request files a notice, without waiting for its timer', async () => {
    const dispatcher = startEmailDispatch(env.ctx, { everyMs: 3_600_000, mailer })!;
    try {
      const before = smtp.messages.length;
      await draftAndApproveAsPio();
      await smtp.waitFor(before + 1);
      await dispatcher.idle();
      expect(to(world.users.coordinator).length).toBeGreaterThanOrEqual(1);
    } finally {
      dispatcher.stop();
      mailer = smtpMailer(env.ctx.config)!;
    }
  });
});
