import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, communityRef, createdAt, updatedAt } from './columns.js';
import { groups, members } from './community.js';

/**
 * A recurring rule ("every monday 9:00", "first tuesday of the month 18:30", cron) evaluated in `timezone`.
 * The scheduler turns each due slot into one job (dedupe key `schedule:<id>:<slot>`), then moves next_run_at on.
 */
export const schedules = pgTable(
  'schedules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** Set for the built-in schedules of a group (`weekly-digest`), so each exists once; null for announcements. */
    systemKey: text('system_key'),
    spec: text('spec').notNull(),
    timezone: text('timezone').notNull(),
    payload: jsonb('payload').notNull().default({}),
    nextRunAt: at('next_run_at').notNull(),
    paused: boolean('paused').notNull().default(false),
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('schedules_system').on(t.groupId, t.systemKey),
    index('schedules_due').on(t.nextRunAt).where(sql`not ${t.paused}`),
  ],
);

/** One unit of due work. Claimed with FOR UPDATE SKIP LOCKED; its handler runs in the claiming transaction. */
export const jobs = pgTable(
  'jobs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    communityId: communityRef(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    scheduleId: integer('schedule_id').references(() => schedules.id, { onDelete: 'set null' }),
    runAt: at('run_at').notNull(),
    payload: jsonb('payload').notNull().default({}),
    /** A second scheduleJob with the same key is a no-op: re-running a command or a slot never doubles work. */
    dedupeKey: text('dedupe_key'),
    /** pending → done | failed | cancelled */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    finishedAt: at('finished_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('jobs_dedupe').on(t.dedupeKey),
    index('jobs_due').on(t.runAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Messages the scheduler sends, delivered by the outbox sender. The idempotency key is unique, so enqueueing twice
 * is harmless; `sending` rows whose lease ran out (a crashed sender) are picked up again.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text('idempotency_key').notNull(),
    communityId: communityRef(),
    platform: text('platform').notNull(),
    /** The unresolved Target (member ids), resolved to platform ids when sent. */
    target: jsonb('target').notNull(),
    content: jsonb('content').notNull(),
    /** The DM's recipient: quiet hours, opt-outs and blocks are theirs. */
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    /** Keeps one platform message per key up to date (posted_messages), as the Messenger does. */
    editKey: text('edit_key'),
    /** pending | sending | sent | failed | blocked | expired */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the row may be tried (again); for `sending` rows, when the claim's lease ends. */
    nextAttemptAt: at('next_attempt_at').notNull(),
    /**
     * After this the message no longer makes sense (a meeting reminder once the meeting has started): a row still
     * unsent then (held by quiet hours, a paused platform) is marked `expired`, never sent. Null: no end.
     */
    expiresAt: at('expires_at'),
    lastError: text('last_error'),
    channelRef: text('channel_ref'),
    messageRef: text('message_ref'),
    createdAt: createdAt(),
    sentAt: at('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_idempotency').on(t.idempotencyKey),
    index('outbox_due').on(t.platform, t.nextAttemptAt).where(sql`${t.status} in ('pending', 'sending')`),
  ],
);

/**
 * Which process sends a platform's outbox right now. One sender per platform at a time keeps the pacing true for the
 * bot as a whole (Discord's 50/s is per bot, not per replica); another replica takes over when the lease runs out.
 */
export const deliveryLeases = pgTable('delivery_leases', {
  platform: text('platform').primaryKey(),
  holder: text('holder').notNull(),
  until: at('until').notNull(),
});

/** A member's own nudge settings (/me): quiet hours, nudges turned off, and whether the platform refuses DMs. */
export const memberPreferences = pgTable('member_preferences', {
  memberId: integer('member_id')
    .primaryKey()
    .references(() => members.id, { onDelete: 'cascade' }),
  quietStart: text('quiet_start').notNull().default('21:00'),
  quietEnd: text('quiet_end').notNull().default('08:00'),
  mutedNudges: jsonb('muted_nudges').$type<string[]>().notNull().default([]),
  /** Set after one failed DM to a member who blocks the bot; cleared when they next use /me. */
  dmBlockedAt: at('dm_blocked_at'),
  updatedAt: updatedAt(),
});

/** Something a member promised to do by a date (/commit); the bot asks at the deadline whether it was done. */
export const commitments = pgTable(
  'commitments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: communityRef(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** The member's own numbering (#1, #2 …), what /commit id: and /commitments use. */
    number: integer('number').notNull(),
    what: text('what').notNull(),
    dueAt: at('due_at').notNull(),
    private: boolean('private').notNull().default(false),
    /** open | done | dropped */
    status: text('status').notNull().default('open'),
    createdAt: createdAt(),
    closedAt: at('closed_at'),
  },
  (t) => [
    uniqueIndex('commitments_member_number').on(t.memberId, t.number),
    index('commitments_member').on(t.memberId, t.status),
    index('commitments_group').on(t.groupId, t.createdAt),
  ],
);

/** Steps of a per-member nudge already sent (intro reminder 1 and 2), so a sweep never repeats one. */
export const nudgeDeliveries = pgTable(
  'nudge_deliveries',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    nudge: text('nudge').notNull(),
    step: integer('step').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId, t.nudge, t.step] })],
);
