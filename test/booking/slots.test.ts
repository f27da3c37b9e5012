import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAvailability, type WeeklyWindow } from '../../src/booking/availability.js';
import { findSlots, type Interval, pageOf, type SlotMember, type SlotRequest } from '../../src/booking/slots.js';
import { localParts, parseClockTime } from '../../src/time/zoned.js';

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = [
  'Europe/London',
  'America/New_York',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'UTC',
];
/** Days around daylight-saving changes (EU 29 Mar / 25 Oct, US 8 Mar / 1 Nov, AU & NZ 5 Apr / 27 Sep 2026). */
const CHANGES = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-25', '2026-11-01', '2026-06-15'].map(
  (d) => Date.parse(`${d}T00:00:00Z`),
);

const windowArb: fc.Arbitrary<WeeklyWindow> = fc
  .record({
    weekday: fc.integer({ min: 0, max: 6 }),
    start: fc.integer({ min: 0, max: 46 }),
    len: fc.integer({ min: 2, max: 24 }),
  })
  .map(({ weekday, start, len }) => ({ weekday, start: start * 30, end: Math.min(1440, start * 30 + len * 30) }));

const memberArb = (id: number): fc.Arbitrary<SlotMember> =>
  fc.record({
    id: fc.constant(id),
    tz: fc.constantFrom(...ZONES),
    windows: fc.array(windowArb, { minLength: 1, maxLength: 6 }),
    quiet: fc.constantFrom(
      { start: '21:00', end: '08:00' },
      { start: '22:30', end: '06:30' },
      { start: '01:30', end: '03:00' },
      { start: '00:00', end: '00:00' },
    ),
    busy: fc.constant([] as Interval[]),
  });

const requestArb: fc.Arbitrary<SlotRequest> = fc
  .record({
    size: fc.integer({ min: 2, max: 3 }),
    around: fc.constantFrom(...CHANGES),
    shiftHours: fc.integer({ min: -72, max: 24 }),
    days: fc.integer({ min: 2, max: 14 }),
    minutes: fc.constantFrom(30, 45, 60),
    meetings: fc.array(fc.record({ at: fc.integer({ min: 0, max: 14 * 48 }), len: fc.integer({ min: 1, max: 6 }) }), {
      maxLength: 3,
    }),
  })
  .chain((r) =>
    fc.tuple(...Array.from({ length: r.size }, (_, i) => memberArb(i + 1))).map((members) => {
      const from = r.around + r.shiftHours * 3_600_000;
      return {
        members,
        from,
        to: from + r.days * DAY,
        minutes: r.minutes,
        busy: r.meetings.map((m) => [from + m.at * 30 * MIN, from + (m.at + m.len) * 30 * MIN] as Interval),
      };
    }),
  );

/** Independent of the implementation: read each sampled minute of a slot as the member's local wall time. */
const minuteOf = (t: number, tz: string) => {
  const p = localParts(t, tz);
  return { weekday: p.weekday, minute: p.hour * 60 + p.minute };
};
const samples = (start: number, minutes: number) => [
  ...Array.from({ length: Math.ceil(minutes / 5) }, (_, k) => start + k * 5 * MIN),
  start + minutes * MIN - MIN,
];
function inWindows(m: SlotMember, t: number): boolean {
  const l = minuteOf(t, m.tz);
  return m.windows.some((w) => w.weekday === l.weekday && w.start <= l.minute && l.minute < w.end);
}
function inQuiet(m: SlotMember, t: number): boolean {
  const s = parseClockTime(m.quiet.start)!;
  const e = parseClockTime(m.quiet.end)!;
  if (s === e) return false;
  const { minute } = minuteOf(t, m.tz);
  return s < e ? minute >= s && minute < e : minute >= s || minute < e;
}
const overlaps = (start: number, minutes: number, busy: Interval[]) =>
  busy.some(([a, b]) => start < b && start + minutes * MIN > a);

/** Every rule a slot must keep, except the windows (which the nearest times may leave). */
function keepsHardRules(req: SlotRequest, t: number): boolean {
  if (t < req.from || t + req.minutes * MIN > req.to) return false;
  if (overlaps(t, req.minutes, req.busy)) return false;
  return req.members.every(
    (m) => !overlaps(t, req.minutes, m.busy) && samples(t, req.minutes).every((x) => !inQuiet(m, x)),
  );
}
const fits = (req: SlotRequest, t: number) =>
  keepsHardRules(req, t) && req.members.every((m) => samples(t, req.minutes).every((x) => inWindows(m, x)));

