import '../../test/setup.ts';
import { Suspense } from 'react';
import { beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { jsonResponse, renderWithQuery } from '../../test/render.tsx';
import type { ImportJobDto, ImportPreview } from './api.ts';
import { TipsImportPage } from './TipsImportPage.tsx';

const JOB = '00000000-0000-4000-8000-0000000000b1';
const CSV = 'Case Number,Narrative,ZIP\r\nA-1,Men come and go all night,64075\r\nA-2,A girl works at the truck stop,64O75\r\n';
const mapping = { 'Case Number': 'externalRef', Narrative: 'narrative', ZIP: 'zip' } as const;
const preview = (zip: 'zip' | null): ImportPreview => ({
  headers: ['Case Number', 'Narrative', 'ZIP'],
  mapping: { ...mapping, ZIP: zip },
  suggested: mapping,
  totalRows: 2,
  rows: [
    { row: 2, tip: { externalRef: 'A-1', narrative: 'Men come and go all night', zip: '64075', minorInvolved: false }, errors: [] },
    { row: 3, tip: { externalRef: 'A-2', narrative: 'A girl works at the truck stop', minorInvolved: false }, errors: zip ? [{ field: 'zip', reason: 'must be a five-digit ZIP code' }] : [] },
  ],
});
const job = (over: Partial<ImportJobDto>): ImportJobDto => ({ id: JOB, status: 'running', total: 2, processed: 0, imported: 0, duplicates: 0, rejected: [], error: null, createdAt: '2026-12-01T15:00:00.000Z', finishedAt: null, ...over });
const me = { user: { id: 'u', email: 'c@example.test', displayName: 'Corey', roles: ['coordinator'], platformAdmin: false, mustChangePassword: false }, agency: { id: 'a', name: 'Oak Grove PD', kind: 'law_enforcement' }, taskForces: [], abilities: {} };

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('hotline import page', () => {
  it('previews the chosen file with its mapping, re-previews a changed mapping, imports with a progress bar and reports every rejected row', async () => {
    const bodies: unknown[] = [];
    let polls = 0;
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/me') return jsonResponse(200, me);
      if (url === '/api/tips/import/preview') {
        const sent = JSON.parse(String(init?.body)) as { mapping?: { ZIP: string | null } };
        bodies.push(sent);
        return jsonResponse(200, preview(sent.mapping ? sent.mapping.ZIP as 'zip' | null : 'zip'));
      }
      if (url === '/api/tips/import') {
        bodies.push(JSON.parse(String(init?.body)));
        return jsonResponse(202, { jobId: JOB });
      }
      if (url === `/api/tips/import/${JOB}`) {
        polls++;
        return jsonResponse(200, polls < 2 ? job({ processed: 1 }) : job({ status: 'done', processed: 2, imported: 1, rejected: [{ row: 3, field: 'zip', reason: 'must be a five-digit ZIP code' }], finishedAt: '2026-12-01T15:00:01.000Z' }));
      }
      return jsonResponse(404, { error: { code: 'not_found', message: 'No such route.' } });
    });
    renderWithQuery(
      <Suspense fallback={null}>
        <TipsImportPage />
      </Suspense>,
    );
    const input = await screen.findByLabelText('Hotline CSV file');
    fireEvent.change(input, { target: { files: [new File([CSV], 'hotline.csv', { type: 'text/csv' })] } });

    const rows = await screen.findByRole('table', { name: 'The first 2 of 2 rows, as they would be imported' });
    expect(within(rows).getByRole('row', { name: /^3 / }).textContent).toContain('ZIP code: must be a five-digit ZIP code');
    expect(bodies[0]).toEqual({ csv: CSV });
    const zip = screen.getByRole('combobox', { name: 'ZIP' }) as HTMLSelectElement;
    expect(zip.value).toBe('zip');
    expect(screen.getByText(/1 of these rows has a problem/)).toBeTruthy();

    fireEvent.change(zip, { target: { value: '' } });
    await vi.waitFor(() => expect(screen.queryByText(/1 of these rows has a problem/)).toBeNull());
    expect(bodies[1]).toEqual({ csv: CSV, mapping: { ...mapping, ZIP: null } });
    fireEvent.change(zip, { target: { value: 'zip' } });
    await screen.findByText(/1 of these rows has a problem/);

    fireEvent.click(screen.getByRole('button', { name: 'Import 2 rows' }));
    const bar = await screen.findByRole('progressbar', { name: 'Importing' });
    expect(bar.getAttribute('max')).toBe('2');
    expect(screen.getByText('1 of 2 rows done').getAttribute('aria-live')).toBe('polite');
    expect(bodies[3]).toEqual({ csv: CSV, mapping });

    await screen.findByRole('heading', { name: '3. What the import did' }, { timeout: 3000 });
    expect(screen.getByTestId('import-imported').textContent).toBe('1');
    expect(screen.getByTestId('import-duplicates').textContent).toBe('0');
    expect(screen.getByTestId('import-rejected').textContent).toBe('1');
    const rejected = screen.getByRole('table', { name: 'Every rejected row, with the column and the reason' });
    expect(within(rejected).getByRole('row', { name: /^3 / }).textContent).toBe('3ZIPmust be a five-digit ZIP code');
    expect(screen.getByRole('link', { name: 'Download the rejected rows (CSV)' }).getAttribute('href')).toBe(`/api/tips/import/${JOB}/rejected.csv`);
  });

  it('names the column of a mapping the server refuses', async () => {
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url === '/api/me') return jsonResponse(200, me);
      const sent = JSON.parse(String(init?.body)) as { mapping?: unknown };
      if (sent.mapping) return jsonResponse(400, { error: { code: 'invalid', message: 'mapping.ZIP: maps to narrative, which the column "Narrative" already fills', field: 'mapping.ZIP' } });
      return jsonResponse(200, preview('zip'));
    });
    renderWithQuery(
      <Suspense fallback={null}>
        <TipsImportPage />
      </Suspense>,
    );
    fireEvent.change(await screen.findByLabelText('Hotline CSV file'), { target: { files: [new File([CSV], 'hotline.csv', { type: 'text/csv' })] } });
    await screen.findByRole('table', { name: 'The first 2 of 2 rows, as they would be imported' });
    fireEvent.change(screen.getByRole('combobox', { name: 'ZIP' }), { target: { value: 'narrative' } });
    expect((await screen.findByText(/already fills/)).id).toBe(screen.getByRole('combobox', { name: 'ZIP' }).getAttribute('aria-describedby'));
    expect((screen.getByRole('button', { name: 'Import 2 rows' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
