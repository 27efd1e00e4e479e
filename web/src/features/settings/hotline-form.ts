/**
 * The hotline's formats, as `updateHotlineInput` checks them (common/schemas/disclosure.ts); the form
 * checks first so the message appears beside the field at once.
 */
export const HOTLINE_PHONE = /^1?-?\d{3}-\d{3}-\d{4}$/;
export const HOTLINE_TEXT = /^\d{3,8}$/;

export type HotlineProblem = 'phone' | 'text';

export function checkHotline(input: { phone: string; text: string }): HotlineProblem[] {
  const out: HotlineProblem[] = [];
  if (!HOTLINE_PHONE.test(input.phone.trim())) out.push('phone');
  if (!HOTLINE_TEXT.test(input.text.trim())) out.push('text');
  return out;
}
