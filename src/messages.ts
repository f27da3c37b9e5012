/**
 * The platform-neutral shape of everything the bot says. Handlers return a Reply; adapters render it
 * (Discord embeds and components, Slack Block Kit, shell text). No platform concept leaks in here.
 */

export interface CardField {
  label: string;
  value: string;
  /** Hint that the field is short and may sit beside others. */
  inline?: boolean;
}

export interface Card {
  title: string;
  subtitle?: string;
  fields: CardField[];
  footer?: string;
}

export type ButtonStyle = 'primary' | 'secondary' | 'danger';

/** A button whose press comes back to the dispatcher as `command:action:arg`. */
export interface Button {
  label: string;
  action: ActionRef;
  style?: ButtonStyle;
}

export interface ActionRef {
  command: string;
  action: string;
  /** Short payload (ids); the encoded action id stays under Discord's 100-character limit. */
  arg?: string;
  /**
   * The group the button acts on. The dispatcher stamps it on every button of a reply and of a message it queues,
   * so a press in a DM acts on the group the button came from (not on whichever group a DM would suggest).
   */
  group?: number;
}

/** A choice among many (a Discord select menu / Slack static select where a list is long). */
export interface Select {
  placeholder: string;
  action: ActionRef;
  options: { label: string; value: string }[];
}

export interface FormField {
  name: string;
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  value?: string;
  maxLength?: number;
  placeholder?: string;
}

/** Ask the platform to open a form (Discord/Slack modal); its submission runs the command with the values. */
export interface FormRequest {
  /** Command to run with the submitted values. */
  command: string;
  title: string;
  fields: FormField[];
  /** Options carried through unchanged (not shown). The dispatcher adds the group as `GROUP_OPTION`. */
  hidden?: Record<string, string>;
}

/** The hidden form value carrying the group a form acts on (never a command's own option). */
export const GROUP_OPTION = '_group';

export interface Attachment {
  filename: string;
  contentType: string;
  data: Uint8Array;
  /** Alt text / description for images. */
  description?: string;
}

/** A read-only command that shows a message's content in full, re-run to serve any of its pages. */
export interface Rerun {
  command: string;
  options?: Record<string, string>;
}

/**
 * A meeting as the platform's own calendar event (Discord's guild scheduled events). Only sent to platforms that
 * have them; times are ISO strings because content is stored as JSON in the outbox.
 */
export interface CalendarEventContent {
  name: string;
  description: string;
  start: string;
  end: string;
  location: string;
  cancelled: boolean;
}

export interface Content {
  text: string;
  /** Publish (or, with an edit key seen before, update) this as a platform event instead of posting the text. */
  event?: CalendarEventContent;
  card?: Card;
  list?: { title?: string; items: string[] };
  buttons?: Button[];
  select?: Select;
  attachments?: Attachment[];
  /**
   * Where a renderer that must page this content (a platform's limits) sends Previous / Next / Show all: the
   * dispatcher sets it on every read-only command's reply; a channel post or DM sets the command listing the same.
   */
  more?: Rerun;
  /** The page (0-based) to render of content too long for one message; set by a page button. */
  page?: number;
}

/** The answer to the invoking member. Private (ephemeral) by default. */
export interface Reply extends Content {
  visibility?: 'private' | 'public';
  /** A button press may replace the message that carried the button (e.g. "Approved by Dana"). */
  replaceOriginal?: boolean;
  form?: FormRequest;
}

/** Where an outgoing message goes. */
export type Target =
  | { kind: 'dm'; memberId: number }
  | { kind: 'channel'; channelRef: string }
  /** A shared conversation for several members: Slack group DM, Discord private thread, shell message to all. */
  | { kind: 'conversation'; memberIds: number[]; channelRef: string; title: string };

/** A message the bot sends to someone other than the invoker, delivered after the transaction commits. */
export interface OutgoingMessage {
  target: Target;
  content: Content;
  /** Keeps one platform message per key up to date: a later send with the same key edits it. */
  key?: string;
  /**
   * When the message stops making sense (a reminder at the start of what it reminds of): held past it by quiet
   * hours or a paused platform, it is recorded as expired and never sent.
   */
  validUntil?: Date;
}

/** `command:action:arg`, prefixed `G~` with the group's id when the button carries its group. */
export const encodeAction = (a: ActionRef): string =>
  (a.group !== undefined ? `${a.group}~` : '') + [a.command, a.action, a.arg ?? ''].join(':');

export function decodeAction(id: string): ActionRef | null {
  const g = /^(\d{1,9})~/.exec(id);
  const [command, action, ...rest] = (g ? id.slice(g[0].length) : id).split(':');
  if (!command || !action) return null;
  const arg = rest.join(':');
  return { command, action, ...(arg ? { arg } : {}), ...(g ? { group: Number(g[1]) } : {}) };
}

/** The same content with every button and select carrying `group` (those that carry one already keep theirs). */
export function withGroup<C extends Content & { form?: FormRequest }>(content: C, group: number): C {
  const stamp = (a: ActionRef): ActionRef => (a.group === undefined ? { ...a, group } : a);
  const out: C = { ...content };
  if (content.buttons) out.buttons = content.buttons.map((b) => ({ ...b, action: stamp(b.action) }));
  if (content.select) out.select = { ...content.select, action: stamp(content.select.action) };
  if (content.form && !content.form.hidden?.[GROUP_OPTION])
    out.form = { ...content.form, hidden: { ...content.form.hidden, [GROUP_OPTION]: String(group) } };
  return out;
}

export const reply = {
  private: (text: string, extra: Omit<Reply, 'text'> = {}): Reply => ({ text, ...extra, visibility: 'private' }),
  public: (text: string, extra: Omit<Reply, 'text'> = {}): Reply => ({ text, ...extra, visibility: 'public' }),
};
