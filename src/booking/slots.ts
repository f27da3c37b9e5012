import { addDays, parseClockTime } from '../time/zoned.js';
import type { WeeklyWindow } from './availability.js';
import { localParts, offsetAt } from './zone-cache.js';

/** A half-open interval of epoch milliseconds [start, end). */
export type Interval = readonly [number, number];

export interface SlotMember {
  id: number;
  tz: string;
  windows: WeeklyWindow[];
  /** Local quiet hours `HH:MM`; equal start and end means none. */
  quiet: { start: string; end: string };
  /** Their other booked 1-to-1s and away periods. */
  busy: Interval[];
}

export interface SlotRequest {
  members: SlotMember[];
  /** The round's window: slots lie wholly inside it. */
  from: number;
  to: number;
  minutes: number;
  /** The group's meetings: busy for everyone. */
  busy: Interval[];
  /** Start times fall on this grid of UTC minutes (30: :00 and :30, or :15/:45 in zones offset by a quarter). */
  stepMinutes?: number;
  /** One cache for all the requests of a round (see WeekCache). */
  cache?: WeekCache;
}

const MIN = 60_000;
const DAY = 86_400_000;
/** Proposed starts on one day keep this far apart, so a day's alternatives differ. */
const SPREAD = 2 * 60 * MIN;

function normalize(list: Interval[]): Interval[] {
  const sorted = list.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The parts of two normalized lists both cover. */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** A normalized list minus the (unnormalized) busy intervals. */
export function subtract(a: Interval[], busy: Interval[]): Interval[] {
  const cuts = normalize([...busy]);
  const out: Interval[] = [];
  for (const [s, e] of a) {
    let cur = s;
    for (const [bs, be] of cuts) {
      if (be <= cur || bs >= e) continue;
      if (bs > cur) out.push([cur, bs]);
      cur = Math.max(cur, be);
      if (cur >= e) break;
    }
    if (cur < e) out.push([cur, e]);
  }
  return out;
}

/** Each local calendar day touching [from, to] in a zone (one day of margin either side). */
function localDays(from: number, to: number, tz: string) {
  const first = localParts(from - DAY, tz);
  const days: { year: number; month: number; day: number; weekday: number }[] = [];
  let d = { year: first.year, month: first.month, day: first.day };
  const last = localParts(to + DAY, tz);
  const lastKey = last.year * 10_000 + last.month * 100 + last.day;
  for (let n = 0; n < 400; n++) {
    const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
    days.push({ ...d, weekday });
    if (d.year * 10_000 + d.month * 100 + d.day >= lastKey) break;
    d = addDays(d, 1);
  }
  return days;
}

type Day = { year: number; month: number; day: number };

/**
 * The instant a local wall time means, choosing for the edges of an interval: a time that happens twice (clocks
 * going back) is its `early` or `late` occurrence, and one that never happens (clocks going forward) is the moment
 * of the change. So a window [late start, early end) and quiet hours [early start, late end) hold only local times
 * the member gave, on the days of a change too.
 */
function localInstant(d: Day, minutes: number, tz: string, prefer: 'early' | 'late'): number {
  const day = minutes >= 1440 ? addDays(d, 1) : d;
  const m = minutes % 1440;
  const wall = Date.UTC(day.year, day.month - 1, day.day, Math.floor(m / 60), m % 60);
  const before = offsetAt(wall - DAY, tz);
  const after = offsetAt(wall + DAY, tz);
  if (before === after) return wall - before;
  const hits = [wall - before, wall - after].filter((t) => {
    const p = localParts(t, tz);
    return p.day === day.day && p.hour * 60 + p.minute === m;
  });
  if (hits.length) return prefer === 'early' ? Math.min(...hits) : Math.max(...hits);
  // in the gap: the change happens between these two; find it to the minute
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  while (hi - lo > MIN) {
    const mid = Math.floor((lo + hi) / 2 / MIN) * MIN;
    if (offsetAt(mid, tz) === offsetAt(lo, tz)) lo = mid;
    else hi = mid;
  }
  return hi;
}

const at = (d: Day, minutes: number, tz: string, prefer: 'early' | 'late' = 'early') =>
  localInstant(d, minutes, tz, prefer);

/** The member's weekly windows as instants over [from, to], each local day read with that day's offset (DST). */
export function windowIntervals(m: Pick<SlotMember, 'tz' | 'windows'>, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const d of localDays(from, to, m.tz)) {
    for (const w of m.windows) {
      if (w.weekday === d.weekday) out.push([at(d, w.start, m.tz, 'late'), at(d, w.end, m.tz, 'early')]);
    }
  }
  return normalize(out);
}

/** The member's quiet hours as instants over [from, to]; a period that wraps midnight runs into the next day. */
export function quietIntervals(m: Pick<SlotMember, 'tz' | 'quiet'>, from: number, to: number): Interval[] {
  const qs = parseClockTime(m.quiet.start);
  const qe = parseClockTime(m.quiet.end);
  if (qs === null || qe === null || qs === qe) return [];
  const out: Interval[] = [];
  for (const d of localDays(from, to, m.tz)) {
    out.push([at(d, qs, m.tz, 'early'), qs < qe ? at(d, qe, m.tz, 'late') : at(addDays(d, 1), qe, m.tz, 'late')]);
  }
  return normalize(out);
}

