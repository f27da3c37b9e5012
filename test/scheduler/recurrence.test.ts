import { describe, expect, it } from 'vitest';
import { afterQuietHours } from '../../src/delivery/quiet-hours.js';
import { parseDeadline } from '../../src/nudges/deadline.js';
import { nextOccurrence, parseRecurrence, recurrenceProblem } from '../../src/scheduler/recurrence.js';
import { localParts } from '../../src/time/zoned.js';

const iso = (s: string) => new Date(s);
function slots(spec: string, from: string, to: string, tz: string): string[] {
  const r = parseRecurrence(spec);
  const out: string[] = [];
  for (let t = nextOccurrence(r, iso(from), tz); t && t < iso(to); t = nextOccurrence(r, t, tz))
    out.push(t.toISOString());
  return out;
}

describe('schedules in plain words and cron', () => {
  it('reads weekly, weekday, monthly, hourly and cron rules', () => {
    expect(slots('every monday 9:00', '2026-01-01T00:00Z', '2026-01-20T00:00Z', 'UTC')).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-12T09:00:00.000Z',
      '2026-01-19T09:00:00.000Z',
    ]);
    expect(slots('first tuesday of the month 18:30', '2026-01-01T00:00Z', '2026-04-01T00:00Z', 'UTC')).toEqual([
      '2026-01-06T18:30:00.000Z',
      '2026-02-03T18:30:00.000Z',
      '2026-03-03T18:30:00.000Z',
    ]);
    expect(slots('last friday of the month 5pm', '2026-01-01T00:00Z', '2026-03-01T00:00Z', 'UTC')).toEqual([
      '2026-01-30T17:00:00.000Z',
      '2026-02-27T17:00:00.000Z',
    ]);
    expect(slots('every weekday at 8:30', '2026-01-09T00:00Z', '2026-01-13T00:00Z', 'UTC')).toHaveLength(2);
    expect(slots('0 9 * * 1', '2026-01-01T00:00Z', '2026-01-13T00:00Z', 'UTC')).toEqual(
      slots('every monday 9:00', '2026-01-01T00:00Z', '2026-01-13T00:00Z', 'UTC'),
    );
    expect(slots('*/30 8-9 * * *', '2026-01-01T00:00Z', '2026-01-01T23:00Z', 'UTC')).toHaveLength(4);
  });

  it('explains what it cannot read', () => {
    expect(recurrenceProblem('every blursday 9:00')).toContain('every monday 9:00');
    expect(recurrenceProblem('every monday')).toContain('needs a time');
    expect(recurrenceProblem('0 9 31 2 *')).toContain('never happens');
    expect(recurrenceProblem('0 25 * * *')).toContain('out of range');
  });
});

