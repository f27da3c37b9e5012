import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoryKey } from '../../src/members/categories.js';

/** Latin letters and the Cyrillic/Greek letters that look the same (Unicode confusables.txt). */
const LOOKALIKES: Record<string, string[]> = {
  a: ['а'],
  c: ['с'],
  e: ['е'],
  o: ['о', 'ο'],
  p: ['р', 'ρ'],
  x: ['х'],
  y: ['у'],
  i: ['і'],
};
const IGNORABLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];

const latinWord = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 2, maxLength: 12 });
const category = fc.array(latinWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));

/** Letters of one script, each a code point of a letter block. */
const scriptWord = (from: number, to: number) =>
  fc
    .array(fc.integer({ min: from, max: to }), { minLength: 2, maxLength: 10 })
    .map((cps) => String.fromCodePoint(...cps))
    .filter((s) => /^\p{L}+$/u.test(s));

describe('seat keys', () => {
  it('ignore zero-width and other default-ignorable characters wherever they are', () => {
    fc.assert(
      fc.property(category, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...IGNORABLES))), (c, inserts) => {
        let s = c;
        for (const [at, ch] of inserts) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + ch + s.slice(i);
        }
        expect(categoryKey(s)).toBe(categoryKey(c));
      }),
    );
  });

  it('are the same when Latin letters are swapped for look-alikes of another script', () => {
    fc.assert(
      fc.property(category, fc.infiniteStream(fc.nat()), (c, picks) => {
        const disguised = [...c]
          .map((ch) => {
            const alts = LOOKALIKES[ch];
            const n = picks.next().value as number;
            return alts && n % 2 === 0 ? alts[n % alts.length]! : ch;
          })
          .join('');
        expect(categoryKey(disguised)).toBe(categoryKey(c));
      }),
    );
  });

  it('do not depend on case, spacing or punctuation', () => {
    fc.assert(
      fc.property(category, (c) => {
        const shouted = `  ${c.toUpperCase().replace(/ /g, ' - ')}!! `;
        expect(categoryKey(shouted)).toBe(categoryKey(c));
      }),
    );
  });

  it('are never empty for a category with a letter or digit of any script', () => {
    const word = fc.oneof(
      scriptWord(0x0430, 0x044f), // Cyrillic
      scriptWord(0x0627, 0x064a), // Arabic
      scriptWord(0x03b1, 0x03c9), // Greek
      scriptWord(0x0905, 0x0939), // Devanagari
      scriptWord(0x4e00, 0x9fff), // CJK
      scriptWord(0xac00, 0xd7a3), // Hangul
    );
    fc.assert(
      fc.property(word, fc.constantFrom('', ' ', '\u200b', '!'), (w, around) => {
        expect(categoryKey(`${around}${w}${around}`)).not.toBe('');
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (s) => {
        if (/[\p{L}\p{N}]/u.test(s)) expect(categoryKey(s)).not.toBe('');
      }),
    );
  });

  it('are the same when ASCII letters are swapped for ASCII look-alikes (m/rn, l/1/I, o/0)', () => {
    const ASCII: Record<string, string[]> = { m: ['rn'], l: ['1', 'I'], o: ['0'] };
    fc.assert(
      fc.property(category, fc.infiniteStream(fc.nat()), (c, picks) => {
        const disguised = [...c]
          .map((ch) => {
            const alts = ASCII[ch];
            const n = picks.next().value as number;
            return alts && n % 2 === 0 ? alts[n % alts.length]! : ch;
          })
          .join('');
        expect(categoryKey(disguised)).toBe(categoryKey(c));
      }),
    );
    expect(categoryKey('Plurnber')).toBe('plumber');
    expect(categoryKey('P1umber')).toBe('plumber');
    expect(categoryKey('R00fers')).toBe('roofer');
  });

  it('stay readable: a key of plain words without look-alikes is its words, and a key is its own key', () => {
    const plain = fc
      .array(
        fc
          .string({ unit: fc.constantFrom(...'abcdefghijkpqstuvwxyz'), minLength: 4, maxLength: 12 })
          .map((w) => `${w}er`),
        { minLength: 1, maxLength: 3 },
      )
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(plain, (c) => {
        expect(categoryKey(c)).toBe(c);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        expect(categoryKey(categoryKey(s))).toBe(categoryKey(s));
      }),
    );
  });

  it('keep categories of other scripts apart and beside their Latin look-alikes', () => {
    const keys = ['Сантехник', 'Юрист', 'محامي', 'Plumber', '配管工', 'प्लंबर'].map(categoryKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).not.toBe('');
    expect(categoryKey('Plumbеr')).toBe(categoryKey('Plumber')); // Cyrillic е
    expect(categoryKey('Plum\u200bber')).toBe(categoryKey('Plumbers'));
    expect(categoryKey('ＰＬＵＭＢＥＲ')).toBe(categoryKey('plumber')); // full-width, NFKC
    expect(categoryKey('Straße')).toBe(categoryKey('STRASSE')); // case folding
  });
});
