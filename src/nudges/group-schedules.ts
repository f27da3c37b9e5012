import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups, schedules } from '../../db/schema.js';
import { type GroupSettings, readSettings } from '../groups/group-settings.js';
import type { Logger } from '../logger.js';
import { createSchedule, reschedule } from '../scheduler/jobs-repo.js';
import { RecurrenceError } from '../scheduler/recurrence.js';

const EVERY_MINUTE = '* * * * *';

/** A schedule every group has (its `systemKey` is unique per group), its rule read from the group's settings. */
export interface GroupSchedule {
  key: string;
  kind: string;
  spec(settings: GroupSettings): string;
}

/**
 * The built-in schedules of every group. Handlers check the nudge's `enabled` setting when they run, so turning a nudge
 * off needs no schedule change.
 */
export const groupSchedules: GroupSchedule[] = [
  // hourly, so a member is reminded within the hour of reaching 3 (or 10) days, whatever the group's timezone
  { key: 'intro-reminder', kind: 'nudges.intro-reminder', spec: () => 'every hour' },
  { key: 'weekly-digest', kind: 'nudges.weekly-digest', spec: (s) => s.nudges.weeklyDigest.schedule },
  { key: 'give-prompt', kind: 'referrals.give-prompt', spec: (s) => s.nudges.givePrompt.schedule },
  // the sweeps: each looks at the whole state of the group, every minute (coalesced: one run after any gap)
  { key: 'referral-accountability', kind: 'referrals.accountability', spec: () => EVERY_MINUTE },
  { key: 'pairing', kind: 'pairing.due', spec: () => EVERY_MINUTE },
  { key: 'meetings', kind: 'meetings.sweep', spec: () => EVERY_MINUTE },
];

/**
 * Tick hook: gives each group the schedules it lacks (slots counted from the group's creation, so a group set up
 * just before a `:advance` or a downtime gets its missed slot under the grace rule), and follows a group's change of
 * time zone.
 */
export async function ensureGroupSchedules(db: Db, now: Date, log: Logger): Promise<void> {
  for (const gs of groupSchedules) {
    const missing = await db
      .select()
      .from(groups)
      .where(
        sql`not exists (select 1 from ${schedules} s where s.group_id = ${groups.id} and s.system_key = ${gs.key})`,
      );
    for (const g of missing) {
      const spec = gs.spec(readSettings(g.settings));
      try {
        await createSchedule(db, {
          kind: gs.kind,
          communityId: g.communityId,
          groupId: g.id,
          systemKey: gs.key,
          spec,
          timezone: g.timezone,
          from: g.createdAt < now ? g.createdAt : now,
        });
      } catch (err) {
        if (!(err instanceof RecurrenceError)) throw err;
        log.error({ groupId: g.id, key: gs.key }, 'group schedule unreadable: not created');
      }
    }
  }
  const moved = await db
    .select({ id: schedules.id, spec: schedules.spec, timezone: groups.timezone })
    .from(schedules)
    .innerJoin(groups, eq(groups.id, schedules.groupId))
    .where(and(isNotNull(schedules.groupId), ne(schedules.timezone, groups.timezone)));
  for (const s of moved) await reschedule(db, s.id, s.spec, s.timezone, now);
}
