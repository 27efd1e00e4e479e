import { PASSWORD_MAX, PASSWORD_MIN } from '../../../../common/limits.ts';

export type PasswordProblem = 'required' | 'tooShort' | 'tooLong' | 'sameAsCurrent' | 'mismatch';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * The checks a browser can make before asking the server: length only (15–128, CJIS 5.9.5 / NIST
 * 800-63B, no composition rules). Whether the password is on the blocklist is the server's answer.
 */
export function checkPasswordChange(input: PasswordChange): Partial<Record<keyof PasswordChange, PasswordProblem>> {
  const problems: Partial<Record<keyof PasswordChange, PasswordProblem>> = {};
  if (!input.currentPassword) problems.currentPassword = 'required';
  if (!input.newPassword) problems.newPassword = 'required';
  else if (input.newPassword.length < PASSWORD_MIN) problems.newPassword = 'tooShort';
  else if (input.newPassword.length > PASSWORD_MAX) problems.newPassword = 'tooLong';
  else if (input.currentPassword && input.newPassword === input.currentPassword) problems.newPassword = 'sameAsCurrent';
  if (!input.confirmPassword) problems.confirmPassword = 'required';
  else if (input.newPassword && input.confirmPassword !== input.newPassword) problems.confirmPassword = 'mismatch';
  return problems;
}
