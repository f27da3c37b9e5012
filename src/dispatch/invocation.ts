import type { Platform } from '../platform.js';

/** Who acted, where, and what they asked for: what every adapter turns a platform event into. */
export interface Invocation {
  platform: Platform;
  community: { ref: string; name: string };
  channelRef: string;
  actor: { platformUserId: string; displayName: string /** server owner / workspace admin */; isAdmin?: boolean };
  /** Display names of users mentioned in options, when the platform tells them. */
  users?: Record<string, { displayName: string }>;
  /**
   * What the adapter found about each channel given in an option: a channel of this server/workspace (`found`) that
   * the bot can post in (`canPost`). Discord and Slack must tell; a channel option they did not check is refused.
   */
  channels?: Record<string, { found: boolean; canPost: boolean }>;
  /** Platform id of the interaction/event/trigger, to process re-deliveries once. */
  interactionId?: string;
  input: CommandInput | ActionInput;
}

export interface CommandInput {
  kind: 'command';
  name: string;
  /** Raw values: strings from text and forms, typed values from Discord. Coerced and validated by the schema. */
  options: Record<string, unknown>;
  /** Values came from a submitted form: never answer with the form again. */
  fromForm?: boolean;
}

export interface ActionInput {
  kind: 'action';
  /** `command:action:arg`, as encoded by encodeAction. */
  actionId: string;
  /** The chosen value of a select menu. */
  value?: string;
}
