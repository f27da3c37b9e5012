import type { Logger as SlackLogger } from '@slack/bolt';
import { webApi } from '@slack/bolt';

type WebClient = InstanceType<typeof webApi.WebClient>;

export interface ClientSettings {
  slackApiUrl?: string;
  logger: SlackLogger;
  /** Retries of failed or rate-limited calls; the WebClient waits Retry-After between them. */
  retries: number;
  /** Per-call timeout in ms. */
  timeoutMs: number;
  /** Called on each 429 (metrics). */
  onRateLimited?: () => void;
}

/**
 * One WebClient per workspace. A WebClient pauses its whole request queue while it waits out a 429's Retry-After,
 * so sharing one across workspaces would let one busy workspace stall every other.
 */
export class WorkspaceClients {
  private readonly clients = new Map<string, { token: string; client: WebClient }>();

  constructor(
    private readonly settings: ClientSettings,
    /** The bot token for a workspace; null when it is not installed. */
    private readonly tokenFor: (teamId: string) => Promise<string | null>,
  ) {}

  /** The workspace's client; `knownToken` (from Bolt's authorize) saves a lookup. */
  async get(teamId: string, knownToken?: string): Promise<WebClient> {
    const token = knownToken ?? (await this.tokenFor(teamId));
    if (!token) throw new Error(`Slack workspace ${teamId} is not installed`);
    const known = this.clients.get(teamId);
    if (known && known.token === token) return known.client;
    const client = new webApi.WebClient(token, {
      ...(this.settings.slackApiUrl ? { slackApiUrl: this.settings.slackApiUrl } : {}),
      logger: this.settings.logger,
      retryConfig: { retries: this.settings.retries, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
      timeout: this.settings.timeoutMs,
      teamId,
    });
    if (this.settings.onRateLimited) client.on(webApi.WebClientEvent.RATE_LIMITED, this.settings.onRateLimited);
    this.clients.set(teamId, { token, client });
    return client;
  }

  forget(teamId: string): void {
    this.clients.delete(teamId);
  }
}

export type { WebClient };
