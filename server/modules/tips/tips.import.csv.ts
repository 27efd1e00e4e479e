import { parse, CsvError } from 'csv-parse/sync';
import { staffTipInput, type StaffTipInput } from '../../../common/schemas/tips.ts';
import type { ImportMapping, ImportMappingInput } from '../../../common/schemas/tips-import.ts';
import { IMPORT_FIELDS, LIST_IMPORT_FIELDS, REQUIRED_IMPORT_FIELDS, TIP_IMPORT_LIMITS, type ImportField } from '../../../common/tips-import.ts';
import { invalid } from '../../lib/errors.ts';

/**
 * The hotline's CSV, read and mapped onto tips (issue #10, item 4): pure functions, no database. A file
 * is a header row and data rows; each column is mapped to a tip field (or left out), and each row becomes
 * the input of a staff-entered tip with source `hotline` and the hotline's case number as its reference.
 */

export interface HotlineFile {
  headers: string[];
  /** Data rows that hold anything, each with its spreadsheet row number (the header is row 1). */
  rows: { row: number; cells: string[] }[];
}

export interface RowError {
  field: string;
  reason: string;
}

export interface MappedRow {
  /** What the tip would say: the validated input, or the converted cells when they do not validate. */
  tip: Record<string, unknown>;
  input: StaffTipInput | null;
  errors: RowError[];
}

/**
 * Reads the file: a byte-order mark, CRLF line ends and newlines inside quoted cells are all taken as a
 * spreadsheet writes them. A file that is not CSV, has no data row, repeats a column name or is too big
 * is refused (400, field `csv`) before anything runs.
 */
export function readHotlineCsv(unverifiedCsv: string): HotlineFile {
  let records: string[][];
  try {
    records = parse(unverifiedCsv, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: false });
  } catch (err) {
    if (err instanceof CsvError) throw invalid('csv', `is not a CSV file the import can read (${err.message})`);
    throw err;
  }
  const [header, ...data] = records;
  if (!header || header.every((h) => h.trim() === '')) throw invalid('csv', 'has no header row: the first row must name the columns');
  if (header.length > TIP_IMPORT_LIMITS.columns) throw invalid('csv', `has ${header.length} columns; at most ${TIP_IMPORT_LIMITS.columns} are read`);
  const headers = header.map((h, i) => h.trim() || `Column ${i + 1}`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h.toLowerCase())) throw invalid('csv', `names the column "${h}" twice: rename one of them`);
    seen.add(h.toLowerCase());
  }
  // A blank line is no tip: it is skipped, and row numbers still match the spreadsheet's.
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw invalid('csv', 'has no tips: only a header row');
  if (rows.length > TIP_IMPORT_LIMITS.rows) throw invalid('csv', `has ${rows.length} rows; import at most ${TIP_IMPORT_LIMITS.rows} at a time`);
  return { headers, rows };
}

/** A column name as compared: lower case, no accents, words only ("Número de caso" → "numero de caso"). */
const normalName = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Column names the hotline and its Spanish forms use for each field (compared by `normalName`). */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  externalRef: ['case number', 'case no', 'case', 'case id', 'case ref', 'hotline case', 'reference', 'reference number', 'ref', 'tip id', 'numero de caso', 'caso', 'no de caso', 'referencia'],
  receivedAt: ['date received', 'received', 'received at', 'date', 'date time', 'datetime', 'reported', 'date reported', 'fecha', 'fecha recibida', 'fecha de recepcion', 'recibido', 'fecha de reporte'],
  narrative: ['narrative', 'description', 'details', 'summary', 'tip', 'tip narrative', 'narrativa', 'descripcion', 'relato', 'detalles', 'resumen'],
  address: ['address', 'street', 'street address', 'location', 'direccion', 'domicilio', 'ubicacion'],
  city: ['city', 'town', 'ciudad', 'municipio', 'localidad'],
  zip: ['zip', 'zip code', 'zipcode', 'postal code', 'codigo postal', 'cp'],
  county: ['county', 'condado'],
  when: ['when', 'incident date', 'time of incident', 'date of incident', 'cuando', 'fecha del incidente'],
  people: ['people', 'persons', 'persons involved', 'people involved', 'subjects', 'personas', 'personas involucradas', 'sujetos'],
  vehicles: ['vehicles', 'vehicle', 'plates', 'license plates', 'vehiculos', 'vehiculo', 'placas'],
  phones: ['phone numbers', 'phones', 'phone', 'phone number', 'telephone', 'telefono', 'telefonos', 'numeros de telefono'],
  emails: ['emails', 'email', 'e mail', 'email addresses', 'correo', 'correos', 'correo electronico', 'correos electronicos'],
  online: ['websites', 'website', 'urls', 'url', 'online', 'handles', 'social media', 'ads', 'sitios web', 'sitio web', 'redes sociales', 'anuncios'],
  businesses: ['businesses', 'business', 'business names', 'business name', 'negocios', 'negocio', 'empresas', 'empresa'],
  minorInvolved: ['minor involved', 'minor', 'minors', 'minors involved', 'juvenile', 'menor', 'menores', 'menor involucrado', 'menores involucrados'],
  immediateDanger: ['immediate danger', 'danger', 'in danger', 'imminent danger', 'peligro', 'peligro inmediato'],
  language: ['language', 'idioma', 'lengua'],
};

