import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups, schedules } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import { reschedule } from '../scheduler/jobs-repo.js';
import { recurrenceProblem } from '../scheduler/recurrence.js';
import { groupSchedules } from './group-schedules.js';
import { frequencyProblem } from './nudge-interval.js';
import { NUDGES, type NudgeInfo, nudgeInfo } from './nudge-settings.js';

/** One line per nudge: on/off and timing, for /nudges. */
export function describeGroupNudges(group: GroupRow): string[] {
  const n = readSettings(group.settings).nudges;
  return NUDGES.map((info) => {
    const s = n[info.setting] as { enabled: boolean; days?: number[]; schedule?: string; hoursBefore?: number };
    const timing =
      info.timing === 'days'
        ? ` — after ${s.days!.join(' and ')} days`
        : info.timing === 'hours'
          ? ` — ${s.hoursBefore} h before`
          : s.schedule
            ? ` — ${s.schedule}`
            : '';
    return `${info.name}: ${s.enabled ? 'on' : 'off'}${timing}${info.groupRule ? ' (group rule)' : ''}`;
  }).concat(`Missed while the bot was down: run if newer than ${n.graceHours} h`);
}

/** Where each scheduled built-in nudge goes, for its minimum interval. */
const SCHEDULED_TO: Record<string, 'dm' | 'channel'> = { 'weekly-digest': 'channel', 'give-prompt': 'dm' };

function parseTiming(
  info: NudgeInfo,
  timing: string,
  tz: string,
  now: Date,
): { days?: number[]; schedule?: string; hoursBefore?: number } {
  if (info.timing === 'hours') {
    const hours = Number(timing.replace(/\s*h(ours?)?$/i, ''));
    if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
      throw new UserError('bad_option', `${info.name} takes hours before the meeting, e.g. timing:"24".`);
    }
    return { hoursBefore: hours };
  }
  if (info.timing === 'days') {
    const days = timing
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((d) => Number(d.replace(/d$/, '')));
    if (days.length === 0 || days.length > 3 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) {
      throw new UserError('bad_option', `${info.name} takes days after joining, e.g. timing:"3,10".`);
    }
    return { days: [...new Set(days)].sort((a, b) => a - b) };
  }
  if (info.timing === 'schedule') {
    const problem = recurrenceProblem(timing);
    if (problem) throw new UserError('bad_option', problem);
    const tooOften = frequencyProblem(timing, tz, SCHEDULED_TO[info.name] ?? 'dm', now);
    if (tooOften) throw new UserError('bad_option', tooOften);
    return { schedule: timing };
  }
  throw new UserError('bad_option', `${info.name} has no timing to set here; turn it on or off.`);
}

/** Changes one nudge of a group (on/off, timing) and the group's grace window; moves its schedule if it has one. */
export async function updateGroupNudge(
  db: Db,
  group: GroupRow,
  change: { nudge?: string; on?: boolean; timing?: string; graceHours?: number },
  now: Date,
): Promise<void> {
  const settings = readSettings(group.settings);
  if (change.graceHours !== undefined) settings.nudges.graceHours = change.graceHours;
  let moved: { key: string; spec: string } | null = null;
  if (change.nudge) {
    const info = nudgeInfo(change.nudge);
    if (!info) throw new UserError('bad_option', `There is no nudge “${change.nudge}”.`);
    const current = settings.nudges[info.setting] as Record<string, unknown>;
    const next: Record<string, unknown> = { ...current, ...(change.on !== undefined ? { enabled: change.on } : {}) };
    if (change.timing !== undefined) Object.assign(next, parseTiming(info, change.timing, group.timezone, now));
    (settings.nudges as Record<string, unknown>)[info.setting] = next;
    if (typeof next.schedule === 'string' && change.timing !== undefined)
      moved = { key: info.name, spec: next.schedule };
  }
  await db.update(groups).set({ settings }).where(eq(groups.id, group.id));
  if (moved && groupSchedules.some((g) => g.key === moved.key)) {
    const [s] = await db
      .select({ id: schedules.id })
      .from(schedules)
      .where(and(eq(schedules.groupId, group.id), eq(schedules.systemKey, moved.key)));
    if (s) await reschedule(db, s.id, moved.spec, group.timezone, now);
  }
}
