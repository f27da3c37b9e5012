/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl: a schedule's "monday 9:00" is a local time, and
 * the instant it means moves with daylight saving.
 */

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The local date and time of an instant in a time zone. */
export function localParts(instant: Date | number, tz: string): LocalDateTime {
  const parts = formatter(tz).formatToParts(typeof instant === 'number' ? instant : instant.getTime());
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const year = get('year');
  const month = get('month');
  const day = get('day');
  return { year, month, day, hour: get('hour'), minute: get('minute'), weekday: weekdayOf(year, month, day) };
}

/** Local minus UTC, in ms, at an instant. */
export function offsetAt(instant: number, tz: string): number {
  const parts = formatter(tz).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (instant - (instant % 1000));
}

/** 0 = Monday … 6 = Sunday, for a calendar date. */
export function weekdayOf(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date `n` days after a date (no time zone involved). */
export function addDays(d: { year: number; month: number; day: number }, n: number) {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/**
 * The instant a local wall time means. An ambiguous time (the repeated hour when clocks go back) is its first
 * occurrence; a time that does not exist (skipped when clocks go forward) moves forward by the gap, so a slot is
 * never lost and never doubled.
 */
export function zonedTime(
  d: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  tz: string,
): Date {
  const wall = Date.UTC(d.year, d.month - 1, d.day, hour, minute);
  // UTC has no offset, ever: its wall time is the instant.
  if (tz === 'UTC') return new Date(wall);
  // Remembered by wall time only when that names the date and time given (not, say, 30 February, which is checked
  // as given and never matches).
  const asGiven = new Date(wall);
  if (asGiven.getUTCDate() !== d.day || asGiven.getUTCHours() !== hour || asGiven.getUTCMinutes() !== minute) {
    return new Date(instantOfWall(wall, hour, minute, d, tz));
  }
  let answers = zonedAnswers.get(tz);
  if (!answers) {
    if (zonedAnswers.size >= 100) zonedAnswers.clear();
    answers = new Map();
    zonedAnswers.set(tz, answers);
  }
  let t = answers.get(wall);
  if (t === undefined) {
    if (answers.size >= 20_000) answers.clear();
    t = instantOfWall(wall, hour, minute, d, tz);
    answers.set(wall, t);
  }
  return new Date(t);
}

/**
 * zonedTime's answers by zone and wall time. They depend on nothing else (the process's zone data does not change)
 * and are asked for again and again: an every-minute schedule moving on walks two days of minutes, 2,880 wall times
 * at four Intl reads each (about 90 ms), every minute for every group. Bounded, and cleared whole when full.
 */
const zonedAnswers = new Map<string, Map<number, number>>();

function instantOfWall(
  wall: number,
  hour: number,
  minute: number,
  d: { year: number; month: number; day: number },
  tz: string,
): number {
  const before = offsetAt(wall - 86_400_000, tz);
  const after = offsetAt(wall + 86_400_000, tz);
  const candidates = [wall - before, wall - after].filter((t) => {
    const p = localParts(t, tz);
    return p.year === d.year && p.month === d.month && p.day === d.day && p.hour === hour && p.minute === minute;
  });
  if (candidates.length) return Math.min(...candidates);
  // In the gap: read the wall time with the offset from before the change, which lands after the gap.
  return wall - before;
}

/** `HH:MM` → minutes after midnight; null when malformed. */
export function parseClockTime(text: string): number | null {
  const m = /^([01]?\d|2[0-3])(?::([0-5]\d))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2] ?? 0);
}

export const formatClockTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Fri 4 Dec 17:00" in the zone: how the bot shows a date to people. */
export function formatLocal(instant: Date, tz: string): string {
  const p = localParts(instant, tz);
  return `${WEEKDAY_NAMES[p.weekday]!.slice(0, 3)} ${p.day} ${MONTH_NAMES[p.month - 1]} ${p.year} ${formatClockTime(p.hour * 60 + p.minute)}`;
}

/** The zone as people read it beside a time: "EST", "GMT+4", "UTC" (its offset when it has no common name). */
export function zoneAbbreviation(instant: Date, tz: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? tz;
}

/** "Mon 12 Jan 2026 17:00 PST": a time shown to someone who may live in another zone names its zone. */
export function formatLocalZoned(instant: Date, tz: string): string {
  return `${formatLocal(instant, tz)} ${zoneAbbreviation(instant, tz)}`;
}

/** "Mon 5 Jan 2026": a date that stays true however late the message is read (unlike "3 days ago"). */
export function formatLocalDay(instant: Date, tz: string): string {
  const p = localParts(instant, tz);
  return `${WEEKDAY_NAMES[p.weekday]!.slice(0, 3)} ${p.day} ${MONTH_NAMES[p.month - 1]} ${p.year}`;
}
