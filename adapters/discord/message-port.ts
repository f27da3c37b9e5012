import { DiscordAPIError, type REST } from 'discord.js';
import {
  type APIChannel,
  type APIMessage,
  ChannelType,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../src/clock.js';
import { AFTER_VISIBLE_MAX_WAIT_MS, waitOutRateLimits } from '../../src/delivery/delivery-error.js';
import type { Logger } from '../../src/logger.js';
import type { CalendarEventContent, Content } from '../../src/messages.js';
import {
  type Capabilities,
  FULL_CAPABILITIES,
  type MessagePort,
  type PostedRef,
  type ResolvedTarget,
} from '../../src/platform.js';
import { dmRefusedError, isDmRefusal, toDeliveryError } from './delivery-errors.js';
import { findDmRoute, markDmBlocked, saveDmChannel } from './dm-channels.js';
import { cut, type RenderedMessage, renderContent } from './render.js';
import type { RouteGuard } from './route-guard.js';
import { publishScheduledEvent } from './scheduled-events.js';

export const discordCapabilities: Capabilities = FULL_CAPABILITIES;

/** A rendered message as a REST body plus its files (attachment ids point at `files[n]`). */
export function restMessage(r: RenderedMessage) {
  const body: RESTPostAPIChannelMessageJSONBody = {
    content: r.content,
    embeds: r.embeds,
    components: r.components,
    allowed_mentions: r.allowedMentions,
    ...(r.files.length
      ? {
          attachments: r.files.map((f, id) => ({
            id,
            filename: f.name,
            ...(f.description ? { description: f.description } : {}),
          })),
        }
      : {}),
  };
  return { body, files: r.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType })) };
}

export interface PortDeps {
  rest: REST;
  db: Db;
  clock: Clock;
  log: Logger;
  guard: RouteGuard;
}

/**
 * Messages the core sends on its own: DMs (through cached DM channels), channel posts, shared conversations
 * (private threads with the members added), and edits of earlier messages. A rate limit too long to wait out here
 * and a refused DM without a fallback are thrown as DeliveryErrors (delivery-errors.ts).
 */
export class DiscordMessagePort implements MessagePort {
  readonly platform = 'discord' as const;
  readonly capabilities = discordCapabilities;

  constructor(private readonly deps: PortDeps) {}

