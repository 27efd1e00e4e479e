import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import { BUSINESS_ID, OTHER_BUSINESS, batch, business, me, renderCampaign, serve, template } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const section = async (name: string | RegExp) => (await screen.findByRole('heading', { name, level: 2 })).closest('section')!;
const LIST = { items: [business(), business({ id: OTHER_BUSINESS, name: 'Jade Garden Massage', address: '40 Elm St', city: 'Blue Springs' })], total: 2 };

describe('the notice template', () => {
  it('is read-only without the right to edit it', async () => {
    serve(fetchMock, (c) => (c.url === '/api/notice-template' ? jsonResponse(200, template()) : c.url.startsWith('/api/businesses?') ? jsonResponse(200, LIST) : undefined));
    renderCampaign('/businesses/letters', me({ 'business.read': true }));
    const tpl = await section('The notice template');
    expect(await within(tpl).findByText(/Only the attorney general’s office edits the template/)).toBeTruthy();
    expect(within(tpl).getByTestId('template-body').textContent).toContain('Dear {{owner}}');
    expect(within(tpl).queryByRole('button', { name: 'Save the template' })).toBeNull();
    expect(within(tpl).queryByRole('textbox')).toBeNull();
  });

  it('inserts a merge field at the cursor, refuses an unknown one beside the text, and saves with the version read', async () => {
    const calls = serve(fetchMock, (c) => {
      if (c.url === '/api/notice-template' && c.method === 'GET') return jsonResponse(200, template());
      if (c.url === '/api/notice-template' && c.method === 'PUT') return jsonResponse(200, template({ ...(c.body as object), version: 4 }));
      if (c.url.startsWith('/api/businesses?')) return jsonResponse(200, LIST);
      return undefined;
    });
    renderCampaign('/businesses/letters');
    const tpl = await section('The notice template');
    const body = (await within(tpl).findByLabelText('Letter text')) as HTMLTextAreaElement;
    fireEvent.change(body, { target: { value: 'Dear ,' } });
    body.setSelectionRange(5, 5);
    fireEvent.click(within(tpl).getByRole('button', { name: /^Insert \{\{owner\}\}/ }));
    expect(body.value).toBe('Dear {{owner}},');

    fireEvent.change(body, { target: { value: 'Dear {{owner}}, reply by {{deadline}}.' } });
    fireEvent.click(within(tpl).getByRole('button', { name: 'Save the template' }));
    expect(await within(tpl).findByText(/\{\{deadline\}\} is not a merge field/)).toBeTruthy();
    expect(body.getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    fireEvent.change(body, { target: { value: 'Dear {{owner}}, reply by {{response_deadline}}.' } });
    fireEvent.click(within(tpl).getByRole('button', { name: 'Save the template' }));
    expect(await within(tpl).findByText(/The template is saved as version 4/)).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ title: 'Notice to the property owner', body: 'Dear {{owner}}, reply by {{response_deadline}}.', legalBasis: 'RSMo 567.080', responseDays: 30, version: 3 });
  });

  it('says when someone else saved the template first, and places a server refusal beside its field', async () => {
    let answer = jsonResponse(409, { error: { code: 'conflict', message: 'The template changed: version 4 is the latest.' } });
    serve(fetchMock, (c) => {
      if (c.url === '/api/notice-template' && c.method === 'GET') return jsonResponse(200, template());
      if (c.url === '/api/notice-template' && c.method === 'PUT') return answer;
      if (c.url.startsWith('/api/businesses?')) return jsonResponse(200, LIST);
      return undefined;
    });
    renderCampaign('/businesses/letters');
    const tpl = await section('The notice template');
    fireEvent.click(await within(tpl).findByRole('button', { name: 'Save the template' }));
    expect(await within(tpl).findByRole('heading', { name: 'Someone else saved the template' })).toBeTruthy();
    expect(within(tpl).getByRole('button', { name: 'Reload the template' })).toBeTruthy();

    answer = jsonResponse(400, { error: { code: 'invalid', message: 'uses {{owners}}, which is not a merge field', field: 'body' } });
    fireEvent.click(within(tpl).getByRole('button', { name: 'Save the template' }));
    expect(await within(tpl).findByText(/Letter text uses \{\{owners\}\}, which is not a merge field/)).toBeTruthy();
  });

  it('shows the default letter for a task force that has none yet, and saves the first version without one', async () => {
    const calls = serve(fetchMock, (c) => {
      if (c.url === '/api/notice-template' && c.method === 'GET') return jsonResponse(200, template({ id: null, version: 0, updatedAt: null, updatedBy: null }));
      if (c.method === 'PUT') return jsonResponse(200, template({ version: 1 }));
      if (c.url.startsWith('/api/businesses?')) return jsonResponse(200, LIST);
      return undefined;
    });
    renderCampaign('/businesses/letters');
    expect(await screen.findByText(/Lantern’s default letter/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save the template' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')!.body).not.toHaveProperty('version');
  });
});

