import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { ensureMeetings } from '../meetings/meetings.js';
import type { OpsRoute } from '../ops/ops-http.js';
import { feedHead, feedRows, renderFeed } from './meeting-calendar.js';

/** The public base of feed URLs (PUBLIC_URL, else this host's PORT), set once at start by the process serving HTTP. */
export const feedBase = { url: 'http://localhost:3000' };

export const feedPath = (token: string) => `/calendar/${token}.ics`;
export const feedUrl = (token: string) => `${feedBase.url.replace(/\/$/, '')}${feedPath(token)}`;

/** How far ahead the feed materialises a group's regular meetings. */
const AHEAD_MS = 120 * 86_400_000;

/**
 * GET /calendar/<token>.ics: the group's meetings as an iCalendar feed for calendar subscriptions. An unknown token
 * answers 404 like any other path; the token is never logged.
 */
export function calendarFeedRoute(db: Db, clock: Clock): OpsRoute {
  // Calendars poll feeds often and the meetings rarely change: the text is rebuilt only when what it shows changed,
  // and the regular meetings are materialised at most once an hour per group.
  const built = new Map<number, { fingerprint: string; text: string }>();
  const ensured = new Map<number, number>();
  const bounded = <V>(m: Map<number, V>) => {
    if (m.size > 1_000) m.clear();
  };
  return {
    path: '/calendar/:file',
    method: 'GET',
    handler: (req, res) => {
      const file = new URL(req.url ?? '/', 'http://localhost').pathname.split('/')[2] ?? '';
      const token = /^([\w-]{16,64})\.ics$/.exec(file)?.[1];
      const answer = async () => {
        if (!token) return null;
        const now = clock.now();
        let head = await feedHead(db, token, now);
        if (!head) return null;
        const hour = Math.floor(now.getTime() / 3_600_000);
        const stale = ensured.get(head.groupId) !== hour;
        const cached = built.get(head.groupId);
        if (!stale && cached?.fingerprint === head.fingerprint) return cached.text;
        const [group] = await db.select().from(groups).where(eq(groups.id, head.groupId));
        if (!group) return null;
        if (stale) {
          // regular meetings are materialised on demand (an idempotent insert per start), so the feed runs ahead
          await ensureMeetings(db, group, now, new Date(now.getTime() + AHEAD_MS));
          bounded(ensured);
          ensured.set(group.id, hour);
          head = (await feedHead(db, token, now)) ?? head;
          if (cached?.fingerprint === head.fingerprint) return cached.text;
        }
        const text = renderFeed(group, await feedRows(db, group, now), now);
        bounded(built);
        built.set(group.id, { fingerprint: head.fingerprint, text });
        return text;
      };
      answer().then(
        (text) => {
          if (text === null) res.writeHead(404).end();
          else
            res
              .writeHead(200, {
                'Content-Type': 'text/calendar; charset=utf-8',
                'Cache-Control': 'private, max-age=300',
              })
              .end(text);
        },
        () => res.writeHead(500).end(),
      );
    },
  };
}
