import type { WeeklyWindow } from '../../db/schema/booking.js';
import { daysInMonth, formatClockTime } from '../time/zoned.js';

export type { WeeklyWindow };

export const FORMATS = ['video', 'phone', 'in-person', 'any'] as const;
export type MeetingFormat = (typeof FORMATS)[number];

/** When a member has set no windows: weekday working hours in their zone. */
export const DEFAULT_WINDOWS: WeeklyWindow[] = [0, 1, 2, 3, 4].map((weekday) => ({ weekday, start: 540, end: 1020 }));

const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A mistake in an availability or away text, with what to write instead. */
export class AvailabilityError extends Error {}

function dayIndex(word: string): number {
  const i = DAY_KEYS.indexOf(word.slice(0, 3));
  // "tue", "tues", "tuesday" all name Tuesday; "tuxedo" does not
  if (i < 0 || !DAY_NAMES[i]!.toLowerCase().startsWith(word)) {
    throw new AvailabilityError(`“${word}” is not a day: use mon, tue, wed, thu, fri, sat or sun.`);
  }
  return i;
}

/** "tue-thu", "mon/wed", "weekdays", "daily" → weekday indexes. */
function parseDays(spec: string): number[] {
  if (spec === 'weekdays') return [0, 1, 2, 3, 4];
  if (spec === 'weekends' || spec === 'weekend') return [5, 6];
  if (spec === 'daily' || spec === 'everyday') return [0, 1, 2, 3, 4, 5, 6];
  const out = new Set<number>();
  for (const part of spec.split(/[/+&]/)) {
    const range = part.split('-');
    if (range.length === 1) out.add(dayIndex(range[0]!));
    else if (range.length === 2) {
      const a = dayIndex(range[0]!);
      const b = dayIndex(range[1]!);
      // a range that wraps the week (fri-mon) is allowed: Friday, Saturday, Sunday, Monday
      for (let d = a; ; d = (d + 1) % 7) {
        out.add(d);
        if (d === b) break;
      }
    } else throw new AvailabilityError(`“${part}” is not a day range: write it like tue-thu.`);
  }
  return [...out].sort((x, y) => x - y);
}

function parseTime(text: string, allow24: boolean): number {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text);
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2] ?? 0) : Number.NaN;
  if (allow24 && h === 24 && min === 0) return 1440;
  if (!m || h > 23 || min > 59) throw new AvailabilityError(`“${text}” is not a time: write it like 08:00 or 14:30.`);
  return h * 60 + min;
}

/**
 * Reads weekly windows: items separated by commas, each days then a time range, e.g.
 * `tue-thu 08:00-12:00, fri 14:00-17:00` or `weekdays 9-17`. A window must end after it starts on the same day.
 */
export function parseAvailability(text: string): WeeklyWindow[] {
  const items = text
    .toLowerCase()
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new AvailabilityError('Give at least one window, e.g. "tue-thu 08:00-12:00".');
  const windows: WeeklyWindow[] = [];
  for (const item of items) {
    const m = /^(.+?)\s+(\d{1,2}(?::\d{2})?)\s*(?:-|–|to)\s*(\d{1,2}(?::\d{2})?)$/.exec(item);
    if (!m) throw new AvailabilityError(`“${item}” should be days then times, e.g. "tue-thu 08:00-12:00".`);
    const days = parseDays(m[1]!.replace(/\s+/g, ''));
    const start = parseTime(m[2]!, false);
    const end = parseTime(m[3]!, true);
    if (end <= start) {
      throw new AvailabilityError(
        `“${item}” ends before it starts: a window lies within one day (split a late one into two, e.g. "fri 20:00-24:00, sat 0:00-02:00").`,
      );
    }
    if (end - start < 30) throw new AvailabilityError(`“${item}” is shorter than 30 minutes: no 1-to-1 fits in it.`);
    for (const weekday of days) windows.push({ weekday, start, end });
  }
  return mergeWindows(windows);
}

/** Sorted by day and start, overlapping windows of one day joined. */
function mergeWindows(windows: WeeklyWindow[]): WeeklyWindow[] {
  const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.start - b.start);
  const out: WeeklyWindow[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && last.weekday === w.weekday && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

const clock = (m: number) => (m === 1440 ? '24:00' : formatClockTime(m));

/** "Tuesday to Thursday 08:00–12:00; Friday 14:00–17:00": days with the same hours are told together. */
export function describeWindows(windows: WeeklyWindow[]): string {
  const byHours = new Map<string, number[]>();
  for (const w of windows) {
    const key = `${clock(w.start)}–${clock(w.end)}`;
    byHours.set(key, [...(byHours.get(key) ?? []), w.weekday]);
  }
  const parts: string[] = [];
  for (const [hours, days] of byHours) {
    const runs: string[] = [];
    for (let i = 0; i < days.length; ) {
      let j = i;
      while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
      const a = DAY_NAMES[days[i]!]!;
      const b = DAY_NAMES[days[j]!]!;
      runs.push(j === i ? a : j === i + 1 ? `${a} and ${b}` : `${a} to ${b}`);
      i = j + 1;
    }
    parts.push(`${runs.join(', ')} ${hours}`);
  }
  return parts.join('; ');
}

export const FORMAT_WORDS: Record<MeetingFormat, string> = {
  video: 'a video call',
  phone: 'a phone call',
  'in-person': 'in person',
  any: 'any format',
};

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is refused). */
export function parseDate(text: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) throw new AvailabilityError(`“${text}” is not a date: write it like 2026-12-20.`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new AvailabilityError(`${text} does not exist: check the month and the day.`);
  }
  return { year, month, day };
}

export const dateKey = (d: LocalDate) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** `2026-12-20..2027-01-05`: both real dates, the first not after the second. */
export function parseAway(text: string): { from: LocalDate; until: LocalDate } {
  const parts = text.split('..');
  if (parts.length !== 2) {
    throw new AvailabilityError('Write the away period as two dates with .. between, e.g. 2026-12-20..2027-01-05.');
  }
  const from = parseDate(parts[0]!);
  const until = parseDate(parts[1]!);
  if (dateKey(until) < dateKey(from)) throw new AvailabilityError('The away period ends before it starts.');
  return { from, until };
}
