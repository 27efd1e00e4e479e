import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import { WorkPhoneForm } from './WorkPhoneForm.tsx';

const fetchMock = vi.fn<typeof fetch>();
const REFUSAL = { error: { code: 'invalid', message: 'phone: must be a phone number that can be dialed, e.g. (816) 555-0142 or +44 20 7946 0958', field: 'phone' } };

describe('WorkPhoneForm', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (_url, init) => {
      if (init?.method !== 'PATCH') return jsonResponse(200, { phone: '(660) 555-0199' });
      const { phone } = JSON.parse(String(init.body)) as { phone: string | null };
      return phone === '555-1234' ? jsonResponse(400, REFUSAL) : jsonResponse(200, { phone });
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows the saved number, puts a refusal beside the field, and saves a good one', async () => {
    renderWithQuery(<WorkPhoneForm />);
    const field = await screen.findByLabelText<HTMLInputElement>(/Work phone/);
    expect(field.value).toBe('(660) 555-0199');

    fireEvent.change(field, { target: { value: '555-1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save work phone' }));
    await screen.findByText(/must be a phone number that can be dialed/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain('work-phone-error');

    fireEvent.change(field, { target: { value: ' (816) 555-0142 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save work phone' }));
    await screen.findByText('Your work phone is saved.');
    const sent = fetchMock.mock.calls.at(-1)!;
    expect(String(sent[0])).toBe('/api/account/phone');
    expect(JSON.parse(String(sent[1]!.body))).toEqual({ phone: '(816) 555-0142' });
    expect(field.getAttribute('aria-invalid')).toBeNull();

    fireEvent.change(field, { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save work phone' }));
    await screen.findByText('Your work phone is removed.');
    await waitFor(() => expect(JSON.parse(String(fetchMock.mock.calls.at(-1)![1]!.body))).toEqual({ phone: null }));
  });
});
