import type { AppContext } from '../../context.ts';
import type { Trx } from '../../db/database.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { addressKey, normalizeIdentifier } from '../../../common/identifiers.ts';
import type { BusinessFactKind } from '../../../common/businesses.ts';
import { indexIdentifiers, unindexRecord, type IdentifierValue } from '../identifiers/identifiers.ts';

/**
 * A business's identifiers (issue #11, items 1 and 6): what links it to other storefronts, tips and
 * operations through the identifier index (`record_identifier`, record type 'business'), and what the
 * re-opening watch compares. Phones as phones, websites and ad or review handles as handles, the
 * address key as an address, the name and former names as business names. Operators are matched on
 * their own keyed hash (`business_operator.name_blind`), never through the shared index.
 */

/** The identifier kind a fact of a business is indexed as (a website is a handle: host and path). */
export const FACT_IDENTIFIER_KIND = { former_name: 'business', phone: 'phone', website: 'handle', handle: 'handle' } as const satisfies Record<BusinessFactKind, string>;

/** The normal form of a fact's value, or null when it cannot be that kind of identifier. */
export function normalizeFact(kind: BusinessFactKind, value: string): string | null {
  return normalizeIdentifier(FACT_IDENTIFIER_KIND[kind], value);
}

/** What a business is known by: its name, place and list facts. */
export interface BusinessIdentity {
  name: string;
  address: string;
  city: string;
  zip?: string | null | undefined;
  facts: readonly { kind: BusinessFactKind; value: string }[];
}

/** The key of a business's place (`business.address_key`): the address line with its ZIP, or its city. */
export function businessAddressKey(place: { address: string; city: string; zip?: string | null | undefined }): string | null {
  return addressKey({ address: place.address, city: place.city, zip: place.zip ?? undefined });
}

/** The identifiers of a business, normalised and deduplicated, in a stable order. */
export function identifiersOfBusiness(b: BusinessIdentity): IdentifierValue[] {
  const out: IdentifierValue[] = [];
  const seen = new Set<string>();
  const add = (kind: IdentifierValue['kind'], normalized: string | null) => {
    if (!normalized || seen.has(`${kind}\u0000${normalized}`)) return;
    seen.add(`${kind}\u0000${normalized}`);
    out.push({ kind, normalized });
  };
  add('business', normalizeIdentifier('business', b.name));
  add('address', businessAddressKey(b));
  for (const f of b.facts) add(FACT_IDENTIFIER_KIND[f.kind], normalizeFact(f.kind, f.value));
  return out;
}

/**
 * The normal form of an operator's or owner's name: a person's or a company's, folded the way business
 * names are (case, punctuation, "LLC", "Inc."), so "Lin, Mei" and "LIN MEI" stay apart but "Golden Hands
 * LLC" and "Golden Hands, L.L.C." meet.
 */
export function normalizeOperatorName(name: string): string {
  return normalizeIdentifier('business', name) ?? name.normalize('NFKC').trim().toLowerCase();
}

/** The keyed hash of an operator's name (`business_operator.name_blind`), kind 'operator'. */
export function operatorBlind(ctx: AppContext, name: string): string {
  return blindIndex(ctx.keyring, 'operator', normalizeOperatorName(name));
}

/**
 * Indexes a business anew (in the caller's transaction): its old rows go, its current identifiers come.
 * Returns the blind indexes with their kinds, for the re-opening watch.
 */
export async function reindexBusiness(
  trx: Trx,
  ctx: AppContext,
  business: { id: string; agencyId: string },
  identity: BusinessIdentity,
): Promise<{ kind: IdentifierValue['kind']; blind: string }[]> {
  await unindexRecord(trx, 'business', business.id);
  const ids = identifiersOfBusiness(identity);
  await indexIdentifiers(trx, ctx, { type: 'business', id: business.id, parentId: business.id, agencyId: business.agencyId }, ids);
  return blindsOf(ctx, ids);
}

/** The keyed hashes of identifiers, with their kinds (as `indexIdentifiers` computes them). */
export function blindsOf(ctx: AppContext, ids: readonly IdentifierValue[]): { kind: IdentifierValue['kind']; blind: string }[] {
  return ids.map((v) => ({ kind: v.kind, blind: blindIndex(ctx.keyring, v.kind, v.normalized) }));
}
