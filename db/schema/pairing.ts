import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { communityRef, createdAt, updatedAt } from './columns.js';
import { groups, members } from './community.js';
import { connections } from './members.js';
import { referrals } from './referrals.js';

/**
 * A pairing program of a group (issue 7): its cadence in the group's time zone, group size, mode and who takes part.
 * `nextRunAt` is the next scheduled slot; the due runner claims it through pairing_rounds' unique slot key.
 */
export const pairingPrograms = pgTable(
  'pairing_programs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** weekly | biweekly | monthly | cron */
    cadence: text('cadence').notNull(),
    /** The cron expression the cadence stands for (weekly and monthly are written as cron too). */
    cron: text('cron').notNull(),
    groupSize: integer('group_size').notNull().default(2),
    mode: text('mode').notNull().default('standard'),
    mentorCapacity: integer('mentor_capacity').notNull().default(1),
    /** opt-in | everyone */
    enrollment: text('enrollment').notNull().default('opt-in'),
    channelRef: text('channel_ref').notNull(),
    active: boolean('active').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('pairing_programs_name').on(t.groupId, sql`lower(${t.name})`),
    index('pairing_programs_due').on(t.nextRunAt).where(sql`${t.active}`),
  ],
);

/** A member's place in a program: in / out / paused (ignored three rounds), snooze and skip-next. */
export const pairingEnrollments = pgTable(
  'pairing_enrollments',
  {
    programId: integer('program_id')
      .notNull()
      .references(() => pairingPrograms.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true, mode: 'date' }),
    skipNext: boolean('skip_next').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.programId, t.memberId] })],
);

/** "Never pair me with": confidential, read only by the matcher. */
export const pairingExclusions = pgTable(
  'pairing_exclusions',
  {
    communityId: communityRef(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    otherMemberId: integer('other_member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.otherMemberId] }),
    index('pairing_exclusions_community').on(t.communityId),
  ],
);

/** Conversation starters a group draws from (seeded with defaults when its first program is set up). */
export const pairingStarters = pgTable(
  'pairing_starters',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('pairing_starters_group').on(t.groupId)],
);

/**
 * One round of a program. `slotKey` is unique per program (the scheduled slot's instant, or `manual:…`), so two
 * workers due at one slot cannot both run it. The seed is stored so the round can be reproduced.
 */
export const pairingRounds = pgTable(
  'pairing_rounds',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    programId: integer('program_id')
      .notNull()
      .references(() => pairingPrograms.id, { onDelete: 'cascade' }),
    communityId: communityRef(),
    number: integer('number').notNull(),
    slotKey: text('slot_key').notNull(),
    trigger: text('trigger').notNull(),
    seed: integer('seed').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    midpointAt: timestamp('midpoint_at', { withTimezone: true, mode: 'date' }).notNull(),
    finalCheckAt: timestamp('final_check_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    midpointSentAt: timestamp('midpoint_sent_at', { withTimezone: true, mode: 'date' }),
    finalSentAt: timestamp('final_sent_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('pairing_rounds_slot').on(t.programId, t.slotKey),
    index('pairing_rounds_open').on(t.endsAt).where(sql`${t.closedAt} is null`),
  ],
);

/** A group of one round (a pair, trio, or a rematch), with the latest check-in answer. */
export const pairingGroups = pgTable(
  'pairing_groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    roundId: integer('round_id')
      .notNull()
      .references(() => pairingRounds.id, { onDelete: 'cascade' }),
    /** match | rematch */
    kind: text('kind').notNull().default('match'),
    /** pending | met | scheduled | couldnt */
    status: text('status').notNull().default('pending'),
    starter: text('starter'),
    createdAt: createdAt(),
  },
  (t) => [index('pairing_groups_round').on(t.roundId)],
);

/** Who was in a round: in a group, or unplaced with the matcher's reason; answers and rematch wishes. */
export const pairingRoundMembers = pgTable(
  'pairing_round_members',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => pairingRounds.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** The member's current group (a rematch moves them); null when unplaced. */
    pairingGroupId: integer('pairing_group_id').references(() => pairingGroups.id, { onDelete: 'cascade' }),
    unplacedCode: text('unplaced_code'),
    answer: text('answer'),
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
    wantsRematch: boolean('wants_rematch').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.memberId] })],
);

/** Every pairing a round made, rematches included (a member's groups over time): the history for matching. */
export const pairingGroupMembers = pgTable(
  'pairing_group_members',
  {
    pairingGroupId: integer('pairing_group_id')
      .notNull()
      .references(() => pairingGroups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.pairingGroupId, t.memberId] }),
    index('pairing_group_members_member').on(t.memberId),
  ],
);

/**
 * What a 1-to-1 led to, recorded with one click after "Met": a referral or a connection. `referralId` /
 * `connectionId` link the slip or introduction once it is written (see linkReferralToRound).
 */
export const roundOutcomes = pgTable(
  'round_outcomes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    pairingGroupId: integer('pairing_group_id')
      .notNull()
      .references(() => pairingGroups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'set null' }),
    /** referral | connection | none */
    kind: text('kind').notNull(),
    referralId: integer('referral_id').references(() => referrals.id, { onDelete: 'set null' }),
    connectionId: integer('connection_id').references(() => connections.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('round_outcomes_one').on(t.pairingGroupId, t.memberId, t.kind),
    index('round_outcomes_member').on(t.memberId, t.kind),
  ],
);
