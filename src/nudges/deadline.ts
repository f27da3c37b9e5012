import { parseTimeOfDay } from '../scheduler/recurrence.js';
import { addDays, localParts, zonedTime } from '../time/zoned.js';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** A date without a time means the end of that working day. */
export const DEFAULT_DEADLINE_MINUTE = 17 * 60;

/**
 * A deadline in words, in the member's time zone: `2026-12-04`, `today`, `tomorrow`, `friday` (the coming one),
 * `next monday` (the same: the first Monday after today), `in 3 days`, `in 2 weeks`, optionally followed by a time
 * (`friday 10:00`). Null when it cannot be read; the caller refuses past deadlines.
 */
export function parseDeadline(text: string, now: Date, tz: string): Date | null {
  let s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let minute = DEFAULT_DEADLINE_MINUTE;
  const timeMatch = /^(.*\S)\s+(?:at )?(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)$/.exec(s);
  if (timeMatch && !/^in \d+$/.test(timeMatch[1]!)) {
    const t = parseTimeOfDay(timeMatch[2]!);
    if (t !== null) {
      minute = t;
      s = timeMatch[1]!;
    }
  }
  const today = localParts(now, tz);
  let day: { year: number; month: number; day: number } | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (iso) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
    day = { year: y, month: m, day: d };
  } else if (s === 'today') day = today;
  else if (s === 'tomorrow') day = addDays(today, 1);
  else {
    const inN = /^in (\d{1,3}|a|one) (day|days|week|weeks)$/.exec(s);
    if (inN) {
      const n = /^\d+$/.test(inN[1]!) ? Number(inN[1]) : 1;
      day = addDays(today, inN[2]!.startsWith('week') ? n * 7 : n);
    } else {
      const wd = DAYS.indexOf(s.replace(/^(next|this|on) /, ''));
      if (wd >= 0) day = addDays(today, (wd - today.weekday + 7) % 7 || 7);
    }
  }
  if (!day) return null;
  return zonedTime(day, Math.floor(minute / 60), minute % 60, tz);
}
