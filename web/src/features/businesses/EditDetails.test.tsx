import '../../test/setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { jsonResponse } from '../../test/render.tsx';
import type { BusinessDto } from './api.ts';
import { BUSINESS_ID, business, commonAnswer, renderBusinessPages } from './test-fixtures.tsx';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const editor = { 'business.read': true, 'business.update': true };

/** Serves the business page's GETs (the business from `current`) and answers PATCHes with `onPatch` (recorded). */
function serve(current: () => BusinessDto, onPatch: (body: unknown) => Response = () => jsonResponse(200, current())) {
  const patches: { url: string; body: unknown }[] = [];
  fetchMock.mockImplementation(async (input, init) => {
    const url = String(input);
    if (init?.method === 'PATCH') {
      const body = JSON.parse(String(init.body));
      patches.push({ url, body });
      return onPatch(body);
    }
    const common = commonAnswer(url);
    if (common) return common;
    const path = url.split('?')[0];
    if (path === `/api/businesses/${BUSINESS_ID}`) return jsonResponse(200, current());
    if (path === `/api/businesses/${BUSINESS_ID}/indicators`) return jsonResponse(200, { items: [], score: { score: 0, reasons: [] } });
    if (path === `/api/businesses/${BUSINESS_ID}/events`) return jsonResponse(200, { items: [] });
    if (path === `/api/businesses/${BUSINESS_ID}/network`) return jsonResponse(200, { businessId: BUSINESS_ID, links: [] });
    return jsonResponse(404, { error: { code: 'not_found', message: `no mock for ${url}` } });
  });
  return { patches };
}

const summary = async () => (await screen.findByRole('heading', { name: 'Summary', level: 2 })).closest('section')!;

async function openForm() {
  const section = await summary();
  fireEvent.click(within(section).getByRole('button', { name: 'Edit details' }));
  return screen.findByRole('form', { name: 'Correct the name, hours or license' });
}

describe('correcting a business’s details', () => {
  it('offers no "Edit details" without the server’s business.update ability', async () => {
    serve(() => business({ abilities: { 'business.read': true, 'business.advance': true } }));
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const section = await summary();
    expect(within(section).getByText('10 am to 2 am every day')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Edit details' })).toBeNull();
  });

  it('opens prefilled, asks for the source, and sends only the changed name with the version and source', async () => {
    let current = business({ abilities: editor, license: { number: 'ML-2231', issuer: 'City of Oak Grove', expires: '2027-06-30' } });
    const { patches } = serve(
      () => current,
      () => {
        current = { ...current, name: 'Lotus Wellness', version: 4 };
        return jsonResponse(200, current);
      },
    );
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const form = await openForm();
    expect((within(form).getByLabelText('Business name') as HTMLInputElement).value).toBe('Golden Lotus Spa');
    expect((within(form).getByLabelText(/^Hours/) as HTMLInputElement).value).toBe('10 am to 2 am every day');
    expect((within(form).getByLabelText(/^License number/) as HTMLInputElement).value).toBe('ML-2231');
    expect((within(form).getByLabelText(/^Issued by/) as HTMLInputElement).value).toBe('City of Oak Grove');
    expect((within(form).getByLabelText(/^Expires on/) as HTMLInputElement).value).toBe('2027-06-30');

    fireEvent.change(within(form).getByLabelText('Business name'), { target: { value: 'Lotus Wellness' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await within(form).findByText('Source is required.')).toBeTruthy();
    expect(patches).toEqual([]);

    fireEvent.change(within(form).getByLabelText(/^Source/), { target: { value: 'Storefront sign, site visit 2026-12-04' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('The business’s details are corrected.')).toBeTruthy();
    expect(patches).toEqual([{ url: `/api/businesses/${BUSINESS_ID}`, body: { version: 3, name: 'Lotus Wellness', source: 'Storefront sign, site visit 2026-12-04' } }]);
    expect(await screen.findByRole('heading', { name: 'Lotus Wellness', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Correct the name, hours or license' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit details' })));
  });

  it('shows the server’s refusal of the name beside the name field', async () => {
    const { patches } = serve(
      () => business({ abilities: editor }),
      () => jsonResponse(400, { error: { code: 'invalid', message: 'name: must not contain control characters', field: 'name' } }),
    );
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const form = await openForm();
    fireEvent.change(within(form).getByLabelText('Business name'), { target: { value: 'Lotus Spa' } });
    fireEvent.change(within(form).getByLabelText(/^Source/), { target: { value: 'Site visit' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    const name = within(form).getByLabelText('Business name');
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe('Business name must not contain control characters.');
    expect(patches).toHaveLength(1);
  });

  it('says plainly when someone else changed the business, and reloads it on request', async () => {
    let current = business({ abilities: editor });
    const { patches } = serve(
      () => current,
      (body) => {
        if ((body as { version: number }).version === 4) return jsonResponse(200, { ...current, hours: '9 am to 3 am', version: 5 });
        current = { ...current, hours: 'Noon to midnight', version: 4 };
        return jsonResponse(409, { error: { code: 'conflict', message: 'version: this business was changed by someone else a moment ago (it is now at version 4, stage identified); reload it', field: 'version' } });
      },
    );
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const form = await openForm();
    fireEvent.change(within(form).getByLabelText(/^Hours/), { target: { value: '9 am to 3 am' } });
    fireEvent.change(within(form).getByLabelText(/^Source/), { target: { value: 'Posted sign' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await within(form).findByRole('heading', { name: 'Someone else changed this business' })).toBeTruthy();
    expect(within(form).getByText(/Your correction is not saved/)).toBeTruthy();
    expect(patches[0]!.body).toEqual({ version: 3, hours: '9 am to 3 am', source: 'Posted sign' });

    fireEvent.click(within(form).getByRole('button', { name: 'Reload the business' }));
    // The form starts again from the business as it is now (the element is new: query it afresh).
    const hours = () => within(screen.getByRole('form', { name: 'Correct the name, hours or license' })).getByLabelText(/^Hours/) as HTMLInputElement;
    await waitFor(() => expect(hours().value).toBe('Noon to midnight'));
    expect(screen.queryByText('Someone else changed this business')).toBeNull();
    expect(within(await summary()).getByText('Noon to midnight')).toBeTruthy();

    // Made again on their version, the correction is sent with it (and the source typed stays).
    fireEvent.change(hours(), { target: { value: '9 am to 3 am' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('The business’s details are corrected.')).toBeTruthy();
    expect(patches[1]!.body).toEqual({ version: 4, hours: '9 am to 3 am', source: 'Posted sign' });
  });

  it('closes without saving on Cancel', async () => {
    const { patches } = serve(() => business({ abilities: editor }));
    renderBusinessPages(`/businesses/${BUSINESS_ID}`);
    const form = await openForm();
    fireEvent.change(within(form).getByLabelText('Business name'), { target: { value: 'Something else' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Correct the name, hours or license' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Golden Lotus Spa', level: 1 })).toBeTruthy();
    expect(patches).toEqual([]);
  });
});
