import type { Core, DueRunner } from '../core.js';
import type { JobRegistry } from './job-kinds.js';
import { Scheduler } from './scheduler.js';

const perCore = new WeakMap<Core, Scheduler>();

/** The scheduler behind a core's runDue (simulated time), built on first use. */
export function schedulerOf(core: Core, registry: JobRegistry): Scheduler {
  let s = perCore.get(core);
  if (!s) {
    // time moved by `:advance` counts as time the bot was running: every slot in it runs
    s = new Scheduler({ db: core.db, clock: core.clock, log: core.log, registry, catchUp: 'all' });
    perCore.set(core, s);
  }
  return s;
}

/** A DueRunner for Core.runDue (the shell's `:advance`): runs schedules, jobs and the outbox until nothing is due. */
export function schedulerDueRunner(registry: JobRegistry): DueRunner {
  return (core, port) => schedulerOf(core, registry).runUntilIdle([port]);
}
