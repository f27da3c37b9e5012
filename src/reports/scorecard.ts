import type { Db } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { readSettings, type ScorecardSettings } from '../groups/group-settings.js';
import { attendanceRate } from '../meetings/attendance.js';
import { oneToOnesHeld } from '../meetings/hooks.js';
import { visitorsInvited } from '../meetings/visitors.js';
import { memberBalance } from '../referrals/balance.js';

export type Light = 'green' | 'amber' | 'red' | 'none';
export type Metric = keyof ScorecardSettings;
export const METRICS = [
  'attendance',
  'referralsGiven',
  'referralsReceived',
  'connections',
  'oneToOnes',
  'visitors',
  'closedBusiness',
] as const satisfies readonly Metric[];

export const METRIC_LABELS: Record<Metric, string> = {
  attendance: 'Attendance',
  referralsGiven: 'Referrals given',
  referralsReceived: 'Referrals received',
  connections: 'Connections given',
  oneToOnes: '1-to-1s held',
  visitors: 'Visitors invited',
  closedBusiness: 'Closed business',
};

export interface ScoreLine {
  metric: Metric;
  /** The raw number: percent for attendance, a count, or an amount in the group's currency. */
  value: number | null;
  /** What the light is judged on: percent for attendance, else per week of the period. */
  rate: number | null;
  light: Light;
}

/** Green at or above `green`, amber at or above `amber`, else red; nothing to judge gives no light. */
export function lightFor(rate: number | null, t: { green: number; amber: number }): Light {
  if (rate === null) return 'none';
  if (rate >= t.green) return 'green';
  if (rate >= t.amber) return 'amber';
  return 'red';
}

/**
 * A member's scorecard over [from, now]: the referral numbers are the /balance statement's (one query), closed
 * business counts only the group's currency (amounts are never converted), 1-to-1s come from pairing check-ins.
 */
export async function memberScorecard(
  db: Db,
  group: GroupRow,
  memberId: number,
  from: Date,
  now: Date,
): Promise<ScoreLine[]> {
  const settings = readSettings(group.settings);
  const t = settings.scorecard;
  const weeks = Math.max(1, (now.getTime() - from.getTime()) / (7 * 86_400_000));
  const balance = await memberBalance(db, group.communityId, group.id, memberId, from);
  const att = await attendanceRate(db, group.id, from, now, memberId);
  const held = await oneToOnesHeld(db, group.id, memberId, from);
  const invited = await visitorsInvited(db, group.communityId, group.id, memberId, from);
  const closed = Number(balance.creditedAsGiver.find((c) => c.currency === settings.referrals.currency)?.total ?? 0);
  const counts: Record<Exclude<Metric, 'attendance'>, number> = {
    referralsGiven: balance.referralsGiven,
    referralsReceived: balance.referralsReceived,
    connections: balance.connectionsGiven,
    oneToOnes: held,
    visitors: invited,
    closedBusiness: closed,
  };
  return METRICS.map((metric) => {
    if (metric === 'attendance')
      return { metric, value: att.pct, rate: att.pct, light: lightFor(att.pct, t.attendance) };
    const value = counts[metric];
    const rate = value / weeks;
    return { metric, value, rate, light: lightFor(rate, t[metric]) };
  });
}
