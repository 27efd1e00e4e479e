import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { invalid } from '../../lib/errors.ts';

/**
 * A person's work phone, as typed (trimmed), or null for none. It is what a plan's commander phone is
 * filled from, so it must be a number someone can dial: libphonenumber-js's `isValid()` (U.S. numbers
 * without a country code; any other with +); a bare parse accepts junk.
 */
export function checkWorkPhone(value: string | null | undefined, field = 'phone'): string | null {
  const typed = value?.trim() ?? '';
  if (!typed) return null;
  if (/[a-z]/i.test(typed) || !parsePhoneNumberFromString(typed, 'US')?.isValid()) {
    throw invalid(field, 'must be a phone number that can be dialed, e.g. (816) 555-0142 or +44 20 7946 0958');
  }
  return typed;
}
