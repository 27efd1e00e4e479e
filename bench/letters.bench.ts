import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { createContext } from '../server/context.ts';
import { deriveAuditKeys } from '../server/audit/audit-keys.ts';
import { loadActor } from '../server/auth/actor.ts';
import type { TestEnv } from '../server/test/harness.ts';
import { insertAgency, insertTaskForce, insertUser } from '../server/test/fixtures.ts';
import { draftLetterIn } from '../server/modules/businesses/businesses.letters.ts';
import { letterPdf, paragraphsOf } from '../server/modules/businesses/businesses.letters.pdf.ts';
import { letterDocx } from '../server/modules/businesses/businesses.letters.docx.ts';
import { DEFAULT_TEMPLATE } from '../server/modules/businesses/businesses.template.ts';
import { insertTestBusiness, insertTestIndicator, insertTestLandlord } from '../server/modules/businesses/businesses.letters.test-support.ts';
import { benchKeyring, BENCH_KEY_ENV } from './lib/generate.ts';
import { fmt, type Bench, type BenchOptions, type BenchOutcome } from './lib/report.ts';
import type { Backend } from './lib/target.ts';
import { scratchDatabase } from './lib/scratch.ts';

/** Issue #11: "1,000 letters generated as PDFs, with the time per letter reported". */
const LETTERS = 1_000;
const WARMUP = 20;

/** A blank one-page pdfkit document: the least a PDF costs in this process (the baseline). */
function blankPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.end();
  return done;
}

/** A letter's text as the merge makes it (the default template, a different business each time). */
function letterText(i: number) {
  const values: Record<string, string> = {
    owner: `Riverside Holdings ${i} LLC`,
    agent: 'Pat Agent',
    property: `${100 + i} Main St, Kansas City, 64105`,
    business_name: `Golden Lotus Spa ${i}`,
    evidence_summary: '• Covered or blacked-out windows — last observed March 2026, confirmed by a second investigator\n• Open very late hours — last observed April 2026',
    legal_basis: DEFAULT_TEMPLATE.legalBasis,
    response_deadline: 'June 4, 2026',
    letter_number: `HOPE-2026-${String(i).padStart(4, '0')}`,
    date: 'May 5, 2026',
  };
  const fill = (t: string) => t.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, n: string) => values[n] ?? '');
  return { agencyName: "Attorney General's Office", number: values.letter_number!, title: fill(DEFAULT_TEMPLATE.title), paragraphs: paragraphsOf(fill(DEFAULT_TEMPLATE.body)) };
}

async function timeEach(n: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await work(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await work(i);
    out.push(performance.now() - t0);
  }
  return out;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function run(backend: Backend, _opts: BenchOptions): Promise<BenchOutcome> {
  const scratch = await scratchDatabase(backend, 'letters');
  const config = loadConfig({ ...BENCH_KEY_ENV, LANTERN_DATA_DIR: scratch.dataDir, LANTERN_LOG_LEVEL: 'silent', ...(scratch.databaseUrl ? { DATABASE_URL: scratch.databaseUrl } : {}) });
  const ctx = await createContext(config, { keyring: benchKeyring(), auditKeys: deriveAuditKeys(randomBytes(32), 'bench'), log: pino({ level: 'silent' }) });
  try {
    await ctx.audit.start();
    const env = { ctx, clock: ctx.clock } as unknown as TestEnv;
    const police = await insertAgency(env, 'Kansas City Police', 'law_enforcement');
    const ag = await insertAgency(env, "Attorney General's Office", 'prosecutor');
    const taskForceId = await insertTaskForce(env, 'Hope Initiative', ag, [police]);
    const officer = await insertUser(env, police, ['officer']);
    const analyst = await insertUser(env, ag, ['analyst']);
    const actor = await loadActor(ctx.db, analyst.id, 'bench');
    const base = { agencyId: police, taskForceId, createdBy: officer.id };
    const businesses: string[] = [];
    for (let i = 0; i < LETTERS + WARMUP; i++) {
      const landlord = await insertTestLandlord(ctx, base);
      const b = await insertTestBusiness(ctx, { ...base, landlordId: landlord.id });
      await insertTestIndicator(ctx, { businessId: b.id, agencyId: police, recordedBy: officer.id, indicator: 'covered_windows', observedOn: '2026-03-14', verifiedBy: officer.id });
      businesses.push(b.id);
    }

    const blank = await timeEach(LETTERS, () => blankPdf());
    const pdfOnly = await timeEach(LETTERS, (i) => letterPdf(letterText(Math.abs(i))));
    const docxOnly = await timeEach(LETTERS, (i) => letterDocx(letterText(Math.abs(i))));
    let next = 0;
    const stored = await timeEach(LETTERS, () =>
      ctx.audit.transact({ actor: { userId: actor.userId, agencyId: actor.agencyId }, meta: { ip: null, userAgent: null, requestId: 'bench' } }, async (tx) => {
        const business = await tx.db.selectFrom('business').selectAll().where('id', '=', businesses[next++]!).executeTakeFirstOrThrow();
        return draftLetterIn(ctx, tx, actor, business);
      }),
    );
    const count = await ctx.db.selectFrom('notice_letter').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const base0 = mean(blank);
    const row = (label: string, xs: number[]) => [label, fmt.ms(mean(xs)), fmt.ms(pct(xs, 50)), fmt.ms(pct(xs, 95)), fmt.ms(pct(xs, 99)), fmt.ratio(mean(xs) / base0)];
    return {
      backend,
      table: {
        headers: ['1,000 letters', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', '× blank'],
        rows: [
          row('blank one-page pdfkit document (baseline)', blank),
          row('letter PDF, tagged, fonts embedded (render only)', pdfOnly),
          row('letter Word document (render only)', docxOnly),
          row('letter drafted: merge, number, PDF + Word, sealed, stored, audited', stored),
        ],
      },
      verdict: [
        `time per letter: ${fmt.ms(mean(pdfOnly))} ms to render the PDF, ${fmt.ms(mean(stored))} ms drafted and stored (${fmt.ratio(mean(stored) / base0)}× a blank PDF); 1,000 letters in ${(stored.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s`,
        `letters stored: ${fmt.int(Number(count.n))} (${WARMUP} of them warm-up)`,
      ],
      data: {
        letters: LETTERS,
        blankMs: { mean: base0, p99: pct(blank, 99) },
        pdfMs: { mean: mean(pdfOnly), p50: pct(pdfOnly, 50), p99: pct(pdfOnly, 99) },
        docxMs: { mean: mean(docxOnly), p99: pct(docxOnly, 99) },
        storedMs: { mean: mean(stored), p50: pct(stored, 50), p99: pct(stored, 99) },
      },
    };
  } finally {
    await ctx.database.close();
    await scratch.remove();
  }
}

export const lettersBench: Bench = {
  name: 'letters',
  summary: '1,000 landlord notice letters rendered as tagged PDFs, and drafted and stored, ms per letter against a blank pdfkit page',
  run,
};
