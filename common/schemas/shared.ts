import { z } from 'zod';
import { EMAIL_MAX, NAME_MAX } from '../limits.ts';

/** Control characters other than tab/newline never belong in a stored string. */
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .regex(NO_CONTROL, { message: 'must not contain control characters' });

export const requiredText = (max: number) => text(max).min(1, { message: 'is required' });

export const id = z.uuid({ message: 'must be a record id' });

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, { message: `must be at most ${EMAIL_MAX} characters` })
  .pipe(z.email({ message: 'must be an email address' }));

export const personName = requiredText(NAME_MAX);

/** ISO 8601 instant with a zone, e.g. 2020-10-23T20:00:00.000Z. */
export const instant = z.iso.datetime({ offset: true, message: 'must be a date and time (ISO 8601)' });

export const idParams = z.object({ id });

export const okResponse = z.object({ ok: z.literal(true) });

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    requestId: z.string().optional(),
  }),
});

function isAbilities(value: unknown): value is Record<string, boolean> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'boolean') return false;
  return true;
}

/**
 * What the reader may do, action by action (`{ "tip.assign": true }`), on every record and in /api/me.
 * The same check as `z.record(z.string(), z.boolean())` in one loop: zod's record walks each key and
 * value through parsers of their own, which took 4 of the 10 µs of serializing /api/me, and lists carry
 * one per row.
 */
export const abilities = z
  .custom<Record<string, boolean>>(isAbilities, { message: 'must map each action to true or false' })
  .meta({ type: 'object', additionalProperties: { type: 'boolean' } } as Record<string, unknown>);
