import type { Button, Content, Select } from '../../src/messages.js';
import { encodeAction } from '../../src/messages.js';
import { uniqueButtons } from '../../src/render/controls.js';
import { encodeRerun, pageButtons, pageLine, showAllButton } from '../../src/render/pages.js';
import { renderText } from '../../src/render/text.js';
import { type Block, blockAtoms, cut, mrkdwn, packBlocks, plain } from './block-pages.js';
import { SLACK } from './limits.js';
import { escapeMrkdwn } from './mrkdwn.js';

export type { Block } from './block-pages.js';
export { escapeMrkdwn } from './mrkdwn.js';

/** An action id as Slack carries it back; one over 255 characters could not round-trip and is a bug. */
function actionId(a: Button['action']): string {
  const id = encodeAction(a);
  if (id.length > SLACK.actionId) throw new Error(`action id over ${SLACK.actionId} characters: ${id.slice(0, 40)}…`);
  return id;
}

/** A static select; over 100 choices they go in groups of 100 (Slack's option_groups), no value cut. */
function selectBlock(s: Select): Block {
  const option = (o: Select['options'][number]) => {
    if (o.value.length > SLACK.optionValue || o.value.length === 0)
      throw new Error(`select option value must be 1-${SLACK.optionValue} characters: ${o.value.slice(0, 20)}…`);
    return { text: plain(cut(o.label, SLACK.optionText) || o.value), value: o.value };
  };
  const groups: Block[] = [];
  for (let i = 0; i < s.options.length && s.options.length > SLACK.selectOptions; i += SLACK.selectOptions) {
    const part = s.options.slice(i, i + SLACK.selectOptions);
    groups.push({ label: plain(`${i + 1}–${i + part.length}`), options: part.map(option) });
  }
  return {
    type: 'actions',
    block_id: 'rt-select',
    elements: [
      {
        type: 'static_select',
        action_id: actionId(s.action),
        placeholder: plain(cut(s.placeholder, SLACK.placeholder)),
        ...(groups.length ? { option_groups: groups } : { options: s.options.map(option) }),
      },
    ],
  };
}

function buttonBlocks(buttons: Button[], id: string): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < buttons.length; i += SLACK.actionsElements) {
    out.push({
      type: 'actions',
      block_id: `${id}:${i}`,
      elements: buttons.slice(i, i + SLACK.actionsElements).map((b) => ({
        type: 'button',
        action_id: actionId(b.action),
        text: plain(cut(b.label, SLACK.buttonText)),
        ...(b.action.arg ? { value: cut(b.action.arg, SLACK.buttonValue) } : {}),
        ...(b.style && b.style !== 'secondary' ? { style: b.style } : {}),
      })),
    });
  }
  return out;
}

/** Every text object's characters in some blocks: what counts against `msg_blocks_too_long`. */
function textLength(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + textLength(x), 0);
  if (!v || typeof v !== 'object') return 0;
  const o = v as Record<string, unknown>;
  if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') return o.text.length;
  return Object.values(o).reduce((n: number, x) => n + textLength(x), 0);
}

/** Room kept for the page line and its buttons. */
const PAGE_ROOM = { blocks: 2, text: 100 };

export interface RenderedBlocks {
  blocks: Block[];
  /** How many pages the whole content takes (1 when it fits one message). */
  pages: number;
  /** Messages it takes to show everything: more than 1 when it must page but has no command to re-run. */
  parts: number;
}

/**
 * Renders any platform-neutral Content as Block Kit, with no knowledge of which command produced it: text as
 * escaped mrkdwn (mrkdwn.ts), a card as header + field sections, a list, buttons and a static select whose action
 * ids are the encoded dispatcher actions. Content too long for one message is paged (block-pages.ts): page
 * `content.page` with Previous / Next, or for a channel post (`post`) its first page with "Show all". Attachments
 * are not blocks: the port uploads them as files.
 */
export function renderPage(content: Content, opts: { post?: boolean } = {}): RenderedBlocks {
  const fixedTop: Block[] = [];
  const fixedBottom: Block[] = [];
  const text = content.text ? escapeMrkdwn(content.text) : '';
  const shortText = text.length > 0 && text.length <= SLACK.sectionText;
  if (shortText) fixedTop.push({ type: 'section', block_id: 'rt-text', text: mrkdwn(text) });
  if (content.select && content.select.options.length > 0) fixedBottom.push(selectBlock(content.select));
  else if (content.select)
    fixedBottom.push({
      type: 'context',
      block_id: 'rt-select-empty',
      elements: [mrkdwn(`${escapeMrkdwn(content.select.placeholder)}: (nothing to choose from)`)],
    });
  fixedBottom.push(...buttonBlocks(uniqueButtons(content.buttons ?? []), 'rt-buttons'));
  const fixedBlocks = fixedTop.length + fixedBottom.length + PAGE_ROOM.blocks;
  const fixedText = textLength(fixedTop) + textLength(fixedBottom) + PAGE_ROOM.text;
  const pages = packBlocks(
    blockAtoms(content, { text: !shortText }),
    SLACK.messageBlocks - fixedBlocks,
    SLACK.blocksText - fixedText,
  );
  const total = Math.max(1, pages.length);
  const key = content.more ? encodeRerun(content.more) : undefined;
  const pageable = total > 1 && key !== undefined && `_page:99999:${key}`.length <= SLACK.actionId;
  // With no command to re-run, the pages go out as consecutive messages (`parts`): each renders its own page.
  const page = pageable && opts.post ? 0 : Math.min(Math.max(0, content.page ?? 0), total - 1);
  const blocks = [...fixedTop, ...(pages[page] ?? []), ...fixedBottom];
  if (total > 1) {
    const line = !pageable
      ? `Part ${page + 1} of ${total}`
      : opts.post
        ? `${pageLine(0, total)}: Show all to read the rest.`
        : pageLine(page, total);
    blocks.push({ type: 'context', block_id: 'rt-page', elements: [mrkdwn(line)] });
    const nav = !pageable ? [] : opts.post ? [showAllButton(content.more!)] : pageButtons(page, total, content.more!);
    blocks.push(...buttonBlocks(nav, 'rt-buttons-page'));
  }
  return { blocks, pages: total, parts: total > 1 && !pageable ? total : 1 };
}

export const renderBlocks = (content: Content, opts: { post?: boolean } = {}): Block[] =>
  renderPage(content, opts).blocks;

/** The notification / screen-reader fallback Slack shows where blocks are not rendered: a preview, not the message. */
export function fallbackText(content: Content): string {
  return cut(escapeMrkdwn(renderText({ ...content, buttons: [], select: undefined })), SLACK.fallbackText) || ' ';
}

/** A message body for chat.postMessage / chat.postEphemeral / chat.update / respond. */
export function renderMessage(content: Content, opts: { post?: boolean } = {}): { text: string; blocks: Block[] } {
  return { text: fallbackText(content), blocks: renderBlocks(content, opts) };
}

/**
 * Every message a content takes: one, or, when it must page and names no command to re-run, one per page, sent
 * in order (each a whole message Slack accepts; nothing cut).
 */
export function renderMessages(content: Content, opts: { post?: boolean } = {}): { text: string; blocks: Block[] }[] {
  const first = renderPage(content, opts);
  const out = [{ text: fallbackText(content), blocks: first.blocks }];
  for (let page = 1; page < first.parts; page++) {
    const part = { ...content, page };
    out.push({ text: `(part ${page + 1} of ${first.parts})`, blocks: renderPage(part, opts).blocks });
  }
  return out;
}
