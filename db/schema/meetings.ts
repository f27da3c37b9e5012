import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { communityRef, createdAt, updatedAt } from './columns.js';
import { groups, members } from './community.js';

/**
 * A group's meetings: regular ones materialised from the rhythm in /setup (unique per start, so a cancelled date
 * stays cancelled and concurrent sweeps insert it once), and one-off events added by moderators.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** regular | event */
    kind: text('kind').notNull(),
    title: text('title'),
    place: text('place'),
    /** scheduled | cancelled */
    status: text('status').notNull().default('scheduled'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('meetings_group_start').on(t.groupId, t.startsAt), index('meetings_starts').on(t.startsAt)],
);

/** A member's answer to a meeting's RSVP and the attendance recorded for it (present/absent/late/medical/substitute). */
export const attendance = pgTable(
  'attendance',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** attending | absent | substitute: what the member said beforehand. */
    rsvp: text('rsvp'),
    status: text('status'),
    recordedBy: integer('recorded_by').references(() => members.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.memberId] }), index('attendance_member').on(t.groupId, t.memberId)],
);

/**
 * A visitor a member invited to a meeting. Name and contact are private to the inviter and moderators; the row goes
 * with the inviter on /forget-me (a third party's details must not outlive the member who gave them).
 */
export const visitors = pgTable(
  'visitors',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    meetingId: integer('meeting_id').references(() => meetings.id, { onDelete: 'set null' }),
    inviterId: integer('inviter_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contact: text('contact').notNull(),
    /** invited | followed_up */
    status: text('status').notNull().default('invited'),
    createdAt: createdAt(),
  },
  (t) => [
    index('visitors_inviter').on(t.communityId, t.inviterId, t.createdAt),
    index('visitors_meeting').on(t.meetingId),
  ],
);

/**
 * What the meetings sweep already did for a meeting (reminder sent, check-in posted, closed, a member warned), so a
 * repeated or concurrent sweep never does it twice. member_id 0 stands for the whole group.
 */
export const meetingNotices = pgTable(
  'meeting_notices',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    memberId: integer('member_id').notNull().default(0),
    sentAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.kind, t.memberId] })],
);
