import os from 'node:os';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { calendarFeedRoute } from '../../src/calendar/feed-route.js';
import { startOpsServer } from '../../src/ops/ops-http.js';
import { shellHarness } from '../support/shell.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, timeEach, withBenchDatabase } from './bench-support.js';

/**
 * Issue 18 target: the calendar feed of a group with 52 upcoming meetings answers p95 ≤ 20 ms over HTTP. Baseline:
 * the same server answering a route that does nothing (what HTTP itself costs here).
 */
const RUNS = Number(process.env.FEED_BENCH_RUNS ?? 100);
const NOW = new Date('2026-01-05T09:00:00Z');

for (const kind of await benchDatabaseKinds()) {
  await withBenchDatabase(kind, async (database) => {
    const h = shellHarness(database, { start: NOW });
    // one-off events only, a year of them: the feed's own 120-day run-ahead adds no regular ones
    const out = await h.run(
      '@admin /setup name:"Chapter" type:referral timezone:Europe/London\n@admin /meeting calendar',
    );
    const token = /\/calendar\/([\w-]+)\.ics/.exec(out.at(-1)!.content.text)![1]!;
    const [g] = rowsOf<{ id: number; community_id: number }>(
      await database.db.execute(
        sql`select g.id, g.community_id from groups g join calendar_feeds f on f.group_id = g.id where f.token = ${token}`,
      ),
    );
    await database.db.execute(sql`
      insert into meetings (community_id, group_id, starts_at, ends_at, kind, title, place)
      select ${g!.community_id}::int, ${g!.id}::int, ${NOW.toISOString()}::timestamptz + w * interval '7 days' + interval '1 day',
        ${NOW.toISOString()}::timestamptz + w * interval '7 days' + interval '1 day 90 minutes', 'event', 'Chapter meeting ' || w, 'Town Hall'
      from generate_series(0, 51) w`);
    const server = await startOpsServer(
      0,
      [
        calendarFeedRoute(database.db, h.clock),
        { path: '/noop', method: 'GET', handler: (_q, r) => r.writeHead(200).end('ok') },
      ],
      '127.0.0.1',
    );
    try {
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        return body;
      };
      const body = await get(`/calendar/${token}.ics`);
      const events = body.split('BEGIN:VEVENT').length - 1;
      await timeEach(20, () => get('/noop'));
      const base = await timeEach(RUNS, () => get('/noop'));
      const feed = await timeEach(RUNS, () => get(`/calendar/${token}.ics`));
      emit({
        bench: 'calendar-feed',
        metric: 'feed_p95_ms',
        value: percentile(feed, 95),
        baseline: percentile(base, 95),
        db: kind,
        events,
        target: '<= 20',
        unit: 'ms',
        load1: os.loadavg()[0],
        cores: os.cpus().length,
      });
    } finally {
      await server.close();
    }
  });
}
