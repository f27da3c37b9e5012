import { z } from 'zod';
import { isCurrency, parseAmount } from './amount-parse.js';

/**
 * A positive amount with at most two decimals, as text people type in either convention ("1,200.50", "1.200,50",
 * "12,50"); an ambiguous one ("12.500") is refused with both readings (src/referrals/amount-parse.ts).
 */
export const amountSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const r = parseAmount(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });

/** An ISO 4217 currency code the runtime knows (Intl.supportedValuesOf), in capitals. */
export const currencySchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => /^[A-Z]{3}$/.test(v), { message: 'must be a three-letter currency code such as EUR, USD or GBP' })
  .refine(isCurrency, { message: 'is not an ISO 4217 currency code: use one such as EUR, USD, GBP or JPY' });

/** "EUR 1,200.50": amounts are shown per currency and never summed across currencies. */
export function formatMoney(amount: string | number, currency: string): string {
  const n = Number(amount);
  return `${currency} ${(n % 1 ? withCents : wholeUnits).format(n)}`;
}

// Built once: toLocaleString with options builds a new formatter on every call, which showed in report profiles.
const withCents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const wholeUnits = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Sums per currency, as "EUR 1,200 · USD 300". */
export function formatTotals(rows: { currency: string; total: string | number }[]): string {
  if (rows.length === 0) return 'none';
  return rows.map((r) => formatMoney(r.total, r.currency)).join(' · ');
}
