import '../../test/setup.ts';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../api/client.ts';
import { renderWithQuery } from '../../test/render.tsx';
import { checkPasswordChange } from './password-rules.ts';
import { PasswordForm } from './PasswordForm.tsx';

const LONG = 'correct horse battery staple';

function fill(current: string, next: string, confirm: string) {
  fireEvent.change(screen.getByLabelText('Current password'), { target: { value: current } });
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: next } });
  fireEvent.change(screen.getByLabelText('Type the new password again'), { target: { value: confirm } });
  fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
}

function errorFor(label: string): string | undefined {
  const input = screen.getByLabelText(label);
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('usa-error-message'))?.textContent ?? undefined;
}

describe('checkPasswordChange', () => {
  it('checks length only: 15 to 128 characters, no composition rules', () => {
    expect(checkPasswordChange({ currentPassword: 'old', newPassword: 'a'.repeat(14), confirmPassword: 'a'.repeat(14) }).newPassword).toBe('tooShort');
    expect(checkPasswordChange({ currentPassword: 'old', newPassword: 'a'.repeat(15), confirmPassword: 'a'.repeat(15) })).toEqual({});
    expect(checkPasswordChange({ currentPassword: 'old', newPassword: 'a'.repeat(129), confirmPassword: 'a'.repeat(129) }).newPassword).toBe('tooLong');
    expect(checkPasswordChange({ currentPassword: 'old', newPassword: 'all lower case words', confirmPassword: 'all lower case words' })).toEqual({});
  });

  it('requires every field, a different password and a matching confirmation', () => {
    expect(checkPasswordChange({ currentPassword: '', newPassword: '', confirmPassword: '' })).toEqual({
      currentPassword: 'required',
      newPassword: 'required',
      confirmPassword: 'required',
    });
    expect(checkPasswordChange({ currentPassword: LONG, newPassword: LONG, confirmPassword: LONG }).newPassword).toBe('sameAsCurrent');
    expect(checkPasswordChange({ currentPassword: 'old', newPassword: LONG, confirmPassword: `${LONG}!` }).confirmPassword).toBe('mismatch');
  });
});

describe('PasswordForm', () => {
  it('shows length and match problems beside the fields without calling the server', async () => {
    const changePassword = vi.fn();
    renderWithQuery(<PasswordForm changePassword={changePassword} />);
    fill('', 'too short', 'something else');
    await waitFor(() => expect(errorFor('New password')).toBe('New password must be at least 15 characters.'));
    expect(errorFor('Current password')).toBe('Enter your current password.');
    expect(errorFor('Type the new password again')).toBe('The two new passwords do not match.');
    expect(changePassword).not.toHaveBeenCalled();
  });

  it("shows the server's blocklist message beside the new password", async () => {
    const changePassword = vi
      .fn()
      .mockRejectedValue(new ApiError(400, 'invalid', 'newPassword: is a commonly used password; choose another', 'newPassword'));
    renderWithQuery(<PasswordForm changePassword={changePassword} />);
    fill('my old passphrase', 'passwordpassword', 'passwordpassword');
    await waitFor(() => expect(errorFor('New password')).toBe('New password is a commonly used password; choose another.'));
    expect(changePassword).toHaveBeenCalledWith({ currentPassword: 'my old passphrase', newPassword: 'passwordpassword' });
  });

  it('confirms a change and clears the fields', async () => {
    const changePassword = vi.fn().mockResolvedValue({ ok: true });
    const onChanged = vi.fn();
    renderWithQuery(<PasswordForm changePassword={changePassword} onChanged={onChanged} />);
    fill('my old passphrase', LONG, LONG);
    expect(await screen.findByText('Your password has been changed.')).toBeTruthy();
    expect(onChanged).toHaveBeenCalled();
    expect((screen.getByLabelText('New password') as HTMLInputElement).value).toBe('');
  });
});
