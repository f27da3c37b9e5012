import { codeSpans, keepPairs } from '../../src/render/split-text.js';

/**
 * Discord renders markdown in message content, embed titles, descriptions and field names/values. Text the bot
 * shows (much of it a member's: pitches, asks, names) is escaped so it reads as typed: no masked link
 * `[discord.com](https://evil.example)`, no heading, quote, spoiler, bold or mention pill in the bot's name. Inline
 * code spans are the bot's own formatting and stay (inside them Discord renders nothing anyway). Footers, author
 * names, button and option labels are plain text on Discord and are not escaped.
 */
export function escapeMarkdown(text: string): string {
  // Most names and sentences hold nothing to escape: skip the work for them.
  if (!/[\\*_~|[\]<>`#+\-.]/.test(text)) return text;
  return codeSpans(text)
    .map((p) =>
      p.code
        ? p.text
        : p.text
            .replace(/[\\*_~|[\]<>`]/g, '\\$&')
            // Line-start syntax: headings, subtext, quotes, lists.
            .replace(/^(\s*)(#{1,3} |-# |[-+] )/gm, (_m, sp: string, mark: string) => `${sp}\\${mark}`)
            .replace(/^(\s*\d+)\. /gm, '$1\\. '),
    )
    .join('');
}

/** Shown text of an escaped one (what a member reads): the loopback fake's readers use it. */
export const unescapeMarkdown = (text: string) =>
  codeSpans(text)
    .map((p) => (p.code ? p.text : p.text.replace(/\\([^\p{L}\p{N}\s])/gu, '$1')))
    .join('');

/** A cut never lands between a backslash and the character it escapes. */
export function keepEscapes(s: string, at: number): number {
  let n = 0;
  for (let i = at - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return keepPairs(s, n % 2 === 1 ? at - 1 : at);
}
