import { updateHotlineInput } from '../../../../common/schemas/disclosure.ts';

/**
 * The hotline's formats, checked with the server's own schema (`updateHotlineInput`,
 * common/schemas/disclosure.ts); the form checks first so the message appears beside the field at once.
 */
export type HotlineProblem = 'phone' | 'text';

export function checkHotline(input: { phone: string; text: string }): HotlineProblem[] {
  const out: HotlineProblem[] = [];
  if (!updateHotlineInput.shape.phone.safeParse(input.phone).success) out.push('phone');
  if (!updateHotlineInput.shape.text.safeParse(input.text).success) out.push('text');
  return out;
}
