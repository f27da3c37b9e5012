import { and, eq, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  bookingSettings,
  bookings,
  meetings,
  memberAvailability,
  memberPreferences,
  members,
  pairingGroupMembers,
} from '../../db/schema.js';
import { DEFAULT_QUIET } from '../delivery/quiet-hours.js';
import { DEFAULT_WINDOWS, type MeetingFormat, type WeeklyWindow } from './availability.js';
import type { Interval, SlotMember } from './slots.js';

export type BookingRow = typeof bookings.$inferSelect;
export type AvailabilityRow = typeof memberAvailability.$inferSelect;

export interface BookingSettings {
  propose: boolean;
  minutes: number;
  video: 'none' | 'fixed' | 'template';
  videoLink: string | null;
  rollingProgramIds: number[];
}

export const DEFAULT_BOOKING_SETTINGS: BookingSettings = {
  propose: true,
  minutes: 45,
  video: 'none',
  videoLink: null,
  rollingProgramIds: [],
};

/** Statuses in which a booking holds its time (a reschedule in progress keeps the old time until a new one). */
export const HOLDING = ['booked', 'rescheduling'] as const;

export async function readBookingSettings(db: Db, groupId: number): Promise<BookingSettings> {
  const [row] = await db.select().from(bookingSettings).where(eq(bookingSettings.groupId, groupId));
  if (!row) return { ...DEFAULT_BOOKING_SETTINGS };
  return {
    propose: row.propose,
    minutes: row.minutes,
    video: row.video as BookingSettings['video'],
    videoLink: row.videoLink,
    rollingProgramIds: row.rollingProgramIds,
  };
}

export async function saveBookingSettings(
  db: Db,
  communityId: number,
  groupId: number,
  change: Partial<BookingSettings>,
): Promise<BookingSettings> {
  const set = { ...change, updatedAt: new Date() };
  await db
    .insert(bookingSettings)
    .values({ groupId, communityId, ...change })
    .onConflictDoUpdate({ target: bookingSettings.groupId, set });
  return readBookingSettings(db, groupId);
}

export async function readAvailability(db: Db, memberId: number): Promise<AvailabilityRow | null> {
  const [row] = await db.select().from(memberAvailability).where(eq(memberAvailability.memberId, memberId));
  return row ?? null;
}

export async function saveAvailability(
  db: Db,
  communityId: number,
  memberId: number,
  change: Partial<Omit<AvailabilityRow, 'memberId' | 'communityId' | 'updatedAt'>>,
): Promise<AvailabilityRow> {
  const set = { ...change, updatedAt: new Date() };
  const [row] = await db
    .insert(memberAvailability)
    .values({ memberId, communityId, ...change })
    .onConflictDoUpdate({ target: memberAvailability.memberId, set })
    .returning();
  return row!;
}

/** What slot finding needs of each member, read for many at once (a round's every pair in three queries). */
export interface MemberSlotData {
  tz: string;
  windows: WeeklyWindow[];
  /** true when the member set their own windows. */
  ownWindows: boolean;
  quiet: { start: string; end: string };
  format: MeetingFormat;
  place: string | null;
  videoLink: string | null;
  away: Interval | null;
}

export async function memberSlotData(db: Db, ids: number[], groupTz: string): Promise<Map<number, MemberSlotData>> {
  const out = new Map<number, MemberSlotData>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      id: members.id,
      tz: members.timezone,
      a: memberAvailability,
      qs: memberPreferences.quietStart,
      qe: memberPreferences.quietEnd,
    })
    .from(members)
    .leftJoin(memberAvailability, eq(memberAvailability.memberId, members.id))
    .leftJoin(memberPreferences, eq(memberPreferences.memberId, members.id))
    .where(inArray(members.id, ids));
  for (const r of rows) {
    out.set(r.id, {
      tz: r.tz ?? groupTz,
      windows: r.a?.windows ?? DEFAULT_WINDOWS,
      ownWindows: Boolean(r.a?.windows),
      quiet: { start: r.qs ?? DEFAULT_QUIET.start, end: r.qe ?? DEFAULT_QUIET.end },
      format: (r.a?.format ?? 'any') as MeetingFormat,
      place: r.a?.place ?? null,
      videoLink: r.a?.videoLink ?? null,
      away: r.a?.awayFrom && r.a.awayUntil ? [r.a.awayFrom.getTime(), r.a.awayUntil.getTime()] : null,
    });
  }
  return out;
}

/** Each member's booked 1-to-1s overlapping [from, to], except one booking (the one being moved). */
export async function bookedTimes(
  db: Db,
  ids: number[],
  from: Date,
  to: Date,
  exceptBookingId?: number,
): Promise<Map<number, Interval[]>> {
  const out = new Map<number, Interval[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ memberId: pairingGroupMembers.memberId, s: bookings.startsAt, e: bookings.endsAt })
    .from(bookings)
    .innerJoin(pairingGroupMembers, eq(pairingGroupMembers.pairingGroupId, bookings.pairingGroupId))
    .where(
      and(
        inArray(pairingGroupMembers.memberId, ids),
        inArray(bookings.status, [...HOLDING]),
        lt(bookings.startsAt, to),
        gt(bookings.endsAt, from),
        ...(exceptBookingId !== undefined ? [ne(bookings.id, exceptBookingId)] : []),
      ),
    );
  for (const r of rows) {
    if (!r.s || !r.e) continue;
    out.set(r.memberId, [...(out.get(r.memberId) ?? []), [r.s.getTime(), r.e.getTime()]]);
  }
  return out;
}

/** The group's scheduled meetings overlapping [from, to]: nobody is proposed a 1-to-1 then. */
export async function meetingTimes(db: Db, groupId: number, from: Date, to: Date): Promise<Interval[]> {
  const rows = await db
    .select({ s: meetings.startsAt, e: meetings.endsAt })
    .from(meetings)
    .where(
      and(
        eq(meetings.groupId, groupId),
        eq(meetings.status, 'scheduled'),
        lt(meetings.startsAt, to),
        gt(meetings.endsAt, from),
      ),
    );
  return rows.map((r) => [r.s.getTime(), r.e.getTime()] as Interval);
}

/** The slot-finding view of members from their data and bookings. */
export function slotMembers(
  ids: number[],
  data: Map<number, MemberSlotData>,
  booked: Map<number, Interval[]>,
): SlotMember[] {
  return ids.map((id) => {
    const d = data.get(id)!;
    return {
      id,
      tz: d.tz,
      windows: d.windows,
      quiet: d.quiet,
      busy: [...(booked.get(id) ?? []), ...(d.away ? [d.away] : [])],
    };
  });
}

/** The booking of a pairing group, locked for the caller's transaction (a double click waits, then sees the first). */
export async function lockBooking(db: Db, bookingId: number, communityId: number): Promise<BookingRow | null> {
  const [row] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.id, bookingId), eq(bookings.communityId, communityId)))
    .for('update');
  return row ?? null;
}

/** Bookings of these pairing groups that hold a time (the check-ins leave them to their own "Did you meet?"). */
export async function heldGroups(db: Db, pairingGroupIds: number[]): Promise<Set<number>> {
  if (pairingGroupIds.length === 0) return new Set();
  const rows = await db
    .select({ id: bookings.pairingGroupId })
    .from(bookings)
    .where(
      and(
        inArray(bookings.pairingGroupId, pairingGroupIds),
        or(inArray(bookings.status, [...HOLDING]), sql`${bookings.status} = 'done'`),
      ),
    );
  return new Set(rows.map((r) => r.id));
}
