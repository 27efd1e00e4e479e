import { describe, expect, it } from 'vitest';
import { checkSearchValue } from './value.ts';

describe('checkSearchValue', () => {
  it('follows the server’s rule: 2 to 300 characters once trimmed', () => {
    expect(checkSearchValue('')).toBe('required');
    expect(checkSearchValue('   ')).toBe('required');
    expect(checkSearchValue(' 8 ')).toBe('short');
    expect(checkSearchValue('MO')).toBeNull();
    expect(checkSearchValue('(816) 555-0199')).toBeNull();
    expect(checkSearchValue(`  ${'9'.repeat(300)}  `)).toBeNull();
    expect(checkSearchValue('9'.repeat(301))).toBe('long');
  });
});
