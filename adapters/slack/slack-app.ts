import type { AddressInfo } from 'node:net';
import { App, type Installation } from '@slack/bolt';
import { communityJoined } from '../../src/communities/community-events.js';
import type { Config } from '../../src/config.js';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/logger.js';
import type { OpsRoute } from '../../src/ops/ops-http.js';
import { registerActions } from './actions.js';
import { registerCommands } from './commands.js';
import { registerEvents } from './events.js';
import { InFlight } from './in-flight.js';
import { PostgresInstallationStore } from './installation-store.js';
import { httpReceiver } from './receivers.js';
import type { SlackContext } from './slack-context.js';
import { boltLogger } from './slack-logger.js';
import { SlackPort } from './slack-port.js';
import { TokenCipher } from './token-crypto.js';
import { UserDirectory } from './user-directory.js';
import { registerViews } from './views.js';
import { WorkspaceClients } from './workspace-clients.js';

export type SlackConfig = Pick<
  Config,
  | 'PORT'
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_CLIENT_ID'
  | 'SLACK_CLIENT_SECRET'
  | 'SLACK_STATE_SECRET'
  | 'SLACK_API_URL'
  | 'TOKEN_ENCRYPTION_KEY'
>;

export type SlackMode = 'socket' | 'oauth' | 'http';

/** Knobs tests and the benchmark turn; production uses the defaults. */
export interface SlackTuning {
  /** WebClient retries (the default policy retries for half an hour; tests want few). */
  retries?: number;
  timeoutMs?: number;
  /** The longest Retry-After the message port waits out inline; a longer one is thrown as a DeliveryError. */
  inlineRetryAfterMs?: number;
  viewAckBudgetMs?: number;
  /** Ops routes served by the HTTP receiver's server (ignored in Socket Mode, where main.ts runs its own). */
  routes?: OpsRoute[];
}

