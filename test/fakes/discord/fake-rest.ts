import {
  type APIApplicationCommand,
  type APIInteractionResponse,
  InteractionResponseType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { FakeDiscord } from './fake-discord.js';
import { scheduledEventRoutes } from './fake-scheduled-events.js';
import { apiMessage, ChannelType, type FakeMessage } from './fake-state.js';
import { textChannel } from './payloads.js';
import { checkCommands, checkMessage, checkModal, type InvalidFormBody, isEmptyMessage } from './validate-payload.js';

export interface RestRequest {
  method: string;
  /** Path after `/api/v10`. */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | null;
  files: { field: string; name: string; size: number }[];
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (f: FakeDiscord, req: RestRequest, m: string[]) => RestResponse;

const ok = (body?: unknown): RestResponse => (body === undefined ? { status: 204 } : { status: 200, body });
export const apiError = (status: number, code: number, message: string): RestResponse => ({
  status,
  body: { code, message },
});

type Body = Record<string, unknown>;

const refused = (r: InvalidFormBody): RestResponse => ({ status: 400, body: r });

/**
 * Discord's checks on a message body: its limits (400 / 50035 with the failing path) and, for a new message,
 * "Cannot send an empty message" (50006). Null when Discord would take it.
 */
function messageRefusal(body: Body | null, files: number, partial = false): RestResponse | null {
  const invalid = checkMessage(body, { files, partial });
  if (invalid) return refused(invalid);
  if (!partial && isEmptyMessage(body, files))
    return apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
  return null;
}

function messageFields(body: Body | null, files: RestRequest['files']): Partial<FakeMessage> {
  const b = body ?? {};
  const described = (b.attachments as { id: number; filename?: string; description?: string }[] | undefined) ?? [];
  return {
    ...('content' in b ? { content: String(b.content ?? '') } : {}),
    ...('embeds' in b ? { embeds: (b.embeds as FakeMessage['embeds']) ?? [] } : {}),
    ...('components' in b ? { components: (b.components as FakeMessage['components']) ?? [] } : {}),
    ...('allowed_mentions' in b ? { allowedMentions: b.allowed_mentions } : {}),
    ...(files.length
      ? {
          attachments: files.map((f, i) => {
            const d = described.find((a) => a.id === i);
            return {
              filename: d?.filename ?? f.name,
              size: f.size,
              ...(d?.description ? { description: d.description } : {}),
            };
          }),
        }
      : {}),
  };
}

const routes: [string, RegExp, Handler][] = [
  ['GET', /^\/gateway\/bot$/, (f) => ok(f.gatewayBot())],
  ['GET', /^\/applications\/(\d+)\/commands$/, (f) => ok(f.commands.get('global') ?? [])],
  ['GET', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, (f, _r, m) => ok(f.commands.get(m[2]!) ?? [])],
  [
    'PUT',
    /^\/applications\/(\d+)\/commands$/,
    (f, r) => {
      const bad = checkCommands(r.body as unknown as unknown[]);
      return bad ? refused(bad) : ok(f.storeCommands('global', r.body));
    },
  ],
  [
    'PUT',
    /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
    (f, r, m) => {
      const bad = checkCommands(r.body as unknown as unknown[]);
      return bad ? refused(bad) : ok(f.storeCommands(m[2]!, r.body));
    },
  ],
  [
    'POST',
    /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
    (f, r, m) => {
      const i = f.interactions.get(m[1]!);
      if (!i || i.token !== m[2]) return apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
      if (i.acknowledged) {
        return apiError(
          400,
          RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
          'Interaction has already been acknowledged.',
        );
      }
      const cb = r.body as unknown as APIInteractionResponse;
      const data = ('data' in cb ? cb.data : undefined) as Body | undefined;
      // Refused payloads leave the interaction unanswered, as on Discord ("The application did not respond").
      if (cb.type === InteractionResponseType.Modal) {
        const bad = checkModal(data);
        if (bad) return refused(bad);
      } else if (
        cb.type === InteractionResponseType.ChannelMessageWithSource ||
        cb.type === InteractionResponseType.UpdateMessage
      ) {
        const bad = messageRefusal(data ?? null, r.files.length, cb.type === InteractionResponseType.UpdateMessage);
        if (bad) return bad;
      }
      i.acknowledged = true;
      i.callbacks.push(cb.type);
      switch (cb.type) {
        case InteractionResponseType.ChannelMessageWithSource:
        case InteractionResponseType.DeferredChannelMessageWithSource: {
          const deferred = cb.type === InteractionResponseType.DeferredChannelMessageWithSource;
          const msg = f.createMessage(i.channelId, {
            ...messageFields(data ?? null, r.files),
            flags: Number(data?.flags ?? 0),
            interactionUserId: i.userId,
            ...(deferred ? { deferred: true } : {}),
          });
          i.originalId = msg.id;
          return ok();
        }
        case InteractionResponseType.DeferredMessageUpdate:
          i.originalId = i.messageId;
          return ok();
        case InteractionResponseType.UpdateMessage:
          if (!i.messageId) return apiError(400, 50035, 'Invalid Form Body: no message to update');
          i.originalId = i.messageId;
          f.editMessage(i.messageId, messageFields(data ?? null, r.files));
          return ok();
        case InteractionResponseType.Modal:
          f.showModal(i, cb.data);
          return ok();
        default:
          return apiError(400, 50035, `fake does not support callback type ${cb.type}`);
      }
    },
  ],
  [
    'GET',
    /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/,
    (f, _r, m) => {
      const msg = f.webhookMessage(m[2]!, m[3]!);
      return msg ? ok(apiMessage(msg, f.botUser)) : apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    },
  ],
  [
    'PATCH',
    /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/,
    (f, r, m) => {
      const msg = f.webhookMessage(m[2]!, m[3]!);
      if (!msg) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      const bad = messageRefusal(r.body, r.files.length, true);
      if (bad) return bad;
      return ok(apiMessage(f.editMessage(msg.id, messageFields(r.body, r.files)), f.botUser));
    },
  ],
  [
    'DELETE',
    /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/,
    (f, _r, m) => {
      const msg = f.webhookMessage(m[2]!, m[3]!);
      if (!msg) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      f.deleteMessage(msg.id);
      return ok();
    },
  ],
  [
    'POST',
    /^\/webhooks\/(\d+)\/([^/]+)$/,
    (f, r, m) => {
      const i = [...f.interactions.values()].find((x) => x.token === m[2]);
      if (!i?.acknowledged) return apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
      const bad = messageRefusal(r.body, r.files.length);
      if (bad) return bad;
      const msg = f.createMessage(i.channelId, {
        ...messageFields(r.body, r.files),
        flags: Number(r.body?.flags ?? 0),
        interactionUserId: i.userId,
      });
      return ok(apiMessage(msg, f.botUser));
    },
  ],
  [
    'POST',
    /^\/users\/@me\/channels$/,
    (f, r) => {
      const userId = String(r.body?.recipient_id ?? '');
      const ch = f.dmChannel(userId);
      return ok({
        id: ch.id,
        type: ChannelType.DM,
        recipients: [{ id: userId, username: userId, discriminator: '0', global_name: null, avatar: null }],
      });
    },
  ],
  [
    // Get Channel: a guild text channel with its guild_id; one the bot cannot see does not exist for it.
    'GET',
    /^\/channels\/(\d+)$/,
    (f, _r, m) => {
      const ch = f.channels.get(m[1]!);
      if (!ch || ch.type !== ChannelType.GuildText)
        return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
      return ok(textChannel(ch));
    },
  ],
  [
    'POST',
    /^\/channels\/(\d+)\/messages$/,
    (f, r, m) => {
      const ch = f.channels.get(m[1]!);
      if (!ch) return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
      if (ch.type === ChannelType.DM && f.blockedDms.has(ch.recipientId!)) {
        return apiError(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'Cannot send messages to this user');
      }
      const bad = messageRefusal(r.body, r.files.length);
      if (bad) return bad;
      const msg = f.createMessage(ch.id, { ...messageFields(r.body, r.files), flags: Number(r.body?.flags ?? 0) });
      return ok(apiMessage(msg, f.botUser));
    },
  ],
  [
    'PATCH',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    (f, r, m) => {
      const msg = f.messages.get(m[2]!);
      if (!msg || msg.channelId !== m[1]) return apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
      const bad = messageRefusal(r.body, r.files.length, true);
      if (bad) return bad;
      return ok(apiMessage(f.editMessage(msg.id, messageFields(r.body, r.files)), f.botUser));
    },
  ],
  [
    'POST',
    /^\/channels\/(\d+)\/threads$/,
    (f, r, m) => {
      const parent = f.channels.get(m[1]!);
      if (!parent || parent.type !== ChannelType.GuildText)
        return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
      const t = f.createThread(parent.id, String(r.body?.name ?? 'thread'));
      return ok({
        id: t.id,
        type: ChannelType.PrivateThread,
        guild_id: parent.guildId,
        parent_id: parent.id,
        name: t.name,
      });
    },
  ],
  [
    'PUT',
    /^\/channels\/(\d+)\/thread-members\/(\d+)$/,
    (f, _r, m) => {
      const t = f.channels.get(m[1]!);
      if (!t || t.type !== ChannelType.PrivateThread)
        return apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
      t.members.add(m[2]!);
      return ok();
    },
  ],
  ...scheduledEventRoutes,
];

/** Routes one REST request to the fake's state; unknown routes are 404s (and recorded, so tests notice them). */
export function routeRest(f: FakeDiscord, req: RestRequest): RestResponse {
  for (const [method, re, handler] of routes) {
    if (method !== req.method) continue;
    const m = re.exec(req.path);
    if (m) return handler(f, req, [...m]);
  }
  return apiError(404, 0, `fake discord has no route ${req.method} ${req.path}`);
}

export type StoredCommand = APIApplicationCommand;
