import { type MeetingRhythm, WEEKDAYS } from '../groups/group-settings.js';
import { localParts, zonedTime } from '../time/zoned.js';

/** A calendar date in some time zone (month 1–12). */
export interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const DAY = 86_400_000;
/**
 * The instant a wall-clock time happens in a zone. Computed from the offset at that moment (not today's offset), so
 * a meeting at 07:00 stays at 07:00 local across daylight-saving changes; a time that does not exist (the spring
 * gap) moves forward by the gap, as clocks do.
 */
export function localToUtc(date: LocalDate, time: string, tz: string): Date {
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return zonedTime({ year: date.y, month: date.m, day: date.d }, h, mi, tz);
}

export function localDateOf(instant: Date, tz: string): LocalDate {
  const p = localParts(instant, tz);
  return { y: p.year, m: p.month, d: p.day };
}

export const formatLocalDate = (d: LocalDate) =>
  `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;

export function parseLocalDate(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const d = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const check = new Date(Date.UTC(d.y, d.m - 1, d.d));
  return check.getUTCMonth() === d.m - 1 && check.getUTCDate() === d.d ? d : null;
}

const dayNumber = (d: LocalDate) => Math.round(Date.UTC(d.y, d.m - 1, d.d) / DAY);
const fromDayNumber = (n: number): LocalDate => {
  const t = new Date(n * DAY);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};
/** 0 = Monday, as WEEKDAYS. */
const weekdayOf = (n: number) => (((n + 3) % 7) + 7) % 7;

/**
 * The regular meetings' start instants in [from, to): weekly on the day; biweekly on the even weeks counted from
 * 1970-01-05 (a fixed anchor, so every replica and every run agrees; a group wanting the other week adds a
 * /meeting add); monthly on the first such day of each month.
 */
export function occurrences(rhythm: MeetingRhythm, tz: string, from: Date, to: Date): Date[] {
  const want = WEEKDAYS.indexOf(rhythm.day);
  const firstAnchored = 4 + want;
  const out: Date[] = [];
  const last = dayNumber(localDateOf(to, tz)) + 1;
  for (let n = dayNumber(localDateOf(from, tz)) - 1; n <= last; n++) {
    if (weekdayOf(n) !== want) continue;
    const date = fromDayNumber(n);
    if (rhythm.frequency === 'biweekly' && (n - firstAnchored) % 14 !== 0) continue;
    if (rhythm.frequency === 'monthly' && date.d > 7) continue;
    const start = localToUtc(date, rhythm.time, tz);
    if (start >= from && start < to) out.push(start);
  }
  return out;
}

/** "Tue 13 Jan 2026, 07:00" in the group's zone. */
export function formatMeetingTime(instant: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(instant)
    .replace(' at ', ', ');
}

/** The instant `months` calendar months before `now` (the rolling absence window). */
export function monthsBefore(now: Date, months: number): Date {
  const t = new Date(now.getTime());
  t.setUTCMonth(t.getUTCMonth() - months);
  return t;
}