/**
 * Shared by the requests of one round: members' windows minus quiet hours depend only on zone, windows and quiet
 * hours, which many members share (the assumed weekday hours, a chapter's one zone), so each is computed once.
 */
export type WeekCache = Map<string, Interval[]>;

/** Where a slot of the request may lie for one member: windows, minus quiet hours and their own busy times. */
function memberFree(m: SlotMember, from: number, to: number, withWindows: boolean, cache?: WeekCache): Interval[] {
  const key =
    cache &&
    `${withWindows ? 'w' : 'o'}|${from}|${to}|${m.tz}|${m.quiet.start}-${m.quiet.end}|${JSON.stringify(m.windows)}`;
  let week = key ? cache!.get(key) : undefined;
  if (!week) {
    const base: Interval[] = withWindows ? windowIntervals(m, from, to) : [[from - DAY, to + DAY]];
    week = subtract(base, quietIntervals(m, from, to));
    if (key) cache!.set(key, week);
  }
  return m.busy.length ? subtract(week, m.busy) : week;
}

/** Start times of `minutes`-long slots inside the free intervals, on the UTC grid. */
function gridStarts(free: Interval[], minutes: number, step: number): number[] {
  const out: number[] = [];
  const len = minutes * MIN;
  const grid = step * MIN;
  for (const [s, e] of free) {
    for (let t = Math.ceil(s / grid) * grid; t + len <= e; t += grid) out.push(t);
  }
  return out;
}

/** The organiser's local date of an instant, as a sortable number: "different days" are theirs. */
const dayOf = (t: number, tz: string) => {
  const p = localParts(t, tz);
  return p.year * 10_000 + p.month * 100 + p.day;
};

/**
 * Orders candidates so that every three in a row fall on different days where the days allow: the first start of
 * each day in date order, then each day's next start at least two hours later, and so on.
 */
function spread(starts: number[], tz: string): number[] {
  const byDay = new Map<number, number[]>();
  const rest: number[] = [];
  for (const t of starts) {
    const key = dayOf(t, tz);
    const list = byDay.get(key) ?? [];
    if (list.length === 0 || t - list.at(-1)! >= SPREAD) list.push(t);
    else rest.push(t);
    byDay.set(key, list);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b).map((k) => byDay.get(k)!);
  const out: number[] = [];
  for (let k = 0; days.some((d) => d.length > k); k++) for (const d of days) if (d.length > k) out.push(d[k]!);
  // then the starts closer together, so a narrow overlap still offers its alternatives
  return [...out, ...rest];
}

export interface SlotResult {
  /** Every candidate start, in the order pages show them (three a page). */
  starts: number[];
  /** True when no time fits everyone's windows and these are the nearest times instead. */
  nearest: boolean;
}

/**
 * The slots a pair or trio may meet in: inside every member's weekly windows and the round's window, outside each
 * member's quiet hours, busy times and the group's meetings, spread over different days. With no such slot, the
 * nearest ones: the same rules without the windows, ranked by the minutes they fall outside members' windows.
 */
export function findSlots(req: SlotRequest): SlotResult {
  const step = req.stepMinutes ?? 30;
  const organiser = req.members[0]?.tz ?? 'UTC';
  const round: Interval[] = [[req.from, req.to]];
  let free = round;
  for (const m of req.members) free = intersect(free, memberFree(m, req.from, req.to, true, req.cache));
  free = subtract(free, req.busy);
  const exact = gridStarts(free, req.minutes, step);
  if (exact.length) return { starts: spread(exact, organiser), nearest: false };

  let open = round;
  for (const m of req.members) open = intersect(open, memberFree(m, req.from, req.to, false, req.cache));
  open = subtract(open, req.busy);
  const windows = req.members.map((m) => windowIntervals(m, req.from, req.to));
  const len = req.minutes * MIN;
  const outside = (t: number) =>
    windows.reduce((sum, w) => {
      const covered = intersect([[t, t + len]], w).reduce((n, [a, b]) => n + b - a, 0);
      return sum + (len - covered);
    }, 0);
  // best of each day, then the days by how near they come
  const bestOfDay = new Map<number, { t: number; cost: number }>();
  for (const t of gridStarts(open, req.minutes, step)) {
    const cost = outside(t);
    const key = dayOf(t, organiser);
    const cur = bestOfDay.get(key);
    if (!cur || cost < cur.cost) bestOfDay.set(key, { t, cost });
  }
  const starts = [...bestOfDay.values()].sort((a, b) => a.cost - b.cost || a.t - b.t).map((x) => x.t);
  return { starts, nearest: starts.length > 0 };
}

/** Page `n` (three a page) of the ordered candidates. */
export const pageOf = (starts: number[], page: number, size = 3) => starts.slice(page * size, page * size + size);
