import { addDays, daysInMonth, localParts, parseClockTime, weekdayOf, zonedTime } from '../time/zoned.js';

/**
 * A recurring schedule in local wall time: "every monday 9:00", "every weekday 8:30", "first tuesday of the month
 * 18:30", "last friday of the month 17:00", "every hour", or a five-field cron line ("0 9 * * 1").
 */
export type Recurrence =
  | { kind: 'weekly'; days: number[]; minutes: number[] }
  | { kind: 'monthly'; nth: number; weekday: number; minutes: number[] }
  | {
      kind: 'cron';
      minutes: number[];
      hours: number[];
      /** null: any day of month (`*`) */
      doms: Set<number> | null;
      months: Set<number>;
      /** null: any weekday (`*`); 0 = Monday … 6 = Sunday */
      dows: Set<number> | null;
    };

const DAY_WORDS: Record<string, number> = {
  monday: 0,
  mon: 0,
  tuesday: 1,
  tue: 1,
  tues: 1,
  wednesday: 2,
  wed: 2,
  thursday: 3,
  thu: 3,
  thurs: 3,
  friday: 4,
  fri: 4,
  saturday: 5,
  sat: 5,
  sunday: 6,
  sun: 6,
};
const NTH: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
};
NTH.last = -1;

export class RecurrenceError extends Error {}

/** A time of day in words: `9:00`, `09:30`, `9am`, `6:30pm`, `18h`. */
export function parseTimeOfDay(text: string): number | null {
  const t = text.trim().toLowerCase();
  const ampm = /^(\d{1,2})(?::([0-5]\d))?\s*(am|pm)$/.exec(t);
  if (ampm) {
    const h = Number(ampm[1]);
    if (h < 1 || h > 12) return null;
    return ((h % 12) + (ampm[3] === 'pm' ? 12 : 0)) * 60 + Number(ampm[2] ?? 0);
  }
  return parseClockTime(t.replace(/h$/, ''));
}

/** Reads a schedule in plain words or cron; throws RecurrenceError with an example when it cannot. */
export function parseRecurrence(text: string): Recurrence {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^[\d*,/-]+( [\d*,/-]+){4}$/.test(s)) return parseCron(s);
  if (s === 'every hour' || s === 'hourly') return parseCron('0 * * * *');
  const words = s
    .replace(/^every /, '')
    .replace(/ at /, ' ')
    .replace(/ of (the|every|each) month/, ' month');
  const [timeWord, ...front] = words.split(' ').reverse();
  const minute = timeWord === undefined ? null : parseTimeOfDay(timeWord);
  if (minute === null) throw new RecurrenceError(`“${text}” needs a time at the end, e.g. “every monday 9:00”`);
  const rest = front.reverse();
  if (rest.at(-1) === 'month' && rest.length === 3) {
    const nth = NTH[rest[0]!];
    const weekday = DAY_WORDS[rest[1]!];
    if (nth !== undefined && weekday !== undefined) return { kind: 'monthly', nth, weekday, minutes: [minute] };
  }
  const day = rest.join(' ');
  if (day === 'day' || day === 'daily' || day === '')
    return { kind: 'weekly', days: [0, 1, 2, 3, 4, 5, 6], minutes: [minute] };
  if (day === 'weekday' || day === 'workday') return { kind: 'weekly', days: [0, 1, 2, 3, 4], minutes: [minute] };
  const days = day.split(/,| and /).map((w) => DAY_WORDS[w.trim()]);
  if (days.length && days.every((d) => d !== undefined)) {
    return { kind: 'weekly', days: [...new Set(days as number[])].sort(), minutes: [minute] };
  }
  throw new RecurrenceError(
    `I can’t read the schedule “${text}”. Try “every monday 9:00”, “every weekday 8:30”, “first tuesday of the month 18:30” or cron like “0 9 * * 1”.`,
  );
}

function cronField(field: string, min: number, max: number, name: string): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new RecurrenceError(`cron ${name} “${field}” is not valid`);
    const step = m[2] ? Number(m[2]) : 1;
    let lo = min;
    let hi = max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-').map(Number);
      lo = a!;
      hi = b ?? (m[2] ? max : a!);
    }
    if (lo < min || hi > max || lo > hi || step < 1)
      throw new RecurrenceError(`cron ${name} “${field}” is out of range`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function parseCron(s: string): Recurrence {
  const [mi, h, dom, mon, dow] = s.split(' ') as [string, string, string, string, string];
  return {
    kind: 'cron',
    minutes: cronField(mi, 0, 59, 'minute'),
    hours: cronField(h, 0, 23, 'hour'),
    doms: dom === '*' ? null : new Set(cronField(dom, 1, 31, 'day of month')),
    months: new Set(cronField(mon, 1, 12, 'month')),
    // cron counts Sunday as 0 (and 7); we count Monday as 0
    dows: dow === '*' ? null : new Set(cronField(dow, 0, 7, 'day of week').map((d) => (d + 6) % 7)),
  };
}

/** Local minutes-of-day the rule fires on a given calendar date, in order (empty when the date is not a slot day). */
function slotsOn(r: Recurrence, d: { year: number; month: number; day: number }): number[] {
  const wd = weekdayOf(d.year, d.month, d.day);
  if (r.kind === 'weekly') return r.days.includes(wd) ? r.minutes : [];
  if (r.kind === 'monthly') {
    if (wd !== r.weekday) return [];
    const nth = r.nth > 0 ? Math.ceil(d.day / 7) === r.nth : d.day + 7 > daysInMonth(d.year, d.month);
    return nth ? r.minutes : [];
  }
  if (!r.months.has(d.month)) return [];
  // cron: when both day fields are restricted, either may match
  const domOk = r.doms?.has(d.day);
  const dowOk = r.dows?.has(wd);
  const dayOk = r.doms && r.dows ? domOk || dowOk : r.doms ? domOk : r.dows ? dowOk : true;
  if (!dayOk) return [];
  const out: number[] = [];
  for (const h of r.hours) for (const m of r.minutes) out.push(h * 60 + m);
  return out;
}

/** The first slot strictly after `after`, in the time zone; null if none in the next eight years (a 30 February). */
export function nextOccurrence(r: Recurrence, after: Date, tz: string): Date | null {
  const start = localParts(after, tz);
  let day = { year: start.year, month: start.month, day: start.day };
  // start one day early: a slot late on the previous local date can still lie after `after` across a DST change
  day = addDays(day, -1);
  for (let i = 0; i < 366 * 8; i++, day = addDays(day, 1)) {
    // the earliest of the day, not the first in wall order: a slot moved forward out of a DST gap may pass another
    let best: Date | null = null;
    for (const minute of slotsOn(r, day)) {
      const t = zonedTime(day, Math.floor(minute / 60), minute % 60, tz);
      if (t.getTime() > after.getTime() && (!best || t < best)) best = t;
    }
    if (best) return best;
  }
  return null;
}

/** Validates a schedule text: null when fine, else the message to show. */
export function recurrenceProblem(text: string): string | null {
  try {
    const r = parseRecurrence(text);
    return nextOccurrence(r, new Date(), 'UTC') ? null : `“${text}” never happens.`;
  } catch (err) {
    if (err instanceof RecurrenceError) return err.message;
    throw err;
  }
}
