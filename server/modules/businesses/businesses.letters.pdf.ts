import { paragraph, taggedPdf } from '../../lib/pdf.ts';

/** A merged notice letter, ready to render: the same text goes into the PDF and the Word document. */
export interface LetterText {
  /** The sending office (the attorney general's), for the letterhead. */
  agencyName: string;
  number: string;
  title: string;
  /** The body's paragraphs; a paragraph's lines are separated by "\n". */
  paragraphs: string[];
}

/** The body's paragraphs: blank lines separate them, single line breaks stay inside one. */
export function paragraphsOf(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * The letter as a tagged PDF (server/lib/pdf.ts: language, title, structure tree, Public Sans): the
 * letterhead as the document's heading, the letter number, then the title and each paragraph of the body.
 */
export async function letterPdf(letter: LetterText): Promise<Buffer> {
  const pdf = taggedPdf({ title: `${letter.title} (${letter.number})`, lang: 'en-US', subject: `Notice letter ${letter.number}`, author: letter.agencyName });
  const { doc } = pdf;
  doc.font('bold').fontSize(16);
  doc.text(letter.agencyName, { structParent: pdf.root, structType: 'H1' } as PDFKit.Mixins.TextOptions);
  doc.font('body').fontSize(10).fillColor('#565c65');
  doc.text(`Notice letter ${letter.number}`, { structParent: pdf.root, structType: 'P' } as PDFKit.Mixins.TextOptions);
  doc.fillColor('black').fontSize(11).moveDown(1.2);
  doc.font('bold').fontSize(13);
  doc.text(letter.title, { structParent: pdf.root, structType: 'H2' } as PDFKit.Mixins.TextOptions);
  doc.font('body').fontSize(11).moveDown(0.6);
  for (const p of letter.paragraphs) paragraph(pdf, p);
  return pdf.finish();
}
