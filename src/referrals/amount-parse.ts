/** The largest amount the database holds: numeric(14, 2). */
export const MAX_WHOLE_DIGITS = 12;

export type AmountResult = { ok: true; value: string } | { ok: false; message: string };

const GROUPED = (sep: string) => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`);

/**
 * An amount as people type it, in either convention: "1,200.50" and "1.200,50" are 1200.50; "12,50" is 12.50;
 * "1.234.567" and "1 234 567" are whole amounts. A single separator followed by exactly three digits ("12.500",
 * "1,200") means a thousands separator to some and three decimals to others: refused with both readings, never
 * guessed. Returns the canonical text ("1200.50") or a predicate for the option error ("must be …", "is …").
 */
export function parseAmount(raw: string): AmountResult {
  // Spaces (also no-break and thin ones) and apostrophes only ever group thousands.
  const v = raw.trim().replace(/[\s\u00a0\u202f\u2009']/g, '');
  const fail = (message: string): AmountResult => ({ ok: false, message });
  if (!/^[\d.,]+$/.test(v) || !/\d/.test(v)) {
    return fail('must be a positive amount such as 1200, 1200.50 or 1.200,50');
  }
  const lastDot = v.lastIndexOf('.');
  const lastComma = v.lastIndexOf(',');
  let whole: string;
  let cents = '';
  if (lastDot >= 0 && lastComma >= 0) {
    // Both: the later one is the decimal mark, the other groups thousands.
    const decimal = lastDot > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const [intPart, frac, ...more] = v.split(decimal);
    if (more.length || !GROUPED(group).test(intPart!)) {
      return fail(`is not a number I can read: “${raw.trim()}” mixes “${group}” and “${decimal}” oddly`);
    }
    whole = intPart!.split(group).join('');
    cents = frac!;
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = v.split(sep);
    if (parts.length > 2) {
      // Only thousands separators can repeat.
      if (!GROUPED(sep).test(v)) {
        return fail(`is not a number I can read: “${raw.trim()}” has “${sep}” where no thousands separator fits`);
      }
      whole = parts.join('');
    } else {
      const [intPart, frac] = parts as [string, string];
      if (frac.length === 3 && intPart.length >= 1 && intPart.length <= 3) {
        const asThousands = `${intPart}${frac}`.replace(/^0+(?=\d)/, '');
        const asDecimal = frac.endsWith('0') ? `${intPart}.${frac.slice(0, 2)}` : `${intPart}.${frac}`;
        const rounded = frac.endsWith('0') ? asDecimal : (Number(intPart) + Number(frac) / 1000).toFixed(2);
        return fail(
          `is ambiguous: “${raw.trim()}” could be ${asThousands} or ${asDecimal}. Write ${asThousands}, or ${rounded} (amounts have at most two decimals)`,
        );
      }
      if (frac.length === 0 || intPart.length === 0) return fail('must be a positive amount such as 1200 or 1200.50');
      whole = intPart;
      cents = frac;
    }
  } else {
    whole = v;
  }
  if (cents.length > 2) return fail('must have at most two decimals, such as 1200.50');
  whole = whole.replace(/^0+(?=\d)/, '');
  if (whole.length > MAX_WHOLE_DIGITS) {
    return fail(`is too large: at most ${'9'.repeat(3)},${Array(3).fill('999').join(',')}.99`);
  }
  const value = cents ? `${whole}.${cents}` : whole;
  if (!(Number(value) > 0)) return fail('must be more than zero');
  return { ok: true, value };
}

/** ISO 4217 codes the runtime knows (Intl): "XYZ" is not a currency. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const isCurrency = (code: string) => CURRENCIES.has(code);
