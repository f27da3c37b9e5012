import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIMessage,
  APIModalInteractionResponseCallbackData,
  APIUser,
} from 'discord-api-types/v10';
import { ChannelType, MessageFlags, MessageType } from 'discord-api-types/v10';

/** Snowflake-shaped ids, unique within one fake. */
export class Ids {
  private n = 0n;
  /** A random base: fakes sharing one test database must not hand out the same guild or user ids. */
  constructor(
    private readonly base = 1_300_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)) * 100_000_000n,
  ) {}
  next(): string {
    this.n += 1n;
    return (this.base + this.n).toString();
  }
}

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  type: ChannelType.GuildText | ChannelType.DM | ChannelType.PrivateThread;
  guildId?: string;
  parentId?: string;
  /** DM: the member at the other end. */
  recipientId?: string;
  /** Thread: members added. */
  members: Set<string>;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  attachments: { filename: string; description?: string; size: number }[];
  flags: number;
  allowedMentions?: unknown;
  /** Set for interaction answers: whose interaction it answers (ephemeral ones only they see). */
  interactionUserId?: string;
  /** A "thinking…" placeholder from a deferred answer, not yet edited. */
  deferred?: boolean;
  edited: boolean;
  deleted: boolean;
}

/** One change to the visible conversation, in the order Discord would show it. */
export type MessageEvent =
  | { seq: number; kind: 'create' | 'edit' | 'delete' | 'defer'; message: FakeMessage }
  | { seq: number; kind: 'modal'; modal: ShownModal };

export interface ShownModal {
  interactionId: string;
  userId: string;
  channelId: string;
  guildId?: string;
  data: APIModalInteractionResponseCallbackData;
}

/** An interaction sent to the bot, with what the bot did about it. */
export interface FakeInteraction {
  id: string;
  token: string;
  userId: string;
  channelId: string;
  guildId?: string;
  /** The message a component sat on (updated by an UpdateMessage answer). */
  messageId?: string;
  acknowledged: boolean;
  /** The message `@original` refers to. */
  originalId?: string;
  callbacks: number[];
}

export const isEphemeral = (m: FakeMessage) => (m.flags & MessageFlags.Ephemeral) !== 0;

export function apiUser(u: FakeUser): APIUser {
  return {
    id: u.id,
    username: u.username,
    global_name: u.username,
    discriminator: '0',
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
  };
}

export function apiMessage(m: FakeMessage, author: FakeUser): APIMessage {
  return {
    id: m.id,
    channel_id: m.channelId,
    author: apiUser(author),
    content: m.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: m.edited ? new Date().toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments.map((a, i) => ({
      id: String(i),
      filename: a.filename,
      size: a.size,
      url: `https://cdn.invalid/${a.filename}`,
      proxy_url: `https://cdn.invalid/${a.filename}`,
    })),
    embeds: m.embeds,
    pinned: false,
    type: MessageType.Default,
    flags: m.flags,
    components: m.components,
  };
}

export function snapshot(m: FakeMessage): FakeMessage {
  return structuredClone(m);
}

export { ChannelType };
