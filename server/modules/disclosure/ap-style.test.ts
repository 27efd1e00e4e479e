import { describe, expect, it } from 'vitest';
import { apCount, apDate, listJoin, numberWords, quoteSentence, withArticle } from './ap-style.ts';

describe('AP style', () => {
  it('spells out one to nine and uses figures from 10', () => {
    expect(apCount(5, 'en')).toBe('five');
    expect(apCount(10, 'en')).toBe('10');
    expect(apCount(23, 'en')).toBe('23');
    expect(apCount(1234, 'en')).toBe('1,234');
  });
  it('spells out a number that starts a sentence', () => {
    expect(apCount(10, 'en', { start: true })).toBe('Ten');
    expect(apCount(23, 'en', { start: true })).toBe('Twenty-three');
    expect(apCount(3, 'en', { start: true })).toBe('Three');
    expect(apCount(10, 'es', { start: true })).toBe('Diez');
  });
  it('agrees in gender in Spanish', () => {
    expect(numberWords(1, 'es', 'f')).toBe('una');
    expect(numberWords(1, 'es', 'm')).toBe('un');
    expect(numberWords(21, 'es', 'f')).toBe('veintiuna');
    expect(numberWords(200, 'es', 'f')).toBe('doscientas');
  });
  it('writes AP dates', () => {
    expect(apDate('2020-10-23', 'en')).toBe('Oct. 23, 2020');
    expect(apDate('2021-03-05', 'en')).toBe('March 5, 2021');
    expect(apDate('2020-10-23', 'es')).toBe('23 de octubre de 2020');
  });
  it('joins lists without a serial comma', () => {
    expect(listJoin(['food', 'lodging', 'drug rehabilitation'], 'en')).toBe('food, lodging and drug rehabilitation');
    expect(listJoin(['alimentos', 'información'], 'es')).toBe('alimentos e información');
  });
  it('puts "the" before agency names that take it', () => {
    expect(withArticle('Oak Grove Police Department')).toBe('the Oak Grove Police Department');
    expect(withArticle('Relentless Pursuit')).toBe('Relentless Pursuit');
    expect(withArticle('RISE Coalition')).toBe('the RISE Coalition');
  });
});

describe('the quote sentence', () => {
  it('gives the closing period way to the comma, keeps a question mark, and quotes once', () => {
    expect(quoteSentence('We thank every partner.', 'the chief', 'en')).toBe('“We thank every partner,” said the chief.');
    expect(quoteSentence('We thank every partner', null, 'en')).toBe('“We thank every partner,” said a spokesperson.');
    expect(quoteSentence('Who could stay silent?', 'the chief', 'en')).toBe('“Who could stay silent?” said the chief.');
    expect(quoteSentence('“Already quoted.”', 'the chief', 'en')).toBe('“Already quoted,” said the chief.');
    expect(quoteSentence('Agradecemos a cada agencia.', 'la jefa', 'es')).toBe('“Agradecemos a cada agencia”, dijo la jefa.');
  });
});
