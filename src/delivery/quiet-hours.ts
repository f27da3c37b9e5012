import { addDays, localParts, parseClockTime, zonedTime } from '../time/zoned.js';

export const DEFAULT_QUIET = { start: '21:00', end: '08:00' } as const;

/**
 * When a DM due at `at` may be delivered: `at` itself outside the member's quiet hours, else the end of the quiet
 * period (the next local morning). Quiet hours may wrap midnight (21:00–08:00) or not (13:00–14:00).
 */
export function afterQuietHours(at: Date, tz: string, quiet: { start: string; end: string } = DEFAULT_QUIET): Date {
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === null || end === null || start === end) return at;
  const p = localParts(at, tz);
  const now = p.hour * 60 + p.minute;
  const wraps = start > end;
  const inQuiet = wraps ? now >= start || now < end : now >= start && now < end;
  if (!inQuiet) return at;
  // quiet since the evening: the morning is tomorrow; quiet since midnight (or a same-day window): it is today
  const endDay = wraps && now >= start ? addDays(p, 1) : p;
  return zonedTime(endDay, Math.floor(end / 60), end % 60, tz);
}
