import { describe, expect, it } from 'vitest';
import { localToUtc, occurrences } from '../../src/meetings/calendar.js';
import { lightFor } from '../../src/reports/scorecard.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe('meeting calendar', () => {
  it('keeps a weekly 07:00 meeting at 07:00 local across both DST changes in two zones', () => {
    const berlin = occurrences(
      { frequency: 'weekly', day: 'tuesday', time: '07:00' },
      'Europe/Berlin',
      new Date('2026-03-20T00:00Z'),
      new Date('2026-04-04T00:00Z'),
    );
    // CET (UTC+1) until 29 March, CEST (UTC+2) after.
    expect(iso(berlin)).toEqual(['2026-03-24T06:00:00.000Z', '2026-03-31T05:00:00.000Z']);
    const ny = occurrences(
      { frequency: 'weekly', day: 'sunday', time: '09:30' },
      'America/New_York',
      new Date('2026-10-25T00:00Z'),
      new Date('2026-11-09T00:00Z'),
    );
    expect(iso(ny)).toEqual(['2026-10-25T13:30:00.000Z', '2026-11-01T14:30:00.000Z', '2026-11-08T14:30:00.000Z']);
  });

  it('moves a time inside the spring gap forward by the gap, as clocks do', () => {
    expect(localToUtc({ y: 2026, m: 3, d: 29 }, '02:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('meets every other week on biweekly and on the first such weekday on monthly', () => {
    const from = new Date('2026-01-01T00:00Z');
    const to = new Date('2026-03-01T00:00Z');
    const bi = occurrences({ frequency: 'biweekly', day: 'monday', time: '12:00' }, 'UTC', from, to);
    expect(bi.length).toBe(4);
    for (let i = 1; i < bi.length; i++) expect(bi[i]!.getTime() - bi[i - 1]!.getTime()).toBe(14 * 86_400_000);
    const monthly = occurrences({ frequency: 'monthly', day: 'thursday', time: '18:00' }, 'UTC', from, to);
    expect(iso(monthly)).toEqual(['2026-01-01T18:00:00.000Z', '2026-02-05T18:00:00.000Z']);
  });
});

describe('traffic lights', () => {
  it('is green at or above green, amber at or above amber, red below, and grey without data', () => {
    const t = { green: 1, amber: 0.5 };
    expect([lightFor(1, t), lightFor(0.5, t), lightFor(0.49, t), lightFor(null, t)]).toEqual([
      'green',
      'amber',
      'red',
      'none',
    ]);
  });
});
