import { z } from 'zod';
import { nudgeSettingsSchema } from '../nudges/nudge-settings.js';

export const GROUP_TYPES = ['referral', 'peer', 'mastermind', 'mentorship', 'service', 'industry', 'chamber'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export const meetingRhythmSchema = z.object({
  frequency: z.enum(['weekly', 'biweekly', 'monthly']),
  day: z.enum(WEEKDAYS),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  place: z.string().max(200).optional(),
});
export type MeetingRhythm = z.infer<typeof meetingRhythmSchema>;

/**
 * A group's settings document. Every key has a default so rows written before a key existed still parse;
 * later features add their keys here.
 */
/** Referral rules (issue 6): accountability thresholds, privacy and currency. */
export const referralSettingsSchema = z.object({
  acceptHours: z.number().int().min(1).default(48),
  updateDays: z.number().int().min(1).default(7),
  openDays: z.number().int().min(1).default(30),
  /** Time between escalation steps: receiver reminded → giver told → moderators told. */
  escalationHours: z.number().int().min(1).default(24),
  publicNotices: z.boolean().default(true),
  moderatorsSeeContacts: z.boolean().default(false),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  askExpiryDays: z.number().int().min(1).max(365).default(14),
});
export type ReferralSettings = z.infer<typeof referralSettingsSchema>;

/** Meetings and attendance (issue 9). */
export const meetingSettingsSchema = z.object({
  durationMinutes: z.number().int().min(15).max(720).default(90),
  /** Absences (not medical, not substitute) allowed in the rolling window before moderators are told. */
  absenceLimit: z.number().int().min(1).max(52).default(3),
  absenceWindowMonths: z.number().int().min(1).max(24).default(6),
  /** A check-in this long after the start counts as late. */
  lateAfterMinutes: z.number().int().min(1).max(240).default(10),
});
export type MeetingSettings = z.infer<typeof meetingSettingsSchema>;

/** A traffic light: at least `green` is green, at least `amber` amber, else red. */
const light = (green: number, amber: number) =>
  z.object({ green: z.number().min(0), amber: z.number().min(0) }).prefault({ green, amber });

/** Scorecard thresholds: attendance in percent, the rest per week of the period (closed business in group currency). */
export const scorecardSettingsSchema = z.object({
  attendance: light(95, 85),
  referralsGiven: light(1, 0.5),
  referralsReceived: light(1, 0.5),
  connections: light(0.5, 0.25),
  oneToOnes: light(1, 0.5),
  visitors: light(0.25, 0.1),
  closedBusiness: light(500, 100),
});
export type ScorecardSettings = z.infer<typeof scorecardSettingsSchema>;

export const groupSettingsSchema = z.object({
  oneSeatPerCategory: z.boolean().default(false),
  requiresApproval: z.boolean().default(false),
  meeting: meetingRhythmSchema.optional(),
  description: z.string().max(500).optional(),
  referrals: referralSettingsSchema.prefault({}),
  nudges: nudgeSettingsSchema.prefault({}),
  meetings: meetingSettingsSchema.prefault({}),
  scorecard: scorecardSettingsSchema.prefault({}),
});
export type GroupSettings = z.infer<typeof groupSettingsSchema>;

/** What each kind of group expects by default (DOMAIN.md): referral groups are closed, one seat per profession. */
export function defaultSettings(type: GroupType): GroupSettings {
  return groupSettingsSchema.parse({
    oneSeatPerCategory: type === 'referral',
    requiresApproval: type === 'referral' || type === 'mastermind',
  });
}

export function readSettings(raw: unknown): GroupSettings {
  return groupSettingsSchema.parse(raw ?? {});
}

export const GROUP_TYPE_BLURBS: Record<GroupType, string> = {
  referral: 'a closed referral group: one member per profession, weekly meetings, referrals followed up',
  peer: 'a peer group: people on a similar journey helping each other',
  mastermind: 'a mastermind: a small group of members who apply and are accepted',
  mentorship: 'a mentorship group: seasoned members paired with newer ones',
  service: 'a service group: professionals serving their community',
  industry: 'an industry group: people of one trade sharing what they know',
  chamber: 'a chamber of commerce: many professions, open networking',
};
