import type { FakeDiscord } from './fake-discord.js';
import type { RestRequest, RestResponse } from './fake-rest.js';

/**
 * Guild scheduled events, validated as discord-api-docs (resources/guild-scheduled-event.mdx) says: name 1–100,
 * description ≤ 1000, privacy level 2 only, EXTERNAL events with no channel, a location of 1–100 and an end time,
 * the start in the future and before the end, at most 100 uncompleted events a guild (30038), and status changes
 * only SCHEDULED → ACTIVE → COMPLETED or SCHEDULED → CANCELED.
 */
export interface FakeScheduledEvent {
  id: string;
  guild_id: string;
  channel_id: string | null;
  name: string;
  description: string | null;
  scheduled_start_time: string;
  scheduled_end_time: string | null;
  privacy_level: number;
  status: number;
  entity_type: number;
  entity_id: null;
  entity_metadata: { location?: string } | null;
  recurrence_rule: null;
}

const state = new WeakMap<FakeDiscord, { events: Map<string, FakeScheduledEvent>; now: () => number }>();

function of(f: FakeDiscord) {
  let s = state.get(f);
  if (!s) {
    s = { events: new Map(), now: () => Date.now() };
    state.set(f, s);
  }
  return s;
}

/** The events of the fake (tests read them). */
export const scheduledEvents = (f: FakeDiscord): FakeScheduledEvent[] => [...of(f).events.values()];
/** Whose "now" decides whether a start is in the past: the bot's clock in tests that move time. */
export const setScheduledEventClock = (f: FakeDiscord, now: () => number) => {
  of(f).now = now;
};

const invalid = (errors: Record<string, string>): RestResponse => ({
  status: 400,
  body: {
    code: 50035,
    message: 'Invalid Form Body',
    errors: Object.fromEntries(
      Object.entries(errors).map(([k, m]) => [k, { _errors: [{ code: 'BASE_TYPE_INVALID', message: m }] }]),
    ),
  },
});

function validate(f: FakeDiscord, b: Record<string, unknown>, base?: FakeScheduledEvent): Record<string, string> {
  const e: Record<string, string> = {};
  const v = { ...(base ?? {}), ...b } as Record<string, unknown>;
  const name = v.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) e.name = 'Must be between 1 and 100 in length.';
  if (v.description != null && (typeof v.description !== 'string' || v.description.length > 1000))
    e.description = 'Must be 1000 or fewer in length.';
  if (v.privacy_level !== 2) e.privacy_level = 'Value must be one of {2}.';
  if (![1, 2, 3].includes(v.entity_type as number)) e.entity_type = 'Value must be one of {1, 2, 3}.';
  const start = Date.parse(String(v.scheduled_start_time ?? ''));
  const end = v.scheduled_end_time == null ? Number.NaN : Date.parse(String(v.scheduled_end_time));
  if (Number.isNaN(start)) e.scheduled_start_time = 'Could not parse the timestamp.';
  else if ('scheduled_start_time' in b && start <= of(f).now())
    e.scheduled_start_time = 'Cannot schedule event in the past.';
  if (v.entity_type === 3) {
    if (v.channel_id != null) e.channel_id = 'Must be null for EXTERNAL events.';
    const loc = (v.entity_metadata as { location?: unknown } | null)?.location;
    if (typeof loc !== 'string' || loc.length < 1 || loc.length > 100)
      e.entity_metadata = 'location is required and must be between 1 and 100 in length.';
    if (Number.isNaN(end)) e.scheduled_end_time = 'Required for EXTERNAL events.';
  }
  if (!Number.isNaN(end) && !Number.isNaN(start) && end <= start) e.scheduled_end_time = 'Must be after the start.';
  return e;
}

const TRANSITIONS: Record<number, number[]> = { 1: [2, 4], 2: [3] };

export const scheduledEventRoutes: [string, RegExp, (f: FakeDiscord, r: RestRequest, m: string[]) => RestResponse][] = [
  [
    'POST',
    /^\/guilds\/(\d+)\/scheduled-events$/,
    (f, r, m) => {
      if (!f.guilds.has(m[1]!)) return { status: 404, body: { code: 10004, message: 'Unknown Guild' } };
      const b = r.body ?? {};
      const errors = validate(f, b);
      if (Object.keys(errors).length) return invalid(errors);
      const s = of(f);
      const open = [...s.events.values()].filter((x) => x.guild_id === m[1] && (x.status === 1 || x.status === 2));
      if (open.length >= 100) {
        return {
          status: 400,
          body: { code: 30038, message: 'Maximum number of uncompleted guild scheduled events reached (100)' },
        };
      }
      const ev: FakeScheduledEvent = {
        id: f.ids.next(),
        guild_id: m[1]!,
        channel_id: null,
        name: String(b.name),
        description: (b.description as string | undefined) ?? null,
        scheduled_start_time: String(b.scheduled_start_time),
        scheduled_end_time: (b.scheduled_end_time as string | undefined) ?? null,
        privacy_level: 2,
        status: 1,
        entity_type: Number(b.entity_type),
        entity_id: null,
        entity_metadata: (b.entity_metadata as { location?: string } | undefined) ?? null,
        recurrence_rule: null,
      };
      s.events.set(ev.id, ev);
      return { status: 200, body: ev };
    },
  ],
  [
    'PATCH',
    /^\/guilds\/(\d+)\/scheduled-events\/(\d+)$/,
    (f, r, m) => {
      const ev = of(f).events.get(m[2]!);
      if (!ev || ev.guild_id !== m[1])
        return { status: 404, body: { code: 10070, message: 'Unknown Guild Scheduled Event' } };
      const b = r.body ?? {};
      if ('status' in b) {
        if (!(TRANSITIONS[ev.status] ?? []).includes(Number(b.status))) {
          return invalid({ status: `Cannot change the status from ${ev.status} to ${String(b.status)}.` });
        }
      } else if (ev.status === 3 || ev.status === 4) {
        return invalid({ status: 'A completed or cancelled event cannot be changed.' });
      }
      const errors = validate(f, b, ev);
      if (Object.keys(errors).length) return invalid(errors);
      Object.assign(ev, b);
      return { status: 200, body: ev };
    },
  ],
  [
    'GET',
    /^\/guilds\/(\d+)\/scheduled-events$/,
    (f, _r, m) => ({ status: 200, body: scheduledEvents(f).filter((x) => x.guild_id === m[1]) }),
  ],
];
