import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMapping, mapRow, parseReceivedAt, readHotlineCsv, rejectionOf, suggestMapping } from './tips.import.csv.ts';
import { AppError } from '../../lib/errors.ts';

const SAMPLE = fs.readFileSync(path.join(import.meta.dirname, 'fixtures/hotline-sample.csv'), 'utf8');
const opts = { timeZone: 'America/Chicago', now: new Date('2026-12-01T00:00:00Z') };

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, field: err.field, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('the hotline CSV', () => {
  it('reads the sample: a byte-order mark, CRLF, a newline inside quotes, every row numbered as in a spreadsheet', () => {
    const file = readHotlineCsv(SAMPLE);
    expect(file.headers[0]).toBe('Case Number');
    expect(file.headers).toHaveLength(14);
    expect(file.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(file.rows[1]!.cells[2]).toContain('\n');
  });

  it('suggests a mapping from the column names, English and Spanish; the State column is not imported', () => {
    const file = readHotlineCsv(SAMPLE);
    expect(suggestMapping(file.headers)).toEqual({
      'Case Number': 'externalRef',
      'Date Received': 'receivedAt',
      Narrative: 'narrative',
      City: 'city',
      State: null,
      ZIP: 'zip',
      County: 'county',
      'Minor Involved': 'minorInvolved',
      'Immediate Danger': 'immediateDanger',
      'Phone Numbers': 'phones',
      Emails: 'emails',
      Websites: 'online',
      Businesses: 'businesses',
      Language: 'language',
    });
    expect(suggestMapping(['Número de caso', 'Fecha', 'Descripción', 'Código postal', 'Menor', 'Peligro inmediato', 'Teléfono 1', 'Teléfonos', 'Idioma', 'Notas'])).toEqual({
      'Número de caso': 'externalRef',
      Fecha: 'receivedAt',
      Descripción: 'narrative',
      'Código postal': 'zip',
      Menor: 'minorInvolved',
      'Peligro inmediato': 'immediateDanger',
      'Teléfono 1': null,
      Teléfonos: 'phones',
      Idioma: 'language',
      Notas: null,
    });
    // A scalar field goes to its first column only; a list takes every column named for it.
    expect(suggestMapping(['Case', 'Reference', 'Phone', 'Phones', 'Narrative'])).toEqual({ Case: 'externalRef', Reference: null, Phone: 'phones', Phones: 'phones', Narrative: 'narrative' });
  });

  it('maps a row onto a hotline tip: yes/no, language, a local date, lists, ZIP+4', () => {
    const file = readHotlineCsv(SAMPLE);
    const mapping = suggestMapping(file.headers);
    const spanish = mapRow(file, file.rows[1]!.cells, mapping, opts);
    expect(spanish.errors).toEqual([]);
    expect(spanish.input).toMatchObject({
      source: 'hotline',
      externalRef: 'NHTH-2026-000102',
      receivedAt: '2026-11-03T13:02:00.000Z',
      zip: '64106',
      city: 'Kansas City',
      county: 'Jackson',
      minorInvolved: false,
      immediateDanger: true,
      language: 'es',
      phones: ['816-555-0177'],
    });
    const ad = mapRow(file, file.rows[2]!.cells, mapping, opts);
    expect(ad.input).toMatchObject({ receivedAt: '2026-11-03T19:45:00.000Z', minorInvolved: true, online: ['backpage-alt.example/ad/4411, @sunny_vip_417'], language: 'en' });
    const first = mapRow(file, file.rows[0]!.cells, mapping, opts);
    expect(first.input).toMatchObject({ receivedAt: '2026-11-03T03:14:00.000Z', phones: ['816-555-0142', '816-555-0199'], businesses: ['Golden Lotus Spa'] });
  });

  it('reports the bad row of the sample with its field and reason, never its value', () => {
    const file = readHotlineCsv(SAMPLE);
    const bad = mapRow(file, file.rows[4]!.cells, suggestMapping(file.headers), opts);
    expect(bad.input).toBeNull();
    expect(bad.errors).toEqual([{ field: 'zip', reason: 'must be a five-digit ZIP code' }]);
    expect(rejectionOf(6, bad.errors)).toEqual({ row: 6, field: 'zip', reason: 'must be a five-digit ZIP code' });
  });

  it('names every problem of a row', () => {
    const headers = ['Case Number', 'Narrative', 'Minor Involved', 'Language', 'Date Received', 'ZIP'];
    const file = { headers };
    const mapping = suggestMapping(headers);
    const row = mapRow(file, ['', '', 'perhaps', 'Klingon', '13/45/2026', '1234'], mapping, opts);
    expect(row.errors.map((e) => e.field).sort()).toEqual(['externalRef', 'language', 'minorInvolved', 'narrative', 'receivedAt', 'zip']);
    expect(mapRow(file, ['A1', 'text', 'no', 'en', '2027-01-01', ''], mapping, opts).errors).toEqual([{ field: 'receivedAt', reason: 'is in the future' }]);
    expect(mapRow(file, ['A1', 'text'], mapping, opts).errors[0]).toMatchObject({ field: 'row' });
    const long = mapRow(file, ['A1', 'x'.repeat(9000), 'no', 'en', '', ''], mapping, opts);
    expect(long.errors).toEqual([{ field: 'narrative', reason: 'must be at most 8000 characters' }]);
    const control = mapRow(file, ['A1', 'bell\u0007', 'no', 'en', '', ''], mapping, opts);
    expect(control.errors).toEqual([{ field: 'narrative', reason: 'must not contain control characters' }]);
  });

  it('reads dates in the task force time zone, daylight saving included', () => {
    expect(parseReceivedAt('2026-07-04 08:00', 'America/Chicago')).toBe('2026-07-04T13:00:00.000Z');
    expect(parseReceivedAt('1/15/2026 8:00 am', 'America/Chicago')).toBe('2026-01-15T14:00:00.000Z');
    expect(parseReceivedAt('12/31/2026 12:30 PM', 'America/Chicago')).toBe('2026-12-31T18:30:00.000Z');
    expect(parseReceivedAt('2026-11-03T10:00:00-05:00', 'America/Chicago')).toBe('2026-11-03T15:00:00.000Z');
    expect(parseReceivedAt('2026-02-30', 'America/Chicago')).toBeNull();
    expect(parseReceivedAt('13:00 yesterday', 'America/Chicago')).toBeNull();
  });

  it('refuses a file it cannot read, and a mapping that does not fit the file', () => {
    expect(refusal(() => readHotlineCsv('"Case Number","Narrative\n"A1","never closed'))).toMatchObject({ status: 400, field: 'csv' });
    expect(refusal(() => readHotlineCsv('Case Number,Narrative\r\n'))).toMatchObject({ status: 400, field: 'csv' });
    expect(refusal(() => readHotlineCsv('Case,case\r\nA,B\r\n'))).toMatchObject({ status: 400, field: 'csv' });
    const headers = ['Case Number', 'Narrative', 'Notes'];
    expect(refusal(() => checkMapping(headers, { 'Case Number': 'externalRef' }))).toMatchObject({ status: 400, field: 'mapping' });
    expect(refusal(() => checkMapping(headers, { 'Case Number': 'externalRef', Narrative: 'narrative', Notes: 'narrative' }))).toMatchObject({ status: 400, field: 'mapping.Notes' });
    expect(refusal(() => checkMapping(headers, { 'Case Number': 'externalRef', Narrative: 'narrative', Elsewhere: 'city' }))).toMatchObject({ status: 400, field: 'mapping.Elsewhere' });
    expect(checkMapping(headers, { 'Case Number': 'externalRef', Narrative: 'narrative' })).toEqual({ 'Case Number': 'externalRef', Narrative: 'narrative', Notes: null });
    // A field that does not exist is named by its column, exactly, even a column whose name holds "/" or ".".
    expect(refusal(() => checkMapping(['Date/Time rec.', 'Case Number', 'Narrative'], { 'Date/Time rec.': 'isAdmin', 'Case Number': 'externalRef', Narrative: 'narrative' }))).toMatchObject({
      status: 400,
      field: 'mapping.Date/Time rec.',
    });
  });
});
