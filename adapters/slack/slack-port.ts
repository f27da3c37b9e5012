import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { dmChannels } from '../../db/schema.js';
import { dmRefused, INLINE_RETRY_AFTER_MS, waitOutRateLimits } from '../../src/delivery/delivery-error.js';
import type { Logger } from '../../src/logger.js';
import type { Attachment, Content } from '../../src/messages.js';
import {
  type Capabilities,
  FULL_CAPABILITIES,
  type MessagePort,
  type PostedRef,
  type ResolvedTarget,
} from '../../src/platform.js';
import { renderMessage, renderMessages } from './block-kit.js';
import { absorbShortRateLimits, dmRefusal, slackError } from './delivery-errors.js';
import type { WebClient, WorkspaceClients } from './workspace-clients.js';

export const slackCapabilities: Capabilities = FULL_CAPABILITIES;

export interface SlackPortOptions {
  /** The longest Retry-After waited out inline; a longer one is thrown as a DeliveryError. */
  inlineRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

type DmTarget = Extract<ResolvedTarget, { kind: 'dm' }>;

/**
 * The Slack side of the core's MessagePort: DMs through conversations.open (channel ids cached in dm_channels),
 * group DMs for shared conversations, channel posts, edits through chat.update, files through the upload API.
 * Pacing is the core's (src/delivery/pacer.ts, by Slack's limits): this port translates. A rate limit too long to wait out here
 * and a refused DM without a fallback are thrown as DeliveryErrors (delivery-errors.ts).
 */
export class SlackPort implements MessagePort {
  readonly platform = 'slack' as const;
  readonly capabilities = slackCapabilities;
  private readonly inlineMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly clients: WorkspaceClients,
    private readonly log: Logger,
    opts: SlackPortOptions = {},
  ) {
    this.inlineMs = opts.inlineRetryAfterMs ?? INLINE_RETRY_AFTER_MS;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async send(
    teamId: string,
    target: ResolvedTarget,
    content: Content,
    existing?: PostedRef,
  ): Promise<PostedRef | null> {
    const client = await this.clients.forDelivery(teamId);
    if (target.kind === 'dm') return this.dm(client, teamId, target, content, existing);
    const channel =
      target.kind === 'channel' ? target.channelRef : await this.groupConversation(client, teamId, target.userIds);
    return this.post(client, teamId, channel, content, existing);
  }

  /** One Web API call of this port: short 429s waited out, long ones thrown as a DeliveryError. */
  private call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    return absorbShortRateLimits(method, fn, this.inlineMs, this.sleep);
  }

  private async dm(
    client: WebClient,
    teamId: string,
    target: DmTarget,
    content: Content,
    existing?: PostedRef,
  ): Promise<PostedRef | null> {
    const fallback = target.fallbackChannelRef;
    let code: string | undefined;
    try {
      // Without a fallback the caller (the outbox) has no refusal on record, so one kept here is tried again: the
      // member may be reachable again (they clear the outbox's record through /me).
      const channel = await this.openDm(client, teamId, target.userId, !fallback);
      if (channel) return await this.post(client, teamId, channel, content, existing);
    } catch (err) {
      code = dmRefusal(err);
      if (!code) throw err;
      await this.markRefused(teamId, target.userId);
    }
    // No fallback: the caller logs the failure once and decides (the outbox stops DMing them).
    if (!fallback) throw dmRefused(code ?? 'refused before');
    if (code) this.log.info({ platform: 'slack', community: teamId, code }, 'member cannot be sent a DM');
    // Unreachable by DM: a message only they can see, in their group's channel.
    await this.call('chat.postEphemeral', () =>
      client.chat.postEphemeral({ channel: fallback, user: target.userId, ...renderMessage(content) }),
    );
    return null;
  }

  /** Posts (or edits) a message in a channel the bot can write to, then uploads its attachments there. */
  async post(
    client: WebClient,
    teamId: string,
    channel: string,
    content: Content,
    existing?: PostedRef,
  ): Promise<PostedRef> {
    // Anything but a DM (D…) is seen by several people: too long, it shows its first page and "Show all".
    const [body, ...parts] = renderMessages(content, { post: !channel.startsWith('D') }) as [
      ReturnType<typeof renderMessage>,
      ...ReturnType<typeof renderMessage>[],
    ];
    if (existing && existing.channelRef === channel) {
      try {
        await this.call('chat.update', () => client.chat.update({ channel, ts: existing.messageRef, ...body }));
        return existing;
      } catch (err) {
        // The old message was deleted: post a fresh one and let the caller store its new ref.
        if (slackError(err) !== 'message_not_found') throw err;
      }
    }
    const res = await this.call('chat.postMessage', () => client.chat.postMessage({ channel, ...body }));
    // Further parts (a long message with no command to page it) follow; like the files, they never fail the send.
    for (const part of parts) {
      try {
        await waitOutRateLimits(
          () => this.call('chat.postMessage', () => client.chat.postMessage({ channel, ...part })),
          { sleep: this.sleep },
        );
      } catch (err) {
        this.log.error(
          { platform: 'slack', community: teamId, channel, err: { message: (err as Error).message } },
          'a further part of a long message failed after the first was posted',
        );
      }
    }
    await this.uploadAfterPost(client, teamId, channel, content.attachments);
    return { channelRef: res.channel ?? channel, messageRef: res.ts ?? '' };
  }