/** The field a column name suggests, by the names above (English and Spanish); null: not imported. */
export function suggestField(header: string): ImportField | null {
  const name = normalName(header);
  return IMPORT_FIELDS.find((f) => SYNONYMS[f].includes(name)) ?? null;
}

/** A mapping for every column of the file, by their names; a scalar field goes to its first column only. */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const out: ImportMapping = {};
  const taken = new Set<ImportField>();
  for (const h of headers) {
    const f = suggestField(h);
    out[h] = f && (LIST_IMPORT_FIELDS.includes(f) || !taken.has(f)) ? f : null;
    if (f) taken.add(f);
  }
  return out;
}

/**
 * Checks a mapping against the file's columns: every column it names exists, a field other than a list
 * takes one column, and the case number and the narrative are mapped. Columns it leaves out are not imported.
 */
export function checkMapping(headers: readonly string[], mapping: ImportMappingInput): ImportMapping {
  const byField = new Map<ImportField, string>();
  for (const [column, wanted] of Object.entries(mapping)) {
    if (!headers.includes(column)) throw invalid(`mapping.${column}`, 'is not a column of the file');
    if (wanted === null) continue;
    if (typeof wanted !== 'string' || !(IMPORT_FIELDS as readonly string[]).includes(wanted)) throw invalid(`mapping.${column}`, `must be one of ${IMPORT_FIELDS.join(', ')}, or null`);
    const field = wanted as ImportField;
    const other = byField.get(field);
    if (other !== undefined && !LIST_IMPORT_FIELDS.includes(field)) throw invalid(`mapping.${column}`, `maps to ${field}, which the column "${other}" already fills`);
    byField.set(field, column);
  }
  for (const f of REQUIRED_IMPORT_FIELDS) {
    if (!byField.has(f)) throw invalid('mapping', `must map a column to ${f}: ${f === 'externalRef' ? 'the hotline case number keeps a tip from being imported twice' : 'a tip without its narrative says nothing'}`);
  }
  return Object.fromEntries(headers.map((h) => [h, ((mapping[h] as string | null | undefined) ?? null) as ImportField | null]));
}

const YES = new Set(['yes', 'y', 'true', 't', '1', 'x', 'si', 's']);
const NO = new Set(['no', 'n', 'false', 'f', '0', '', 'unknown', 'desconocido', 'u']);

function yesNo(value: string): boolean | null {
  const v = normalName(value);
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}

function languageOf(value: string): 'en' | 'es' | null {
  const v = normalName(value);
  if (['', 'en', 'eng', 'english', 'ingles'].includes(v)) return 'en';
  if (['es', 'spa', 'spanish', 'espanol', 'castellano'].includes(v)) return 'es';
  return null;
}

