import { describe, expect, it } from 'vitest';
import { RELEASE_SCOPES } from '../../../../common/clients.ts';
import { releaseInputOf, toggled, type ReleaseDraft } from './release-draft.ts';

const AGO = '00000000-0000-4000-8000-0000000000a3';
const full: ReleaseDraft = {
  recipientAgencyId: AGO,
  recipientUserId: '',
  scopes: ['service_status'],
  purpose: '  Prosecution: whether she is being served  ',
  startsAt: '',
  expiresAt: '',
  informed: true,
  consentMethod: 'signed_on_screen',
  signature: ' Dee ',
  scanDocumentId: '',
};

describe('releaseInputOf', () => {
  it('asks for what is missing, the explanation to the client and the signature included', () => {
    const r = releaseInputOf({ ...full, recipientAgencyId: '', scopes: [], purpose: ' ', informed: false, signature: '' });
    expect(r.input).toBeUndefined();
    expect(r.missing).toEqual(['recipientAgencyId', 'scopes', 'purpose', 'informed', 'signature']);
  });

  it('leaves start and expiry to the server when empty (now, and the default length), and no named person', () => {
    const r = releaseInputOf(full);
    expect(r.input).toEqual({ recipientAgencyId: AGO, scopes: ['service_status'], purpose: 'Prosecution: whether she is being served', informed: true, consentMethod: 'signed_on_screen', signature: 'Dee' });
  });

  it('sends the dates typed as instants, and the named person', () => {
    const r = releaseInputOf({ ...full, recipientUserId: 'u1', startsAt: '2026-12-05T09:00', expiresAt: '2027-01-05T09:00' });
    expect(r.input?.recipientUserId).toBe('u1');
    expect(r.input?.startsAt).toBe(new Date('2026-12-05T09:00').toISOString());
    expect(r.input?.expiresAt).toBe(new Date('2027-01-05T09:00').toISOString());
  });
});

describe('releaseInputOf, on a scanned form', () => {
  const SCAN = '00000000-0000-4000-8000-0000000000d1';
  it('asks for the scanned form instead of a signature', () => {
    expect(releaseInputOf({ ...full, consentMethod: 'scan', signature: '' }).missing).toEqual(['scanDocumentId']);
  });

  it('sends the document and no signature', () => {
    const r = releaseInputOf({ ...full, consentMethod: 'scan', scanDocumentId: SCAN });
    expect(r.input).toMatchObject({ consentMethod: 'scan', scanDocumentId: SCAN });
    expect(r.input).not.toHaveProperty('signature');
  });
});

describe('toggled', () => {
  it('adds and removes keeping the order of the list', () => {
    expect(toggled(RELEASE_SCOPES, ['statement'], 'service_status', true)).toEqual(['service_status', 'statement']);
    expect(toggled(RELEASE_SCOPES, ['service_status', 'statement'], 'service_status', false)).toEqual(['statement']);
    expect(toggled(RELEASE_SCOPES, ['statement'], 'statement', true)).toEqual(['statement']);
  });
});
