import { bookingJobKinds } from './booking/booking-jobs.js';
import { ensureGroupSchedules } from './nudges/group-schedules.js';
import { nudgeJobKinds } from './nudges/nudge-jobs.js';
import { givePromptJob } from './referrals/give-prompt.js';
import { type JobKind, JobRegistry, type TickHook } from './scheduler/job-kinds.js';

/**
 * Every job kind the bot runs, registered explicitly like commands/index.ts (append yours). Hooks run at the start
 * of each tick, before due schedules are read.
 */
export const jobKinds: JobKind[] = [...nudgeJobKinds, givePromptJob, ...bookingJobKinds];
export const tickHooks: TickHook[] = [ensureGroupSchedules];

export const jobRegistry = (): JobRegistry => new JobRegistry(jobKinds, tickHooks);
