import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { Button, CardField, OutgoingMessage } from '../messages.js';
import { formatClockTime } from '../time/zoned.js';
import {
  type BookingSettings,
  bookedTimes,
  type MemberSlotData,
  meetingTimes,
  memberSlotData,
  readBookingSettings,
  slotMembers,
} from './booking-repo.js';
import { findSlots, type Interval, pageOf, type SlotResult, type WeekCache } from './slots.js';
import { localParts } from './zone-cache.js';

/** The command whose actions carry the booking buttons. */
export const BOOKING_ACTIONS = 'booking list';
/** Slots start at least this long after they are proposed: time to read the message, and for the hour's reminder. */
export const LEAD_MS = 3 * 3_600_000;

const WD = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue 8 Dec 14:00" in a zone. */
export function dayTime(t: Date | number, tz: string): string {
  const p = localParts(typeof t === 'number' ? t : t.getTime(), tz);
  return `${WD[p.weekday]} ${p.day} ${MON[p.month - 1]} ${formatClockTime(p.hour * 60 + p.minute)}`;
}
const hhmm = (t: number, tz: string) => {
  const p = localParts(t, tz);
  return formatClockTime(p.hour * 60 + p.minute);
};

export interface ProposalPerson {
  id: number;
  name: string;
  tz: string;
  ownWindows: boolean;
}

/** A slot as each member reads it: in their own zone, the zone named; one line when they share a zone. */
export function slotLine(start: number, minutes: number, people: ProposalPerson[]): string {
  const end = start + minutes * 60_000;
  const zones = [...new Set(people.map((p) => p.tz))];
  if (zones.length === 1) return `${dayTime(start, zones[0]!)}–${hhmm(end, zones[0]!)} ${zones[0]}`;
  return people.map((p) => `${p.name}: ${dayTime(start, p.tz)}–${hhmm(end, p.tz)} ${p.tz}`).join(' · ');
}

/** Button arguments: booking id and the slot's minute since the epoch in base 36 (short for Discord's 100). */
export const slotArg = (bookingId: number, start: number) => `${bookingId}|${Math.round(start / 60_000).toString(36)}`;
export function parseSlotArg(arg: string | undefined): { bookingId: number; start: number } | null {
  const [id, code] = (arg ?? '').split('|');
  const bookingId = Number(id);
  const minute = Number.parseInt(code ?? '', 36);
  if (!Number.isInteger(bookingId) || !Number.isFinite(minute)) return null;
  return { bookingId, start: minute * 60_000 };
}

/** "Book Tue 14:00" in the organiser's zone; the date is added when two offered slots share a weekday. */
function bookLabels(starts: number[], tz: string): string[] {
  const short = starts.map((t) => {
    const p = localParts(t, tz);
    return `Book ${WD[p.weekday]} ${formatClockTime(p.hour * 60 + p.minute)}`;
  });
  return starts.map((t, i) =>
    short.filter((s) => s.split(' ')[1] === short[i]!.split(' ')[1]).length > 1 ? `Book ${dayTime(t, tz)}` : short[i]!,
  );
}

export interface ProposalView {
  bookingId: number;
  starts: number[];
  nearest: boolean;
  minutes: number;
  people: ProposalPerson[];
  /** The page shown (0 first); "None of these" asks for the next. */
  page?: number;
  /** Shown above the times when moving a booked 1-to-1. */
  moving?: { from: number };
}

