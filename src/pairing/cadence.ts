import type { WEEKDAYS } from '../groups/group-settings.js';
import { lazyRequire } from '../lazy-require.js';
import { zonedTime as zonedInstant, offsetAt as zonedOffset, localParts as zonedParts } from '../time/zoned.js';

/** node-cron's CommonJS build (its module object carries the same functions as the ESM default). */
const cron = lazyRequire<typeof import('node-cron').default>('node-cron');

export const CADENCES = ['weekly', 'biweekly', 'monthly'] as const;
export type NamedCadence = (typeof CADENCES)[number];

export interface Cadence {
  kind: NamedCadence | 'cron';
  /** Five-field cron in the group's wall-clock time; biweekly is the weekly expression taken every other week. */
  cron: string;
}

export class CadenceError extends Error {}

const DAY_MS = 86_400_000;
const CRON_DAY: Record<(typeof WEEKDAYS)[number], number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 0,
};

/**
 * Reads a program's cadence: a named one (weekly / biweekly on a weekday, monthly on the first such weekday) at a
 * time, or a five-field cron expression. Pairing rounds run at most once a day at one fixed time, so a cron must
 * name one minute and one hour: "every 5 minutes" is refused rather than flooding a group with rounds.
 */
export function parseCadence(text: string, day: (typeof WEEKDAYS)[number] = 'monday', time = '09:00'): Cadence {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const named = text.trim().toLowerCase() as NamedCadence;
  if (named === 'weekly' || named === 'biweekly') return { kind: named, cron: `${m} ${h} * * ${CRON_DAY[day]}` };
  if (named === 'monthly') return { kind: 'monthly', cron: `${m} ${h} * * ${CRON_DAY[day]}#1` };
  const expr = text.trim().replace(/\s+/g, ' ');
  if (expr.split(' ').length !== 5) {
    throw new CadenceError('A cron cadence has five fields: minute hour day-of-month month weekday, e.g. "0 9 * * 1".');
  }
  if (!cron().validate(expr)) throw new CadenceError(`“${expr}” is not a valid cron expression.`);
  const f = cron().parse(expr);
  if (f.minute.length !== 1 || f.hour.length !== 1) {
    throw new CadenceError(
      'A pairing cadence runs at one time of day: give one minute and one hour, e.g. "30 8 * * 2".',
    );
  }
  return { kind: 'cron', cron: expr };
}

/** "weekly on Monday at 09:00" — what a cadence reads like to members. */
export function describeCadence(c: Cadence): string {
  if (c.kind === 'cron') return `on the schedule “${c.cron}”`;
  const [m, h, , , dow] = c.cron.split(' ') as [string, string, string, string, string];
  const at = `${h.padStart(2, '0')}:${m.padStart(2, '0')}`;
  const dayNum = Number(dow.split('#')[0]);
  const dayName = Object.entries(CRON_DAY).find(([, n]) => n === dayNum)?.[0] ?? 'monday';
  const Day = dayName.charAt(0).toUpperCase() + dayName.slice(1);
  if (c.kind === 'monthly') return `monthly on the first ${Day} at ${at}`;
  return `${c.kind === 'weekly' ? 'weekly' : 'every two weeks'} on ${Day} at ${at}`;
}

interface Local {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

/** The cadence's view of a local time, read through the shared zoned-time helpers. */
function localParts(at: Date, tz: string): Local {
  const p = zonedParts(at, tz);
  return { y: p.year, mo: p.month, d: p.day, h: p.hour, mi: p.minute };
}

/**
 * The instant a wall-clock time happens in a zone: a time that occurs twice (autumn) gives the first occurrence, one
 * that does not exist (spring) the instant just after the gap, so a slot is neither doubled nor skipped.
 */
export function zonedTime(l: Local, tz: string): Date {
  return zonedInstant({ year: l.y, month: l.mo, day: l.d }, l.h, l.mi, tz);
}

/** Monday-aligned week number of a calendar date: biweekly cadences take every other one. */
const weekIndex = (l: Pick<Local, 'y' | 'mo' | 'd'>) => Math.floor((Date.UTC(l.y, l.mo - 1, l.d) / DAY_MS - 4) / 7);

/**
 * The first slot of a cadence strictly after `after`, in the time zone `tz`. Days are walked in the zone's calendar
 * and matched as wall-clock times (node-cron evaluated in UTC on the wall-clock fields), then turned into an instant,
 * so daylight-saving changes move no slot to another day. `anchor` fixes which weeks a biweekly cadence uses (the
 * week of its first slot after the anchor, then every other week).
 */
export function nextSlot(c: Cadence, tz: string, after: Date, anchor?: Date): Date {
  const task = cron().createTask(c.cron, () => {}, { timezone: 'UTC' });
  try {
    const f = cron().parse(c.cron);
    const [mi, h] = [f.minute[0]!, f.hour[0]!];
    const parity =
      c.kind === 'biweekly'
        ? weekIndex(localParts(nextSlot({ kind: 'weekly', cron: c.cron }, tz, anchor ?? new Date(0)), tz)) % 2
        : null;
    const start = localParts(after, tz);
    let day = Date.UTC(start.y, start.mo - 1, start.d);
    for (let i = 0; i < 366 * 8; i++, day += DAY_MS) {
      const dt = new Date(day);
      const l = { y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate(), h, mi };
      if (!task.match(new Date(Date.UTC(l.y, l.mo - 1, l.d, h, mi)))) continue;
      if (parity !== null && weekIndex(l) % 2 !== parity) continue;
      const at = zonedTime(l, tz);
      if (at.getTime() > after.getTime()) return at;
    }
    throw new CadenceError(`the cadence “${c.cron}” never comes due`);
  } finally {
    task.destroy();
  }
}

/** How long one round of the cadence lasts around `at`: the gap between the next two slots. */
export function roundLength(c: Cadence, tz: string, at: Date, anchor?: Date): number {
  const first = nextSlot(c, tz, at, anchor);
  return nextSlot(c, tz, first, anchor).getTime() - first.getTime();
}

/** Two suggested meeting times for a new pair: the next two weekdays at 10:00 and 15:00 in the group's zone. */
export function suggestedTimes(tz: string, from: Date): Date[] {
  const out: Date[] = [];
  let day = from.getTime() + DAY_MS;
  while (out.length < 2) {
    const l = localParts(new Date(day), tz);
    const wd = new Date(Date.UTC(l.y, l.mo - 1, l.d)).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(zonedTime({ ...l, h: out.length === 0 ? 10 : 15, mi: 0 }, tz));
    day += DAY_MS;
  }
  return out;
}

/** "Tue 6 Jan, 10:00" in the group's zone. */
export function formatLocal(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** "6 Jan" in the group's zone. */
export function formatDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short' }).format(at);
}

/** A member's offset from UTC now, in minutes (the matcher's time-zone preference); null when unknown. */
export function utcOffsetMinutes(tz: string | null, at: Date): number | null {
  if (!tz) return null;
  try {
    return zonedOffset(at.getTime(), tz) / 60_000;
  } catch {
    return null;
  }
}
