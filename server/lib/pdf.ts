import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
// Public Sans ships with USWDS (SIL Open Font License); resolved through the package's "./fonts/*" export.
const FONT_DIR = path.dirname(require.resolve('@uswds/uswds/fonts/public-sans/PublicSans-Regular.ttf'));

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
type FontFile = 'PublicSans-Regular.ttf' | 'PublicSans-Bold.ttf' | 'PublicSans-Italic.ttf';

const parsedFonts = new Map<FontFile, PDFKit.Mixins.PDFFontSource>();

/**
 * A font parsed once per process and shared by every document: given a path, pdfkit reads and parses the
 * file again for each document (most of a letter's cost). pdfkit also accepts an already parsed fontkit
 * font, which it only reads; each document still embeds its own subset. pdfkit does not expose its fontkit,
 * so the font is parsed by a throwaway document and taken from its private `_font.font` (pdfkit is pinned);
 * should that ever not be a font, the file's bytes are cached instead, which pdfkit parses per document.
 */
function fontSource(file: FontFile): PDFKit.Mixins.PDFFontSource {
  let source = parsedFonts.get(file);
  if (!source) {
    const bytes = fs.readFileSync(path.join(FONT_DIR, file));
    const parsed = (new PDFDocument({ autoFirstPage: false }).font(bytes) as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
    source = typeof parsed?.layout === 'function' ? (parsed as unknown as PDFKit.Mixins.PDFFontSource) : bytes;
    parsedFonts.set(file, source);
  }
  return source;
}

export interface TaggedPdf {
  doc: Doc;
  /** The document's language (BCP 47, as `/Lang` holds it): what its page footers are written in. */
  lang: string;
  /** The document's structure root: every piece of content hangs under it, so screen readers can follow. */
  root: Struct;
  finish(): Promise<Buffer>;
}

/**
 * A tagged PDF (PDF/UA-minded): language, title shown in the window, structure tree, Public Sans
 * embedded (the USWDS typeface), letter size with one-inch margins.
 */
export function taggedPdf(opts: { title: string; lang: string; subject?: string; author?: string }): TaggedPdf {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 72,
    tagged: true,
    pdfVersion: '1.7',
    lang: opts.lang,
    displayTitle: true,
    info: { Title: opts.title, Subject: opts.subject ?? '', Author: opts.author ?? 'Lantern', Creator: 'Lantern' },
    bufferPages: true,
  });
  doc.registerFont('body', fontSource('PublicSans-Regular.ttf'));
  doc.registerFont('bold', fontSource('PublicSans-Bold.ttf'));
  doc.registerFont('italic', fontSource('PublicSans-Italic.ttf'));
  doc.font('body').fontSize(11);
  const root = doc.struct('Document');
  doc.addStructure(root);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    lang: opts.lang,
    root,
    finish() {
      root.end();
      doc.end();
      return done;
    },
  };
}

export function heading(pdf: TaggedPdf, text: string, level: 1 | 2 | 3 = 2) {
  const sizes = { 1: 20, 2: 15, 3: 12 };
  const { doc } = pdf;
  // Keep a heading with what follows it: start a new page rather than strand it at the bottom.
  if (level > 1 && doc.y > doc.page.height - doc.page.margins.bottom - 110) doc.addPage();
  else if (level > 1) doc.moveDown(0.6);
  doc.font('bold').fontSize(sizes[level]);
  doc.text(text, { structParent: pdf.root, structType: `H${level}` } as PDFKit.Mixins.TextOptions);
  doc.font('body').fontSize(11).moveDown(0.3);
}

export function paragraph(pdf: TaggedPdf, text: string, opts: { italic?: boolean; size?: number } = {}) {
  const { doc } = pdf;
  doc.font(opts.italic ? 'italic' : 'body').fontSize(opts.size ?? 11);
  doc.text(text, { structParent: pdf.root, structType: 'P', lineGap: 2 } as PDFKit.Mixins.TextOptions);
  doc.font('body').fontSize(11).moveDown(0.4);
}

/** A table with header cells marked TH, so its rows read as data, not as loose text. */
export function table(pdf: TaggedPdf, headers: string[], rows: (string | number)[][], widths?: (number | '*')[]) {
  const { doc } = pdf;
  doc.font('body').fontSize(10);
  doc.table({
    structParent: pdf.root,
    columnStyles: widths ?? headers.map(() => '*'),
    rowStyles: (i: number) => (i === 0 ? { backgroundColor: '#dfe1e2', font: { src: 'bold' } } : {}),
    data: [headers.map((h) => ({ text: h, type: 'TH' })), ...rows.map((r) => r.map((c) => String(c)))],
  } as unknown as PDFKit.Mixins.TableOptionsWithData);
  doc.font('body').fontSize(11).moveDown(0.6);
}

/**
 * "Page 2 of 5" in the document's language: Spanish for a Spanish document (a client's printout, a news
 * release), English otherwise, so a page never mixes two languages.
 */
export function pageOfPages(lang: string, page: number, pages: number): string {
  return lang.toLowerCase().startsWith('es') ? `Página ${page} de ${pages}` : `Page ${page} of ${pages}`;
}

/** Page numbers in the footer of every page ("Page 2 of 5"), in the document's language, drawn as artifacts so readers skip them. */
export function pageFooters(pdf: TaggedPdf, left: string) {
  const { doc } = pdf;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; the footer lives in the margin.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    const y = doc.page.height - 54;
    doc.font('body').fontSize(8).fillColor('#565c65');
    doc.text(left, 72, y, { lineBreak: false, width: 300 });
    doc.text(pageOfPages(pdf.lang, i - range.start + 1, range.count), doc.page.width - 72 - 150, y, { width: 150, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}
