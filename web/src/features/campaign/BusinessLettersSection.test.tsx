import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import { BUSINESS_ID, LANDLORD_ID, LETTER_ID, business, landlord, letter, renderCampaign, serve } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const region = async () => (await screen.findByRole('heading', { name: 'Landlord and letters', level: 2 })).closest('section')!;

describe('the landlord and letters of a business', () => {
  it('refuses a letter without a landlord by naming what it needs, then enters the owner from county records', async () => {
    const calls = serve(fetchMock, (c) => {
      if (c.url === `/api/businesses/${BUSINESS_ID}`) return jsonResponse(200, business());
      if (c.url === `/api/businesses/${BUSINESS_ID}/letters` && c.method === 'GET') return jsonResponse(200, { items: [] });
      if (c.url === `/api/businesses/${BUSINESS_ID}/letters`) return jsonResponse(400, { error: { code: 'unfilled_merge_field', message: 'The letter’s merge field owner is empty.', field: 'owner' } });
      if (c.url.startsWith('/api/landlords?')) return jsonResponse(200, []);
      if (c.method === 'PUT') return jsonResponse(200, {});
      return undefined;
    });
    renderCampaign(`/businesses/${BUSINESS_ID}`);
    const sec = await region();
    expect(await within(sec).findByText(/No landlord yet/)).toBeTruthy();
    fireEvent.click(within(sec).getByRole('button', { name: 'Generate notice letter' }));
    const refusal = await within(sec).findByTestId('unfilled-merge-field');
    expect(within(refusal).getByText('The letter needs the owner: enter the landlord first.')).toBeTruthy();

    fireEvent.change(within(sec).getByLabelText(/^Owner’s exact name/), { target: { value: 'Main Street Holdings LLC' } });
    fireEvent.click(within(sec).getByRole('button', { name: 'Find the owner' }));
    expect(await within(sec).findByText(/No owner by that exact name is in Lantern/)).toBeTruthy();
    expect(calls.find((c) => c.url.startsWith('/api/landlords?'))!.url).toBe('/api/landlords?name=Main+Street+Holdings+LLC');

    fireEvent.click(within(sec).getByLabelText(/^A new owner/));
    fireEvent.click(within(sec).getByRole('button', { name: 'Set the landlord' }));
    expect(await within(sec).findByText('Owner’s name is required.')).toBeTruthy();
    expect(within(sec).getByText('Source is required.')).toBeTruthy();
    fireEvent.change(within(sec).getByLabelText(/^Owner’s name/), { target: { value: 'Main Street Holdings LLC' } });
    fireEvent.change(within(sec).getByLabelText(/^Agent/), { target: { value: 'Pat Agent' } });
    fireEvent.change(within(sec).getByLabelText(/^Source/), { target: { value: 'Jackson County Assessor, parcel 12-340-05' } });
    fireEvent.click(within(sec).getByRole('button', { name: 'Set the landlord' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe(`/api/businesses/${BUSINESS_ID}/landlord`);
    expect(put.body).toEqual({ landlord: { kind: 'company', name: 'Main Street Holdings LLC', agent: 'Pat Agent', source: 'Jackson County Assessor, parcel 12-340-05' }, version: 4 });
  });

  it('places a server refusal of the new owner beside its field', async () => {
    serve(fetchMock, (c) => {
      if (c.url === `/api/businesses/${BUSINESS_ID}`) return jsonResponse(200, business());
      if (c.url === `/api/businesses/${BUSINESS_ID}/letters`) return jsonResponse(200, { items: [] });
      if (c.method === 'PUT') return jsonResponse(400, { error: { code: 'invalid', message: 'must be a valid email address', field: 'landlord.email' } });
      return undefined;
    });
    renderCampaign(`/businesses/${BUSINESS_ID}`);
    const sec = await region();
    fireEvent.click(await within(sec).findByLabelText(/^A new owner/));
    fireEvent.change(within(sec).getByLabelText(/^Owner’s name/), { target: { value: 'Main Street Holdings LLC' } });
    fireEvent.change(within(sec).getByLabelText(/^Email/), { target: { value: 'nope' } });
    fireEvent.change(within(sec).getByLabelText(/^Source/), { target: { value: 'County records' } });
    fireEvent.click(within(sec).getByRole('button', { name: 'Set the landlord' }));
    expect(await within(sec).findByText('Email must be a valid email address.')).toBeTruthy();
  });

  it('shows the landlord, the contacts and the letters, and records a letter as sent and delivered', async () => {
    let current = letter();
    const calls = serve(fetchMock, (c) => {
      if (c.url === `/api/businesses/${BUSINESS_ID}`) return jsonResponse(200, business({ landlord: { id: LANDLORD_ID, label: 'Main Street Holdings LLC' } }));
      if (c.url === `/api/landlords/${LANDLORD_ID}`) return jsonResponse(200, landlord());
      if (c.url === `/api/businesses/${BUSINESS_ID}/letters`) return jsonResponse(200, { items: [current] });
      if (c.url === `/api/letters/${LETTER_ID}/sent`) {
        current = letter({ sentVia: 'certified_mail', sentAt: '2026-12-04T18:00:00.000Z', tracking: '9400 1000', version: 2 });
        return jsonResponse(200, current);
      }
      if (c.url === `/api/letters/${LETTER_ID}/delivered`) return jsonResponse(200, {});
      return undefined;
    });
    renderCampaign(`/businesses/${BUSINESS_ID}`);
    const sec = await region();
    expect((await within(sec).findByRole('link', { name: 'Main Street Holdings LLC' })).getAttribute('href')).toBe(`/landlords/${LANDLORD_ID}`);
    expect(await within(sec).findByText('Left a message with the agent.')).toBeTruthy();
    const row = await within(sec).findByTestId('notice-letter');
    expect(within(row).getByRole('heading', { name: 'Letter HOPE-2026-0042' })).toBeTruthy();
    expect(within(row).getByText(/response due Jan 3, 2027/)).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Letter HOPE-2026-0042 as PDF' }).getAttribute('href')).toBe(`/api/letters/${LETTER_ID}/pdf`);
    expect(within(row).getByRole('link', { name: 'Letter HOPE-2026-0042 as a Word document' }).getAttribute('href')).toBe(`/api/letters/${LETTER_ID}/docx`);
    expect(within(row).queryByRole('button', { name: 'Record delivery' })).toBeNull();

    fireEvent.click(within(row).getByRole('button', { name: 'Record as sent' }));
    const form = within(row).getByRole('form', { name: 'Record letter HOPE-2026-0042 as sent' });
    fireEvent.change(within(form).getByLabelText(/^Date sent/), { target: { value: '2026-12-04' } });
    fireEvent.change(within(form).getByLabelText(/^Tracking number/), { target: { value: '9400 1000' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Record as sent' }));
    expect(await within(row).findByText(/Sent by certified mail/)).toBeTruthy();
    const sent = calls.find((c) => c.url.endsWith('/sent'))!;
    expect(sent.body).toMatchObject({ via: 'certified_mail', tracking: '9400 1000', version: 1 });
    expect(new Date((sent.body as { at: string }).at).getDate()).toBe(4);

    fireEvent.click(await within(row).findByRole('button', { name: 'Record delivery' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Record delivery' }));
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/delivered'))).toBe(true));
    expect(calls.find((c) => c.url.endsWith('/delivered'))!.body).toMatchObject({ version: 2 });
  });

  it('offers no change to those who may only read, and nothing to those who may not see the landlord', async () => {
    serve(fetchMock, (c) => {
      if (c.url === `/api/businesses/${BUSINESS_ID}`) return jsonResponse(200, business({ abilities: { 'business.read': true } }));
      return undefined;
    });
    renderCampaign(`/businesses/${BUSINESS_ID}`);
    const sec = await region();
    expect(await within(sec).findByText(/may not see this business’s landlord or letters/)).toBeTruthy();
    expect(within(sec).queryByRole('button')).toBeNull();
    expect(calls(fetchMock).some((u) => u.includes('/letters'))).toBe(false);
  });
});

const calls = (mock: ReturnType<typeof vi.fn<typeof fetch>>) => mock.mock.calls.map((c) => String(c[0]));
