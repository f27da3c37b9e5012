import { offsetAt as zoneOffsetAt } from '../time/zoned.js';

/**
 * A zone's offset, read through a cache: Intl's formatToParts costs ~25 µs here, and a round of 100 pairs asks for
 * local times tens of thousands of times. A UTC day whose offset is the same at both ends has it throughout (zones
 * change at most once a day), so most days cost two reads; a day with a change is read per quarter hour (every
 * change falls on one). The cache is dropped past a bound, so a long-running process keeps it small.
 */
const QUARTER = 15 * 60_000;
const DAY = 86_400_000;
const zones = new Map<string, { days: Map<number, number | null>; quarters: Map<number, number> }>();

export function offsetAt(t: number, tz: string): number {
  let z = zones.get(tz);
  if (!z) {
    if (zones.size > 500) zones.clear();
    z = { days: new Map(), quarters: new Map() };
    zones.set(tz, z);
  }
  const d = Math.floor(t / DAY);
  let o = z.days.get(d);
  if (o === undefined) {
    if (z.days.size > 20_000) z.days.clear();
    const a = zoneOffsetAt(d * DAY, tz);
    o = a === zoneOffsetAt((d + 1) * DAY, tz) ? a : null;
    z.days.set(d, o);
  }
  if (o !== null) return o;
  const q = Math.floor(t / QUARTER);
  let qo = z.quarters.get(q);
  if (qo === undefined) {
    if (z.quarters.size > 20_000) z.quarters.clear();
    qo = zoneOffsetAt(q * QUARTER, tz);
    z.quarters.set(q, qo);
  }
  return qo;
}

/** The local wall time of an instant (weekday 0 = Monday), from the cached offset. */
export function localParts(t: number, tz: string) {
  const d = new Date(t + offsetAt(t, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}
