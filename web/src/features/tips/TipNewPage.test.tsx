import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import { EMPTY_DRAFT, draftFieldOf, groupReceipt, staffTipInputOf } from './TipNewPage.tsx';
import { TIP_ID, commonAnswer, me, renderTipPages } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

function serve(onPost: (body: Record<string, unknown>) => Response) {
  const posts: Record<string, unknown>[] = [];
  fetchMock.mockImplementation(async (input, init) => {
    const url = String(input);
    if (init?.method === 'POST' && url === '/api/tips') {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      posts.push(body);
      return onPost(body);
    }
    return commonAnswer(url) ?? jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url}` } });
  });
  return posts;
}

describe('recording a phoned-in tip', () => {
  it('sends the public form’s fields with the source, lists one item a line, and leaves out what is empty', () => {
    const input = staffTipInputOf({
      ...EMPTY_DRAFT,
      source: 'hotline',
      externalRef: ' NHTH-123 ',
      narrative: ' Women living above the spa ',
      zip: '64075',
      phones: '816-555-0142\n\n 3I4-five five five ',
      minorInvolved: true,
      contactPhone: '816-555-0199',
      safeMethod: 'text_message',
    });
    expect(input).toEqual({
      source: 'hotline',
      externalRef: 'NHTH-123',
      narrative: 'Women living above the spa',
      zip: '64075',
      phones: ['816-555-0142', '3I4-five five five'],
      emails: [],
      online: [],
      businesses: [],
      minorInvolved: true,
      immediateDanger: false,
      language: 'en',
      contact: { phone: '816-555-0199', safeMethod: 'text_message' },
    });
  });

  it('places the server’s field paths beside their fields', () => {
    expect(draftFieldOf('zip')).toBe('zip');
    expect(draftFieldOf('phones.3')).toBe('phones');
    expect(draftFieldOf('contact.email')).toBe('contactEmail');
    expect(draftFieldOf('altcha')).toBeUndefined();
    expect(groupReceipt('12345678901234567890')).toBe('1234 5678 9012 3456 7890');
  });

  it('shows the receipt once, in groups of four, to read to the caller', async () => {
    const posts = serve(() => jsonResponse(201, { id: TIP_ID, receipt: '12345678901234567890' }));
    renderTipPages('/tip-queue/new');
    await screen.findByRole('heading', { name: 'Record a phoned-in tip', level: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'Record the tip' }));
    expect(await screen.findByText('What happened is required.')).toBeTruthy();
    expect(posts).toEqual([]);
    fireEvent.change(screen.getByLabelText(/^What happened/), { target: { value: 'A man keeps the passports of the women at the spa' } });
    fireEvent.change(screen.getByLabelText(/^ZIP code/), { target: { value: '64075' } });
    fireEvent.click(screen.getByLabelText('Someone is in danger right now'));
    expect(screen.getByText(/make sure 911 or dispatch has it/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Record the tip' }));
    const receipt = await screen.findByTestId('tip-receipt');
    expect(receipt.textContent).toBe('1234 5678 9012 3456 7890');
    expect(posts[0]).toMatchObject({ source: 'phone', zip: '64075', immediateDanger: true, narrative: 'A man keeps the passports of the women at the spa' });
    expect(screen.getByRole('link', { name: 'Open the tip' }).getAttribute('href')).toBe(`/tip-queue/${TIP_ID}`);
    fireEvent.click(screen.getByRole('button', { name: 'Record another tip' }));
    expect(screen.queryByTestId('tip-receipt')).toBeNull();
    expect((screen.getByLabelText(/^What happened/) as HTMLTextAreaElement).value).toBe('');
  });

  it('shows a refusal beside the field it names', async () => {
    serve(() => jsonResponse(400, { error: { code: 'invalid', message: 'zip: must be a ZIP code that exists', field: 'zip' } }));
    renderTipPages('/tip-queue/new');
    fireEvent.change(await screen.findByLabelText(/^What happened/), { target: { value: 'Something' } });
    fireEvent.change(screen.getByLabelText(/^ZIP code/), { target: { value: '00000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record the tip' }));
    expect(await screen.findByText('ZIP code must be a ZIP code that exists.')).toBeTruthy();
    expect(screen.getByLabelText(/^ZIP code/).getAttribute('aria-invalid')).toBe('true');
  });

  it('is not offered to an account that may not record tips', async () => {
    serve(() => jsonResponse(500, {}));
    renderTipPages('/tip-queue/new', me({ 'tip.read': true }));
    const main = await screen.findByRole('heading', { name: 'Record a phoned-in tip', level: 1 });
    expect(main).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Record the tip' })).toBeNull();
    expect(within(document.body).getByText(/does not have access to this page/)).toBeTruthy();
  });
});
