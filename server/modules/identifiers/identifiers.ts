import type { AppContext } from '../../context.ts';
import type { Trx } from '../../db/database.ts';
import type { IdentifierKind, IndexedRecordType } from '../../../common/tips.ts';
import type { TipFields, TipLink } from '../../../common/schemas/tips.ts';
import type { Actor } from '../../auth/actor.ts';

/** One identifier, normalised (common/identifiers.ts), before it is hashed into the index. */
export interface IdentifierValue {
  kind: IdentifierKind;
  normalized: string;
}

/** The record an identifier belongs to, and the record a viewer opens for it (a tip, or the operation). */
export interface IndexedRecord {
  type: IndexedRecordType;
  id: string;
  parentId: string;
  agencyId: string;
}

/** STUB (identifiers helper replaces this file): the identifiers a tip carries. */
export function identifiersOfTip(fields: TipFields): IdentifierValue[] {
  void fields;
  return [];
}

/** STUB: writes a record's identifiers into the index (keyed hashes only); returns their blind indexes. */
export async function indexIdentifiers(trx: Trx, ctx: AppContext, record: IndexedRecord, ids: IdentifierValue[]): Promise<string[]> {
  void trx;
  void ctx;
  void record;
  void ids;
  return [];
}

/**
 * STUB: the other records sharing an identifier with a tip that the actor may see (issue #10, item 7),
 * strongest first. Records the actor may not see never appear, not even as a count.
 */
export async function linksForTip(ctx: AppContext, actor: Actor, tipId: string): Promise<TipLink[]> {
  void ctx;
  void actor;
  void tipId;
  return [];
}
