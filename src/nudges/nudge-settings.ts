import { z } from 'zod';

/**
 * The nudges of a group (`settings.nudges`), each on/off with its timing (/nudges). Each names the job kind that
 * sends it (src/job-kinds.ts lists them all).
 */
export const nudgeSettingsSchema = z.object({
  /** Missed schedule slots newer than this run once after downtime; older ones are skipped. */
  graceHours: z.number().min(0).max(168).default(6),
  introReminder: z
    .object({
      enabled: z.boolean().default(true),
      /** Days after joining; one reminder at each, then never again. */
      days: z.array(z.number().int().min(1).max(365)).min(1).max(3).default([3, 10]),
    })
    .prefault({}),
  weeklyDigest: z
    .object({ enabled: z.boolean().default(true), schedule: z.string().default('every friday 16:00') })
    .prefault({}),
  commitmentCheck: z.object({ enabled: z.boolean().default(true) }).prefault({}),
  /** Referral follow-up reminders (job kind `referrals.accountability`); thresholds live in `settings.referrals`. */
  referralAccountability: z
    .object({ enabled: z.boolean().default(true) })
    .loose()
    .prefault({}),
  /** The “give” prompt to members who gave nothing lately (job kind `referrals.give-prompt`). */
  givePrompt: z
    .object({
      enabled: z.boolean().default(false),
      schedule: z.string().default('every monday 9:00'),
      /** Prompt members who gave nothing in this many weeks. */
      weeks: z.number().int().min(1).max(52).default(4),
    })
    .loose()
    .prefault({}),
  /** Pairing rounds and check-ins (job kind `pairing.due`); a member who turns it off gets no pairing DM. */
  pairing: z
    .object({ enabled: z.boolean().default(true) })
    .loose()
    .prefault({}),
  /** The day-before meeting reminder (sent by the job kind `meetings.sweep`), `hoursBefore` the meeting. */
  meetingReminder: z
    .object({ enabled: z.boolean().default(true), hoursBefore: z.number().int().min(1).max(168).default(24) })
    .loose()
    .prefault({}),
});
export type NudgeSettings = z.infer<typeof nudgeSettingsSchema>;
export type NudgeSettingKey = Exclude<keyof NudgeSettings, 'graceHours'>;

export interface NudgeInfo {
  /** Name members and moderators type (/me nudge:…, /nudges nudge:…). */
  name: string;
  setting: NudgeSettingKey;
  label: string;
  /** A group rule cannot be turned off by a member (/me); the group's moderators decide. */
  groupRule: boolean;
  /** What `timing` means in /nudges, or null when it has none here. */
  timing: 'days' | 'schedule' | 'hours' | null;
}

export const NUDGES: NudgeInfo[] = [
  {
    name: 'intro-reminder',
    setting: 'introReminder',
    label: 'Introduction reminder',
    groupRule: false,
    timing: 'days',
  },
  {
    name: 'weekly-digest',
    setting: 'weeklyDigest',
    label: 'Weekly digest of commitments',
    groupRule: true,
    timing: 'schedule',
  },
  {
    name: 'commitment-check',
    setting: 'commitmentCheck',
    label: '“Done?” at a commitment’s deadline',
    groupRule: false,
    timing: null,
  },
  {
    name: 'referral-accountability',
    setting: 'referralAccountability',
    label: 'Referral follow-up reminders',
    groupRule: true,
    timing: null,
  },
  { name: 'give-prompt', setting: 'givePrompt', label: 'Weekly “give” prompt', groupRule: false, timing: 'schedule' },
  { name: 'pairing', setting: 'pairing', label: 'Pairing rounds and check-ins', groupRule: false, timing: null },
  {
    name: 'meeting-reminder',
    setting: 'meetingReminder',
    label: 'Meeting reminder with RSVP buttons and open commitments',
    groupRule: false,
    timing: 'hours',
  },
];
export const NUDGE_NAMES = NUDGES.map((n) => n.name) as [string, ...string[]];
export const nudgeInfo = (name: string) => NUDGES.find((n) => n.name === name);