  async send(
    guildId: string,
    target: ResolvedTarget,
    content: Content,
    existing?: PostedRef,
  ): Promise<PostedRef | null> {
    try {
      if (content.event && target.kind === 'channel') {
        return await this.publishEvent(guildId, target.channelRef, content.event, existing);
      }
      if (existing) return await this.edit(existing, content, target.kind === 'dm' ? guildId : undefined);
      switch (target.kind) {
        case 'channel':
          return await this.postAll(target.channelRef, content, { post: true });
        case 'conversation': {
          const thread = await this.privateThread(target.channelRef, target.title, target.userIds);
          return await thread.next(() => this.postAll(thread.id, content, { post: true }));
        }
        case 'dm':
          return await this.dm(guildId, target.userId, target.fallbackChannelRef, content);
      }
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  /**
   * A meeting as the server's scheduled event (content.event): created, or updated / cancelled when the outbox's
   * edit key already names one. Its ref is the event's id in the channel it was sent for.
   */
  private async publishEvent(
    guildId: string,
    channelRef: string,
    event: CalendarEventContent,
    existing?: PostedRef,
  ): Promise<PostedRef | null> {
    this.deps.guard.check(Routes.guildScheduledEvents(guildId));
    const id = await publishScheduledEvent(this.deps.rest, guildId, event, existing?.messageRef);
    return id ? { channelRef, messageRef: id } : null;
  }

  /** One REST call. Pacing is the core's (src/delivery/pacer.ts, per Discord's limits): a port only translates. */
  private async request<T>(path: `/${string}`, run: () => Promise<unknown>): Promise<T> {
    this.deps.guard.check(path);
    return (await run()) as T;
  }

  private async post(channelId: string, rendered: RenderedMessage): Promise<PostedRef> {
    const route = Routes.channelMessages(channelId);
    const m = await this.request<APIMessage>(route, () => this.deps.rest.post(route, restMessage(rendered)));
    return { channelRef: channelId, messageRef: m.id };
  }

  /**
   * A content as one message, or as consecutive ones when it must page but names no command to re-run
   * (render.ts `parts`). Only the first decides the send: a later part that fails is logged, never retried whole.
   */
  private async postAll(channelId: string, content: Content, opts: { guildId?: string; post?: boolean }) {
    const first = renderContent(content, opts);
    const ref = await this.post(channelId, first);
    for (let page = 1; page < first.parts; page++) {
      try {
        await this.post(channelId, renderContent({ ...content, page }, opts));
      } catch (err) {
        this.deps.log.error(
          { platform: 'discord', channel: channelId, err: { message: (err as Error).message } },
          'a further part of a long message failed after the first was posted',
        );
      }
    }
    return ref;
  }

  private async edit(existing: PostedRef, content: Content, dmGuildId?: string): Promise<PostedRef> {
    const route = Routes.channelMessage(existing.channelRef, existing.messageRef);
    const { body, files } = restMessage(renderContent(content, dmGuildId ? { guildId: dmGuildId } : { post: true }));
    await this.request(route, () => this.deps.rest.patch(route, files.length ? { body, files } : { body }));
    return existing;
  }

  /**
   * Creates a private thread and adds the members. Creating it is the send's first visible step: a rate limit there
   * is thrown for the caller to retry the whole send. Everything after it (the member adds here, the caller's post
   * through `next`) waits rate limits out instead, since a retried send would create a second thread.
   */
  private async privateThread(channelId: string, title: string, userIds: string[]): Promise<NewThread> {
    const route = Routes.threads(channelId);
    const thread = await this.request<APIChannel>(route, () =>
      this.deps.rest.post(route, {
        body: {
          name: cut(title, 100),
          type: ChannelType.PrivateThread,
          invitable: false,
          auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
        },
      }),
    );
    const next = stepsAfterVisible();
    for (const userId of userIds) {
      const add = Routes.threadMembers(thread.id, userId);
      await next(() => this.request(add, () => this.deps.rest.put(add)));
    }
    return { id: thread.id, next };
  }

  private async dm(
    guildId: string,
    userId: string,
    fallbackChannelRef: string | undefined,
    content: Content,
  ): Promise<PostedRef | null> {
    const { db, log, clock } = this.deps;
    const known = await findDmRoute(db, guildId, userId);
    if (known?.blocked && fallbackChannelRef) {
      return this.fallback(guildId, userId, fallbackChannelRef, content, known.channelId);
    }
    // Without a fallback the caller (the outbox) has no refusal on record, so one kept here is tried again: the
    // member may have opened their DMs since (they clear the outbox's record through /me).
    const cached = known && !known.blocked ? known.channelId : undefined;
    try {
      const channelId = cached ?? (await this.openDm(guildId, userId, !known?.blocked));
      const ref = await this.postAll(channelId, content, { guildId });
      if (known?.blocked) await saveDmChannel(db, guildId, userId, channelId); // they take DMs again
      return ref;
    } catch (err) {
      if (!isDmRefusal(err)) throw err;
      // A refusal already on record keeps the thread it names.
      if (!known?.blocked) await markDmBlocked(db, guildId, userId, clock.now(), '');
      // No fallback: the caller logs the failure once and decides (the outbox stops DMing them).
      if (!fallbackChannelRef) throw dmRefusedError(err);
      // Logged once: from now on this member's messages go to the thread without trying the DM again.
      log.warn({ community: guildId, user: userId }, 'member does not accept DMs: using a private thread');
      return this.fallback(guildId, userId, fallbackChannelRef, content, '');
    }
  }

  /** Opens a DM channel (the core paces openings: Discord watches bulk opening); `save` caches it. */
  private async openDm(guildId: string, userId: string, save: boolean): Promise<string> {
    const route = Routes.userChannels();
    const channel = await this.request<APIChannel>(route, () =>
      this.deps.rest.post(route, { body: { recipient_id: userId } }),
    );
    if (save) await saveDmChannel(this.deps.db, guildId, userId, channel.id);
    return channel.id;
  }

  /** A private thread in the member's group channel, reused for every later message to them. */
  private async fallback(
    guildId: string,
    userId: string,
    fallbackChannelRef: string,
    content: Content,
    threadId: string,
  ): Promise<PostedRef> {
    if (threadId) {
      try {
        return await this.postAll(threadId, content, {});
      } catch (err) {
        const gone =
          err instanceof DiscordAPIError &&
          (err.code === RESTJSONErrorCodes.UnknownChannel || err.code === RESTJSONErrorCodes.ThreadLocked);
        if (!gone) throw err;
      }
    }
    const thread = await this.privateThread(fallbackChannelRef, 'Roundtable: messages for you', [userId]);
    await markDmBlocked(this.deps.db, guildId, userId, this.deps.clock.now(), thread.id);
    return thread.next(() => this.postAll(thread.id, content, {}));
  }
}

/** A private thread the port just created, and how to run the steps that follow it. */
interface NewThread {
  id: string;
  next: <T>(step: () => Promise<T>) => Promise<T>;
}

/**
 * Runs the steps of one send that follow a visible one (a thread exists): a long rate limit is waited out inline
 * (waitOutRateLimits) rather than thrown, because the caller would retry the whole send and create a second thread.
 * discord.js throws a RateLimitError, so each step's failure goes through toDeliveryError for the helper to see the
 * wait. The steps share one budget, so a send with several of them still ends within the outbox's lease; past it
 * the failure is thrown, and the caller's retry may then create another thread (a fallback's is on record once its
 * member was added: the retry posts into it).
 */
function stepsAfterVisible(maxWaitMs = AFTER_VISIBLE_MAX_WAIT_MS): NewThread['next'] {
  const until = Date.now() + maxWaitMs;
  return (step) =>
    waitOutRateLimits(
      async () => {
        try {
          return await step();
        } catch (err) {
          throw toDeliveryError(err);
        }
      },
      { maxWaitMs: Math.max(0, until - Date.now()) },
    );
}
