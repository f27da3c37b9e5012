import { register } from 'node:module';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import type { Serving } from './serve.js';
import { startablePlatforms } from './startable-platforms.js';

/** Time a graceful stop may take before adapters are cut; the hard exit below is the backstop. */
const GRACE_MS = 8_000;
/** Orchestrators (Docker, Kubernetes) kill after 10 s by default: exit before that whatever hangs. */
const HARD_EXIT_MS = 9_500;

/**
 * The entry point: validates the environment, then starts the platform adapters whose tokens are set, or the
 * local shell when none is (unless ROUNDTABLE_SHELL=off, as in a container, where that is a configuration error).
 */
async function main(): Promise<number> {
  // Installed packages' ES modules skip tsx's per-file rewrite (see package-load-hook.ts): PGlite, drizzle and the
  // platforms' clients are all imported below this line.
  register('./package-load-hook.ts', import.meta.url);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const platforms = startablePlatforms(config);
  if (platforms.length === 0) {
    if (config.ROUNDTABLE_SHELL === 'off') {
      process.stderr.write(
        'Roundtable cannot start: no platform is configured (set DISCORD_TOKEN and DISCORD_APPLICATION_ID, or SLACK_BOT_TOKEN / SLACK_CLIENT_ID) and ROUNDTABLE_SHELL=off forbids the local shell.\n',
      );
      return 2;
    }
    // The shell's own output is the product here; info logs would only interleave with it.
    const log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');
    // Imported here, not at the top: the shell never loads discord.js and Bolt (about a second of start-up).
    const { runShell } = await import('./shell/shell-cli.js');
    return runShell(process.argv.slice(2), config, log);
  }
  const log = createLogger(config.LOG_LEVEL);
  const { servePlatforms } = await import('./serve.js');
  const serving = await servePlatforms(config, platforms, log);
  return untilStopped(serving, log);
}

/** Runs until SIGINT/SIGTERM, then stops gracefully; a second signal or a stop that hangs exits at once. */
function untilStopped(serving: Serving, log: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'signal received');
      setTimeout(() => {
        log.error({ afterMs: HARD_EXIT_MS }, 'graceful shutdown did not finish: exiting');
        process.exit(1);
      }, HARD_EXIT_MS).unref();
      serving.shutdown(GRACE_MS).then(
        () => resolve(0),
        (err: Error) => {
          log.error({ err: { message: err.message } }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`Roundtable stopped on an unexpected error: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