describe('letters for many businesses', () => {
  it('starts a batch for the businesses chosen, follows its progress, then lists the letters and every refusal', async () => {
    let polls = 0;
    const calls = serve(fetchMock, (c) => {
      if (c.url === '/api/notice-template') return jsonResponse(200, template());
      if (c.url.startsWith('/api/businesses?')) return jsonResponse(200, LIST);
      if (c.url === '/api/letters/batch') return jsonResponse(202, batch({ processed: 0, generated: 0, status: 'queued' }));
      if (c.url.startsWith('/api/letter-batches/')) {
        polls++;
        return polls === 1
          ? jsonResponse(200, batch())
          : jsonResponse(200, batch({ status: 'done', processed: 2, letters: [{ id: '00000000-0000-4000-8000-0000000000e9', number: 'HOPE-2026-0043', businessId: BUSINESS_ID }], refused: [{ businessId: OTHER_BUSINESS, businessName: 'Jade Garden Massage', field: 'owner', reason: 'No landlord is entered.' }] }));
      }
      return undefined;
    });
    renderCampaign('/businesses/letters');
    const sec = await section('Generate letters for many businesses');
    await within(sec).findByLabelText(/^All the businesses listed/);
    expect(calls.find((c) => c.url.startsWith('/api/businesses?'))!.url).toContain('stage=landlord_identified');
    fireEvent.click(within(sec).getByRole('button', { name: 'Generate 0 letters' }));
    expect(await within(sec).findByText('Choose at least one business.')).toBeTruthy();

    fireEvent.click(await within(sec).findByLabelText(/^All the businesses listed/));
    fireEvent.click(within(sec).getByRole('button', { name: 'Generate 2 letters' }));
    const bar = await within(sec).findByRole('progressbar', { name: 'Generating the letters' });
    await waitFor(() => expect(bar.getAttribute('value')).toBe('1'));
    expect(within(sec).getByTestId('batch-status').textContent).toBe('1 of 2 businesses done (50%).');
    expect(calls.find((c) => c.url === '/api/letters/batch')!.body).toEqual({ businessIds: [BUSINESS_ID, OTHER_BUSINESS] });

    expect(await within(sec).findByText('Done. Letters generated: 1. Businesses refused: 1.', {}, { timeout: 4000 })).toBeTruthy();
    expect(within(sec).getByRole('link', { name: 'Letter HOPE-2026-0043 as PDF' }).getAttribute('href')).toBe('/api/letters/00000000-0000-4000-8000-0000000000e9/pdf');
    expect(within(sec).getByRole('link', { name: 'Letter HOPE-2026-0043 as a Word document' }).getAttribute('href')).toBe('/api/letters/00000000-0000-4000-8000-0000000000e9/docx');
    expect(within(sec).getByRole('link', { name: 'Golden Lotus Spa' })).toBeTruthy();
    const refusals = within(sec).getByTestId('batch-refusals');
    expect(refusals.textContent).toBe('Jade Garden Massage: needs the property owner. No landlord is entered.');
    const asked = polls;
    await new Promise((r) => setTimeout(r, 1300));
    expect(polls).toBe(asked);
  });
});
