import type { Content } from '../../src/messages.js';
import { encodeAction } from '../../src/messages.js';
import { renderText } from '../../src/render/text.js';

/** A Block Kit block: kept loose on purpose, Slack validates the shape and the fake records it as JSON. */
export type Block = Record<string, unknown>;

/** Slack's limits (docs.slack.dev Block Kit reference); exceeding any makes the whole message `invalid_blocks`. */
const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  header: 150,
  buttonText: 75,
  buttonsPerActions: 25,
  actionId: 255,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  fallbackText: 4000,
};

/**
 * Escapes the three characters Slack's mrkdwn gives meaning to, so user-written text can never turn into
 * `<!channel>`, `<!everyone>`, a user mention or a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Splits long text at line breaks (else hard) into chunks a section accepts. */
function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf('\n', max);
    if (at <= 0) at = max;
    out.push(rest.slice(0, at));
    rest = rest.slice(rest[at] === '\n' ? at + 1 : at);
  }
  out.push(rest);
  return out;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

/** Escaped text sections; `id` prefixes block ids so the parts of a message can be told apart when read back. */
function textSections(text: string, id: string): Block[] {
  return chunks(escapeMrkdwn(text), LIMITS.sectionText).map((t, i) => ({
    type: 'section',
    block_id: `${id}:${i}`,
    text: mrkdwn(t),
  }));
}

/**
 * Renders any platform-neutral Content as Block Kit, with no knowledge of which command produced it: text as
 * escaped mrkdwn, a card as header + field sections, a list, buttons and a static select whose action ids are the
 * encoded dispatcher actions. Attachments are not blocks: the port uploads them as files.
 */
export function renderBlocks(content: Content): Block[] {
  const blocks: Block[] = [];
  if (content.text) blocks.push(...textSections(content.text, 'rt-text'));
  const card = content.card;
  if (card) {
    blocks.push({ type: 'header', block_id: 'rt-card-title', text: plain(cut(card.title, LIMITS.header)) });
    if (card.subtitle) blocks.push(...textSections(card.subtitle, 'rt-card-subtitle'));
    // Inline fields share two-column `fields` sections; others get a section each, in the card's order.
    let inline: { type: string; text: string }[] = [];
    const flush = () => {
      if (inline.length) blocks.push({ type: 'section', block_id: `rt-card-fields:${blocks.length}`, fields: inline });
      inline = [];
    };
    card.fields.forEach((f, i) => {
      const body = `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`;
      if (f.inline) {
        inline.push(mrkdwn(cut(body, LIMITS.fieldText)));
        if (inline.length === LIMITS.fieldsPerSection) flush();
      } else {
        flush();
        blocks.push({ type: 'section', block_id: `rt-card-field:${i}`, text: mrkdwn(cut(body, LIMITS.sectionText)) });
      }
    });
    flush();
    if (card.footer)
      blocks.push({ type: 'context', block_id: 'rt-card-footer', elements: [mrkdwn(escapeMrkdwn(card.footer))] });
  }
  if (content.list) {
    if (content.list.title) blocks.push(...textSections(content.list.title, 'rt-list-title'));
    const body = content.list.items.map((item) => `• ${item}`).join('\n');
    if (body) blocks.push(...textSections(body, 'rt-list'));
  }
  if (content.select) {
    const s = content.select;
    blocks.push({
      type: 'actions',
      block_id: 'rt-select',
      elements: [
        {
          type: 'static_select',
          action_id: cut(encodeAction(s.action), LIMITS.actionId),
          placeholder: plain(cut(s.placeholder, LIMITS.placeholder)),
          options: s.options.slice(0, LIMITS.selectOptions).map((o) => ({
            text: plain(cut(o.label, LIMITS.optionText)),
            value: cut(o.value, LIMITS.optionValue),
          })),
        },
      ],
    });
  }
  const buttons = content.buttons ?? [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerActions) {
    blocks.push({
      type: 'actions',
      block_id: `rt-buttons:${i}`,
      elements: buttons.slice(i, i + LIMITS.buttonsPerActions).map((b) => ({
        type: 'button',
        action_id: cut(encodeAction(b.action), LIMITS.actionId),
        text: plain(cut(b.label, LIMITS.buttonText)),
        ...(b.action.arg ? { value: b.action.arg } : {}),
        ...(b.style && b.style !== 'secondary' ? { style: b.style } : {}),
      })),
    });
  }
  if (blocks.length > LIMITS.blocks) {
    const kept = blocks.slice(0, LIMITS.blocks - 1);
    kept.push({ type: 'context', block_id: 'rt-truncated', elements: [mrkdwn('(message shortened)')] });
    return kept;
  }
  return blocks;
}

/** The notification / screen-reader fallback Slack shows where blocks are not rendered. */
export function fallbackText(content: Content): string {
  return cut(escapeMrkdwn(renderText({ ...content, buttons: [], select: undefined })), LIMITS.fallbackText) || ' ';
}

/** A message body for chat.postMessage / chat.postEphemeral / chat.update / respond. */
export function renderMessage(content: Content): { text: string; blocks: Block[] } {
  return { text: fallbackText(content), blocks: renderBlocks(content) };
}
