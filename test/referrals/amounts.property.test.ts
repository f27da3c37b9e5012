import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../src/referrals/amount-parse.js';
import { currencySchema } from '../../src/referrals/money.js';

/** Groups the digits of a whole number in threes with `sep`: 1234567 → 1,234,567. */
const grouped = (whole: string, sep: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);

const whole = fc.bigInt({ min: 1n, max: 999_999_999_999n }).map(String);
const cents = fc.option(
  fc.integer({ min: 0, max: 99 }).map((c) => String(c).padStart(2, '0')),
  { nil: undefined },
);

describe('amounts', () => {
  it('read the same in both conventions, grouped or not', () => {
    fc.assert(
      fc.property(whole, cents, (w, c) => {
        const canonical = c ? `${w}.${c}` : w;
        const forms = [
          canonical,
          c ? `${grouped(w, ',')}.${c}` : null,
          c ? `${grouped(w, '.')},${c}` : null,
          c ? `${w},${c}` : null,
          c ? `${grouped(w, ' ')},${c}` : null,
        ].filter((f): f is string => f !== null);
        for (const f of forms) expect(parseAmount(f), f).toEqual({ ok: true, value: canonical });
      }),
    );
  });

  it('with two or more thousands separators are whole amounts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1_000_000n, max: 999_999_999_999n }).map(String),
        fc.constantFrom(',', '.'),
        (w, sep) => {
          expect(parseAmount(grouped(w, sep))).toEqual({ ok: true, value: w });
        },
      ),
    );
  });

  it('are refused, naming both readings, when one separator is followed by three digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(',', '.'),
        (i, f, sep) => {
          const text = `${i}${sep}${String(f).padStart(3, '0')}`;
          const r = parseAmount(text);
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.message).toContain('ambiguous');
            expect(r.message).toContain(`${i}${String(f).padStart(3, '0')}`);
          }
        },
      ),
    );
  });

  it('refuse what is not a positive amount of at most twelve whole digits and two decimals', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (s) => {
        const r = parseAmount(s);
        if (!r.ok) return;
        expect(r.value).toMatch(/^\d{1,12}(\.\d{1,2})?$/);
        expect(Number(r.value)).toBeGreaterThan(0);
      }),
    );
    for (const bad of [
      '1,2,3,4,5,6,7,8,9,0,1,2',
      '99999999999999999',
      '12.345',
      '0',
      '-5',
      '1e5',
      '',
      '1.2.3,4',
      '12,5,0',
    ]) {
      expect(parseAmount(bad).ok, bad).toBe(false);
    }
    expect(parseAmount('12,50')).toEqual({ ok: true, value: '12.50' });
  });

  it('take ISO 4217 currencies only', () => {
    expect(currencySchema.parse('eur')).toBe('EUR');
    for (const code of Intl.supportedValuesOf('currency')) expect(currencySchema.safeParse(code).success).toBe(true);
    for (const bad of ['XYZ', 'EURO', 'E1R', 'ABC']) expect(currencySchema.safeParse(bad).success, bad).toBe(false);
  });
});
