import type { DueRunner } from './core.js';
import { runMeetings } from './meetings/meeting-sweep.js';
import { runReferralAccountability } from './referrals/accountability.js';

/** Everything that runs when time passes (the shell's `:advance`, the scheduler's tick). */
export const defaultDueRunners: DueRunner[] = [runReferralAccountability, runMeetings];
