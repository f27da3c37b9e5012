import { bookingJobKinds } from './booking/booking-jobs.js';
import { meetingsSweepJob } from './meetings/meeting-sweep.js';
import { ensureGroupSchedules } from './nudges/group-schedules.js';
import { nudgeJobKinds } from './nudges/nudge-jobs.js';
import { pairingDueJob } from './pairing/pairing-due.js';
import { referralAccountabilityJob } from './referrals/accountability.js';
import { givePromptJob } from './referrals/give-prompt.js';
import { type JobKind, JobRegistry, type TickHook } from './scheduler/job-kinds.js';
import { ensurePruneSchedules, pruneJob } from './scheduler/pruning.js';

/**
 * Everything time brings, in one list like commands/index.ts (append yours): scheduled nudges, the per-minute sweeps
 * of every group (referral accountability, pairing rounds and check-ins, meetings), and the nightly pruning. Hooks
 * run at the start of each tick, before due schedules are read: they give each group and community its schedules.
 */
export function jobKinds(opts: { outboxRetentionDays?: number } = {}): JobKind[] {
  return [
    ...nudgeJobKinds,
    givePromptJob,
    referralAccountabilityJob,
    pairingDueJob,
    meetingsSweepJob,
    pruneJob(opts.outboxRetentionDays),
    ...bookingJobKinds,
  ] as JobKind[];
}
export const tickHooks: TickHook[] = [ensureGroupSchedules, ensurePruneSchedules];

export const jobRegistry = (opts: { outboxRetentionDays?: number } = {}): JobRegistry =>
  new JobRegistry(jobKinds(opts), tickHooks);