/** The card field and buttons of a proposal: up to three times, "None of these" and "We'll arrange it ourselves". */
export function proposalParts(v: ProposalView): { field: CardField; buttons: Button[] } {
  const organiser = v.people[0]!;
  const lines = v.starts.map((t, i) => `${i + 1}. ${slotLine(t, v.minutes, v.people)}`);
  const notSet = v.people.filter((p) => !p.ownWindows).map((p) => p.name);
  let intro: string;
  if (v.starts.length === 0) {
    intro = v.nearest
      ? 'No more times fit this round.'
      : 'No time this round fits everyone’s availability, quiet hours and meetings: agree a time between you.';
  } else if (v.nearest) {
    intro = 'No time this round fits everyone’s availability; these are the nearest times:';
  } else
    intro = v.moving ? `New times instead of ${dayTime(v.moving.from, organiser.tz)}:` : 'Times that suit you all:';
  const note = notSet.length
    ? `\n(${notSet.join(', ')}: no availability set, so weekdays 09:00–17:00 are assumed; set yours with /me availability:…)`
    : '';
  const field = { label: 'Book your 1-to-1', value: [intro, ...lines].join('\n') + note };
  const labels = bookLabels(v.starts, organiser.tz);
  const buttons: Button[] = v.starts.map((t, i) => ({
    label: labels[i]!,
    action: { command: BOOKING_ACTIONS, action: 'book', arg: slotArg(v.bookingId, t) },
    style: i === 0 ? 'primary' : 'secondary',
  }));
  const arg = String(v.bookingId);
  const next = `${v.bookingId}|${(v.page ?? 0) + 1}`;
  if (v.starts.length)
    buttons.push({ label: 'None of these', action: { command: BOOKING_ACTIONS, action: 'more', arg: next } });
  if (v.moving)
    buttons.push({ label: 'Keep the booked time', action: { command: BOOKING_ACTIONS, action: 'keep', arg } });
  else buttons.push({ label: 'We’ll arrange it ourselves', action: { command: BOOKING_ACTIONS, action: 'self', arg } });
  return { field, buttons };
}

/** The pairing message with the proposal in place of its "Next step". */
export function withProposal(message: OutgoingMessage, v: ProposalView): OutgoingMessage {
  const { field, buttons } = proposalParts(v);
  const card = message.content.card;
  return {
    ...message,
    content: {
      ...message.content,
      ...(card
        ? {
            card: {
              ...card,
              fields: [...card.fields.filter((f) => f.label !== 'Next step'), field],
              footer: 'One click books it for all of you, with a calendar invite. I will check in after the meeting.',
            },
          }
        : { text: `${message.content.text}\n${field.value}` }),
      buttons,
    },
  };
}

export interface SlotScope {
  groupId: number;
  groupTz: string;
  memberIds: number[];
  from: Date;
  to: Date;
  minutes: number;
  exceptBookingId?: number;
}

/** Reads what slot finding needs for several groups of one round at once, then finds each group's slots. */
export async function slotsForGroups(
  db: Db,
  scopes: SlotScope[],
): Promise<{ results: SlotResult[]; data: Map<number, MemberSlotData> }> {
  if (scopes.length === 0) return { results: [], data: new Map() };
  const ids = [...new Set(scopes.flatMap((s) => s.memberIds))];
  const from = new Date(Math.min(...scopes.map((s) => s.from.getTime())));
  const to = new Date(Math.max(...scopes.map((s) => s.to.getTime())));
  // three independent reads: PostgreSQL pipelines them on the transaction's connection
  const [data, booked, meetingsBusy] = await Promise.all([
    memberSlotData(db, ids, scopes[0]!.groupTz),
    bookedTimes(db, ids, from, to, scopes[0]!.exceptBookingId),
    meetingTimes(db, scopes[0]!.groupId, from, to),
  ]);
  const cache: WeekCache = new Map();
  const results = scopes.map((s) =>
    findSlots({
      members: slotMembers(s.memberIds, data, booked),
      from: s.from.getTime(),
      to: s.to.getTime(),
      minutes: s.minutes,
      busy: meetingsBusy,
      cache,
    }),
  );
  return { results, data };
}

export const people = (
  list: { id: number; name: string }[],
  data: Map<number, MemberSlotData>,
  groupTz: string,
): ProposalPerson[] =>
  list.map((p) => ({
    id: p.id,
    name: p.name,
    tz: data.get(p.id)?.tz ?? groupTz,
    ownWindows: data.get(p.id)?.ownWindows ?? false,
  }));