/** A list cell: values split on semicolons, bars or line breaks (and, for phones and emails, commas). */
function splitList(field: ImportField, value: string): string[] {
  const separators = field === 'phones' || field === 'emails' ? /[;|\n,]+/ : /[;|\n]+/;
  return value
    .split(separators)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Milliseconds the zone is ahead of UTC at the instant `t`. */
function zoneOffset(t: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(t / 1000) * 1000;
}

/** A wall-clock time in the zone, as an instant (the offset in force at that time, DST included). */
function zonedInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date | null {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  let t = wall - zoneOffset(wall, timeZone);
  const again = wall - zoneOffset(t, timeZone);
  if (again !== t) t = again;
  return new Date(t);
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$/i;
const MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$/i;

/**
 * When the hotline received the tip: ISO 8601 with a zone, or a date (YYYY-MM-DD or the hotline's
 * MM/DD/YYYY) with an optional time, read in the task force's time zone. Null: not a date.
 */
export function parseReceivedAt(value: string, timeZone: string): string | null {
  const v = value.trim();
  if (ISO_WITH_ZONE.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const ymd = YMD.exec(v);
  const mdy = ymd ? null : MDY.exec(v);
  const m = ymd ?? mdy;
  if (!m) return null;
  const [y, mo, d] = ymd ? [Number(m[1]), Number(m[2]), Number(m[3])] : [Number(m[3]), Number(m[1]), Number(m[2])];
  let h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const half = m[7]?.toLowerCase().replaceAll('.', '');
  if (half) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'pm' ? 12 : 0);
  }
  return zonedInstant(y, mo, d, h, mi, s, timeZone)?.toISOString() ?? null;
}

/**
 * One data row as a hotline tip: the mapped cells converted (yes/no, language, date, lists, ZIP+4) and
 * then checked by the staff tip schema, as a tip typed in by staff would be. Every problem is returned,
 * each naming the tip field; the values themselves are never part of a reason.
 */
export function mapRow(file: Pick<HotlineFile, 'headers'>, cells: readonly string[], mapping: ImportMapping, opts: { timeZone: string; now: Date }): MappedRow {
  const errors: RowError[] = [];
  if (cells.length !== file.headers.length) {
    errors.push({ field: 'row', reason: `has ${cells.length} cells where the header has ${file.headers.length}: a quote or a comma is probably missing` });
  }
  const cellOf: Partial<Record<ImportField, string>> = {};
  const lists: Partial<Record<ImportField, string[]>> = {};
  file.headers.forEach((header, i) => {
    const field = mapping[header];
    if (!field) return;
    const value = (cells[i] ?? '').trim();
    if (LIST_IMPORT_FIELDS.includes(field)) lists[field] = [...(lists[field] ?? []), ...splitList(field, value)];
    else cellOf[field] = value;
  });

  const tip: Record<string, unknown> = { source: 'hotline' };
  for (const f of ['narrative', 'address', 'city', 'county', 'when', 'people', 'vehicles'] as const) {
    if (cellOf[f]) tip[f] = cellOf[f];
  }
  for (const f of LIST_IMPORT_FIELDS) tip[f] = lists[f] ?? [];
  if (cellOf.zip) tip.zip = /^\d{5}-\d{4}$/.test(cellOf.zip) ? cellOf.zip.slice(0, 5) : cellOf.zip;

  if (cellOf.externalRef) tip.externalRef = cellOf.externalRef;
  else errors.push({ field: 'externalRef', reason: 'is required: the hotline case number keeps a tip from being imported twice' });

  for (const f of ['minorInvolved', 'immediateDanger'] as const) {
    const answer = yesNo(cellOf[f] ?? '');
    if (answer === null) errors.push({ field: f, reason: 'must be yes or no (or left empty for no)' });
    else tip[f] = answer;
  }
  const language = languageOf(cellOf.language ?? '');
  if (language === null) errors.push({ field: 'language', reason: 'must be English or Spanish (en or es); leave it empty for English' });
  else tip.language = language;

  if (cellOf.receivedAt) {
    const at = parseReceivedAt(cellOf.receivedAt, opts.timeZone);
    if (at === null) errors.push({ field: 'receivedAt', reason: 'must be a date: YYYY-MM-DD or MM/DD/YYYY, with an optional time' });
    else if (Date.parse(at) > opts.now.getTime() + 60 * 60_000) errors.push({ field: 'receivedAt', reason: 'is in the future' });
    else tip.receivedAt = at;
  }

  const checked = staffTipInput.safeParse(tip);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = issue.path.join('.') || 'row';
      // The conversions above already named their own field; the schema's issue about it would repeat it.
      if (!errors.some((e) => e.field === field || e.field === String(issue.path[0]))) errors.push({ field, reason: issue.message });
    }
  }
  if (errors.length || !checked.success) return { tip, input: null, errors };
  return { tip: checked.data, input: checked.data, errors };
}

/** One line of the job's report for a rejected row: its first problem's field, and every problem. */
export function rejectionOf(row: number, errors: readonly RowError[]): { row: number; field: string; reason: string } {
  const [first, ...rest] = errors;
  const more = rest.map((e) => `${e.field} ${e.reason}`).join('; ');
  return { row, field: first!.field, reason: more ? `${first!.reason}; also ${more}` : first!.reason };
}
