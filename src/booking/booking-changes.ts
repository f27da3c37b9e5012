import { eq } from 'drizzle-orm';
import { bookings, pairingGroups } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import type { Reply } from '../messages.js';
import { cancelJobs } from '../scheduler/jobs-repo.js';
import {
  asReply,
  bookedField,
  conversation,
  eventOf,
  idOf,
  ids,
  type Loaded,
  load,
  moreArg,
  offer,
  proposalMessage,
  zoneOf,
} from './booking-conversation.js';
import { changeButtons, confirmations } from './booking-invite.js';
import { jobPrefix } from './booking-jobs.js';
import { memberSlotData } from './booking-repo.js';
import { BOOKING_ACTIONS, dayTime } from './proposals.js';

/** Changing a booked 1-to-1: "Reschedule", "Keep the booked time" and "Cancel". */

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
  const event = eventOf(L, b!, zones, now);
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
