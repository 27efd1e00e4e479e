import type { AppContext } from '../../context.ts';
import type { Trx } from '../../db/database.ts';
import type { IdentifierKind, IndexedRecordType } from '../../../common/tips.ts';
import type { TipFields } from '../../../common/schemas/tips.ts';

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
