import { commands } from '../commands/index.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { buildCore } from '../src/bootstrap.js';
import { systemClock } from '../src/clock.js';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { MessagePort } from '../src/platform.js';
import { startTicker } from '../src/ticker.js';
import { startDiscord } from './discord/discord-bot.js';
import { runShell } from './shell/shell-cli.js';
import { startSlack } from './slack/slack-app.js';

/**
 * The entry point: validates the environment, then starts the platform adapters whose tokens are set, or the
 * local shell when none is.
 */
async function main(): Promise<number> {
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
    // The shell's own output is the product here; info logs would only interleave with it.
    const log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');
    return runShell(process.argv.slice(2), config, log);
  }
  const log = createLogger(config.LOG_LEVEL);
  const core = await buildCore({ commands, clock: systemClock, log, config });
  const running: { stop(): Promise<void>; port?: MessagePort }[] = [];
  if (platforms.includes('discord')) running.push(await startDiscord(core, config));
  if (platforms.includes('slack')) running.push(await startSlack(core, config, log));
  // scheduled nudges, referral accountability and pairing rounds run while the bot is up; stopped first on shutdown
  running.unshift(
    startTicker(
      core,
      running.flatMap((r) => (r.port ? [r.port] : [])),
    ),
  );
  return untilStopped(running, () => core.deps.database.close());
}

/** Runs until SIGINT/SIGTERM, then stops every adapter and closes the database. */
function untilStopped(running: { stop(): Promise<void> }[], close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      Promise.allSettled(running.map((r) => r.stop()))
        .then(close)
        .then(
          () => resolve(0),
          () => resolve(1),
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function startablePlatforms(config: ReturnType<typeof loadConfig>): string[] {
  const out: string[] = [];
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) out.push('discord');
  if (config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID) out.push('slack');
  return out;
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
