import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import { BUSINESS_ID, OTHER_BUSINESS, TIP_ID, alert, landlord, renderCampaign, serve } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('re-opening alerts', () => {
  it('shows where a closed business showed up and what matched, and dismisses it with a reason after a confirmation', async () => {
    let dismissed = false;
    const calls = serve(fetchMock, (c) => {
      if (c.url === '/api/businesses/alerts') return jsonResponse(200, { items: dismissed ? [alert({ dismissedAt: '2026-12-04T19:00:00.000Z' })] : [alert(), alert({ id: '00000000-0000-4000-8000-0000000000ab', source: { type: 'operation_subject', id: null, label: 'A subject of an operation' }, kinds: ['address', 'handle'] })] });
      if (c.url.endsWith('/dismiss')) {
        dismissed = true;
        return jsonResponse(200, {});
      }
      return undefined;
    });
    renderCampaign('/businesses/alerts');
    expect(await screen.findByRole('heading', { name: '2 open alerts', level: 2 })).toBeTruthy();
    const [first, second] = screen.getAllByTestId('reopening-alert');
    expect(within(first!).getByRole('link', { name: 'Jade Garden Massage' }).getAttribute('href')).toBe(`/businesses/${OTHER_BUSINESS}`);
    expect(within(first!).getByRole('link', { name: 'A tip: Tip received Dec 3' }).getAttribute('href')).toBe(`/tip-queue/${TIP_ID}`);
    expect(within(first!).getByText('What matched: phone')).toBeTruthy();
    expect(within(second!).getByText('An operation’s subject: A subject of an operation (you may not open it)')).toBeTruthy();
    expect(within(second!).getByText('What matched: address, ad handle')).toBeTruthy();

    fireEvent.click(within(first!).getByRole('button', { name: 'Dismiss the alert on Jade Garden Massage' }));
    const dialog = await screen.findByRole('dialog', { name: 'Dismiss the alert on Jade Garden Massage?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Dismiss the alert' }));
    expect(await within(dialog).findByText('Reason is required.')).toBeTruthy();
    expect(calls.some((c) => c.url.endsWith('/dismiss'))).toBe(false);
    fireEvent.change(within(dialog).getByLabelText(/^Reason/), { target: { value: 'A different business at the address, checked in person.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Dismiss the alert' }));
    expect(await screen.findByText('The alert on Jade Garden Massage is dismissed.')).toBeTruthy();
    expect(calls.find((c) => c.url.endsWith('/dismiss'))!.body).toEqual({ reason: 'A different business at the address, checked in person.' });
    expect(await screen.findByRole('heading', { name: '1 dismissed' })).toBeTruthy();
  });

  it('says what the page is for when there is no alert', async () => {
    serve(fetchMock, (c) => (c.url === '/api/businesses/alerts' ? jsonResponse(200, { items: [] }) : undefined));
    renderCampaign('/businesses/alerts');
    expect(await screen.findByRole('heading', { name: 'No re-opening alerts' })).toBeTruthy();
  });
});

describe('the landlord page', () => {
  it('shows the owner, their other properties and the contact history, and records a contact', async () => {
    const calls = serve(fetchMock, (c) => {
      if (c.url.startsWith('/api/landlords/') && c.method === 'GET') return jsonResponse(200, landlord());
      if (c.url.endsWith('/contacts')) return jsonResponse(201, {});
      return undefined;
    });
    renderCampaign(`/landlords/${landlord().id}`);
    expect(await screen.findByRole('heading', { name: 'Main Street Holdings LLC', level: 1 })).toBeTruthy();
    expect(screen.getByText('Pat Agent')).toBeTruthy();
    expect(screen.getByText('Jackson County Assessor, parcel 12-340-05')).toBeTruthy();
    const properties = screen.getByRole('heading', { name: '2 properties in the registry' }).closest('section')!;
    expect(within(properties).getByRole('link', { name: 'Golden Lotus Spa' }).getAttribute('href')).toBe(`/businesses/${BUSINESS_ID}`);
    expect(within(properties).getByText('Closed')).toBeTruthy();
    const contacts = screen.getByRole('heading', { name: 'Contact history', level: 2 }).closest('section')!;
    expect(within(contacts).getByText('Left a message with the agent.')).toBeTruthy();
    expect(within(contacts).getByRole('link', { name: '(about Golden Lotus Spa)' }).getAttribute('href')).toBe(`/businesses/${BUSINESS_ID}`);

    fireEvent.click(within(contacts).getByRole('button', { name: 'Record a contact' }));
    expect(await within(contacts).findByText('What was said is required.')).toBeTruthy();
    fireEvent.change(within(contacts).getByLabelText(/^How/), { target: { value: 'email' } });
    fireEvent.change(within(contacts).getByLabelText(/^Who reached out/), { target: { value: 'incoming' } });
    fireEvent.change(within(contacts).getByLabelText(/^What was said/), { target: { value: 'The agent says the lease ends in January.' } });
    fireEvent.click(within(contacts).getByRole('button', { name: 'Record a contact' }));
    expect(await within(contacts).findByText('The contact is recorded.')).toBeTruthy();
    const post = calls.find((c) => c.url.endsWith('/contacts'))!;
    expect(post.body).toMatchObject({ channel: 'email', direction: 'incoming', note: 'The agent says the lease ends in January.' });
    await waitFor(() => expect(calls.filter((c) => c.url === `/api/landlords/${landlord().id}`).length).toBe(2));
  });

  it('corrects the owner’s details with the version read', async () => {
    const calls = serve(fetchMock, (c) => {
      if (c.url.startsWith('/api/landlords/') && c.method === 'GET') return jsonResponse(200, landlord({ abilities: { 'landlord.update': true } }));
      if (c.method === 'PATCH') return jsonResponse(200, landlord({ version: 3 }));
      return undefined;
    });
    renderCampaign(`/landlords/${landlord().id}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit the details' }));
    const form = screen.getByRole('form', { name: 'Edit the details' });
    fireEvent.change(within(form).getByLabelText(/^Source/), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await within(form).findByText('Source is required.')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText(/^Source/), { target: { value: 'Jackson County Recorder of Deeds' } });
    fireEvent.change(within(form).getByLabelText(/^Email/), { target: { value: 'owner@example.com' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')!.body).toMatchObject({ version: 2, source: 'Jackson County Recorder of Deeds', email: 'owner@example.com', name: 'Main Street Holdings LLC' });
  });

  it('says when the landlord cannot be opened', async () => {
    serve(fetchMock, () => jsonResponse(404, { error: { code: 'not_found', message: 'The landlord was not found.' } }));
    renderCampaign(`/landlords/${landlord().id}`);
    expect(await screen.findByText('The landlord was not found.')).toBeTruthy();
  });
});
