import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, type TestEnv } from '../../test/harness.ts';
import { seedWorld, type World } from '../../test/fixtures.ts';
import { receiptHash } from './tips.tipster.intake.ts';
import { fileTestTip, insertStaffMessage } from './tips.tipster.fixtures.ts';

/**
 * Issue #10, items 1 and 3, the public pages: the tip form works without JavaScript, in English and
 * Spanish, 911 first, no cookie and nothing from another site; errors come back beside their fields with
 * the tipster's words kept, and every field is shown escaped; the receipt is shown once, never in a URL;
 * /tip/status reads the status and the conversation and takes an answer.
 */

const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
  return p.toString();
};

/** Every address a page points at or loads from: src, href and form actions. */
const addresses = (page: string) => [...page.matchAll(/\s(?:src|href|action)="([^"]*)"/g)].map((m) => m[1]!);

const HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

describeEachDatabase('the public tip pages', (backend) => {
  let env: TestEnv;
  let world: World;
  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
  });
  afterAll(() => env.close());

  const get = (url: string) => env.app.inject({ method: 'GET', url });
  const postForm = (url: string, fields: Record<string, string | string[]>) =>
    env.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });

  it('serves the form at /tip and /tips: 911 first, no cookie, nothing from another site, the privacy words and the receipt warning', async () => {
    for (const url of ['/tip', '/tips']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['set-cookie'], url).toBeUndefined();
      const page = res.body;
      expect(page).toContain('<h1>Report a tip</h1>');
      // The first link past "skip to main content" calls 911; the page's own content opens with "Call 911 now".
      const links = addresses(page.slice(page.indexOf('<body>'))).filter((a) => a !== '#main-content');
      expect(links[0]).toBe('tel:911');
      const main = page.slice(page.indexOf('<main'));
      expect(main.indexOf('href="tel:911"')).toBeLessThan(main.indexOf('<h1>'));
      expect(main).toContain('Call 911 now');
      for (const a of addresses(page)) expect(a, a).toMatch(/^(\/(?!\/)|#|tel:|sms:|data:)/);
      expect(page).toContain('<script src="/tip/form.js" defer></script>');
      expect(page).toContain('No cookies');
      expect(page).toContain('We do not store your IP address');
      expect(page).toContain('A lost receipt cannot be recovered');
      expect(page).toContain('method="post" action="/tip"');
      for (const name of ['narrative', 'address', 'city', 'zip', 'county', 'when', 'people', 'vehicles', 'phones', 'emails', 'online', 'businesses', 'minorInvolved', 'immediateDanger', 'contactName', 'contactPhone', 'contactEmail', 'safeMethod', 'safeTimes']) {
        expect(page, name).toContain(`name="${name}"`);
      }
    }
  });

  it('speaks Spanish with ?lang=es, and the form posts back in Spanish', async () => {
    for (const url of ['/tip?lang=es', '/tips?lang=es']) {
      const page = (await get(url)).body;
      expect(page).toContain('<html lang="es">');
      expect(page).toContain('<h1>Enviar información</h1>');
      expect(page).toContain('Llame al 911 ahora');
      expect(page).toContain('Un recibo perdido no se puede recuperar');
      expect(page).toContain('action="/tip?lang=es"');
      expect(page).toContain('Alguien está en peligro ahora mismo');
    }
    const res = await postForm('/tip?lang=es', { narrative: '', language: 'es' });
    expect(res.statusCode).toBe(400);
    // No message of the catalog is missing: a page would show its raw key.
    for (const page of [res.body, (await get('/tip/status?lang=es')).body, (await postForm('/tip/status?lang=es', { receipt: '1234' })).body]) {
      expect(page).not.toMatch(/tip\.[a-zA-Z]+(\.[a-zA-Z_]+)*(?=[<"])/);
    }
    expect(res.body).toContain('Hay un problema');
    expect(res.body).toContain('Cuéntenos qué pasó.');
  });

  it('serves its script from this site', async () => {
    const res = await get('/tip/form.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.body).toContain('/api/public/tips/challenge');
    expect(res.body).toContain("crypto.subtle.digest");
    expect(res.body).not.toMatch(/https?:\/\//);
  });

  it('sends the form back with each error beside its field, a summary linking to them, and the tipster’s words kept', async () => {
    const res = await postForm('/tip', {
      narrative: '',
      city: 'Oak Grove',
      zip: '640',
      phones: Array.from({ length: 21 }, (_, i) => `816-555-01${String(i).padStart(2, '0')}`).join('\n'),
      immediateDanger: 'yes',
      safeMethod: 'carrier pigeon',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    const page = res.body;
    expect(page).toContain('There is a problem');
    for (const [field, message] of [
      ['narrative', 'Tell us what happened.'],
      ['zip', 'Enter a five-digit ZIP code, or leave it empty.'],
      ['phones', 'Give at most 20 lines.'],
      ['safeMethod', 'Choose one of the options.'],
    ] as const) {
      expect(page, field).toContain(`href="#tip-${field}"`);
      // The message sits in the field's own group, between its label and its control, named by aria-describedby.
      const group = new RegExp(`<div class="usa-form-group usa-form-group--error">\\s*<label class="usa-label usa-label--error" for="tip-${field}">[^<]*</label>[\\s\\S]*?<span class="usa-error-message" id="tip-${field}-error" role="alert">${message.replace('.', '\\.')}</span>[\\s\\S]*?id="tip-${field}"`);
      expect(page, field).toMatch(group);
      expect(page, field).toMatch(new RegExp(`aria-describedby="[^"]*tip-${field}-error"`));
    }
    expect(page).toContain('value="Oak Grove"');
    expect(page).toContain('816-555-0120</textarea>');
    // Someone is in danger: the 911 panel is shown without waiting for a script.
    expect(page).toMatch(/id="tip-danger-now">/);
    expect(page).toMatch(/name="immediateDanger" value="yes" checked/);
    expect(await env.ctx.db.selectFrom('tip').select('id').execute()).toHaveLength(0);
  });

  it('asks for the county among the ZIP code’s own when the county is in question', async () => {
    const res = await postForm('/tip?lang=es', { narrative: 'Algo pasa en la granja.', zip: '64075', countyFips: '9' });
    expect(res.statusCode).toBe(400);
    const select = /<select class="usa-select usa-input--error" id="tip-countyFips" name="countyFips"[^>]*>([\s\S]*?)<\/select>/.exec(res.body);
    expect(select?.[1]).toContain('<option value="29095">Jackson</option>');
    expect(select?.[1]).toContain('<option value="29107">Lafayette</option>');
    expect(select?.[1]?.match(/<option value="\d+"/g)).toHaveLength(2);
    expect(res.body).toContain('id="tip-countyFips-error" role="alert">Elija el condado.</span>');
    expect(res.body).toContain('href="#tip-countyFips"');
  });

  it('shows HTML and script typed into any field as text, on the form and on the status page', async () => {
    const fields = ['narrative', 'address', 'city', 'zip', 'county', 'when', 'people', 'vehicles', 'phones', 'emails', 'online', 'businesses', 'contactName', 'contactPhone', 'contactEmail', 'safeTimes'];
    const res = await postForm('/tip', { ...Object.fromEntries(fields.map((f) => [f, HOSTILE])), narrative: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('<img src=x');
    expect(res.body.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1).toBeGreaterThanOrEqual(fields.length - 1);

    const { receipt, tip } = await fileTestTip(env, { narrative: HOSTILE });
    await insertStaffMessage(env, tip, world.users.analyst.id, HOSTILE);
    const sent = await postForm('/tip/status/message', { receipt, message: HOSTILE });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).not.toContain('<script>alert');
    expect(sent.body).not.toContain('<img src=x');
    expect(sent.body.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1).toBe(2);
  });

  it('files a tip from the form and shows the receipt once, grouped in fours, never in an address, never cached', async () => {
    const res = await postForm('/tip?lang=es', { narrative: 'Un hombre vigila a las trabajadoras.', zip: '64075', phones: '816 555 0199\n\n(816) 555-0142\n', immediateDanger: 'yes', language: 'es', altcha: '' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    const receipt = /data-receipt="(\d+)"/.exec(res.body)?.[1];
    expect(receipt).toMatch(/^\d{20}$/);
    expect(res.body).toContain(`<span>${receipt!.slice(0, 4)}</span> <span>${receipt!.slice(4, 8)}</span>`);
    expect(res.body).toContain('Su información fue enviada');
    expect(res.body).toContain('no se puede recuperar');
    for (const a of addresses(res.body)) expect(a).not.toContain(receipt!.slice(0, 8));
    // Danger was reported: 911 comes first on the result page too.
    const main = res.body.slice(res.body.indexOf('<main'));
    expect(main.indexOf('href="tel:911"')).toBeLessThan(main.indexOf('<h1>'));
    expect(main).toContain('Usted indicó que alguien está en peligro ahora mismo');
    const tip = await env.ctx.db.selectFrom('tip').selectAll().where('receipt_hash', '=', receiptHash(env.ctx, receipt!)).executeTakeFirstOrThrow();
    expect(tip).toMatchObject({ language: 'es', immediate_danger: 1, zip: '64075', source: 'web' });
  });

  it('reads the status and the conversation by receipt, and takes the tipster’s answer', async () => {
    const { receipt, tip } = await fileTestTip(env, { language: 'es' });
    await insertStaffMessage(env, tip, world.users.analyst.id, '¿De qué color es la camioneta?');

    const start = await get('/tip/status?lang=es');
    expect(start.statusCode).toBe(200);
    expect(start.headers['cache-control']).toBe('no-store');
    expect(start.body).toContain('method="post" action="/tip/status?lang=es"');

    const shown = await postForm('/tip/status?lang=es', { receipt: receipt.replace(/(\d{4})(?=\d)/g, '$1 ') });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['set-cookie']).toBeUndefined();
    expect(shown.body).toContain('Recibida');
    expect(shown.body).toContain('<strong>Investigador</strong>');
    expect(shown.body).toContain('¿De qué color es la camioneta?');
    expect(shown.body).not.toContain(world.users.analyst.email);
    // The next post carries the receipt in a hidden field, never in the address.
    expect(shown.body).toContain('action="/tip/status/message?lang=es"');
    expect(shown.body).toMatch(/<input type="hidden" name="receipt" value="[\d ]+">/);

    const answered = await postForm('/tip/status/message?lang=es', { receipt, message: 'Blanca, con placas de Kansas.' });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('Su mensaje fue enviado.');
    expect(answered.body).toContain('<strong>Usted</strong>');
    expect(answered.body).toContain('Blanca, con placas de Kansas.');
    const rows = await env.ctx.db.selectFrom('tip_message').select(['from_tipster']).where('tip_id', '=', tip.id).orderBy('at').execute();
    expect(rows.map((r) => r.from_tipster)).toEqual([0, 1]);

    await env.ctx.db.updateTable('tip').set({ status: 'under_review' }).where('id', '=', tip.id).execute();
    expect((await postForm('/tip/status', { receipt })).body).toContain('Under review');
  });

  it('asks again for an empty receipt or an empty message, the error beside the field', async () => {
    const empty = await postForm('/tip/status', { receipt: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="tip-receipt-error" role="alert">Enter your receipt.</span>');
    const { receipt } = await fileTestTip(env);
    const noMessage = await postForm('/tip/status/message', { receipt, message: ' ' });
    expect(noMessage.statusCode).toBe(400);
    expect(noMessage.body).toContain('id="tip-message-error" role="alert">Write your message first.</span>');
  });

  it('answers any form body with a page, never a server error, and files a tip exactly when it shows a receipt', async () => {
    const { receipt } = await fileTestTip(env);
    const names = ['narrative', 'zip', 'city', 'county', 'countyFips', 'phones', 'emails', 'minorInvolved', 'immediateDanger', 'safeMethod', 'contactEmail', 'language', 'altcha', 'receipt', 'message', '__proto__', 'constructor'];
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('yes', '64075', '640', '29095', receipt, 'es', '\u0000', '%', '<script>x</script>'), fc.string({ unit: 'binary', maxLength: 20 }));
    const body = fc.oneof(
      fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
      fc.string({ maxLength: 60 }),
    );
    const count = async () => Number((await env.ctx.db.selectFrom('tip').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/tip', '/tips?lang=es', '/tip/status', '/tip/status/message'), body, async (url, payload) => {
        const before = await count();
        const res = await env.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
        expect([200, 400], `${url} ${payload} → ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['set-cookie']).toBeUndefined();
        const filed = url.startsWith('/tip') && !url.startsWith('/tip/status') && res.statusCode === 200;
        expect(await count(), `${url} ${payload}`).toBe(before + (filed ? 1 : 0));
      }),
      { numRuns: 150 },
    );
  });

  it('answers a wrong receipt like a right one with nothing to show', async () => {
    const { receipt } = await fileTestTip(env);
    const wrong = receipt.replace(/^./, (d) => String((Number(d) + 1) % 10));
    const right = await postForm('/tip/status', { receipt });
    const bad = await postForm('/tip/status', { receipt: wrong });
    expect(bad.statusCode).toBe(right.statusCode);
    const strip = (page: string) => page.replace(/name="receipt" value="[^"]*"/, '');
    expect(strip(bad.body)).toBe(strip(right.body));
  });
});
