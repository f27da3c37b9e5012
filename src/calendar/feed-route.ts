import type { Db } from '../../db/client.js';
import type { Clock } from '../clock.js';
import { ensureMeetings } from '../meetings/meetings.js';
import type { OpsRoute } from '../ops/ops-http.js';
import { feedByToken, feedFingerprint, renderFeed } from './meeting-calendar.js';

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
        let found = await feedByToken(db, token, now);
        if (!found) return null;
        const hour = Math.floor(now.getTime() / 3_600_000);
        if (ensured.get(found.group.id) !== hour) {
          // regular meetings are materialised on demand (an idempotent insert per start), so the feed runs ahead
          await ensureMeetings(db, found.group, now, new Date(now.getTime() + AHEAD_MS));
          bounded(ensured);
          ensured.set(found.group.id, hour);
          found = (await feedByToken(db, token, now)) ?? found;
        }
        const { group, rows } = found;
        const fingerprint = feedFingerprint(group, rows);
        const cached = built.get(group.id);
        if (cached?.fingerprint === fingerprint) return cached.text;
        const text = renderFeed(group, rows, now);
        bounded(built);
        built.set(group.id, { fingerprint, text });
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
