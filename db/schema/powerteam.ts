import { index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { communityRef, createdAt } from './columns.js';
import { groups, members } from './community.js';
import { visitors } from './meetings.js';

/**
 * A group's own contact spheres (issue 19): `/powerteam sphere add` puts categories in a sphere, either a new one or
 * one of the shipped spheres (src/powerteam/sphere-catalog.ts), which it then extends for this group only.
 * One row per category of a sphere; category keys are seat keys (src/members/categories.ts).
 */
export const groupSpheres = pgTable(
  'group_spheres',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    sphereKey: text('sphere_key').notNull(),
    label: text('label').notNull(),
    categoryKey: text('category_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.sphereKey, t.categoryKey] })],
);

/**
 * Learned category affinities: how many slips a giver of one category passed to a receiver of another, per group.
 * Counts only (no member ids), so a group may read other groups' rows of its community without seeing anyone.
 * Kept by a trigger on referrals (migration 0004): the categories are the members' seats when the slip was written.
 * group_id 0 stands for slips without a group.
 */
export const categoryAffinities = pgTable(
  'category_affinities',
  {
    communityId: communityRef(),
    groupId: integer('group_id').notNull(),
    giverCategory: text('giver_category').notNull(),
    receiverCategory: text('receiver_category').notNull(),
    slips: integer('slips').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.giverCategory, t.receiverCategory, t.groupId] }),
    // a seat's affinities read from both sides: as giver (the key's prefix) and as receiver
    index('category_affinities_receiver').on(t.communityId, t.receiverCategory, t.giverCategory),
  ],
);

/**
 * "I know someone" for a wanted profession: the visitor invitation it became, credited to the member who knew them.
 * The visitor's name and contact stay on the visitor row (inviter and moderators only) and go with the inviter.
 */
export const seatLeads = pgTable(
  'seat_leads',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    visitorId: integer('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    inviterId: integer('inviter_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    categoryKey: text('category_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('seat_leads_visitor').on(t.visitorId), index('seat_leads_group').on(t.groupId, t.categoryKey)],
);
