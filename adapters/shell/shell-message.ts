import type { Content } from '../../src/messages.js';
import { renderText } from '../../src/render/text.js';

/** One message the bot showed in the shell, in the transcript's JSON form plus what `:press` needs. */
export interface ShellMessage {
  /** Member names for a DM or private reply; null for a channel post. */
  to: string[] | null;
  /** Channel name for a channel post. */
  channel: string | null;
  private: boolean;
  text: string;
  buttons: string[];
  /** The bot edited an earlier message (an updated card) rather than posting a new one. */
  edited?: boolean;
  ref: string;
  content: Content;
}

export function toJson(m: ShellMessage): string {
  return JSON.stringify({
    to: m.to,
    channel: m.channel,
    private: m.private,
    text: m.text,
    buttons: m.buttons,
    ...(m.edited ? { edited: true } : {}),
  });
}

export function toReadable(m: ShellMessage): string {
  const where = m.channel
    ? `#${m.channel}`
    : m.to && m.to.length > 1
      ? `group ${m.to.join(', ')}`
      : `${m.private ? 'private' : 'to'} → ${m.to?.join(', ')}`;
  const head = `── ${where}${m.edited ? ' (edited)' : ''}`;
  return `${head}\n${m.text}`;
}

export function shellMessage(
  ref: string,
  where: { to: string[] | null; channel: string | null; private: boolean },
  content: Content,
  edited = false,
): ShellMessage {
  return {
    ...where,
    text: renderText(content),
    buttons: (content.buttons ?? []).map((b) => b.label),
    ...(edited ? { edited: true } : {}),
    ref,
    content,
  };
}
