export const PERIODS = ['week', 'month', 'quarter', 'year', 'all'] as const;
export type Period = (typeof PERIODS)[number];

const DAYS: Record<Period, number | null> = { week: 7, month: 30, quarter: 91, year: 365, all: null };

/** The start of a period ending now (the epoch for `all`). */
export function periodStart(period: Period, now: Date): Date {
  const days = DAYS[period];
  return days === null ? new Date(0) : new Date(now.getTime() - days * 86_400_000);
}

export const periodLabel = (p: Period) => (p === 'all' ? 'all time' : `the last ${p}`);
