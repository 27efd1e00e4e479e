import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { LetterText } from './businesses.letters.pdf.ts';

/** A paragraph's lines as runs, a line break before each but the first. */
const runsOf = (text: string, opts: { bold?: boolean; size?: number; color?: string } = {}) =>
  text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...opts }));

/** The same letter as an editable Word document: the letterhead and title as headings, then the body. */
export async function letterDocx(letter: LetterText): Promise<Buffer> {
  const doc = new Document({
    creator: letter.agencyName,
    title: `${letter.title} (${letter.number})`,
    description: `Notice letter ${letter.number}`,
    styles: { default: { document: { run: { font: 'Public Sans', size: 22 } } } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: runsOf(letter.agencyName) }),
          new Paragraph({ children: runsOf(`Notice letter ${letter.number}`, { color: '565C65', size: 20 }), spacing: { after: 240 } }),
          new Paragraph({ heading: HeadingLevel.HEADING_2, children: runsOf(letter.title) }),
          ...letter.paragraphs.map((p) => new Paragraph({ children: runsOf(p), spacing: { after: 160 } })),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
