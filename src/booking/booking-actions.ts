import { eq } from 'drizzle-orm';
import { bookings, pairingGroups } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import type { Reply } from '../messages.js';
import {
  asReply,
  bookedField,
  conversation,
  eventOf,
  idOf,
  ids,
  load,
  moreArg,
  offer,
  proposalMessage,
  zoneOf,
} from './booking-conversation.js';
import { changeButtons, confirmations, meetingPlace } from './booking-invite.js';
import { scheduleFollowUps } from './booking-jobs.js';
import { bookedTimes, memberSlotData } from './booking-repo.js';
import { BOOKING_ACTIONS, dayTime, parseSlotArg } from './proposals.js';

const HOUR = 3_600_000;

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
  const event = eventOf(L, b!, zones, now);
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
