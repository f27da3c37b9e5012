import { type SQL, sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { communityRef, createdAt, tsvector, updatedAt } from './columns.js';
import { groups, members } from './community.js';

/**
 * A member's introduction card: one per member, shared by every group they belong to. `search` is maintained by
 * Postgres (weighted: category and business first, then ideal referral, pitch, area) for /find.
 */
export const profiles = pgTable(
  'profiles',
  {
    memberId: integer('member_id')
      .primaryKey()
      .references(() => members.id, { onDelete: 'cascade' }),
    communityId: communityRef(),
    business: text('business').notNull(),
    category: text('category').notNull(),
    categoryKey: text('category_key').notNull(),
    pitch: text('pitch').notNull(),
    idealReferral: text('ideal_referral').notNull(),
    area: text('area'),
    website: text('website'),
    email: text('email'),
    phone: text('phone'),
    mentor: text('mentor'),
    updatedAt: updatedAt(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`setweight(to_tsvector('english'::regconfig, coalesce(${profiles.category}, '') || ' ' || coalesce(${profiles.business}, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(${profiles.idealReferral}, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(${profiles.pitch}, '')), 'C') || setweight(to_tsvector('english'::regconfig, coalesce(${profiles.area}, '')), 'D')`,
      ),
  },
  (t) => [index('profiles_search').using('gin', t.search), index('profiles_category').on(t.communityId, t.categoryKey)],
);

/** Moderators' category aliases: `realtor` is the `real estate agent` seat. */
export const categoryAliases = pgTable(
  'category_aliases',
  {
    communityId: communityRef(),
    aliasKey: text('alias_key').notNull(),
    categoryKey: text('category_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.aliasKey] })],
);

/** Seats a group wants filled (a moderator's list), shown on /seats and the group card. */
export const wantedSeats = pgTable(
  'wanted_seats',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    categoryKey: text('category_key').notNull(),
    label: text('label').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.categoryKey] })],
);

/** A moderator allowed this member to share a seat someone else holds. */
export const seatOverrides = pgTable(
  'seat_overrides',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    seatKey: text('seat_key').notNull(),
    grantedBy: integer('granted_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId, t.seatKey] })],
);

/** Applications to join a group, with the moderators' decision. */
export const applications = pgTable(
  'applications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    status: text('status').notNull().default('pending'),
    reason: text('reason'),
    decidedBy: integer('decided_by').references(() => members.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('applications_one_pending').on(t.groupId, t.memberId).where(sql`${t.status} = 'pending'`)],
);

/**
 * A warm introduction of two members by a third. Member ids become null when someone is forgotten, so the
 * anonymised count of connections given survives /forget-me.
 */
export const connections = pgTable(
  'connections',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    giverId: integer('giver_id').references(() => members.id, { onDelete: 'set null' }),
    memberAId: integer('member_a_id').references(() => members.id, { onDelete: 'set null' }),
    memberBId: integer('member_b_id').references(() => members.id, { onDelete: 'set null' }),
    reason: text('reason'),
    /** The ask an "I can help" answered: a second press by the same helper finds it and changes nothing. */
    askId: integer('ask_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('connections_giver').on(t.communityId, t.giverId),
    uniqueIndex('connections_ask_helper').on(t.askId, t.giverId).where(sql`${t.askId} is not null`),
    // a group's connections over a period (issue 19's referral network)
    index('connections_group').on(t.groupId, t.createdAt),
  ],
);

/**
 * Members of a one-seat group found holding the same seat after seat keys changed (migration 0007 made ASCII
 * look-alikes one seat): nobody is removed or merged; the group's moderators are told, and decide (let them share
 * the seat, or ask one to change their category). `member_ids` lists the holders when the conflict was found.
 */
export const seatConflicts = pgTable(
  'seat_conflicts',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    seatKey: text('seat_key').notNull(),
    memberIds: integer('member_ids').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.seatKey] })],
);
