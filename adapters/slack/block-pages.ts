import type { Content } from '../../src/messages.js';
import { splitText } from '../../src/render/split-text.js';
import { SLACK } from './limits.js';
import { escapeMrkdwn, keepEntities } from './mrkdwn.js';

/** A Block Kit block: kept loose on purpose, Slack validates the shape and the fake records it as JSON. */
export type Block = Record<string, unknown>;

export const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
export const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
export const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The text, card and list of a content as pages of blocks, each page within Slack's limits: sections of 3,000,
 * fields of 2,000 (10 a section), a header of 150, context elements of 3,000 (10 a block), and per message at
 * most `blocks` blocks and `text` characters of text in all of them (`msg_blocks_too_long`). Nothing is cut: a long
 * field goes on in the next section (`rt-card-field:<i>:<k>`), a long footer in more context elements.
 * Block ids name each part (`rt-text`, `rt-card-…`, `rt-list`) so the loopback fake's reader can tell them apart.
 */
type Atom =
  | { t: 'line'; group: 'rt-text' | 'rt-card-subtitle' | 'rt-list-title' | 'rt-list'; text: string }
  | { t: 'block'; block: Block; cost: number; inline?: { text: string } };

const sectionLines = (group: Extract<Atom, { t: 'line' }>['group'], text: string): Atom[] =>
  text
    .split('\n')
    .flatMap((line) => splitText(line, SLACK.sectionText, keepEntities))
    .map((t) => ({ t: 'line' as const, group, text: t || ' ' }));

export function blockAtoms(content: Content, opts: { text: boolean }): Atom[] {
  const atoms: Atom[] = [];
  if (opts.text && content.text) atoms.push(...sectionLines('rt-text', escapeMrkdwn(content.text)));
  const card = content.card;
  if (card) {
    const title = cut(card.title, SLACK.header);
    atoms.push({
      t: 'block',
      block: { type: 'header', block_id: 'rt-card-title', text: plain(title) },
      cost: title.length,
    });
    // A title over 150 is shown whole after the header, which holds its start.
    const subtitle = [title !== card.title ? card.title : '', card.subtitle ?? ''].filter(Boolean).join('\n');
    if (subtitle) atoms.push(...sectionLines('rt-card-subtitle', escapeMrkdwn(subtitle)));
    card.fields.forEach((f, i) => {
      const body = `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`;
      if (f.inline && body.length <= SLACK.fieldText) {
        atoms.push({ t: 'block', block: {}, cost: body.length, inline: { text: body } });
        return;
      }
      splitText(body, SLACK.sectionText, keepEntities).forEach((text, k) => {
        atoms.push({
          t: 'block',
          block: {
            type: 'section',
            block_id: k === 0 ? `rt-card-field:${i}` : `rt-card-field:${i}:${k}`,
            text: mrkdwn(text),
          },
          cost: text.length,
        });
      });
    });
    if (card.footer) {
      const parts = splitText(escapeMrkdwn(card.footer), SLACK.contextText, keepEntities);
      for (let k = 0; k < parts.length; k += SLACK.contextElements) {
        const elements = parts.slice(k, k + SLACK.contextElements).map(mrkdwn);
        atoms.push({
          t: 'block',
          block: { type: 'context', block_id: k === 0 ? 'rt-card-footer' : `rt-card-footer:${k}`, elements },
          cost: elements.reduce((n, e) => n + e.text.length, 0),
        });
      }
    }
  }
  if (content.list) {
    if (content.list.title) atoms.push(...sectionLines('rt-list-title', escapeMrkdwn(content.list.title)));
    const body = content.list.items.map((item) => `• ${escapeMrkdwn(item)}`).join('\n');
    if (body) atoms.push(...sectionLines('rt-list', body));
  }
  return atoms;
}

/** Packs atoms into pages of at most `maxBlocks` blocks and `maxText` characters of block text. */
export function packBlocks(atoms: Atom[], maxBlocks: number, maxText: number): Block[][] {
  const pages: Block[][] = [];
  let blocks: Block[] = [];
  let used = 0;
  let open: { group: string; block: Block & { text: { text: string } } } | null = null;
  let fields: { text: string; type: string }[] | null = null;
  let n = 0;
  const newPage = () => {
    if (blocks.length) pages.push(blocks);
    blocks = [];
    used = 0;
    open = null;
    fields = null;
  };
  const push = (b: Block, cost: number) => {
    if (blocks.length >= maxBlocks || used + cost > maxText) newPage();
    blocks.push(b);
    used += cost;
  };
  for (const a of atoms) {
    if (a.t === 'line') {
      fields = null;
      const o = open as { group: string; block: Block & { text: { text: string } } } | null;
      if (
        o &&
        o.group === a.group &&
        o.block.text.text.length + 1 + a.text.length <= SLACK.sectionText &&
        used + a.text.length + 1 <= maxText
      ) {
        o.block.text.text += `\n${a.text}`;
        used += a.text.length + 1;
        continue;
      }
      const block = { type: 'section', block_id: `${a.group}:${n++}`, text: mrkdwn(a.text) };
      push(block, a.text.length);
      open = { group: a.group, block };
      continue;
    }
    open = null;
    if (a.inline) {
      const f = fields as { text: string; type: string }[] | null;
      if (f && f.length < SLACK.sectionFields && used + a.cost <= maxText) {
        f.push(mrkdwn(a.inline.text));
        used += a.cost;
        continue;
      }
      const list = [mrkdwn(a.inline.text)];
      push({ type: 'section', block_id: `rt-card-fields:${n++}`, fields: list }, a.cost);
      fields = list;
      continue;
    }
    fields = null;
    push(a.block, a.cost);
  }
  newPage();
  return pages;
}
