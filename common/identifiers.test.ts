import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { addressKey, emailsInText, maskIdentifier, normalizeIdentifier, phonesInText, platesInText } from './identifiers.ts';

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

describe('phones: the disguises of sex ads', () => {
  it.each([
    ['3I4-five five five 0I99', '3145550199'],
    ['(816)5five5-O1 nine nine', '8165550199'],
    ['eight1six 555 O142', '8165550142'],
    ['8️⃣1️⃣6️⃣ 5️⃣5️⃣5️⃣ 0️⃣1️⃣4️⃣2️⃣', '8165550142'],
    ['❽❶❻-555-0142', '8165550142'],
    ['８１６５５５０１４２', '8165550142'],
    ['8.1.6.5.5.5.0.1.4.2', '8165550142'],
    ['8 1 6 5 5 5 0 1 4 2', '8165550142'],
    ['ocho uno seis cinco cinco cinco cero uno cuatro dos', '8165550142'],
    ['eight one six five five five zero one four two', '8165550142'],
    ['816 555 OI42', '8165550142'],
    ['+1 (816) 555-0142', '8165550142'],
    ['816-555-0142 ext 5', '8165550142'],
    ['+44 20 7946 0958', '442079460958'],
    ['+52 55 1234 5678', '525512345678'],
  ])('%s → %s', (raw, normal) => {
    expect(normalizeIdentifier('phone', raw)).toBe(normal);
  });

  it('keeps the old form of staff-typed numbers that are not valid, and refuses words', () => {
    expect(normalizeIdentifier('phone', '555-0142')).toBe('5550142');
    expect(normalizeIdentifier('phone', 'call me')).toBeNull();
    expect(normalizeIdentifier('phone', 'eight1six')).toBeNull();
  });

  it('gives a plainly typed North American number its ten digits, valid or not, as parsing it would', () => {
    // Such a number skips libphonenumber-js: its normal form is its ten digits either way. Free-text
    // search, which the parsing path tries first, must agree: it finds those ten digits or nothing.
    const tenDigits = fc.array(fc.constantFrom(...'0123456789'), { minLength: 10, maxLength: 10 }).map((d) => d.join(''));
    const plainly = fc.constantFrom(
      (n: string) => n,
      (n: string) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
      (n: string) => `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
      (n: string) => `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      (n: string) => `+1 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
      (n: string) => `+1${n}`,
    );
    fc.assert(
      fc.property(tenDigits, plainly, (n, f) => {
        expect(normalizeIdentifier('phone', f(n))).toBe(n);
        expect([[], [n]]).toContainEqual(phonesInText(f(n)));
      }),
    );
    expect(normalizeIdentifier('phone', '123-456-7890')).toBe('1234567890');
    expect(normalizeIdentifier('phone', '(816) 555-01420')).toBe('81655501420');
  });

  it('finds only valid numbers in free text, each once, disguised or not', () => {
    const text = 'Call eight1six 555 O142 or (816)5five5-O1 nine nine. ZIP 64075 816-555-0177; she is 16, 816 555 0188. Again: 816.555.0142';
    expect(phonesInText(text)).toEqual(['8165550142', '8165550199', '8165550177', '8165550188']);
    expect(phonesInText('I saw two girls at one o clock, 3 men, on 12/05/2026 at 10.30 for $150, ZIP 64075-1234')).toEqual([]);
    expect(phonesInText('uno dos tres, I love you')).toEqual([]);
  });
});

describe('emails, handles, plates and addresses', () => {
  it('folds Gmail dots and +tags, and only Gmail', () => {
    expect(normalizeIdentifier('email', ' Jane.Doe+ads@GMail.com ')).toBe('janedoe@gmail.com');
    expect(normalizeIdentifier('email', 'jane.doe@googlemail.com')).toBe('janedoe@gmail.com');
    expect(normalizeIdentifier('email', 'Jane.Doe+ads@Example.com')).toBe('jane.doe+ads@example.com');
    expect(normalizeIdentifier('email', 'jane (at) example (dot) com')).toBe('jane@example.com');
    expect(normalizeIdentifier('email', 'not an email')).toBeNull();
    expect(emailsInText('write to Jane.Doe+ads@gmail.com, or bob [at] example [dot] com.')).toEqual(['janedoe@gmail.com', 'bob@example.com']);
    // Only an @ after the spelled forms are undone and the text is normalized (a full-width ＠ is one).
    expect(emailsInText('ask for ana＠example.com')).toEqual(['ana@example.com']);
    expect(emailsInText('no address here, at the motel (dot) com')).toEqual([]);
  });

  it('keeps host and path of an ad, not its query or fragment', () => {
    expect(normalizeIdentifier('handle', 'https://www.megapersonals.eu/public/post_details/123?ref=tw#top')).toBe('megapersonals.eu/public/post_details/123');
  });

  it('takes plates from a description only when clearly given', () => {
    expect(platesInText('a white Camry, MO ABC-123, and a blue van with Missouri plates 3AB C45; plate KX4 82T')).toEqual(['MO:ABC123', 'MO:3ABC45', 'KX482T']);
    expect(platesInText('A RED CAR IN THE LOT, OK 2 MEN, parked at 1200 Main St since 2024')).toEqual([]);
    expect(platesInText('placa XYZ 987')).toEqual(['XYZ987']);
  });

  it('keys an address on street and ZIP, however the city and state are written', () => {
    const key = '1200 n main st 64105';
    expect(normalizeIdentifier('address', '1200 N Main St, Kansas City, MO 64105')).toBe(key);
    expect(normalizeIdentifier('address', '1200 North Main Street, KCMO, Missouri, 64105-1234')).toBe(key);
    expect(addressKey({ address: '1200 North Main Street', city: 'Kansas City', zip: '64105' })).toBe(key);
    expect(addressKey({ address: '1200 N. Main St., Kansas City, MO 64105', zip: '64105' })).toBe(key);
    expect(normalizeIdentifier('address', '100 Main Street, Apt 4, Kansas City, MO 64105')).toBe('100 main st apt 4 64105');
    expect(addressKey({ address: '100 Main St', city: 'Kansas City' })).toBe('100 main st kansas city');
    expect(addressKey({ city: 'Kansas City', zip: '64105' })).toBeNull();
  });

  it('masks an email to its first letter and domain', () => {
    expect(maskIdentifier('email', 'janedoe@gmail.com')).toBe('j•••@gmail.com');
    expect(maskIdentifier('phone', '8165550142')).toBe('•••-•••-0142');
  });
});

describe('normal forms: properties', () => {
  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  /** A valid North American number: area code and exchange 2–9 first, not N11; 555 numbers included. */
  const usNumber = fc
    .tuple(fc.integer({ min: 2, max: 9 }), digit, digit, fc.integer({ min: 2, max: 9 }), digit, digit, fc.array(digit, { minLength: 4, maxLength: 4 }))
    .map(([a, b, c, d, e, f, rest]) => `${a}${b}${c}${d}${e}${f}${rest.join('')}`)
    .filter((n) => isValidPhoneNumber(n, 'US'));
  const format = fc.constantFrom(
    (n: string) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
    (n: string) => `+1 ${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
    (n: string) => `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
    (n: string) => n.split('').join(' '),
    (n: string) => n.replace(/0/g, 'O').replace(/1/g, 'I'),
    (n: string) => [...n].map((d) => `${d}\ufe0f\u20e3`).join(''),
    (n: string) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`.replace(/5/g, 'five'),
  );

  it('a phone is the same however it is written, and in free text too', () => {
    fc.assert(
      fc.property(usNumber, format, (n, f) => {
        expect(normalizeIdentifier('phone', f(n))).toBe(n);
        expect(phonesInText(`text me at ${f(n)} after 10`)).toEqual([n]);
      }),
    );
  });

  it('keeps words that name Object.prototype members as they are', () => {
    // fast-check once drew "__proto__" as an address: the abbreviation table must answer only its own words.
    for (const word of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(normalizeIdentifier('address', `12 ${word} Street`)).toBe(`12 ${word.toLowerCase()} st`);
      expect(normalizeIdentifier('address', word)).toBe(word.toLowerCase());
    }
  });

  it('every normal form is a fixed point', () => {
    const kinds = ['phone', 'email', 'plate', 'address', 'business', 'handle'] as const;
    const raw = fc.oneof(
      fc.string(),
      usNumber.chain((n) => format.map((f) => f(n))),
      fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('gmail.com', 'example.org')).map(([l, d]) => `${l.replace(/[\s@]/g, 'x')}@${d}`),
      fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom('North Main Street', 'W 5th Ave'), fc.constantFrom('', ', Kansas City, MO 64105', ', Apt 4')).map(([n, s, t]) => `${n} ${s}${t}`),
    );
    fc.assert(
      fc.property(fc.constantFrom(...kinds), raw, (kind, value) => {
        const once = normalizeIdentifier(kind, value);
        if (once !== null) expect(normalizeIdentifier(kind, once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});
