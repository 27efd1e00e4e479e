import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from './identifiers.ts';

describe('normalizeIdentifier', () => {
  it('makes one phone of its many spellings', () => {
    const forms = ['(816) 555-0142', '+1 816.555.0142', '816-555-0142', '1 816 555 0142'];
    expect(new Set(forms.map((f) => normalizeIdentifier('phone', f)))).toEqual(new Set(['8165550142']));
    expect(normalizeIdentifier('phone', '555')).toBeNull();
  });
  it('keeps the state of a plate and drops punctuation', () => {
    expect(normalizeIdentifier('plate', 'MO ABC-123')).toBe('MO:ABC123');
    expect(normalizeIdentifier('plate', 'mo:abc 123')).toBe('MO:ABC123');
    expect(normalizeIdentifier('plate', 'ABC123')).toBe('ABC123');
  });
  it('abbreviates address words', () => {
    expect(normalizeIdentifier('address', '1200 North Main Street, Apartment 4')).toBe(normalizeIdentifier('address', '1200 N. Main St. Apt 4'));
  });
  it('drops business suffixes and punctuation', () => {
    expect(normalizeIdentifier('business', 'Golden Lotus Spa, LLC')).toBe('golden lotus spa');
    expect(normalizeIdentifier('business', 'The Golden Lotus Spa')).toBe('golden lotus spa');
  });
  it('treats @handles and profile URLs alike', () => {
    expect(normalizeIdentifier('handle', '@SweetKC')).toBe('sweetkc');
    expect(normalizeIdentifier('handle', 'https://www.example.com/SweetKC/')).toBe('example.com/sweetkc');
  });
});
