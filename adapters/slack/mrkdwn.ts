import { codeSpans, keepPairs } from '../../src/render/split-text.js';

/** A zero-width space: beside a `*`, `_` or `~` it keeps Slack from reading them as formatting. */
const ZWSP = '\u200b';

/**
 * Text the bot shows as Slack mrkdwn, shown as typed: `&`, `<`, `>` are escaped (Slack's own rule: no
 * `<!channel>`, `<@U…>` or disguised `<url|text>` link from a member), and the formatting marks `*bold*`,
 * `_italic_`, `~strike~` and a leading `>` quote are broken with a zero-width space, since mrkdwn has no escape
 * character. Inline code spans are the bot's own formatting and stay.
 */
export function escapeMrkdwn(text: string): string {
  if (!/[&<>*_~`]/.test(text)) return text;
  return codeSpans(text)
    .map((p) => {
      const entities = p.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      if (p.code) return entities;
      return entities.replace(/[*_~]/g, `${ZWSP}$&${ZWSP}`).replace(/^&gt;/gm, `${ZWSP}&gt;`);
    })
    .join('');
}

/** What a member reads of escaped mrkdwn (the loopback fake's readers use it). */
export const unescapeMrkdwn = (s: string) =>
  s.replaceAll(ZWSP, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A cut never lands inside an entity (`&amp;`) or between a mark and its zero-width guard. */
export function keepEntities(s: string, at: number): number {
  const amp = s.lastIndexOf('&', at - 1);
  let cut = amp >= 0 && amp > at - 5 && !s.slice(amp, at).includes(';') ? amp : at;
  while (cut > 1 && (s[cut - 1] === ZWSP || s[cut] === ZWSP)) cut--;
  return keepPairs(s, cut);
}
