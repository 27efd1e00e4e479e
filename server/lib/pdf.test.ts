import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pageFooters, pageOfPages, paragraph, taggedPdf } from './pdf.ts';

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

/** A document of three pages in `lang`, with its footers. */
async function threePages(lang: string) {
  const pdf = taggedPdf({ title: 'Footers', lang });
  for (let page = 0; page < 3; page++) {
    if (page) pdf.doc.addPage();
    paragraph(pdf, `Body of page ${page + 1}`);
  }
  pageFooters(pdf, 'Lantern');
  return pdfText(await pdf.finish());
}

describe('page footers', () => {
  it('number the pages in the document’s language', () => {
    expect(pageOfPages('en-US', 2, 5)).toBe('Page 2 of 5');
    expect(pageOfPages('es-US', 2, 5)).toBe('Página 2 de 5');
    expect(pageOfPages('es', 1, 1)).toBe('Página 1 de 1');
    expect(pageOfPages('ES-mx', 3, 4)).toBe('Página 3 de 4');
  });

  it('say "Página X de Y" on every page of a Spanish PDF, and "Page X of Y" on an English one', async () => {
    const es = await threePages('es-US');
    for (const n of [1, 2, 3]) expect(es).toContain(`Página ${n} de 3`);
    expect(es).not.toMatch(/Page \d of/);
    const en = await threePages('en-US');
    for (const n of [1, 2, 3]) expect(en).toContain(`Page ${n} of 3`);
    expect(en).not.toContain('Página');
  });
});
