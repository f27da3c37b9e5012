import { EventEmitter } from 'node:events';
import { Client, Events, GatewayIntentBits, RESTEvents, type RESTOptions } from 'discord.js';
import type { Config } from '../../src/config.js';
import type { Core } from '../../src/core.js';
import { INLINE_RETRY_AFTER_MS } from '../../src/delivery/delivery-error.js';
import { type BackoffOptions, defaultBackoff, withBackoff } from './backoff-request.js';
import { deployCommands } from './command-deploy.js';
import { FormStash } from './custom-ids.js';
import { rejectLongRateLimits } from './delivery-errors.js';
import { listenToGuildEvents } from './guild-events.js';
import { InteractionHandler } from './interaction-handler.js';
import { DiscordMessagePort } from './message-port.js';
import { RouteGuard } from './route-guard.js';

export interface DiscordBotOptions {
  token: string;
  applicationId: string;
  /** REST base without `/v10` (discord.js appends it); the gateway URL then comes from its `/gateway/bot`. */
  apiUrl?: string;
  /** Deploy commands to this guild instead of globally. */
  guildId?: string;
  /** Diff and deploy commands at start (default true). */
  deploy?: boolean;
  deferAfterMs?: number;
  rest?: Partial<RESTOptions>;
  /** Retries of 5xx answers and timed-out attempts, with exponential backoff (see backoff-request.ts). */
  backoff?: Partial<BackoffOptions>;
  /**
   * This process's shards and the bot's total. Under ShardingManager discord.js reads them from the SHARDS and
   * SHARD_COUNT variables it sets; by default one process runs shard 0 of 1.
   */
  shards?: number[];
  shardCount?: number;
  /** The longest rate-limit wait the message port takes inline; a longer one is thrown as a DeliveryError. */
  inlineRetryAfterMs?: number;
}

export interface DiscordBot {
  client: Client;
  port: DiscordMessagePort;
  guard: RouteGuard;
  /** Fires with an interaction id (or `memberAdd:guild:user`, `guildCreate:guild`, …) when its work is done. */
  events: EventEmitter;
  /** The gateway connection is up (readiness). */
  ready(): boolean;
  stop(): Promise<void>;
}

/** Builds the discord.js client, wires interactions and server events to the core, logs in and deploys commands. */
export async function createDiscordBot(core: Core, opts: DiscordBotOptions): Promise<DiscordBot> {
  const log = core.log.child({ platform: 'discord' });
  const client = new Client({
    // Guild members is privileged (enable "Server Members Intent" in the developer portal): it brings member joins.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
    rest: {
      ...(opts.apiUrl ? { api: opts.apiUrl } : {}),
      // Waiting out a long rate limit would hold every send behind it: refuse instead, and the port tells the
      // outbox how long to wait (delivery-errors.ts).
      rejectOnRateLimit: rejectLongRateLimits(opts.inlineRetryAfterMs ?? INLINE_RETRY_AFTER_MS),
      // Our backoff wrapper does the retrying; the client's own immediate retries would multiply it.
      retries: 0,
      makeRequest: withBackoff({
        ...defaultBackoff,
        onFailure: (kind, final) => {
          if (final) core.deps.metrics?.platformError('discord', kind);
        },
        ...opts.backoff,
      }),
      ...opts.rest,
    },
    ...(opts.shards ? { shards: opts.shards } : {}),
    ...(opts.shardCount ? { shardCount: opts.shardCount } : {}),
  });
  const guard = new RouteGuard(log);
  client.rest.on(RESTEvents.Response, (req, res) => {
    guard.record(req.path, res.status);
    if (res.status === 429) core.deps.metrics?.platformRateLimited('discord');
  });
  client.rest.on(RESTEvents.RateLimited, (info) =>
    log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit'),
  );
  client.rest.on(RESTEvents.InvalidRequestWarning, (info) =>
    log.warn({ count: info.count, remainingMs: info.remainingTime }, 'discord invalid requests piling up'),
  );
  const port = new DiscordMessagePort({
    rest: client.rest,
    db: core.db,
    clock: core.clock,
    log,
    guard,
  });
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const settled = (key: string) => events.emit('settled', key);
  const stash = new FormStash();
  const handler = new InteractionHandler(core, port, stash, { deferAfterMs: opts.deferAfterMs ?? 1500 });
  client.on(Events.InteractionCreate, (interaction) => {
    handler
      .handle(interaction)
      .catch((err: Error) =>
        log.error({ interactionId: interaction.id, err: { message: err.message } }, 'interaction failed'),
      )
      .finally(() => settled(interaction.id));
  });
  const initialSync = listenToGuildEvents(client, core, port, settled);
  client.on(Events.Error, (err) => log.error({ err: { message: err.message } }, 'discord client error'));
  client.on(Events.ShardDisconnect, (_e, shard) => log.warn({ shard }, 'discord shard disconnected'));

  await client.login(opts.token);
  // Resolves after READY, once the servers present at start have their communities.
  await initialSync;
  if (opts.deploy !== false) {
    await deployCommands(client.rest, opts.applicationId, core.registry, {
      ...(opts.guildId ? { guildId: opts.guildId } : {}),
      log,
    });
  }
  log.info({ guilds: client.guilds.cache.size, shards: client.ws.shards.size }, 'discord adapter started');
  return {
    client,
    port,
    guard,
    events,
    ready: () => client.isReady(),
    async stop() {
      await client.destroy();
    },
  };
}

/** The entry point adapters/main.ts calls when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. */
export async function startDiscord(
  core: Core,
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL' | 'DISCORD_GUILD_ID'>,
): Promise<DiscordBot> {
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) throw new Error('Discord is not configured');
  return createDiscordBot(core, {
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
    ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
  });
}
