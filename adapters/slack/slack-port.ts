import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { dmChannels } from '../../db/schema.js';
import type { Logger } from '../../src/logger.js';
import type { Attachment, Content } from '../../src/messages.js';
import {
  type Capabilities,
  FULL_CAPABILITIES,
  type MessagePort,
  type PostedRef,
  type ResolvedTarget,
} from '../../src/platform.js';
import { renderMessage } from './block-kit.js';
import type { SlackPacing } from './pacer.js';
import type { WebClient, WorkspaceClients } from './workspace-clients.js';

export const slackCapabilities: Capabilities = FULL_CAPABILITIES;

/** Errors that mean "this person cannot be DMed", as opposed to a passing failure worth an error log. */
const UNREACHABLE = new Set(['cannot_dm_bot', 'user_not_found', 'user_disabled', 'not_allowed_token_type']);

const slackError = (err: unknown): string | undefined =>
  (err as { data?: { error?: string } })?.data?.error ?? undefined;

/**
 * The Slack side of the core's MessagePort: DMs through conversations.open (channel ids cached in dm_channels),
 * group DMs for shared conversations, channel posts, edits through chat.update, files through the upload API.
 * Every post is paced per channel and every conversations.open per workspace.
 */
export class SlackPort implements MessagePort {
  readonly platform = 'slack' as const;
  readonly capabilities = slackCapabilities;

  constructor(
    private readonly db: Db,
    private readonly clients: WorkspaceClients,
    private readonly pacing: SlackPacing,
    private readonly log: Logger,
  ) {}

  async send(
    teamId: string,
    target: ResolvedTarget,
    content: Content,
    existing?: PostedRef,
  ): Promise<PostedRef | null> {
    const client = await this.clients.get(teamId);
    let channel: string;
    if (target.kind === 'channel') channel = target.channelRef;
    else if (target.kind === 'dm') {
      const dm = await this.dmChannel(client, teamId, target.userId);
      if (!dm) {
        if (!target.fallbackChannelRef) return null;
        // Unreachable by DM: a message only they can see, in their group's channel.
        await this.pacing.channel.run(`${teamId}:${target.fallbackChannelRef}`, () =>
          client.chat.postEphemeral({
            channel: target.fallbackChannelRef!,
            user: target.userId,
            ...renderMessage(content),
          }),
        );
        return null;
      }
      channel = dm;
    } else channel = await this.groupConversation(client, teamId, target.userIds);
    return this.post(client, teamId, channel, content, existing);
  }

  /** Posts (or edits) a message in a channel the bot can write to, then uploads its attachments there. */
  async post(
    client: WebClient,
    teamId: string,
    channel: string,
    content: Content,
    existing?: PostedRef,
  ): Promise<PostedRef> {
    const body = renderMessage(content);
    if (existing && existing.channelRef === channel) {
      try {
        await this.pacing.channel.run(`${teamId}:${channel}`, () =>
          client.chat.update({ channel, ts: existing.messageRef, ...body }),
        );
        return existing;
      } catch (err) {
        // The old message was deleted: post a fresh one and let the caller store its new ref.
        if (slackError(err) !== 'message_not_found') throw err;
      }
    }
    const res = await this.pacing.channel.run(`${teamId}:${channel}`, () =>
      client.chat.postMessage({ channel, ...body }),
    );
    await this.upload(client, teamId, channel, content.attachments);
    return { channelRef: res.channel ?? channel, messageRef: res.ts ?? '' };
  }

  async upload(client: WebClient, teamId: string, channel: string, attachments?: Attachment[]): Promise<void> {
    if (!attachments?.length) return;
    await this.pacing.channel.run(`${teamId}:${channel}`, () =>
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
    const where = and(
      eq(dmChannels.platform, 'slack'),
      eq(dmChannels.workspaceRef, teamId),
      eq(dmChannels.userId, userId),
    );
    const [cached] = await this.db.select().from(dmChannels).where(where);
    if (cached) return cached.blockedAt ? null : cached.channelId;
    try {
      const res = await this.pacing.opens.run(teamId, () => client.conversations.open({ users: userId }));
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
    } catch (err) {
      const code = slackError(err);
      if (!code || !UNREACHABLE.has(code)) throw err;
      this.log.info({ platform: 'slack', community: teamId, code }, 'member cannot be sent a DM');
      await this.db
        .insert(dmChannels)
        .values({ platform: 'slack', workspaceRef: teamId, userId, channelId: '', blockedAt: new Date() })
        .onConflictDoNothing();
      return null;
    }
  }

  /** A group DM with several members (Slack's mpim); conversations.open returns the same one for the same people. */
  private async groupConversation(client: WebClient, teamId: string, userIds: string[]): Promise<string> {
    const users = [...new Set(userIds)].sort();
    if (users.length === 1) {
      const dm = await this.dmChannel(client, teamId, users[0]!);
      if (!dm) throw new Error('the only member of this conversation cannot be sent a DM');
      return dm;
    }
    const res = await this.pacing.opens.run(teamId, () => client.conversations.open({ users: users.join(',') }));
    if (!res.channel?.id) throw new Error('conversations.open returned no channel');
    return res.channel.id;
  }
}
