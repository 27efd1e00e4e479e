import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestEnv, body, type TestEnv } from '../../test/harness.ts';
import { auditRows, seedWorld, sessionCache, type World } from '../../test/fixtures.ts';
import type { SignedIn } from '../../test/operations-fixtures.ts';
import { clientFromReferral, releaseInput } from './clients.test-support.ts';

/** The PDF's text, as poppler's pdftotext reads it (what a screen reader or a copy would get). */
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

describeEachDatabase('the client’s printout of their releases (issue #12, item 2)', (backend) => {
  let env: TestEnv;
  let world: World;
  let signedIn: SignedIn;
  let clientId: string;

  beforeAll(async () => {
    env = await startTestEnv(backend);
    world = await seedWorld(env);
    signedIn = sessionCache(env);
    const advocate = await signedIn(world.users.advocate);
    clientId = (await clientFromReferral(signedIn, world)).id;
    const kept = body(await advocate.post(`/api/clients/${clientId}/releases`, releaseInput(world.agencies.lead, { purpose: 'Victim-witness coordination' })));
    expect((await advocate.post(`/api/releases/${kept.id}/shares`, {})).statusCode).toBe(201);
    const revoked = body(await advocate.post(`/api/clients/${clientId}/releases`, releaseInput(world.agencies.partner, { scopes: ['contact_details', 'statement'], purpose: 'Follow-up interview' })));
    expect((await advocate.post(`/api/releases/${revoked.id}/shares`, { scopes: ['contact_details'] })).statusCode).toBe(201);
    expect((await advocate.post(`/api/releases/${revoked.id}/revoke`, { method: 'written' })).statusCode).toBe(200);
  });
  afterAll(() => env.close());

  it('lists every release and every share under it, in English', async () => {
    const res = await (await signedIn(world.users.advocate)).get(`/api/clients/${clientId}/releases/printout.pdf?lang=en`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.toString('latin1')).toMatch(/\/Lang \(en-US\)/);
    const text = pdfText(res.rawPayload);
    const today = env.clock.now().toISOString().slice(0, 10);
    for (const s of [
      'Your releases of information',
      'for Rosa',
      'Release 1: to Lead Police Department',
      'What may be shared: Service status only',
      'Purpose: Victim-witness coordination',
      'Status: In effect',
      'Release 2: to Partner Highway Patrol',
      'What may be shared: Contact details; Statement',
      'Status: Revoked',
      `Revoked on: ${today}`,
      'How it was revoked: In writing',
      'Service status only',
    ]) {
      expect(text).toContain(s);
    }
    // Each release's shares: the first shared its one scope, the second only the contact details.
    expect(text.match(/Shared under this release/g)).toHaveLength(2);
    expect(text).toMatch(new RegExp(`${today}\\s+Contact details`));
    expect(text).not.toContain('555');
    expect(text).toMatch(/Page 1 of \d/);

    const [audit] = await auditRows(env, 'client.read', clientId);
    expect(JSON.parse(audit!.detail)).toEqual({ printout: 'releases', lang: 'en', releases: 2 });
    expect(audit!.actor_user_id).toBe(world.users.advocate.id);
  });

  it('in Spanish, with the scopes’ Spanish labels', async () => {
    const res = await (await signedIn(world.users.advocate)).get(`/api/clients/${clientId}/releases/printout.pdf?lang=es`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.toString('latin1')).toMatch(/\/Lang \(es-US\)/);
    const text = pdfText(res.rawPayload);
    for (const s of ['Sus autorizaciones para compartir información', 'Autorización 1: para Lead Police Department', 'Solo el estado de los servicios', 'Datos de contacto; Declaración', 'Estado: Revocada', 'Cómo se revocó: Por escrito']) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('Service status only');
    // The footer too is in Spanish (server/lib/pdf.ts `pageFooters`).
    expect(text).toMatch(/Página 1 de \d/);
    expect(text).not.toMatch(/Page \d/);
  });

  it('is the case team’s only: 404 for the recipient, other agencies and an unknown id; 400 for another language', async () => {
    const unknown = await (await signedIn(world.users.advocate)).get('/api/clients/00000000-0000-7000-8000-000000000000/releases/printout.pdf');
    expect(unknown.statusCode).toBe(404);
    for (const user of [world.users.coordinator, world.users.officer, world.users.partnerOfficer, world.users.caseworker]) {
      const res = await (await signedIn(user)).get(`/api/clients/${clientId}/releases/printout.pdf?lang=en`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual(unknown.json().error);
    }
    const fr = await (await signedIn(world.users.advocate)).get(`/api/clients/${clientId}/releases/printout.pdf?lang=fr`);
    expect(fr.statusCode).toBe(400);
    expect(fr.json().error.field).toBe('lang');
  });
});
