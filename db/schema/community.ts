import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './timestamps.js';

/** One Discord server, one Slack workspace, or the shell's local community. */
export const communities = pgTable(
  'communities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    platform: text('platform').notNull(),
    platformRef: text('platform_ref').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('communities_platform_ref').on(t.platform, t.platformRef)],
);

/** A networking group inside a community, bound to its home channel. */
export const groups = pgTable(
  'groups',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    homeChannelRef: text('home_channel_ref').notNull(),
    introChannelRef: text('intro_channel_ref'),
    timezone: text('timezone').notNull(),
    /** Group settings validated by src/groups/group-settings.ts; a JSON document so later features add keys freely. */
    settings: jsonb('settings').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('groups_home_channel').on(t.communityId, t.homeChannelRef),
    uniqueIndex('groups_name').on(t.communityId, sql`lower(${t.name})`),
  ],
);

/** A person in a community (whether or not they belong to a group yet). */
export const members = pgTable(
  'members',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    platformUserId: text('platform_user_id').notNull(),
    displayName: text('display_name').notNull(),
    timezone: text('timezone'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_platform_user').on(t.communityId, t.platformUserId)],
);

/** A member's place in a group: role, status (applicant, active, …) and seat. */
export const groupMemberships = pgTable(
  'group_memberships',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('member'),
    status: text('status').notNull().default('active'),
    seatKey: text('seat_key'),
    joinedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    index('group_memberships_member').on(t.communityId, t.memberId),
  ],
);

/** Interaction ids already handled, so a retried delivery or a double click is processed once. */
export const processedInteractions = pgTable(
  'processed_interactions',
  {
    platform: text('platform').notNull(),
    interactionId: text('interaction_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.interactionId] })],
);

/** Platform messages the bot keeps up to date (an intro card is edited, not posted twice). */
export const postedMessages = pgTable(
  'posted_messages',
  {
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    channelRef: text('channel_ref').notNull(),
    messageRef: text('message_ref').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);

/** Cached DM channel ids: opening DMs in bulk is rate limited on both platforms. */
export const dmChannels = pgTable(
  'dm_channels',
  {
    platform: text('platform').notNull(),
    workspaceRef: text('workspace_ref').notNull(),
    userId: text('user_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** Set when the platform refused a DM (blocked bot); the adapter falls back instead of retrying. */
    blockedAt: timestamp('blocked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.platform, t.workspaceRef, t.userId] })],
);

/** Slack OAuth installations, encrypted at rest (adapters/slack/installation-store.ts). */
export const slackInstallations = pgTable('slack_installations', {
  installKey: text('install_key').primaryKey(),
  teamId: text('team_id'),
  enterpriseId: text('enterprise_id'),
  ciphertext: text('ciphertext').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
