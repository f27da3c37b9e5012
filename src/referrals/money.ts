import { z } from 'zod';

/** A positive amount with at most two decimals, as text people type ("1200", "1,200.50"). */
export const amountSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[,\s]/g, ''))
  .refine((v) => /^\d+(\.\d{1,2})?$/.test(v) && Number(v) > 0, {
    message: 'must be a positive amount with at most two decimals, such as 1200 or 1200.50',
    abort: true,
  })
  // A well-formed amount over the column's twelve digits is too large, not malformed.
  .refine((v) => /^\d{1,12}(\.|$)/.test(v), { message: 'is too large: at most 999,999,999,999.99' });

export const currencySchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => /^[A-Z]{3}$/.test(v), { message: 'must be a three-letter currency code such as EUR, USD or GBP' });

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
