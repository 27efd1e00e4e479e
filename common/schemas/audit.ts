import { z } from 'zod';
import { AUDIT_PAGE_MAX } from '../limits.ts';
import { id, instant, text } from './shared.ts';

export const auditQuery = z.object({
  userId: id.optional(),
  /** Part of a person's name or email: only people of the agencies the administrator manages. */
  person: text(100).optional(),
  recordType: text(60).optional(),
  recordId: text(100).optional(),
  action: text(80).optional(),
  from: instant.optional(),
  to: instant.optional(),
  before: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEventDto = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  userEmail: z.string().nullable(),
  /** The person's name, when they belong to an agency the reader manages. */
  userName: z.string().nullable(),
  agencyId: z.string().nullable(),
  action: z.string(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
  /** The record's name ("Operation Safe Harbor", a person's name), when the reader may see it; else null. */
  recordName: z.string().nullable(),
  outcome: z.string(),
  changedFields: z.array(z.string()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEventDto = z.infer<typeof auditEventDto>;

export const auditPageDto = z.object({
  events: z.array(auditEventDto),
  nextBefore: z.string().nullable(),
});
