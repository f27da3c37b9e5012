import { syncMeetingEvents } from './calendar/event-sync.js';
import type { DueRunner } from './core.js';
import { jobRegistry } from './job-kinds.js';
import { runMeetings } from './meetings/meeting-sweep.js';
import { pairingDueRunner } from './pairing/pairing-due.js';
import { runReferralAccountability } from './referrals/accountability.js';
import { schedulerDueRunner } from './scheduler/due-runner.js';

/** Everything that runs when time passes (the shell's `:advance`, the scheduler's tick). */
export const defaultDueRunners: DueRunner[] = [
  schedulerDueRunner(jobRegistry()),
  runReferralAccountability,
  pairingDueRunner,
  runMeetings,
  syncMeetingEvents,
];
