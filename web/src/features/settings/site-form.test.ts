import { describe, expect, it } from 'vitest';
import { checkSite, markFromFile } from './site-form.ts';

describe('the task force’s name and mark', () => {
  it('checks the names and the mark as the server does', () => {
    expect(checkSite({ name: { en: 'Task force', es: '' }, mark: null })).toEqual([]);
    expect(checkSite({ name: { en: 'x'.repeat(101), es: 'ok' }, mark: 'data:text/html;base64,AAAA' })).toEqual(['name.en', 'mark']);
  });

  it('reads a chosen image as a data: URL, and refuses other files', async () => {
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'mark.png', { type: 'image/png' });
    expect(await markFromFile(png)).toEqual({ mark: 'data:image/png;base64,iVBORw==' });
    expect(await markFromFile(new File(['<p>'], 'x.html', { type: 'text/html' }))).toEqual({ problem: 'type' });
    expect(await markFromFile(new File([new Uint8Array(60_000)], 'big.png', { type: 'image/png' }))).toEqual({ problem: 'size' });
  });
});
