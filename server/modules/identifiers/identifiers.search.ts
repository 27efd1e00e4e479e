import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import type { IdentifierKind } from '../../../common/tips.ts';
import type { IdentifierSearchResponse, IdentifierSearchResult } from '../../../common/schemas/identifiers.ts';
import { addressKey, normalizeEmail, normalizeIdentifier } from '../../../common/identifiers.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { linkLabel, linkQuery, type IdentifierValue, type LinkRow } from './identifiers.ts';

/**
 * The forms a typed value may take in the index, as a tip's fields would give them (`identifiersOfTip`):
 * a phone, a plate, an email or else a handle, and an address when the value reads as one (a number, a
 * word and a space: "12 Main St, 64075"; its key is the tip's `addressKey`). Each is hashed under its own
 * kind, so a value that reads as several (a plate of digits, a phone) looks in each.
 */
export function searchForms(value: string): IdentifierValue[] {
  const out: IdentifierValue[] = [];
  const add = (kind: IdentifierKind, normalized: string | null) => {
    if (normalized) out.push({ kind, normalized });
  };
  add('phone', normalizeIdentifier('phone', value));
  const email = value.includes('@') && !value.trim().startsWith('@') ? normalizeEmail(value) : null;
  if (email) add('email', email);
  else add('handle', normalizeIdentifier('handle', value));
  add('plate', normalizeIdentifier('plate', value));
  if (/\d/.test(value) && /\p{L}/u.test(value) && /\s/.test(value.trim())) add('address', addressKey({ address: value }));
  return out;
}

/**
 * Staff look a value up in the identifier index: the records sharing it that the actor may see, by the
 * same query and grants as a tip's links (`linkQuery`), releases included for their named recipient
 * while in effect. A record the actor may not see is never read, so a value held only by records out of
 * reach answers exactly as an unknown one does. The audit row holds the count, never the value.
 */
export async function searchIdentifiers(ctx: AppContext, actor: Actor, value: string, meta: RequestMeta): Promise<IdentifierSearchResponse> {
  const kindOf = new Map<string, IdentifierKind>();
  for (const f of searchForms(value)) kindOf.set(blindIndex(ctx.keyring, f.kind, f.normalized), f.kind);
  const now = ctx.clock.now().toISOString();
  return ctx.audit.transact({ actor: auditActor(actor), meta }, async (tx) => {
    const rows = kindOf.size ? ((await linkQuery(tx.db, actor, [...kindOf.keys()], null, { releasesAt: now }).execute()) as LinkRow[]) : [];
    const byRecord = new Map<string, { result: IdentifierSearchResult; at: string }>();
    for (const r of rows) {
      const key = `${r.record_type}:${r.record_id}`;
      const entry = byRecord.get(key) ?? { result: { recordType: r.record_type, recordId: r.record_id, label: linkLabel(r), kinds: [] }, at: r.at };
      const kind = kindOf.get(r.blind)!;
      if (!entry.result.kinds.includes(kind)) entry.result.kinds.push(kind);
      byRecord.set(key, entry);
    }
    const results = [...byRecord.values()]
      .sort((a, b) => b.at.localeCompare(a.at) || a.result.recordType.localeCompare(b.result.recordType) || a.result.recordId.localeCompare(b.result.recordId))
      .map(({ result }) => ({ ...result, kinds: result.kinds.sort() }));
    tx.audit({ action: 'identifier.search', recordAgencyId: actor.agencyId, detail: { count: results.length } });
    return { results };
  });
}
