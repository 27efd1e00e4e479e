import type { ConsentMethod, ReleaseScope } from '../../../../common/clients.ts';
import { localInputToIso } from '../../components/format.ts';
import type { CreateReleaseInput } from './api.ts';

/** The "Take a release" form as typed: `datetime-local` values in the user's time zone, '' when empty. */
export interface ReleaseDraft {
  recipientAgencyId: string;
  recipientUserId: string;
  scopes: ReleaseScope[];
  purpose: string;
  startsAt: string;
  expiresAt: string;
  informed: boolean;
  /** Signed on this screen (the typed name), or a signed paper form scanned and attached to the client. */
  consentMethod: ConsentMethod;
  signature: string;
  /** The scanned form: one of the client's documents ('' when none is chosen). */
  scanDocumentId: string;
}

export type ReleaseDraftField = 'recipientAgencyId' | 'scopes' | 'purpose' | 'informed' | 'signature' | 'scanDocumentId' | 'expiresAt';

/**
 * The request for a release, or the fields the user still has to fill. An empty start means now and an
 * empty expiry the jurisdiction's default length (the server decides both); a named person is optional.
 * Consent is written either way: the client's typed name on screen, or the scan of the form they signed.
 */
export function releaseInputOf(d: ReleaseDraft): { input: CreateReleaseInput; missing: [] } | { input?: undefined; missing: ReleaseDraftField[] } {
  const missing: ReleaseDraftField[] = [];
  if (!d.recipientAgencyId) missing.push('recipientAgencyId');
  if (d.scopes.length === 0) missing.push('scopes');
  if (!d.purpose.trim()) missing.push('purpose');
  if (!d.informed) missing.push('informed');
  if (d.consentMethod === 'signed_on_screen' && !d.signature.trim()) missing.push('signature');
  if (d.consentMethod === 'scan' && !d.scanDocumentId) missing.push('scanDocumentId');
  if (missing.length) return { missing };
  const startsAt = d.startsAt ? localInputToIso(d.startsAt) : undefined;
  const expiresAt = d.expiresAt ? localInputToIso(d.expiresAt) : undefined;
  return {
    missing: [],
    input: {
      recipientAgencyId: d.recipientAgencyId,
      ...(d.recipientUserId ? { recipientUserId: d.recipientUserId } : {}),
      scopes: [...new Set(d.scopes)],
      purpose: d.purpose.trim(),
      informed: true,
      ...(d.consentMethod === 'scan' ? { consentMethod: 'scan' as const, scanDocumentId: d.scanDocumentId } : { consentMethod: 'signed_on_screen' as const, signature: d.signature.trim() }),
      ...(startsAt ? { startsAt } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    },
  };
}

/** Adds or removes one item of a checkbox list, keeping the order of `all`. */
export function toggled<T>(all: readonly T[], chosen: readonly T[], item: T, on: boolean): T[] {
  return all.filter((x) => (x === item ? on : chosen.includes(x)));
}
