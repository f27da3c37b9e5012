import { eq } from 'drizzle-orm';
import { bookings, pairingGroups } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import type { Button, OutgoingMessage, Reply } from '../messages.js';
import { type GroupContext, groupPeople, memberGroup } from '../pairing/check-ins.js';
import { pairingMessage } from '../pairing/round-messages.js';
import type { Person } from '../pairing/round-plan.js';
import { cancelJobs } from '../scheduler/jobs-repo.js';
import { bookingEvent, changeButtons, confirmations, meetingPlace } from './booking-invite.js';
import { jobPrefix, scheduleFollowUps } from './booking-jobs.js';
import {
  type BookingRow,
  type BookingSettings,
  bookedTimes,
  lockBooking,
  type MemberSlotData,
  memberSlotData,
  readBookingSettings,
} from './booking-repo.js';
import {
  BOOKING_ACTIONS,
  dayTime,
  type ProposalView,
  parseSlotArg,
  people as proposalPeople,
  roundWindow,
  slotLine,
  slotsForGroups,
  withProposal,
} from './proposals.js';
import { pageOf } from './slots.js';

const HOUR = 3_600_000;

interface Loaded extends GroupContext {
  b: BookingRow;
  people: Person[];
  settings: BookingSettings;
}

/** The booking behind a button, locked, for one of its members only (a forwarded button answers nobody else). */
async function load(ctx: HandlerContext, bookingId: number): Promise<Loaded> {
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

const idOf = (arg: string | undefined) => Number((arg ?? '').split('|')[0]);
const ids = (L: Loaded) => L.people.map((p) => p.member.id);
const names = (L: Loaded) => L.people.map((p) => ({ id: p.member.id, name: p.member.displayName }));

/** Slot candidates for the booking's group now: its own booked time is free to move into, but not offered again. */
async function candidates(ctx: HandlerContext, L: Loaded) {
  const { from, to } = roundWindow(L.round, ctx.clock.now());
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

/** The pair's conversation message as it stands: their cards, then what the booking is at (times, booked, …). */
function conversation(L: Loaded, field: { label: string; value: string }, buttons: Button[], text?: string) {
  const base = pairingMessage(L.program, L.group, L.people, L.round, L.pg.starter, L.pg.kind === 'rematch');
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
function proposalMessage(L: Loaded, v: ProposalView, text?: string): OutgoingMessage {
  const base = pairingMessage(L.program, L.group, L.people, L.round, L.pg.starter, L.pg.kind === 'rematch');
  const m = withProposal(base, v);
  return text ? { ...m, content: { ...m.content, text } } : m;
}

const asReply = (m: OutgoingMessage): Reply => ({ ...m.content, replaceOriginal: true });

function bookedField(L: Loaded, data: Map<number, MemberSlotData>, by: string) {
  const minutes = Math.round((L.b.endsAt!.getTime() - L.b.startsAt!.getTime()) / 60_000);
  const who = proposalPeople(names(L), data, L.group.timezone);
  return {
    label: 'Booked',
    value: `${slotLine(L.b.startsAt!.getTime(), minutes, who)}, by ${by}.${L.b.location ? `\nWhere: ${L.b.location}` : ''}\nEach of you has the calendar invite in your messages.`,
  };
}

/** Whose zone a member reads times in. */
const zoneOf = (data: Map<number, MemberSlotData>, fallback: string) => (id: number) => data.get(id)?.tz ?? fallback;

/**
 * "Book Tue 14:00": books the time for the whole group (or moves the booking there when a reschedule offered it),
 * sends each member their invite, and replaces the buttons with the booking and Reschedule / Cancel. Pressing the
 * booked time again does nothing; a time no longer offered or no longer free is refused.
 */
export async function book(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const slot = parseSlotArg(arg);
  if (!slot) throw new UserError('bad_option', 'That button is out of date.', 'Your 1-to-1s: /booking');
  const L = await load(ctx, slot.bookingId);
  const now = ctx.clock.now();
  const iso = new Date(slot.start).toISOString();
  const zones = await memberSlotData(ctx.db, ids(L), L.group.timezone);
  if ((L.b.status === 'booked' || L.b.status === 'done') && L.b.startsAt?.getTime() === slot.start) {
    return {
      text: `Already booked: ${dayTime(slot.start, zoneOf(zones, L.group.timezone)(ctx.actor.id))}. Nothing changed.`,
      visibility: 'private',
    };
  }
  if (L.b.status === 'booked') {
    throw new UserError(
      'conflict',
      `Your 1-to-1 is already booked for ${dayTime(L.b.startsAt!, zoneOf(zones, L.group.timezone)(ctx.actor.id))}.`,
      'To change it, press Reschedule on your confirmation (or /booking).',
      { buttons: changeButtons(L.b.id) },
    );
  }
  if (L.b.status === 'done') throw new UserError('conflict', 'That 1-to-1 has already happened.');
  if (!L.b.offered.includes(iso)) {
    throw new UserError(
      'bad_option',
      'That time is no longer on offer.',
      'Pick one of the times on the latest message, or see /booking.',
    );
  }
  if (slot.start < now.getTime() + HOUR)
    throw new UserError('bad_option', 'That time is too close now.', 'Press “None of these” for later times.');
  const end = slot.start + L.settings.minutes * 60_000;
  const clash = await bookedTimes(ctx.db, ids(L), new Date(slot.start), new Date(end), L.b.id);
  const busy = L.people.find((p) => (clash.get(p.member.id) ?? []).length > 0);
  if (busy) {
    throw new UserError(
      'conflict',
      `${busy.member.displayName} has booked another 1-to-1 at that time since.`,
      'Press “None of these” for other times.',
    );
  }
  const moving = L.b.status === 'rescheduling';
  const previous = L.b.startsAt;
  const place =
    moving && L.b.format ? { format: L.b.format, location: L.b.location } : meetingPlace(L.settings, ids(L), zones);
  const [b] = await ctx.db
    .update(bookings)
    .set({
      status: 'booked',
      startsAt: new Date(slot.start),
      endsAt: new Date(end),
      format: place.format,
      location: place.location,
      // a booking made again after a cancellation is the same event, so its sequence still rises
      sequence: previous ? L.b.sequence + 1 : L.b.sequence,
      bookedBy: ctx.actor.id,
      offered: [],
      updatedAt: now,
    })
    .where(eq(bookings.id, L.b.id))
    .returning();
  await ctx.db.update(pairingGroups).set({ status: 'scheduled' }).where(eq(pairingGroups.id, L.pg.id));
  const booked = { ...L, b: b! };
  await scheduleFollowUps(ctx.db, { ...b!, startsAt: b!.startsAt!, endsAt: b!.endsAt! }, ids(L), L.group.timezone, now);
  const event = bookingEvent({
    booking: b!,
    people: L.people,
    programName: L.program.name,
    groupName: L.group.name,
    organiserTz: zoneOf(zones, L.group.timezone)(L.people[0]!.member.id),
    stamp: now,
  });
  const kind = moving && previous && L.b.status !== 'cancelled' ? 'moved' : 'booked';
  for (const m of confirmations(
    event,
    L.people,
    zoneOf(zones, L.group.timezone),
    kind,
    { id: ctx.actor.id, name: ctx.actor.displayName },
    b!.id,
    previous ?? undefined,
  )) {
    ctx.send(m);
  }
  return asReply(conversation(booked, bookedField(booked, zones, ctx.actor.displayName), changeButtons(b!.id)));
}

/** The page a "None of these" button asks for travels in its argument, so a double click asks for it twice, once. */
const moreArg = (bookingId: number, page: number) => `${bookingId}|${page}`;

async function offer(ctx: HandlerContext, L: Loaded, page: number, status: BookingRow['status']) {
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

/** "None of these": the next three times (in the same message); after a cancellation, the first three again. */
export async function more(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const L = await load(ctx, idOf(arg));
  const asked = Number((arg ?? '').split('|')[1]);
  if (L.b.status === 'booked' || L.b.status === 'done') {
    return asReply(
      conversation(
        L,
        bookedField(L, await memberSlotData(ctx.db, ids(L), L.group.timezone), 'one of you'),
        L.b.status === 'booked' ? changeButtons(L.b.id) : [],
      ),
    );
  }
  const status = L.b.status === 'rescheduling' ? 'rescheduling' : 'proposing';
  const page =
    L.b.status === 'cancelled' || L.b.status === 'self'
      ? 0
      : Number.isInteger(asked) && asked <= L.b.page
        ? L.b.page
        : L.b.page + 1;
  const view = await offer(ctx, L, page, status);
  return asReply(proposalMessage(L, view));
}

/** "We'll arrange it ourselves": no more proposals; the round's check-ins ask as before. */
export async function arrangeOurselves(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const L = await load(ctx, idOf(arg));
  if (L.b.status === 'booked' || L.b.status === 'rescheduling') {
    throw new UserError('conflict', 'Your 1-to-1 is booked already.', 'Press Cancel on your confirmation to undo it.');
  }
  if (L.b.status !== 'self') {
    await ctx.db
      .update(bookings)
      .set({ status: 'self', offered: [], updatedAt: ctx.clock.now() })
      .where(eq(bookings.id, L.b.id));
  }
  return asReply(
    conversation(
      L,
      {
        label: 'Arranging it yourselves',
        value: `${ctx.actor.displayName} said you will agree a time between you. I will check in as the round goes on.`,
      },
      [
        {
          label: 'Propose times after all',
          action: { command: BOOKING_ACTIONS, action: 'more', arg: moreArg(L.b.id, 0) },
        },
      ],
    ),
  );
}

function requireUpcoming(L: Loaded, now: Date, what: string) {
  if (L.b.status === 'cancelled') throw new UserError('conflict', 'That 1-to-1 is already cancelled.');
  if (L.b.status === 'done' || (L.b.startsAt && L.b.startsAt <= now && L.b.status !== 'proposing')) {
    throw new UserError(
      'conflict',
      `That 1-to-1 has started or is over: it can no longer be ${what === 'move' ? 'moved' : 'cancelled'}.`,
    );
  }
  if (!(L.b.status === 'booked' || L.b.status === 'rescheduling') || !L.b.startsAt) {
    throw new UserError('conflict', `That 1-to-1 is not booked, so there is nothing to ${what}.`);
  }
  if (L.b.startsAt <= now)
    throw new UserError(
      'conflict',
      `That 1-to-1 has started or is over: it can no longer be ${what === 'move' ? 'moved' : 'cancelled'}.`,
    );
}

/** "Reschedule": new times in the pair's conversation; the booked time stands until one is picked (or kept). */
export async function reschedule(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const L = await load(ctx, idOf(arg));
  requireUpcoming(L, ctx.clock.now(), 'move');
  if (L.b.status === 'rescheduling') {
    return {
      text: 'New times are already proposed in your conversation: pick one there, or keep the booked time.',
      visibility: 'private',
    };
  }
  const view = await offer(ctx, L, 0, 'rescheduling');
  const others = L.people.filter((p) => p.member.id !== ctx.actor.id).map((p) => p.member.displayName);
  ctx.send(
    proposalMessage(
      L,
      view,
      `${ctx.actor.displayName} would like to move your 1-to-1 of ${dayTime(L.b.startsAt!, L.group.timezone)} (${L.group.timezone}).`,
    ),
  );
  return {
    text: `I have proposed new times to you and ${others.join(' and ')} in your conversation. The booked time stands until one of you picks a new one.`,
    visibility: 'private',
  };
}

/** "Keep the booked time": ends a reschedule without a change. */
export async function keep(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const L = await load(ctx, idOf(arg));
  if (L.b.status === 'rescheduling') {
    await ctx.db
      .update(bookings)
      .set({ status: 'booked', offered: [], updatedAt: ctx.clock.now() })
      .where(eq(bookings.id, L.b.id));
  }
  if (!L.b.startsAt || !(L.b.status === 'rescheduling' || L.b.status === 'booked')) {
    throw new UserError('conflict', 'That 1-to-1 is not booked any more.', 'Your 1-to-1s: /booking');
  }
  const zones = await memberSlotData(ctx.db, ids(L), L.group.timezone);
  return asReply(
    conversation(
      L,
      bookedField(L, zones, 'you'),
      changeButtons(L.b.id),
      `${ctx.actor.displayName} kept the booked time.`,
    ),
  );
}

/** "Cancel": the booking is off; everyone gets a METHOD:CANCEL for their calendar and the pair may find new times. */
export async function cancelBooking(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const L = await load(ctx, idOf(arg));
  const now = ctx.clock.now();
  if (L.b.status === 'cancelled')
    return { text: 'That 1-to-1 is already cancelled. Nothing changed.', visibility: 'private' };
  requireUpcoming(L, now, 'cancel');
  const [b] = await ctx.db
    .update(bookings)
    .set({ status: 'cancelled', sequence: L.b.sequence + 1, offered: [], updatedAt: now })
    .where(eq(bookings.id, L.b.id))
    .returning();
  await cancelJobs(ctx.db, jobPrefix(L.b.id));
  await ctx.db.update(pairingGroups).set({ status: 'pending' }).where(eq(pairingGroups.id, L.pg.id));
  const zones = await memberSlotData(ctx.db, ids(L), L.group.timezone);
  const event = bookingEvent({
    booking: b!,
    people: L.people,
    programName: L.program.name,
    groupName: L.group.name,
    organiserTz: zoneOf(zones, L.group.timezone)(L.people[0]!.member.id),
    stamp: now,
  });
  for (const m of confirmations(
    event,
    L.people,
    zoneOf(zones, L.group.timezone),
    'cancelled',
    { id: ctx.actor.id, name: ctx.actor.displayName },
    b!.id,
  )) {
    ctx.send(m);
  }
  ctx.send(
    conversation(
      L,
      {
        label: 'Cancelled',
        value: `${ctx.actor.displayName} cancelled your 1-to-1 of ${dayTime(L.b.startsAt!, L.group.timezone)} (${L.group.timezone}).`,
      },
      [
        {
          label: 'Find new times',
          action: { command: BOOKING_ACTIONS, action: 'more', arg: moreArg(L.b.id, 0) },
          style: 'primary',
        },
        {
          label: 'We’ll arrange it ourselves',
          action: { command: BOOKING_ACTIONS, action: 'self', arg: String(L.b.id) },
        },
      ],
      `${ctx.actor.displayName} cancelled your 1-to-1.`,
    ),
  );
  return { text: 'Cancelled. Everyone has a cancellation for their calendar.', visibility: 'private' };
}
