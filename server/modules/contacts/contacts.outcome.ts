import type { Queryable } from '../../db/database.ts';
import * as q from './contacts.queries.ts';

/**
 * Unscoped, for the disclosure guards and public statistics only (their callers have authorized the
 * operation, or are the system counting a closed operation): the outcome's cells and every identity
 * value recorded for the operation's persons.
 */
export async function unsafeOutcomeCells(db: Queryable, operationId: string) {
  const groups = await q.outcomeGroups(db, operationId);
  const services = await q.outcomeServices(db, operationId);
  const custody = await q.outcomeCustody(db, operationId);
  return {
    receivingAgencies: custody.map((c) => c.agency_name).sort((a, b) => a.localeCompare(b)),
    groups: groups.map((g) => ({ role: g.role, sex: g.sex, ageBand: g.age_band, disposition: g.disposition, suspectType: g.suspect_type, count: Number(g.n) })),
    services: services.map((s) => ({ service: s.service, offered: Number(s.offered ?? 0), accepted: Number(s.accepted ?? 0) })),
  };
}
