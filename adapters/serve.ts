import { commands } from '../commands/index.js';
import { buildCore } from '../src/bootstrap.js';
import { calendarFeedRoute, feedBase } from '../src/calendar/feed-route.js';
import { systemClock } from '../src/clock.js';
import type { Config } from '../src/config.js';
import type { Core } from '../src/core.js';
import type { Logger } from '../src/logger.js';
import { databaseCheck, Health, migrationsCheck } from '../src/ops/health.js';
import { OpsMetrics } from '../src/ops/metrics.js';
import { type OpsServer, opsRoutes, startOpsServer } from '../src/ops/ops-http.js';
import { feedQueueGauges } from '../src/ops/queue-gauges.js';
import type { MessagePort } from '../src/platform.js';
import { startTicker } from '../src/ticker.js';
import { startDiscord } from './discord/discord-bot.js';
import { slackMode, startSlack } from './slack/slack-app.js';
import type { PlatformName } from './startable-platforms.js';

export interface Serving {
  core: Core;
  /** Graceful stop: refuse new work, finish what is in flight, close platforms, ops server and database. */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * Starts the platform adapters with the ops endpoints: on the Slack receiver's server when Slack runs over HTTP,
 * else on their own server on PORT. Readiness covers the database, its migrations and each platform connection.
 */
export async function servePlatforms(config: Config, platforms: PlatformName[], log: Logger): Promise<Serving> {
  const metrics = new OpsMetrics();
  const health = new Health();
  const core = await buildCore({
    commands,
    clock: systemClock,
    log,
    config,
    metrics,
    rateLimit: { burst: config.RATE_LIMIT_BURST, perMinute: config.RATE_LIMIT_PER_MINUTE },
    deliveryLeaseMs: config.DELIVERY_LEASE_SECONDS * 1000,
    outboxRetentionDays: config.OUTBOX_RETENTION_DAYS,
  });
  metrics.setInFlight(() => core.work.inFlight);
  feedQueueGauges(metrics, core.db, platforms, () => core.clock.now());
  health.add('database', databaseCheck(core.deps.database));
  health.add('migrations', migrationsCheck(core.deps.database));
  const routes = [
    ...opsRoutes({ health, metrics, draining: () => core.work.draining }),
    calendarFeedRoute(core.db, core.clock),
  ];
  feedBase.url = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;

  const stoppers: { name: string; stop(): Promise<void> }[] = [];
  const ports: MessagePort[] = [];
  let ops: OpsServer | undefined;
  try {
    if (platforms.includes('discord')) {
      const discord = await startDiscord(core, config);
      health.add('discord', () => discord.ready() || 'gateway not connected');
      stoppers.push({ name: 'discord', stop: () => discord.stop() });
      ports.push(discord.port);
    }
    const slackOverHttp = platforms.includes('slack') && slackMode(config) !== 'socket';
    if (platforms.includes('slack')) {
      const slack = await startSlack(core, config, log, { routes });
      health.add('slack', () => slack.ready() || 'stopped');
      stoppers.push({ name: 'slack', stop: () => slack.stop() });
      ports.push(slack.port);
    }
    // Scheduled nudges, referral follow-up, pairing rounds and meetings run while the bot is up. The ticker stops
    // first on shutdown, so no job is claimed once draining starts (claimed ones finish or roll back and are retried).
    stoppers.unshift({
      name: 'ticker',
      ...startTicker(core, ports, config.TICK_SECONDS),
    });
    if (!slackOverHttp) ops = await startOpsServer(config.PORT, routes);
    log.info({ port: ops?.port ?? config.PORT, platforms }, 'ops endpoints listening');
  } catch (err) {
    await Promise.allSettled(stoppers.map((s) => s.stop()));
    await core.deps.database.close();
    throw err;
  }

  return {
    core,
    async shutdown(graceMs) {
      const started = Date.now();
      core.work.drain();
      log.info({ inFlight: core.work.inFlight }, 'shutting down: new work refused, finishing what is in flight');
      const idle = await core.work.idle(graceMs);
      if (!idle) log.warn({ inFlight: core.work.inFlight }, 'shutdown grace ran out with work still in flight');
      const left = () => Math.max(500, graceMs - (Date.now() - started));
      for (const s of stoppers) {
        await bounded(s.stop(), left()).catch((err: Error) =>
          log.warn({ adapter: s.name, err: { message: err.message } }, 'adapter did not stop cleanly'),
        );
      }
      await ops?.close();
      await bounded(core.deps.database.close(), left());
      log.info({ ms: Date.now() - started }, 'stopped');
    },
  };
}

function bounded<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<undefined>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
