import type { AppContext } from '../../context.ts';
import type { Trx } from '../../db/database.ts';
import type { ReleaseScope } from '../../../common/clients.ts';
import { reindexReleasePhone, unindexRecord } from '../identifiers/identifiers.ts';

/**
 * Linking obeys consent (issue #12, item 4). A client's phone enters the identifier index only when an
 * advocate shares contact details under a release, and then only as the release's row for its recipient;
 * it leaves on revocation (here) and on expiry (clients.expiry.ts). Creating or changing a client never
 * indexes anything.
 */

/** In the share's transaction, after the release was claimed: a share carrying contact details indexes the phone it shared. */
export async function indexShare(trx: Trx, ctx: AppContext, release: { id: string; recipientAgencyId: string }, scopes: readonly ReleaseScope[], phone: string | null): Promise<void> {
  // A later share without contact details leaves the row: the recipient already holds that phone.
  if (!scopes.includes('contact_details')) return;
  await reindexReleasePhone(trx, ctx, release, phone);
}

/** In the revocation's (or the expiry sweep's) transaction: the release's identifiers leave the index. */
export async function unindexRelease(trx: Trx, releaseId: string): Promise<void> {
  await unindexRecord(trx, 'release', releaseId);
}
