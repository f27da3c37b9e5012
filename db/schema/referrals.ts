import { sql } from 'drizzle-orm';
import { index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { communityRef, createdAt, updatedAt } from './columns.js';
import { groups, members } from './community.js';

/**
 * A referral slip: a giver passes a receiver a prospect. The prospect's name and contact are private to giver and
 * receiver; they and the member ids are nulled by /forget-me while the anonymised row (counts, amounts) stays.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    /** What people see: #1, #2… within the community. */
    number: integer('number').notNull(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    giverId: integer('giver_id').references(() => members.id, { onDelete: 'set null' }),
    receiverId: integer('receiver_id').references(() => members.id, { onDelete: 'set null' }),
    prospectName: text('prospect_name'),
    prospectContact: text('prospect_contact'),
    /** The prospect's phone when an email was given too (prospect_contact then holds the email). */
    prospectPhone: text('prospect_phone'),
    need: text('need'),
    temperature: integer('temperature').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('new'),
    amount: numeric('amount', { precision: 14, scale: 2 }),
    currency: text('currency'),
    outcomeReason: text('outcome_reason'),
    askId: integer('ask_id'),
    createdAt: createdAt(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    /** Last status change: the accountability clock for "no update within 7 days". */
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('referrals_number').on(t.communityId, t.number),
    index('referrals_giver').on(t.communityId, t.giverId, t.createdAt),
    index('referrals_receiver').on(t.communityId, t.receiverId, t.createdAt),
    // The report reads these three with index-only scans: each carries every column its part of the report needs.
    // A period's slips:
    index('referrals_created').on(t.communityId, t.createdAt, t.giverId, t.receiverId, t.kind, t.status),
    // closed business of a period (won referrals by when they closed):
    index('referrals_won')
      .on(t.communityId, t.closedAt, t.giverId, t.currency, t.amount)
      .where(sql`${t.status} = 'won'`),
    // a group's referral network over a period (issue 19, src/powerteam/network.ts), read from the index alone:
    index('referrals_group_created').on(
      t.groupId,
      t.createdAt,
      t.giverId,
      t.receiverId,
      t.status,
      t.currency,
      t.amount,
    ),
    // open slips and how overdue they are:
    index('referrals_open')
      .on(t.communityId, t.status, t.receiverId, t.createdAt, t.updatedAt)
      .where(sql`${t.status} in ('new', 'accepted', 'contacted', 'meeting')`),
    // the same for one group's report (its open slips per receiver, its closed business by when it closed):
    index('referrals_group_open')
      .on(t.groupId, t.status, t.receiverId, t.createdAt, t.updatedAt)
      .where(sql`${t.status} in ('new', 'accepted', 'contacted', 'meeting')`),
    index('referrals_group_won')
      .on(t.groupId, t.closedAt, t.giverId, t.receiverId, t.currency, t.amount)
      .where(sql`${t.status} = 'won'`),
  ],
);

/** Every step of a referral, timestamped: its history. */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    referralId: integer('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    actorId: integer('actor_id').references(() => members.id, { onDelete: 'set null' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    note: text('note'),
    at: createdAt(),
  },
  (t) => [index('referral_events_referral').on(t.referralId)],
);

/** Accountability reminders already sent, one per referral, rule, period and stage, so none is sent twice. */
export const referralNudges = pgTable(
  'referral_nudges',
  {
    referralId: integer('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    /** The referral's updatedAt when the rule fired: a status change starts a new period. */
    period: timestamp('period', { withTimezone: true, mode: 'date' }).notNull(),
    stage: integer('stage').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.referralId, t.rule, t.period, t.stage] })],
);

/** "Thank you for closed business" recorded outside a slip: the giver is credited with the amount. */
export const closedBusiness = pgTable(
  'closed_business',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    giverId: integer('giver_id').references(() => members.id, { onDelete: 'set null' }),
    receiverId: integer('receiver_id').references(() => members.id, { onDelete: 'set null' }),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('closed_business_giver').on(t.communityId, t.giverId, t.createdAt),
    // a group's thank-yous over a period (issue 19's referral network)
    index('closed_business_group').on(t.groupId, t.createdAt, t.giverId, t.receiverId),
  ],
);

/** A member's public "I am looking for…", answered with "I can help". */
export const asks = pgTable(
  'asks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('asks_open').on(t.groupId, t.expiresAt)],
);