describe('daylight saving neither skips nor doubles a slot', () => {
  for (const [tz, spring, fall] of [
    ['Europe/Berlin', '2026-03-29', '2026-10-25'],
    ['America/New_York', '2026-03-08', '2026-11-01'],
  ] as const) {
    it(`${tz}: a daily 02:30 slot happens once on each transition day, at 02:30 or just after the gap`, () => {
      for (const day of [spring, fall]) {
        const d = new Date(`${day}T12:00Z`);
        const around = slots(
          'every day 2:30',
          new Date(d.getTime() - 3 * 86_400_000).toISOString(),
          new Date(d.getTime() + 3 * 86_400_000).toISOString(),
          tz,
        );
        const days = around.map((t) => {
          const p = localParts(new Date(t), tz);
          return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
        });
        expect(new Set(days).size).toBe(days.length); // never doubled
        expect(days).toContain(day); // never skipped
        const onDay = localParts(new Date(around[days.indexOf(day)]!), tz);
        expect(`${onDay.hour}:${onDay.minute}`).toBe(day === spring ? '3:30' : '2:30');
      }
    });

    it(`${tz}: a weekly 9:00 stays at 9:00 local through both changes`, () => {
      const all = slots(
        'every sunday 9:00',
        `${spring.slice(0, 4)}-01-01T00:00Z`,
        `${spring.slice(0, 4)}-12-31T00:00Z`,
        tz,
      );
      expect(all).toHaveLength(52);
      for (const t of all) expect(localParts(new Date(t), tz)).toMatchObject({ hour: 9, minute: 0, weekday: 6 });
    });

    it(`${tz}: hourly cron gives 23 slots on the spring day and 24 distinct ones on the autumn day`, () => {
      for (const [day, expected] of [
        [spring, 23],
        [fall, 24],
      ] as const) {
        const local = slotsOnLocalDay('0 * * * *', day, tz);
        expect(local).toHaveLength(expected);
        expect(new Set(local).size).toBe(local.length);
      }
    });
  }
});

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
function slotsOnLocalDay(spec: string, day: string, tz: string): string[] {
  return slots(spec, `${day}T00:00Z`.replace(day, prevDay(day)), `${nextDay(nextDay(day))}T00:00Z`, tz).filter((t) => {
    const p = localParts(new Date(t), tz);
    return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}` === day;
  });
}
function prevDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

describe('quiet hours', () => {
  it('a DM due at 22:30 local waits until 08:00 the next morning; one at 07:00 until 08:00 the same day', () => {
    const tz = 'Europe/Berlin';
    expect(afterQuietHours(iso('2026-01-05T21:30Z'), tz).toISOString()).toBe('2026-01-06T07:00:00.000Z');
    expect(afterQuietHours(iso('2026-01-06T06:00Z'), tz).toISOString()).toBe('2026-01-06T07:00:00.000Z');
    expect(afterQuietHours(iso('2026-01-06T12:00Z'), tz).toISOString()).toBe('2026-01-06T12:00:00.000Z');
  });
  it('honours a member’s own hours and time zone, including a window that does not wrap midnight', () => {
    expect(
      afterQuietHours(iso('2026-01-06T03:00Z'), 'America/New_York', { start: '22:00', end: '07:30' }).toISOString(),
    ).toBe('2026-01-06T12:30:00.000Z');
    expect(afterQuietHours(iso('2026-01-06T13:15Z'), 'UTC', { start: '13:00', end: '14:00' }).toISOString()).toBe(
      '2026-01-06T14:00:00.000Z',
    );
  });
  it('the morning after quiet hours is right across the spring change', () => {
    // 22:00 CET on the eve of the change: 08:00 the next day is CEST (UTC+2)
    expect(afterQuietHours(iso('2026-03-28T21:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });
});

describe('deadlines in words', () => {
  const monday = iso('2026-01-05T09:00Z');
  it('reads dates, weekdays and spans in the member’s time zone (17:00 unless a time is given)', () => {
    expect(parseDeadline('2026-12-04', monday, 'UTC')!.toISOString()).toBe('2026-12-04T17:00:00.000Z');
    expect(parseDeadline('friday', monday, 'Europe/Berlin')!.toISOString()).toBe('2026-01-09T16:00:00.000Z');
    expect(parseDeadline('next monday', monday, 'UTC')!.toISOString()).toBe('2026-01-12T17:00:00.000Z');
    expect(parseDeadline('in 3 days', monday, 'UTC')!.toISOString()).toBe('2026-01-08T17:00:00.000Z');
    expect(parseDeadline('in 2 weeks', monday, 'UTC')!.toISOString()).toBe('2026-01-19T17:00:00.000Z');
    expect(parseDeadline('tomorrow 10:00', monday, 'UTC')!.toISOString()).toBe('2026-01-06T10:00:00.000Z');
  });
  it('refuses what it cannot read', () => {
    expect(parseDeadline('2026-02-30', monday, 'UTC')).toBeNull();
    expect(parseDeadline('someday', monday, 'UTC')).toBeNull();
  });
});
