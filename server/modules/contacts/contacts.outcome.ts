import type { Queryable } from '../../db/database.ts';
import { CONTACT_ROLES, DISPOSITIONS, SERVICES, type ContactRole, type Disposition, type Service } from '../../../common/operations.ts';
import type { RecordRules } from '../disclosure/knowledge.ts';
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

/**
 * The record rules the statistics' auditor assumes a reader knows (disclosure/knowledge.ts,
 * `RecordRules`): which dispositions and services occur with each role anywhere in the data. A
 * disposition or service that occurs with no role at all stays possible for every role: a reader cannot
 * know that nobody was ever cited, and the auditor must not treat such a count as known to be 0.
 */
export async function unsafeRecordRules(db: Queryable): Promise<RecordRules> {
  const pairings = await q.rolePairings(db);
  const offered = await q.roleServices(db);
  const dispositions = Object.fromEntries(CONTACT_ROLES.map((r) => [r, new Set<Disposition | 'none'>()])) as Record<ContactRole, Set<Disposition | 'none'>>;
  const services = Object.fromEntries(CONTACT_ROLES.map((r) => [r, new Set<Service>()])) as Record<ContactRole, Set<Service>>;
  for (const p of pairings) dispositions[p.role as ContactRole]?.add((p.disposition as Disposition | null) ?? 'none');
  for (const s of offered) services[s.role as ContactRole]?.add(s.service as Service);
  for (const d of DISPOSITIONS) if (!CONTACT_ROLES.some((r) => dispositions[r].has(d))) for (const r of CONTACT_ROLES) dispositions[r].add(d);
  for (const s of SERVICES) if (!CONTACT_ROLES.some((r) => services[r].has(s))) for (const r of CONTACT_ROLES) services[r].add(s);
  // A role never recorded keeps "no disposition", so its count is not forced to 0 either.
  for (const r of CONTACT_ROLES) if (!dispositions[r].size) dispositions[r].add('none');
  return {
    dispositions: Object.fromEntries(CONTACT_ROLES.map((r) => [r, [...dispositions[r]]])) as unknown as RecordRules['dispositions'],
    services: Object.fromEntries(CONTACT_ROLES.map((r) => [r, [...services[r]]])) as unknown as RecordRules['services'],
  };
}
