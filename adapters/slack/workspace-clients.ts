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

interface Workspace {
  token: string;
  client: WebClient;
  delivery?: WebClient;
}

/**
 * One WebClient per workspace. A WebClient pauses its whole request queue while it waits out a 429's Retry-After,
 * so sharing one across workspaces would let one busy workspace stall every other.
 */
export class WorkspaceClients {
  private readonly workspaces = new Map<string, Workspace>();

  constructor(
    private readonly settings: ClientSettings,
    /** The bot token for a workspace; null when it is not installed. */
    private readonly tokenFor: (teamId: string) => Promise<string | null>,
  ) {}

  /** The workspace's client for answering interactions; `knownToken` (from Bolt's authorize) saves a lookup. */
  async get(teamId: string, knownToken?: string): Promise<WebClient> {
    return (await this.workspace(teamId, knownToken)).client;
  }

  /**
   * The workspace's client for the message port. It hands a 429 back (`rejectRateLimitedCalls`) instead of waiting
   * however long Slack asks: the port waits out short ones and turns long ones into a DeliveryError, so the outbox
   * can requeue the message rather than stall behind it.
   */
  async forDelivery(teamId: string): Promise<WebClient> {
    const w = await this.workspace(teamId);
    w.delivery ??= this.create(w.token, teamId, true);
    return w.delivery;
  }

  forget(teamId: string): void {
    this.workspaces.delete(teamId);
  }

  private async workspace(teamId: string, knownToken?: string): Promise<Workspace> {
    const token = knownToken ?? (await this.tokenFor(teamId));
    if (!token) throw new Error(`Slack workspace ${teamId} is not installed`);
    const known = this.workspaces.get(teamId);
    if (known && known.token === token) return known;
    const w: Workspace = { token, client: this.create(token, teamId, false) };
    this.workspaces.set(teamId, w);
    return w;
  }

  private create(token: string, teamId: string, rejectRateLimitedCalls: boolean): WebClient {
    const client = new webApi.WebClient(token, {
      ...(this.settings.slackApiUrl ? { slackApiUrl: this.settings.slackApiUrl } : {}),
      logger: this.settings.logger,
      retryConfig: { retries: this.settings.retries, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
      timeout: this.settings.timeoutMs,
      rejectRateLimitedCalls,
      teamId,
    });
    if (this.settings.onRateLimited) client.on(webApi.WebClientEvent.RATE_LIMITED, this.settings.onRateLimited);
    return client;
  }
}

export type { WebClient };
