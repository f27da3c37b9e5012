import cron from 'node-cron';
import type { Core } from './core.js';
import { pruneProcessedInteractions } from './dispatch/dispatcher.js';
import { jobRegistry } from './job-kinds.js';
import { runMeetings } from './meetings/meeting-sweep.js';
import { pairingDueRunner } from './pairing/pairing-due.js';
import type { MessagePort } from './platform.js';
import { runReferralAccountability } from './referrals/accountability.js';
import { Scheduler } from './scheduler/scheduler.js';

/**
 * What runs while the bot is up (the shell's `:advance` does the same by hand): the durable scheduler, which catches
 * up missed slots only inside each group's grace window, and the clock-driven sweeps (referral accountability,
 * pairing rounds and check-ins, meeting reminders and attendance), every `everySeconds` (TICK_SECONDS, default 15).
 * Each sweep claims its work in the database, so replicas may all tick. `deliveryLeaseMs` (DELIVERY_LEASE_SECONDS) is
 * how long outbox messages this process claims stay its own: a killed process's are taken over once it has passed.
 */
export function startTicker(
  core: Core,
  ports: readonly MessagePort[],
  everySeconds = 15,
  opts: { deliveryLeaseMs?: number } = {},
): { stop(): Promise<void> } {
  const scheduler = new Scheduler({
    db: core.db,
    clock: core.clock,
    log: core.log,
    registry: jobRegistry(),
    catchUp: 'grace',
    ...(opts.deliveryLeaseMs ? { sender: { leaseMs: opts.deliveryLeaseMs } } : {}),
  });
  scheduler.start(ports, { intervalSeconds: everySeconds });
  let running: Promise<void> | null = null;
  const sweep = async () => {
    for (const port of ports) {
      for (const run of [runReferralAccountability, pairingDueRunner, runMeetings]) {
        try {
          await run(core, port);
        } catch (err) {
          core.log.error({ err, platform: port.platform }, 'due sweep failed');
        }
      }
    }
  };
  // Platforms retry for minutes, not days: a week of processed interaction ids is plenty for deduplication.
  const prune = cron.schedule('17 3 * * *', () => {
    pruneProcessedInteractions(core.db, new Date(core.clock.now().getTime() - 7 * 86_400_000)).catch((err) =>
      core.log.error({ err }, 'pruning processed interactions failed'),
    );
  });
  const task = cron.schedule(`*/${everySeconds} * * * * *`, () => {
    // a sweep still running when the next tick comes is not doubled
    if (!running) {
      running = sweep().finally(() => {
        running = null;
      });
    }
  });
  return {
    async stop() {
      await task.destroy();
      await prune.destroy();
      await running;
      await scheduler.stop();
    },
  };
}
