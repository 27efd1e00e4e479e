import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { DemoNotice, PublicSiteLink, SignInForm } from './SignInPage.tsx';

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

function fill(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email address'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInForm', () => {
  it('shows a server error beside the field it names', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(400, { error: { code: 'invalid', message: 'email: must be an email address', field: 'email' } }));
    renderWithQuery(<SignInForm search={{}} onPasswordAccepted={vi.fn()} />);
    fill('not-an-email', 'correct horse battery staple');

    const email = screen.getByLabelText('Email address');
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(email.getAttribute('aria-describedby')!.split(' ').pop()!);
    expect(message?.textContent).toBe('Email address must be an email address.');
    expect(message?.className).toContain('usa-error-message');
    expect(email.closest('.usa-form-group')?.className).toContain('usa-form-group--error');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an error that names no field in an alert, with the lockout message as given', async () => {
    const message = 'This account is locked after 5 failed sign-ins. Ask your agency administrator to unlock it.';
    fetchMock.mockResolvedValueOnce(jsonResponse(423, { error: { code: 'locked', message } }));
    renderWithQuery(<SignInForm search={{}} onPasswordAccepted={vi.fn()} />);
    fill('ann@kcpd.example', 'correct horse battery staple');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Your account is locked');
    expect(alert.textContent).toContain(message);
  });

  it('asks for both fields before calling the server', async () => {
    renderWithQuery(<SignInForm search={{}} onPasswordAccepted={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter your email address.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('moves on to the MFA step when the password is accepted', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { mfaRequired: true, enrolmentRequired: true }));
    const onPasswordAccepted = vi.fn();
    renderWithQuery(<SignInForm search={{}} onPasswordAccepted={onPasswordAccepted} />);
    fill('Ann@KCPD.example ', 'correct horse battery staple');
    await waitFor(() => expect(onPasswordAccepted).toHaveBeenCalledWith({ enrolmentRequired: true }));
    expect(JSON.parse(String(fetchMock.mock.calls[0]![1]?.body))).toEqual({
      email: 'Ann@KCPD.example',
      password: 'correct horse battery staple',
    });
  });
});

describe('the demo notice and the public site link (issue #9, item 15)', () => {
  it('warns on a demo, whose passwords are published, and links to the public site', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { demo: true, publicSite: '/' }));
    renderWithQuery(
      <>
        <DemoNotice />
        <PublicSiteLink />
      </>,
    );
    expect(await screen.findByRole('heading', { level: 2, name: 'This is a demonstration of Lantern' })).toBeTruthy();
    expect(screen.getByText(/passwords are published/).textContent).toContain('Never enter real names');
    expect((await screen.findByRole('link', { name: /public site/ })).getAttribute('href')).toBe('/');
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/demo');
  });

  it('says nothing of a demo on a real Lantern', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { demo: false, publicSite: '/' }));
    renderWithQuery(
      <>
        <DemoNotice />
        <PublicSiteLink />
      </>,
    );
    expect(await screen.findByRole('link', { name: /public site/ })).toBeTruthy();
    expect(screen.queryByText(/demonstration/)).toBeNull();
  });
});
