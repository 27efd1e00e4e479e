import { expect } from 'vitest';
import { body } from '../../test/harness.ts';
import type { World } from '../../test/fixtures.ts';
import { activeOperation, adultVictim, recordContact, referral, type SignedIn } from '../../test/operations-fixtures.ts';

/**
 * The scene of the compartment's tests (issue #12): an adult potential victim recorded by the world's
 * officer, referred to the world's advocates, accepted, and opened as a client by the advocate.
 */
export async function acceptedReferral(signedIn: SignedIn, world: World, over: Record<string, unknown> = {}) {
  const op = await activeOperation(signedIn, world);
  const contact = await recordContact(await signedIn(world.users.officer), op.id, adultVictim({ name: 'Rosa Secretsurname', phones: ['816-555-0142'] }));
  const sent = await (await signedIn(world.users.officer)).post(`/api/contacts/${contact.id}/referrals`, referral(world, over));
  expect(sent.statusCode, sent.body).toBe(201);
  const id = body(sent).id as string;
  const accepted = await (await signedIn(world.users.advocate)).post(`/api/referrals/${id}/accept`, {});
  expect(accepted.statusCode, accepted.body).toBe(200);
  return { referralId: id, contactId: contact.id as string, operationId: op.id };
}

export async function clientFromReferral(signedIn: SignedIn, world: World) {
  const { referralId } = await acceptedReferral(signedIn, world);
  const res = await (await signedIn(world.users.advocate)).post('/api/clients', { intake: 'referral', referralId });
  expect(res.statusCode, res.body).toBe(201);
  return body(res) as { id: string; version: number; name: string; phone: string | null };
}

/** A release to `recipientAgencyId` signed on screen, for `scopes`. */
export const releaseInput = (recipientAgencyId: string, over: Record<string, unknown> = {}) => ({
  recipientAgencyId,
  scopes: ['service_status'],
  purpose: 'Victim-witness coordination for the prosecution',
  informed: true,
  consentMethod: 'signed_on_screen',
  signature: 'Rosa',
  ...over,
});
