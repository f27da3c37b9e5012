export type Platform = 'shell' | 'discord' | 'slack';

/** What a platform can do; handlers and the core adapt (a form becomes options where there are no forms). */
export interface Capabilities {
  privateReplies: boolean;
  dms: boolean;
  channelPosts: boolean;
  threads: boolean;
  forms: boolean;
  buttons: boolean;
  files: boolean;
}

/** A chat platform with everything: Discord and Slack both have it all. */
export const FULL_CAPABILITIES: Capabilities = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: true,
  forms: true,
  buttons: true,
  files: true,
};

/** Where a message is delivered, with members already turned into platform user ids. */
export type ResolvedTarget =
  /**
   * `fallbackChannelRef`: where to reach the member instead (a private thread, an ephemeral message) when they
   * refuse DMs. Without it the port throws a blocked DeliveryError, and the caller decides (the outbox gives up).
   */
  | { kind: 'dm'; userId: string; fallbackChannelRef?: string }
  | { kind: 'channel'; channelRef: string }
  | { kind: 'conversation'; userIds: string[]; channelRef: string; title: string };

export interface PostedRef {
  channelRef: string;
  messageRef: string;
}

/**
 * The port every adapter implements for messages the core sends on its own (not replies to an interaction):
 * DMs, channel posts and shared conversations. `existing` asks for an edit of an earlier message. A failure the
 * caller can act on (a long Retry-After, a member refusing DMs) is thrown as a DeliveryError.
 */
export interface MessagePort {
  readonly platform: Platform;
  readonly capabilities: Capabilities;
  /**
   * Set when the port serves only these communities (the shell's one local community): the scheduler then leaves
   * other communities' jobs and messages to the processes that serve them. Unset: every community of the platform.
   */
  readonly communityRefs?: readonly string[];
  send(
    communityRef: string,
    target: ResolvedTarget,
    content: import('./messages.js').Content,
    existing?: PostedRef,
  ): Promise<PostedRef | null>;
}