  /**
   * The attachments of a message whose text is already in the channel (a post, or a command's reply). Whatever happens here must not reach the
   * caller as a failure: the outbox and the Messenger retry a failed send whole, which would post the text again on
   * every retry. So a long 429 is waited out here (up to a minute, see waitOutRateLimits), and an upload that
   * still fails is logged (ids and the error only, never the text or the files: they are the members' data) and the
   * posted message returned without its files.
   */
  async uploadAfterPost(client: WebClient, teamId: string, channel: string, attachments?: Attachment[]) {
    try {
      await waitOutRateLimits(() => this.upload(client, teamId, channel, attachments), { sleep: this.sleep });
    } catch (err) {
      this.log.error(
        {
          platform: 'slack',
          community: teamId,
          channel,
          err: { message: err instanceof Error ? err.message : String(err) },
        },
        'attachment upload failed after the message was posted',
      );
    }
  }

  private async upload(client: WebClient, _teamId: string, channel: string, attachments?: Attachment[]): Promise<void> {
    if (!attachments?.length) return;
    await this.call('files.uploadV2', () =>
      client.filesUploadV2({
        channel_id: channel,
        file_uploads: attachments.map((a) => ({
          file: Buffer.from(a.data),
          filename: a.filename,
          ...(a.description ? { alt_text: a.description, title: a.description } : {}),
        })),
      }),
    );
  }

  /** The DM channel with a member: cached in Postgres, opened (paced) the first time; null when unreachable. */
  async dmChannel(client: WebClient, teamId: string, userId: string): Promise<string | null> {
    try {
      return await this.openDm(client, teamId, userId, false);
    } catch (err) {
      if (!dmRefusal(err)) throw err;
      await this.markRefused(teamId, userId);
      return null;
    }
  }

  /**
   * The cached DM channel, else conversations.open (paced) and cache it. Null for a refusal on record (unless
   * `retryRefused`); a fresh refusal is thrown as Slack's error.
   */
  private async openDm(client: WebClient, teamId: string, userId: string, retryRefused: boolean) {
    const [cached] = await this.db.select().from(dmChannels).where(this.dmKey(teamId, userId));
    if (cached && !cached.blockedAt) return cached.channelId;
    if (cached && !retryRefused) return null;
    const res = await this.call('conversations.open', () => client.conversations.open({ users: userId }));
    const channelId = res.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    await this.db
      .insert(dmChannels)
      .values({ platform: 'slack', workspaceRef: teamId, userId, channelId })
      .onConflictDoUpdate({
        target: [dmChannels.platform, dmChannels.workspaceRef, dmChannels.userId],
        set: { channelId, blockedAt: null },
      });
    return channelId;
  }

  /** Remembers that the member cannot be DMed, so later messages go to the fallback without asking Slack again. */
  private async markRefused(teamId: string, userId: string): Promise<void> {
    const at = new Date();
    await this.db
      .insert(dmChannels)
      .values({ platform: 'slack', workspaceRef: teamId, userId, channelId: '', blockedAt: at })
      .onConflictDoUpdate({
        target: [dmChannels.platform, dmChannels.workspaceRef, dmChannels.userId],
        set: { blockedAt: at },
      });
  }

  private dmKey(teamId: string, userId: string) {
    return and(eq(dmChannels.platform, 'slack'), eq(dmChannels.workspaceRef, teamId), eq(dmChannels.userId, userId));
  }

  /** A group DM with several members (Slack's mpim); conversations.open returns the same one for the same people. */
  private async groupConversation(client: WebClient, teamId: string, userIds: string[]): Promise<string> {
    const users = [...new Set(userIds)].sort();
    if (users.length === 1) {
      const dm = await this.dmChannel(client, teamId, users[0]!);
      if (!dm) throw new Error('the only member of this conversation cannot be sent a DM');
      return dm;
    }
    const res = await this.call('conversations.open', () => client.conversations.open({ users: users.join(',') }));
    if (!res.channel?.id) throw new Error('conversations.open returned no channel');
    return res.channel.id;
  }
}
