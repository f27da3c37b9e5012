import { type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

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

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    giverId: integer('giver_id').references(() => members.id, { onDelete: 'set null' }),
    memberAId: integer('member_a_id').references(() => members.id, { onDelete: 'set null' }),
    memberBId: integer('member_b_id').references(() => members.id, { onDelete: 'set null' }),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('connections_giver').on(t.communityId, t.giverId)],
);

/**
 * A referral slip: a giver passes a receiver a prospect. The prospect's name and contact are private to giver and
 * receiver; they and the member ids are nulled by /forget-me while the anonymised row (counts, amounts) stays.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** What people see: #1, #2… within the community. */
    number: integer('number').notNull(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    giverId: integer('giver_id').references(() => members.id, { onDelete: 'set null' }),
    receiverId: integer('receiver_id').references(() => members.id, { onDelete: 'set null' }),
    prospectName: text('prospect_name'),
    prospectContact: text('prospect_contact'),
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
    // open slips and how overdue they are:
    index('referrals_open')
      .on(t.communityId, t.status, t.receiverId, t.createdAt, t.updatedAt)
      .where(sql`${t.status} in ('new', 'accepted', 'contacted', 'meeting')`),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    giverId: integer('giver_id').references(() => members.id, { onDelete: 'set null' }),
    receiverId: integer('receiver_id').references(() => members.id, { onDelete: 'set null' }),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('closed_business_giver').on(t.communityId, t.giverId, t.createdAt)],
);

/** A member's public "I am looking for…", answered with "I can help". */
export const asks = pgTable(
  'asks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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

// ── Nudges (issue 8): the durable scheduler, the delivery outbox, commitments and members' nudge preferences ──

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A recurring rule ("every monday 9:00", "first tuesday of the month 18:30", cron) evaluated in `timezone`.
 * The scheduler turns each due slot into one job (dedupe key `schedule:<id>:<slot>`), then moves next_run_at on.
 */
export const schedules = pgTable(
  'schedules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    /** The unresolved Target (member ids), resolved to platform ids when sent. */
    target: jsonb('target').notNull(),
    content: jsonb('content').notNull(),
    /** The DM's recipient: quiet hours, opt-outs and blocks are theirs. */
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    /** Keeps one platform message per key up to date (posted_messages), as the Messenger does. */
    editKey: text('edit_key'),
    /** pending | sending | sent | failed | blocked */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the row may be tried (again); for `sending` rows, when the claim's lease ends. */
    nextAttemptAt: at('next_attempt_at').notNull(),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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

/**
 * A pairing program of a group (issue 7): its cadence in the group's time zone, group size, mode and who takes part.
 * `nextRunAt` is the next scheduled slot; the due runner claims it through pairing_rounds' unique slot key.
 */
export const pairingPrograms = pgTable(
  'pairing_programs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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

/**
 * A group's meetings: regular ones materialised from the rhythm in /setup (unique per start, so a cancelled date
 * stays cancelled and concurrent sweeps insert it once), and one-off events added by moderators.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
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
