import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, communityRef, createdAt, updatedAt } from './columns.js';
import { groups, members } from './community.js';
import { meetings } from './meetings.js';
import { pairingGroups } from './pairing.js';

/** A weekly window in the member's own zone: weekday 0 = Monday … 6 = Sunday, minutes after local midnight. */
export interface WeeklyWindow {
  weekday: number;
  start: number;
  end: number;
}

/**
 * When and how a member meets for 1-to-1s (issue 18): weekly windows in their own time zone, the meeting format,
 * an optional place or personal video link, and an away period (local dates, inclusive) during which pairing skips
 * them. `awayFrom`/`awayUntil` are the instants those local dates begin and end, so queries need no zone.
 */
export const memberAvailability = pgTable('member_availability', {
  memberId: integer('member_id')
    .primaryKey()
    .references(() => members.id, { onDelete: 'cascade' }),
  communityId: communityRef(),
  /** null: not set (the bot assumes weekday working hours). */
  windows: jsonb('windows').$type<WeeklyWindow[]>(),
  /** video | phone | in-person | any */
  format: text('format').notNull().default('any'),
  place: text('place'),
  videoLink: text('video_link'),
  awayFromDate: text('away_from_date'),
  awayUntilDate: text('away_until_date'),
  awayFrom: at('away_from'),
  awayUntil: at('away_until'),
  updatedAt: updatedAt(),
});

/** How a group books 1-to-1s: whether slots are proposed, their length, how video links are made, rolling programs. */
export const bookingSettings = pgTable('booking_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  communityId: communityRef(),
  propose: boolean('propose').notNull().default(true),
  minutes: integer('minutes').notNull().default(45),
  /** none | fixed | template */
  video: text('video').notNull().default('none'),
  /** The fixed link, or the template with `{random}` for an unguessable room. */
  videoLink: text('video_link'),
  /** Programs that keep one 1-to-1 booked ahead (a met pair's members are proposed their next round at once). */
  rollingProgramIds: jsonb('rolling_program_ids').$type<number[]>().notNull().default([]),
  updatedAt: updatedAt(),
});

/**
 * A pairing group's booking: the times proposed (`offered`, ISO instants, the page the members see), then the booked
 * slot. `uid` is the invite's stable UID; `sequence` rises with every change (RFC 5545 §3.8.7.4), so calendars
 * replace the event instead of adding another. One row per pairing group.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    pairingGroupId: integer('pairing_group_id')
      .notNull()
      .references(() => pairingGroups.id, { onDelete: 'cascade' }),
    /** proposing | booked | self | cancelled | done */
    status: text('status').notNull().default('proposing'),
    page: integer('page').notNull().default(0),
    offered: jsonb('offered').$type<string[]>().notNull().default([]),
    /** true when the offered times are the nearest ones, outside someone's availability. */
    nearest: boolean('nearest').notNull().default(false),
    startsAt: at('starts_at'),
    endsAt: at('ends_at'),
    location: text('location'),
    format: text('format'),
    uid: text('uid').notNull(),
    sequence: integer('sequence').notNull().default(0),
    bookedBy: integer('booked_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('bookings_pairing_group').on(t.pairingGroupId),
    index('bookings_booked').on(t.startsAt).where(sql`${t.status} = 'booked'`),
  ],
);

/** A group's calendar feed: the unguessable token of its .ics URL (rotated on request). */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    groupId: integer('group_id')
      .primaryKey()
      .references(() => groups.id, { onDelete: 'cascade' }),
    communityId: communityRef(),
    token: text('token').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('calendar_feeds_token').on(t.token)],
);

/** A meeting's calendar identity: the invite's SEQUENCE and, on Discord, the guild scheduled event it is published as. */
export const meetingCalendar = pgTable('meeting_calendar', {
  meetingId: integer('meeting_id')
    .primaryKey()
    .references(() => meetings.id, { onDelete: 'cascade' }),
  sequence: integer('sequence').notNull().default(0),
  /** The start and status the sequence was last raised for: a change of either raises it again. */
  startsAt: at('starts_at').notNull(),
  status: text('status').notNull(),
  /** The Discord guild scheduled event it is published as, and the sequence that event was last synced to. */
  eventRef: text('event_ref'),
  eventSequence: integer('event_sequence'),
  updatedAt: updatedAt(),
});
