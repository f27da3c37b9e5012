import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { bookings, members, pairingGroupMembers } from '../../db/schema.js';
import type { Button } from '../messages.js';
import { HOLDING } from './booking-repo.js';
import { BOOKING_ACTIONS, dayTime } from './proposals.js';

export interface UpcomingBooking {
  id: number;
  startsAt: Date;
  location: string | null;
  partners: string[];
}

/** A member's booked 1-to-1s still to come, soonest first (at most 10: a diary, not an archive). */
export async function upcomingBookings(
  db: Db,
  communityId: number,
  memberId: number,
  now: Date,
): Promise<UpcomingBooking[]> {
  const mine = await db
    .select({ b: bookings })
    .from(bookings)
    .innerJoin(
      pairingGroupMembers,
      and(eq(pairingGroupMembers.pairingGroupId, bookings.pairingGroupId), eq(pairingGroupMembers.memberId, memberId)),
    )
    .where(
      and(eq(bookings.communityId, communityId), inArray(bookings.status, [...HOLDING]), gt(bookings.startsAt, now)),
    )
    .orderBy(asc(bookings.startsAt))
    .limit(10);
  if (mine.length === 0) return [];
  const partners = await db
    .select({ pg: pairingGroupMembers.pairingGroupId, name: members.displayName, id: members.id })
    .from(pairingGroupMembers)
    .innerJoin(members, eq(members.id, pairingGroupMembers.memberId))
    .where(
      inArray(
        pairingGroupMembers.pairingGroupId,
        mine.map((m) => m.b.pairingGroupId),
      ),
    );
  return mine.map(({ b }) => ({
    id: b.id,
    startsAt: b.startsAt!,
    location: b.location,
    partners: partners.filter((p) => p.pg === b.pairingGroupId && p.id !== memberId).map((p) => p.name),
  }));
}

/** The list's lines and, for the soonest, Reschedule / Cancel (buttons stay few and the custom ids unique). */
export function upcomingLines(list: UpcomingBooking[], tz: string): { items: string[]; buttons: Button[] } {
  const items = list.map(
    (b) => `${dayTime(b.startsAt, tz)} (${tz}) with ${b.partners.join(' and ')}${b.location ? ` — ${b.location}` : ''}`,
  );
  const first = list[0];
  const buttons: Button[] = first
    ? [
        {
          label: 'Reschedule the next',
          action: { command: BOOKING_ACTIONS, action: 'reschedule', arg: String(first.id) },
        },
        {
          label: 'Cancel the next',
          action: { command: BOOKING_ACTIONS, action: 'cancel', arg: String(first.id) },
          style: 'danger',
        },
      ]
    : [];
  return { items, buttons };
}