export interface RunningSlack {
  mode: SlackMode;
  app: App;
  port: SlackPort;
  /** Where the HTTP receiver listens (null in Socket Mode). */
  httpPort: number | null;
  /** Started and not yet stopping (readiness). */
  ready(): boolean;
  /** Resolves when work acknowledged so far has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export class SlackConfigError extends Error {}

/** Which way to run, from the variables that are set; an incomplete set is an error naming what is missing. */
export function slackMode(config: SlackConfig): SlackMode {
  if (config.SLACK_APP_TOKEN) {
    if (!config.SLACK_BOT_TOKEN) throw new SlackConfigError('Socket Mode (SLACK_APP_TOKEN) also needs SLACK_BOT_TOKEN');
    return 'socket';
  }
  if (!config.SLACK_SIGNING_SECRET) throw new SlackConfigError('Slack over HTTP needs SLACK_SIGNING_SECRET');
  if (config.SLACK_CLIENT_ID) {
    const missing = (['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'TOKEN_ENCRYPTION_KEY'] as const).filter(
      (k) => !config[k],
    );
    if (missing.length) throw new SlackConfigError(`Slack OAuth installs also need ${missing.join(', ')}`);
    return 'oauth';
  }
  if (!config.SLACK_BOT_TOKEN) throw new SlackConfigError('Slack needs SLACK_BOT_TOKEN or SLACK_CLIENT_ID');
  return 'http';
}

/**
 * Starts the Slack adapter: Bolt's HTTP receiver on PORT (one workspace with SLACK_BOT_TOKEN, or many through OAuth
 * installs kept encrypted in Postgres), or Socket Mode. The Web API is only reached after the receiver is built, and
 * Bolt's auth.test is awaited here (deferred initialisation), so an unreachable API fails start-up cleanly.
 */
export async function startSlack(
  core: Core,
  config: SlackConfig,
  log: Logger,
  tuning: SlackTuning = {},
): Promise<RunningSlack> {
  const mode = slackMode(config);
  const slackLogger = boltLogger(log);
  const slackApiUrl = config.SLACK_API_URL;
  const clientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    logger: slackLogger,
    retryConfig: { retries: tuning.retries ?? 3, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
  };
  const inFlight = new InFlight();

  let store: PostgresInstallationStore | undefined;
  let clients: WorkspaceClients;
  const settings = {
    slackApiUrl,
    logger: slackLogger,
    retries: tuning.retries ?? 3,
    timeoutMs: tuning.timeoutMs ?? 10_000,
    onRateLimited: () => core.deps.metrics?.platformRateLimited('slack'),
  };
  if (mode === 'oauth') {
    store = new PostgresInstallationStore(core.db, new TokenCipher(config.TOKEN_ENCRYPTION_KEY!), {
      installed: async (installation: Installation) => {
        const teamId = installation.team?.id;
        if (teamId) await communityJoined(core, 'slack', teamId, installation.team?.name ?? teamId);
      },
    });
    const s = store;
    clients = new WorkspaceClients(settings, (teamId) => s.botToken(teamId));
  } else {
    const token = config.SLACK_BOT_TOKEN!;
    clients = new WorkspaceClients(settings, async () => token);
  }
  const port = new SlackPort(core.db, clients, log, {
    ...(tuning.inlineRetryAfterMs !== undefined ? { inlineRetryAfterMs: tuning.inlineRetryAfterMs } : {}),
  });

  const receiver =
    mode === 'socket'
      ? undefined
      : httpReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET!,
          log,
          slackLogger,
          ...(slackApiUrl ? { slackApiUrl } : {}),
          ...(tuning.routes ? { customRoutes: tuning.routes } : {}),
          ...(store
            ? {
                oauth: {
                  clientId: config.SLACK_CLIENT_ID!,
                  clientSecret: config.SLACK_CLIENT_SECRET!,
                  stateSecret: config.SLACK_STATE_SECRET!,
                  store,
                },
              }
            : {}),
        });
  const app = new App({
    logger: slackLogger,
    clientOptions,
    deferInitialization: true,
    ...(mode === 'socket'
      ? { socketMode: true, appToken: config.SLACK_APP_TOKEN!, token: config.SLACK_BOT_TOKEN! }
      : { receiver: receiver! }),
    ...(mode === 'http' ? { token: config.SLACK_BOT_TOKEN! } : {}),
  });
  await app.init();
  const teamNames = new Map<string, string>();
  if (mode !== 'oauth') {
    // One workspace: its name names the community (OAuth installs name theirs from the installation).
    const auth = await app.client.auth.test({ token: config.SLACK_BOT_TOKEN! });
    if (auth.team_id && auth.team) teamNames.set(auth.team_id, auth.team);
  }

  const ctx: SlackContext = {
    core,
    port,
    clients,
    users: new UserDirectory(),
    inFlight,
    log,
    teamName: (teamId) => teamNames.get(teamId),
    viewAckBudgetMs: tuning.viewAckBudgetMs ?? 2_000,
  };
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerEvents(app, ctx, {
    uninstalled: async (teamId, enterpriseId) => {
      clients.forget(teamId);
      await store?.deleteInstallation({ teamId, enterpriseId, isEnterpriseInstall: false });
    },
  });
  app.error(async (err) => {
    log.error({ platform: 'slack', err: { message: err.message, code: err.code } }, 'slack listener failed');
  });

  const server = (mode === 'socket' ? await app.start() : await app.start(config.PORT)) as unknown;
  const address =
    mode === 'socket' ? null : ((server as { address(): AddressInfo | string | null }).address() as AddressInfo | null);
  log.info({ platform: 'slack', mode, port: address?.port ?? null }, 'slack adapter started');
  let running = true;
  return {
    mode,
    app,
    port,
    httpPort: address?.port ?? null,
    ready: () => running,
    settled: () => inFlight.settled(),
    async stop() {
      running = false;
      await inFlight.settled();
      await app.stop();
    },
  };
}
