import { describe, expect, it } from 'vitest';
import { CadenceError, describeCadence, nextSlot, parseCadence, zonedTime } from '../../src/pairing/cadence.js';

const local = (at: Date, tz: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

/** The next `n` slots after `from`. */
function slots(c: ReturnType<typeof parseCadence>, tz: string, from: Date, n: number, anchor?: Date): Date[] {
  const out: Date[] = [];
  let t = from;
  for (let i = 0; i < n; i++) {
    t = nextSlot(c, tz, t, anchor);
    out.push(t);
  }
  return out;
}

describe('cadence', () => {
  it('keeps a weekly 09:00 at 09:00 local across both daylight-saving changes, in two time zones', () => {
    for (const [tz, from] of [
      ['Europe/Berlin', '2026-03-16T00:00:00Z'],
      ['America/New_York', '2026-03-02T00:00:00Z'],
      ['Europe/Berlin', '2026-10-19T00:00:00Z'],
      ['America/New_York', '2026-10-26T00:00:00Z'],
    ] as const) {
      const list = slots(parseCadence('weekly', 'monday', '09:00'), tz, new Date(from), 4);
      for (const s of list) expect(local(s, tz)).toMatch(/^Mon, .* 09:00$/);
      for (let i = 1; i < list.length; i++) {
        const gapHours = (list[i]!.getTime() - list[i - 1]!.getTime()) / 3_600_000;
        expect([167, 168, 169]).toContain(gapHours);
      }
    }
  });

  it('neither skips nor doubles a slot in the hour that is missing or repeated', () => {
    // Sunday 02:30 in Berlin: missing on 29 March 2026 (runs at 03:30), repeated on 25 October 2026 (runs once).
    const c = parseCadence('weekly', 'sunday', '02:30');
    const spring = slots(c, 'Europe/Berlin', new Date('2026-03-21T00:00:00Z'), 3);
    expect(spring.map((s) => local(s, 'Europe/Berlin'))).toEqual([
      'Sun, 22/03/2026, 02:30',
      'Sun, 29/03/2026, 03:30',
      'Sun, 05/04/2026, 02:30',
    ]);
    const autumn = slots(c, 'Europe/Berlin', new Date('2026-10-17T00:00:00Z'), 3);
    expect(autumn.map((s) => s.toISOString())).toEqual([
      '2026-10-18T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-11-01T01:30:00.000Z',
    ]);
    // Asking again from just after the repeated hour's first 02:30 does not give its second one.
    expect(nextSlot(c, 'Europe/Berlin', new Date('2026-10-25T00:30:00Z')).toISOString()).toBe(
      '2026-11-01T01:30:00.000Z',
    );
  });

  it('runs biweekly every other week from the anchor, and monthly on the first weekday', () => {
    const anchor = new Date('2026-01-06T12:00:00Z');
    const bi = parseCadence('biweekly', 'tuesday', '18:00');
    const days = (list: Date[]) => list.map((s) => s.toISOString().slice(0, 10));
    expect(days(slots(bi, 'UTC', anchor, 3, anchor))).toEqual(['2026-01-06', '2026-01-20', '2026-02-03']);
    // Asked in an "off" week, it still keeps to the anchor's weeks.
    expect(days(slots(bi, 'UTC', new Date('2026-01-12T00:00:00Z'), 2, anchor))).toEqual(['2026-01-20', '2026-02-03']);
    const monthly = slots(
      parseCadence('monthly', 'friday', '08:00'),
      'Europe/London',
      new Date('2026-01-01T00:00:00Z'),
      3,
    );
    expect(monthly.map((s) => local(s, 'Europe/London'))).toEqual([
      'Fri, 02/01/2026, 08:00',
      'Fri, 06/02/2026, 08:00',
      'Fri, 06/03/2026, 08:00',
    ]);
  });

  it('accepts a daily-or-rarer cron and refuses what is not one', () => {
    const c = parseCadence('0 8 1,15 * *');
    expect(c.kind).toBe('cron');
    expect(describeCadence(c)).toBe('on the schedule “0 8 1,15 * *”');
    expect(slots(c, 'Asia/Tokyo', new Date('2026-01-01T00:00:00Z'), 2).map((s) => local(s, 'Asia/Tokyo'))).toEqual([
      'Thu, 15/01/2026, 08:00',
      'Sun, 01/02/2026, 08:00',
    ]);
    expect(() => parseCadence('*/5 * * * *')).toThrow(CadenceError);
    expect(() => parseCadence('0 9 * *')).toThrow(/five fields/);
    expect(() => parseCadence('0 25 * * *')).toThrow(/not a valid cron/);
    expect(() => parseCadence('0 9 * * * *')).toThrow(/five fields/);
  });

  it('turns wall-clock times into instants', () => {
    expect(zonedTime({ y: 2026, mo: 7, d: 1, h: 9, mi: 0 }, 'America/New_York').toISOString()).toBe(
      '2026-07-01T13:00:00.000Z',
    );
    expect(zonedTime({ y: 2026, mo: 1, d: 1, h: 9, mi: 0 }, 'Asia/Kolkata').toISOString()).toBe(
      '2026-01-01T03:30:00.000Z',
    );
  });
});
