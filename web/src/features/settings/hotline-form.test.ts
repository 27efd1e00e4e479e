import { describe, expect, it } from 'vitest';
import { checkHotline } from './hotline-form.ts';

describe('the hotline form', () => {
  it('takes the national hotline as printed, and says which field is wrong otherwise', () => {
    expect(checkHotline({ phone: '1-888-373-7888', text: '233733' })).toEqual([]);
    expect(checkHotline({ phone: ' 888-373-7888 ', text: '911' })).toEqual([]);
    expect(checkHotline({ phone: '1-888-373-788', text: '233733' })).toEqual(['phone']);
    expect(checkHotline({ phone: '(888) 373-7888', text: 'BeFree' })).toEqual(['phone', 'text']);
    expect(checkHotline({ phone: '1-888-373-7888', text: '123456789' })).toEqual(['text']);
  });
});