/** The window a round's slots lie in: from a little after now to the round's end. */
export function roundWindow(round: { startedAt: Date; endsAt: Date }, now: Date): { from: Date; to: Date } {
  return { from: new Date(Math.max(now.getTime(), round.startedAt.getTime()) + LEAD_MS), to: round.endsAt };
}

/** The pairing group kind of a 1-to-1 asked for from /powerteam (src/powerteam/ask-booking.ts). */
export const ASK_KIND = 'ask';

/** How far ahead an asked-for 1-to-1 (from /powerteam) is proposed, and how long a second ask finds the first. */
export const ASK_WINDOW_DAYS = 14;

/** The span an asked-for 1-to-1's times lie in, from when it was asked. */
export const askWindow = (askedAt: Date) => ({
  startedAt: askedAt,
  endsAt: new Date(askedAt.getTime() + ASK_WINDOW_DAYS * 86_400_000),
});

/** The window of a pairing group's times: its round's, or for an ask its own two weeks. */
export function groupWindow(
  pg: { kind: string; createdAt: Date },
  round: { startedAt: Date; endsAt: Date },
  now: Date,
): { from: Date; to: Date } {
  return roundWindow(pg.kind === ASK_KIND ? askWindow(pg.createdAt) : round, now);
}

export interface NewProposal {
  pairingGroupId: number;
  members: { id: number; name: string }[];
  message: OutgoingMessage;
}

/**
 * Adds the first three proposed slots to each pairing message of a round and records each group's booking row
 * (status "proposing"). Reads are batched for the whole round; a group whose settings turn proposals off keeps
 * its message as it was.
 */
export async function proposeForRound(
  db: Db,
  round: { communityId: number; startedAt: Date; endsAt: Date },
  group: { id: number; timezone: string },
  entries: NewProposal[],
  now: Date,
  settings?: BookingSettings,
): Promise<OutgoingMessage[]> {
  const s = settings ?? (await readBookingSettings(db, group.id));
  if (!s.propose || entries.length === 0) return entries.map((e) => e.message);
  const { from, to } = roundWindow(round, now);
  const { results, data } = await slotsForGroups(
    db,
    entries.map((e) => ({
      groupId: group.id,
      groupTz: group.timezone,
      memberIds: e.members.map((m) => m.id),
      from,
      to,
      minutes: s.minutes,
    })),
  );
  // one row per group from four text arrays (cast in SQL, so both drivers bind them alike): a few parameters
  // instead of six per row, whose building and binding cost more than the insert itself
  const text = (xs: unknown[]) => sql.param(xs.map(String));
  const rows = rowsOf<{ id: number; pairing_group_id: number }>(
    await db.execute(sql`
      insert into bookings (community_id, group_id, pairing_group_id, offered, nearest, uid)
      select ${round.communityId}::int, ${group.id}::int, u.pg::int, u.offered::jsonb, u.nearest::boolean, u.uid
      from unnest(${text(entries.map((e) => e.pairingGroupId))}::text[],
                  ${text(results.map((r) => JSON.stringify(pageOf(r.starts, 0).map((t) => new Date(t).toISOString()))))}::text[],
                  ${text(results.map((r) => r.nearest))}::text[],
                  ${text(entries.map(() => `${randomUUID()}@roundtable`))}::text[]) as u(pg, offered, nearest, uid)
      returning id, pairing_group_id`),
  );
  const idOf = new Map(rows.map((r) => [Number(r.pairing_group_id), Number(r.id)]));
  return entries.map((e, i) =>
    withProposal(e.message, {
      bookingId: idOf.get(e.pairingGroupId)!,
      starts: pageOf(results[i]!.starts, 0),
      nearest: results[i]!.nearest,
      minutes: s.minutes,
      people: people(e.members, data, group.timezone),
    }),
  );
}

export type { Interval };
