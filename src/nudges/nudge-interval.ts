import { nextOccurrence, parseRecurrence } from '../scheduler/recurrence.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * The least time between two sends of a group nudge: a DM to every member at most daily (23 h, so a daily slot
 * across a daylight-saving change still passes), a channel post at most hourly. A busier schedule is spam.
 */
export const MIN_INTERVAL = { dm: 23 * HOUR, channel: HOUR } as const;

/** The shortest gap between consecutive sends of a schedule over the coming year (up to 500 sends looked at). */
export function shortestGap(spec: string, tz: string, from: Date): number | null {
  const r = parseRecurrence(spec);
  let prev = nextOccurrence(r, from, tz);
  let least: number | null = null;
  const until = from.getTime() + 366 * 24 * HOUR;
  for (let i = 0; prev && i < 500 && prev.getTime() < until; i++) {
    const next = nextOccurrence(r, prev, tz);
    if (!next) break;
    const gap = next.getTime() - prev.getTime();
    if (least === null || gap < least) least = gap;
    // The tightest gap of a cron schedule shows within its first sends; stop early once it is below any limit.
    if (least < MINUTE * 2) break;
    prev = next;
  }
  return least;
}

function say(ms: number): string {
  const n = ms < HOUR ? Math.round(ms / MINUTE) : Math.round(ms / HOUR);
  return n === 1 ? (ms < HOUR ? 'minute' : 'hour') : `${n} ${ms < HOUR ? 'minutes' : 'hours'}`;
}

/** Null when the schedule respects the minimum interval for where it goes, else the refusal to show. */
export function frequencyProblem(
  spec: string,
  tz: string,
  to: 'dm' | 'channel',
  from: Date,
  /** /nudge create may send a DM nudge to the channel instead; a built-in nudge cannot. */
  canPost = false,
): string | null {
  const gap = shortestGap(spec, tz, from);
  if (gap === null || gap >= MIN_INTERVAL[to]) return null;
  return to === 'dm'
    ? `“${spec}” would send a DM to every recipient every ${say(gap)}: a nudge by DM may come at most once a day. Choose a daily or rarer schedule (e.g. "every monday 9:00")${canPost ? ', or post it to the channel (to:channel, at most hourly)' : ''}.`
    : `“${spec}” would post in the channel every ${say(gap)}: a channel nudge may come at most once an hour. Choose an hourly or rarer schedule (e.g. "0 * * * *" or "every monday 9:00").`;
}
