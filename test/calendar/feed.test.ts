import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { calendarFeedRoute } from '../../src/calendar/feed-route.js';
import { type OpsServer, startOpsServer } from '../../src/ops/ops-http.js';
import { describeEachDatabase } from '../support/databases.js';
import { type ShellHarness, shellHarness } from '../support/shell.js';

describeEachDatabase('calendar feed over HTTP', (db) => {
  let h: ShellHarness;
  let server: OpsServer;
  beforeAll(async () => {
    h = shellHarness(db());
    server = await startOpsServer(0, [calendarFeedRoute(h.core.db, h.clock)], '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
  });
  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);
  const tokenOf = (text: string) => /\/calendar\/([\w-]+)\.ics/.exec(text)![1]!;

  it('serves the group’s meetings to its token only, cancelled ones as cancelled with a raised sequence; a rotated token stops working', async () => {
    const out = await h.run(`
@alice /setup name:"Chapter" type:referral timezone:Europe/London meeting_day:tuesday meeting_time:07:00
@alice /meeting calendar
@alice /meeting next
@alice /meeting cancel date:2026-01-06 reason:"Room closed"
`);
    const token = tokenOf(out.find((m) => m.content.text.includes('calendar feed'))!.content.text);
    const res = await get(`/calendar/${token}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    // weekly on Tuesdays 07:00 London (07:00 UTC in winter) for the next 120 days
    expect(events.length).toBeGreaterThanOrEqual(17);
    expect(events[1]!.startDate.toJSDate().toISOString()).toBe('2026-01-13T07:00:00.000Z');
    // 6 Jan had its invite sent (sequence 0) and was then cancelled: the feed shows it cancelled, sequence 1
    const cancelled = events.find((e) => e.startDate.toJSDate().toISOString() === '2026-01-06T07:00:00.000Z')!;
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.sequence).toBe(1);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect((await get('/calendar/not-a-real-token-at-all.ics')).status).toBe(404);
    // the served text is kept between polls, but a change to a meeting shows in the next one
    await h.run('@alice /meeting cancel date:2026-01-13 reason:"Holiday"');
    const again = new ICAL.Component(ICAL.parse(await (await get(`/calendar/${token}.ics`)).text()));
    const thirteenth = again
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v))
      .find((e) => e.startDate.toJSDate().toISOString() === '2026-01-13T07:00:00.000Z')!;
    expect(thirteenth.component.getFirstPropertyValue('status')).toBe('CANCELLED');

    const rotated = await h.run('@alice /meeting calendar rotate:true');
    const fresh = tokenOf(rotated.at(-1)!.content.text);
    expect(fresh).not.toBe(token);
    expect((await get(`/calendar/${token}.ics`)).status).toBe(404);
    expect((await get(`/calendar/${fresh}.ics`)).status).toBe(200);
  });

  it('refuses the feed command to members who are not moderators', async () => {
    const out = await h.run('@bob /meeting calendar');
    expect(out.at(-1)!.content.text).toContain('Only moderators');
  });
});
