import type { AppContext } from '../../context.ts';
import { auditActor, type Actor } from '../../auth/actor.ts';
import { authorize, can } from '../../auth/policy.ts';
import type { RequestMeta } from '../../audit/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { unseal } from '../../lib/sealed.ts';
import { blindIndex } from '../../lib/crypto.ts';
import { normalizeIdentifier } from '../../../common/identifiers.ts';
import type { BusinessStage } from '../../../common/businesses.ts';
import type { BusinessNetwork } from '../../../common/schemas/businesses.ts';
import { businessPolicy } from './businesses.policy.ts';
import { businessAddressKey, FACT_IDENTIFIER_KIND, normalizeFact } from './businesses.identifiers.ts';
import * as q from './businesses.queries.ts';

/** What a viewer who may not read operators' identities sees for a shared operator. */
export const HIDDEN_OPERATOR = 'an operator';

/**
 * The business's own identifiers, by keyed hash, each with the kind and the label it is shown under:
 * the value as the business's own record holds it (never the other business's).
 */
function ownLabels(ctx: AppContext, row: { name: string; address: string; city: string; zip: string | null }, facts: readonly { kind: string; value: string }[]) {
  const out = new Map<string, { kind: string; label: string }>();
  const add = (indexKind: string, normalized: string | null, kind: string, label: string) => {
    if (!normalized) return;
    const blind = blindIndex(ctx.keyring, indexKind, normalized);
    if (!out.has(blind)) out.set(blind, { kind, label });
  };
  add('business', normalizeIdentifier('business', row.name), 'business', row.name);
  add('address', businessAddressKey(row), 'address', [row.address, row.city].join(', '));
  for (const f of facts) {
    const kind = f.kind as keyof typeof FACT_IDENTIFIER_KIND;
    if (!(kind in FACT_IDENTIFIER_KIND)) continue;
    add(FACT_IDENTIFIER_KIND[kind], normalizeFact(kind, f.value), kind === 'former_name' ? 'business' : kind, f.value);
  }
  return out;
}

/**
 * A business's network (issue #11, item 1): the other businesses the actor may see that share an
 * operator (by the name's keyed hash), a phone, an address, a website or handle, or a name, each with
 * what is shared. Two set-based queries (the index, the operators), both filtered by `business.read` in
 * SQL: a business the actor may not see is never read. An operator's name is shown only to those who
 * may read operators; others see "an operator". Audited.
 */
export async function businessNetwork(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<BusinessNetwork> {
  const row = await q.findVisibleBusiness(ctx.db, actor, id);
  if (!row) throw notFound('business');
  const record = q.businessRecord(row);
  authorize(actor, businessPolicy, 'business.read', record);
  const readOperators = can(actor, businessPolicy, 'business.readOperators', record);
  const [identifiers, operators, facts] = await Promise.all([q.sharedIdentifiers(ctx.db, actor, id), q.sharedOperators(ctx.db, actor, id), q.factsOf(ctx.db, id)]);
  const labels = ownLabels(ctx, row, facts);

  const links = new Map<string, { business: BusinessNetwork['links'][number]['business']; shared: Map<string, { kind: string; label: string }> }>();
  const linkOf = (b: { id: string; name: string; address: string; city: string; stage: string }) => {
    let link = links.get(b.id);
    if (!link) {
      link = { business: { id: b.id, name: b.name, address: b.address, city: b.city, stage: b.stage as BusinessStage }, shared: new Map() };
      links.set(b.id, link);
    }
    return link;
  };
  for (const r of identifiers) {
    const own = labels.get(r.blind) ?? { kind: r.kind, label: r.kind };
    linkOf(r).shared.set(`${own.kind}\u0000${own.label}`, own);
  }
  for (const r of operators) {
    const label = readOperators ? unseal(ctx.keyring, 'business_operator', 'name', r.own_operator_id, r.own_operator_name) : HIDDEN_OPERATOR;
    linkOf(r).shared.set(`operator\u0000${readOperators ? r.own_operator_id : label}`, { kind: 'operator', label });
  }

  await ctx.audit.record(
    { actor: auditActor(actor), meta },
    { action: 'business.network', recordType: 'business', recordId: id, recordAgencyId: row.agency_id, detail: { links: links.size, operators: readOperators } },
  );
  const out = [...links.values()].map((l) => ({ business: l.business, shared: [...l.shared.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label)) }));
  out.sort((a, b) => b.shared.length - a.shared.length || a.business.name.localeCompare(b.business.name) || a.business.id.localeCompare(b.business.id));
  return { businessId: id, links: out };
}
