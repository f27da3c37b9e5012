import cron from 'node-cron';
import type { Core } from './core.js';
import type { MessagePort } from './platform.js';

/**
 * What runs while the bot is up: every `everySeconds` (TICK_SECONDS, default 15) at a random phase, so replicas
 * spread their ticks, the core's one entry point for timed work (`Core.runDue`, which the shell's `:advance` calls
 * too) for what these ports can deliver. Each job is claimed in the database, so replicas may all tick. A tick still
 * running when the next comes is not doubled.
 */
export function startTicker(core: Core, ports: readonly MessagePort[], everySeconds = 15): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = core
      .runDue(ports)
      .catch((err) => core.log.error({ err: { message: (err as Error).message } }, 'tick failed'))
      .finally(() => {
        running = null;
      });
  };
  const phase = Math.floor(Math.random() * everySeconds);
  const seconds: number[] = [];
  for (let s = phase; s < 60; s += everySeconds) seconds.push(s);
  const task = cron.schedule(`${seconds.join(',')} * * * * *`, tick);
  tick();
  return {
    async stop() {
      await task.destroy();
      await running;
      await core.stop();
    },
  };
}