const dayKey = (t: number, tz: string) => {
  const p = localParts(t, tz);
  return `${p.year}-${p.month}-${p.day}`;
};

describe('slot finding', () => {
  it('proposes only slots inside every member’s windows and the round, outside quiet hours and meetings', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const r = findSlots(req);
        for (const t of r.starts) {
          expect(keepsHardRules(req, t)).toBe(true);
          if (!r.nearest) expect(fits(req, t)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds a fitting slot whenever one exists on the half-hour grid (and says "nearest" only when none does)', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        let exists = false;
        for (let t = Math.ceil(req.from / (30 * MIN)) * 30 * MIN; t + req.minutes * MIN <= req.to; t += 30 * MIN) {
          if (fits(req, t)) {
            exists = true;
            break;
          }
        }
        const r = findSlots(req);
        expect(r.nearest).toBe(!exists && r.starts.length > 0);
        if (exists) expect(r.starts.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('spreads the first three over different days of the organiser’s calendar where the days allow', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const r = findSlots(req);
        const tz = req.members[0]!.tz;
        const allDays = new Set(r.starts.map((t) => dayKey(t, tz)));
        const first = pageOf(r.starts, 0);
        expect(new Set(first.map((t) => dayKey(t, tz))).size).toBe(Math.min(3, allDays.size, first.length));
        // pages never repeat a start
        expect(new Set(r.starts).size).toBe(r.starts.length);
      }),
      { numRuns: 150 },
    );
  });

  it('pairs members in zones 12 hours apart inside both their windows', () => {
    // London 18:00–22:00 is Auckland 07:00–11:00 in January (UTC+13): one hour clear of both quiet hours
    const london: SlotMember = {
      id: 1,
      tz: 'Europe/London',
      windows: parseAvailability('weekdays 18:00-20:30'),
      quiet: { start: '22:00', end: '07:00' },
      busy: [],
    };
    const auckland: SlotMember = {
      id: 2,
      tz: 'Pacific/Auckland',
      windows: parseAvailability('daily 07:00-10:00'),
      quiet: { start: '21:00', end: '08:00' },
      busy: [],
    };
    const from = Date.parse('2026-01-05T09:00:00Z');
    const req = { members: [london, auckland], from, to: from + 7 * DAY, minutes: 45, busy: [] };
    const r = findSlots(req);
    expect(r.nearest).toBe(false);
    expect(r.starts.length).toBeGreaterThanOrEqual(3);
    for (const t of r.starts) {
      expect(fits(req, t)).toBe(true);
      const l = localParts(t, 'Pacific/Auckland');
      expect(l.hour).toBeGreaterThanOrEqual(8); // Auckland's quiet hours end at 08:00
    }
  });

  it('keeps to local hours across a DST change: 09:00 London is 08:00 UTC before 29 March and 08:00 UTC after', () => {
    const m: SlotMember = {
      id: 1,
      tz: 'Europe/London',
      windows: parseAvailability('daily 09:00-10:00'),
      quiet: { start: '21:00', end: '08:00' },
      busy: [],
    };
    const from = Date.parse('2026-03-27T00:00:00Z');
    const r = findSlots({ members: [m, { ...m, id: 2 }], from, to: from + 4 * DAY, minutes: 60, busy: [] });
    expect(r.starts.map((t) => new Date(t).toISOString())).toEqual([
      '2026-03-27T09:00:00.000Z',
      '2026-03-28T09:00:00.000Z',
      '2026-03-29T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
    ]);
  });

  it('with no overlap offers the nearest times, one a day, fewest minutes outside anyone’s window first', () => {
    const a: SlotMember = {
      id: 1,
      tz: 'UTC',
      windows: parseAvailability('weekdays 09:00-10:00'),
      quiet: { start: '21:00', end: '07:00' },
      busy: [],
    };
    const b: SlotMember = { ...a, id: 2, windows: parseAvailability('weekdays 10:30-12:00') };
    const from = Date.parse('2026-01-05T00:00:00Z');
    const r = findSlots({ members: [a, b], from, to: from + 5 * DAY, minutes: 60, busy: [] });
    expect(r.nearest).toBe(true);
    expect(new Set(r.starts.map((t) => dayKey(t, 'UTC'))).size).toBe(r.starts.length);
    // 09:00 lies wholly in a's window and 10:30 in b's (60 minutes outside in all); 09:30 or 10:00 would leave 90
    for (const t of pageOf(r.starts, 0)) expect(['09:00', '10:30']).toContain(new Date(t).toISOString().slice(11, 16));
  });
});
