import { eq } from 'drizzle-orm';
import { bookings } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import type { Button, OutgoingMessage, Reply } from '../messages.js';
import { type GroupContext, groupPeople, memberGroup } from '../pairing/check-ins.js';
import { pairingMessage } from '../pairing/round-messages.js';
import type { Person } from '../pairing/round-plan.js';
import { ASK_KIND, askMessage } from '../powerteam/ask-booking.js';
import { bookingEvent } from './booking-invite.js';
import {
  type BookingRow,
  type BookingSettings,
  lockBooking,
  type MemberSlotData,
  readBookingSettings,
} from './booking-repo.js';
import {
  groupWindow,
  type ProposalView,
  people as proposalPeople,
  slotLine,
  slotsForGroups,
  withProposal,
} from './proposals.js';
import { pageOf } from './slots.js';

/**
 * What every booking button shares: the booking behind it (locked, for its members only), the pair's conversation
 * message as it stands, and the times on offer. The buttons themselves are in booking-actions.ts (book, more,
 * ourselves) and booking-changes.ts (reschedule, keep, cancel).
 */

export interface Loaded extends GroupContext {
  b: BookingRow;
  people: Person[];
  settings: BookingSettings;
}

/** The booking behind a button, locked, for one of its members only (a forwarded button answers nobody else). */
export async function load(ctx: HandlerContext, bookingId: number): Promise<Loaded> {
  const b = Number.isInteger(bookingId) ? await lockBooking(ctx.db, bookingId, ctx.community.id) : null;
  if (!b) throw new UserError('not_found', 'That 1-to-1 is not one of yours.', 'Your 1-to-1s: /booking');
  const g = await memberGroup(ctx, String(b.pairingGroupId));
  return {
    ...g,
    b,
    people: await groupPeople(ctx.db, b.pairingGroupId),
    settings: await readBookingSettings(ctx.db, b.groupId),
  };
}

export const idOf = (arg: string | undefined) => Number((arg ?? '').split('|')[0]);
export const ids = (L: Loaded) => L.people.map((p) => p.member.id);
export const names = (L: Loaded) => L.people.map((p) => ({ id: p.member.id, name: p.member.displayName }));

/** Slot candidates for the booking's group now: its own booked time is free to move into, but not offered again. */
export async function candidates(ctx: HandlerContext, L: Loaded) {
  const { from, to } = groupWindow(L.pg, L.round, ctx.clock.now());
  const { results, data } = await slotsForGroups(ctx.db, [
    {
      groupId: L.group.id,
      groupTz: L.group.timezone,
      memberIds: ids(L),
      from,
      to,
      minutes: L.settings.minutes,
      exceptBookingId: L.b.id,
    },
  ]);
  const held = L.b.status === 'booked' || L.b.status === 'rescheduling' ? L.b.startsAt?.getTime() : undefined;
  const r = results[0]!;
  return { starts: r.starts.filter((t) => t !== held), nearest: r.nearest, data };
}

/** The group's first message: the round's pairing message, or for a 1-to-1 asked for from /powerteam its own. */
function baseMessage(L: Loaded): OutgoingMessage {
  if (L.pg.kind === ASK_KIND) return askMessage(L.program, L.people, L.pg.starter);
  return pairingMessage(L.program, L.group, L.people, L.round, L.pg.starter, L.pg.kind === 'rematch');
}

/** The pair's conversation message as it stands: their cards, then what the booking is at (times, booked, …). */
export function conversation(L: Loaded, field: { label: string; value: string }, buttons: Button[], text?: string) {
  const base = baseMessage(L);
  const card = base.content.card!;
  return {
    ...base,
    content: {
      text: text ?? base.content.text,
      card: { ...card, fields: [...card.fields.filter((f) => f.label !== 'Next step'), field], footer: undefined },
      buttons,
    },
  } satisfies OutgoingMessage;
}

/** The conversation message offering times (the first proposal, the next page, or new times for a move). */
export function proposalMessage(L: Loaded, v: ProposalView, text?: string): OutgoingMessage {
  const m = withProposal(baseMessage(L), v);
  return text ? { ...m, content: { ...m.content, text } } : m;
}

export const asReply = (m: OutgoingMessage): Reply => ({ ...m.content, replaceOriginal: true });

export function bookedField(L: Loaded, data: Map<number, MemberSlotData>, by: string) {
  const minutes = Math.round((L.b.endsAt!.getTime() - L.b.startsAt!.getTime()) / 60_000);
  const who = proposalPeople(names(L), data, L.group.timezone);
  return {
    label: 'Booked',
    value: `${slotLine(L.b.startsAt!.getTime(), minutes, who)}, by ${by}.${L.b.location ? `\nWhere: ${L.b.location}` : ''}\nEach of you has the calendar invite in your messages.`,
  };
}

/** Whose zone a member reads times in. */
export const zoneOf = (data: Map<number, MemberSlotData>, fallback: string) => (id: number) =>
  data.get(id)?.tz ?? fallback;
/** The invite event of a loaded booking as it now stands (booked, moved or cancelled), in the organiser's zone. */
export function eventOf(L: Loaded, booking: BookingRow, zones: Map<number, MemberSlotData>, stamp: Date) {
  return bookingEvent({
    booking,
    people: L.people,
    programName: L.program.name,
    groupName: L.group.name,
    organiserTz: zoneOf(zones, L.group.timezone)(L.people[0]!.member.id),
    stamp,
  });
}
/** The page a "None of these" button asks for travels in its argument, so a double click asks for it twice, once. */
export const moreArg = (bookingId: number, page: number) => `${bookingId}|${page}`;

export async function offer(ctx: HandlerContext, L: Loaded, page: number, status: BookingRow['status']) {
  const c = await candidates(ctx, L);
  const starts = pageOf(c.starts, page);
  await ctx.db
    .update(bookings)
    .set({
      page,
      status,
      offered: starts.map((t) => new Date(t).toISOString()),
      nearest: c.nearest,
      updatedAt: ctx.clock.now(),
    })
    .where(eq(bookings.id, L.b.id));
  const view: ProposalView = {
    bookingId: L.b.id,
    starts,
    // past the last page the nearest-times wording reads "no more times fit"
    nearest: c.nearest || (starts.length === 0 && page > 0),
    minutes: L.settings.minutes,
    people: proposalPeople(names(L), c.data, L.group.timezone),
    page,
    ...(status === 'rescheduling' && L.b.startsAt ? { moving: { from: L.b.startsAt.getTime() } } : {}),
  };
  return view;
}
