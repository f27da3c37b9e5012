import { SLACK } from '../../../adapters/slack/limits.js';

/**
 * What Slack refuses, checked the way its Web API does, by the figures of adapters/slack/limits.ts. A refusal is
 * Slack's own shape: `{ ok: false, error, errors: [...], response_metadata: { messages: ['[ERROR] … [json-pointer:…]'] } }`
 * with `invalid_blocks` (a block breaks a rule), `msg_too_long` (text over 40,000), `msg_blocks_too_long` (all
 * blocks' text together too long), `no_text` (neither text nor blocks) or, for views, `invalid_arguments`.
 */
// biome-ignore lint/suspicious/noExplicitAny: payloads are checked as the JSON Slack receives, shape unknown.
type Loose = any;

export interface SlackRefusal {
  ok: false;
  error: string;
  errors?: string[];
  response_metadata?: { messages: string[] };
}

class Problems {
  readonly messages: string[] = [];
  add(pointer: string, message: string): void {
    this.messages.push(`${message} [json-pointer:${pointer}]`);
  }
  max(pointer: string, value: unknown, max: number, min = 0): void {
    if (value === undefined || value === null) return;
    const n = String(value).length;
    if (n > max) this.add(pointer, `must be less than ${max + 1} characters`);
    else if (n < min) this.add(pointer, `must be more than ${min - 1} characters`);
  }
  items(pointer: string, list: unknown[] | undefined, min: number, max: number): void {
    const n = list?.length ?? 0;
    if (n > max) this.add(pointer, `must be less than ${max + 1} items`);
    else if (n < min) this.add(pointer, `must provide at least ${min} items`);
  }
  refusal(error: string): SlackRefusal | null {
    if (!this.messages.length) return null;
    return {
      ok: false,
      error,
      errors: this.messages,
      response_metadata: { messages: this.messages.map((m) => `[ERROR] ${m}`) },
    };
  }
}

function textObject(p: Problems, at: string, t: Loose, max: number, plainOnly = false): void {
  if (!t || typeof t.text !== 'string') {
    p.add(at, 'must provide an object');
    return;
  }
  if (plainOnly && t.type !== 'plain_text') p.add(`${at}/type`, 'must be plain_text');
  p.max(`${at}/text`, t.text, max, 1);
}

function element(p: Problems, at: string, e: Loose, actionIds: Set<string>): void {
  if (e.action_id !== undefined) {
    p.max(`${at}/action_id`, e.action_id, SLACK.actionId, 1);
    if (actionIds.has(e.action_id)) p.add(`${at}/action_id`, 'action_id must be unique within a block');
    actionIds.add(e.action_id);
  }
  switch (e.type) {
    case 'button':
      textObject(p, `${at}/text`, e.text, SLACK.buttonText, true);
      p.max(`${at}/value`, e.value, SLACK.buttonValue);
      return;
    case 'static_select': {
      if (e.placeholder) textObject(p, `${at}/placeholder`, e.placeholder, SLACK.placeholder, true);
      const options = (where: string, list: Loose[] | undefined) => {
        p.items(where, list, SLACK.selectOptionsMin, SLACK.selectOptions);
        (list ?? []).forEach((o: Loose, i: number) => {
          textObject(p, `${where}/${i}/text`, o.text, SLACK.optionText, true);
          p.max(`${where}/${i}/value`, o.value, SLACK.optionValue, 1);
        });
      };
      if (e.option_groups) {
        p.items(`${at}/option_groups`, e.option_groups, 1, SLACK.selectOptions);
        e.option_groups.forEach((g: Loose, i: number) => {
          textObject(p, `${at}/option_groups/${i}/label`, g.label, SLACK.optionText, true);
          options(`${at}/option_groups/${i}/options`, g.options);
        });
      } else options(`${at}/options`, e.options);
      return;
    }
    case 'plain_text_input':
      if (e.max_length !== undefined && (e.max_length < 1 || e.max_length > SLACK.inputMaxLength))
        p.add(`${at}/max_length`, `must be between 1 and ${SLACK.inputMaxLength}`);
      if (e.placeholder) textObject(p, `${at}/placeholder`, e.placeholder, SLACK.inputPlaceholder, true);
      p.max(`${at}/initial_value`, e.initial_value, e.max_length ?? SLACK.inputMaxLength);
      return;
    default:
      p.add(`${at}/type`, `unsupported element type ${String(e.type)}`);
  }
}

function block(p: Problems, at: string, b: Loose, blockIds: Set<string>, surface: 'message' | 'view'): void {
  if (b.block_id !== undefined) {
    p.max(`${at}/block_id`, b.block_id, SLACK.blockId, 1);
    if (blockIds.has(b.block_id)) p.add(`${at}/block_id`, 'block_id must be unique');
    blockIds.add(b.block_id);
  }
  switch (b.type) {
    case 'section':
      if (!b.text && !b.fields) p.add(at, 'must provide text or fields');
      if (b.text) textObject(p, `${at}/text`, b.text, SLACK.sectionText);
      if (b.fields) {
        p.items(`${at}/fields`, b.fields, 1, SLACK.sectionFields);
        b.fields.forEach((f: Loose, i: number) => {
          textObject(p, `${at}/fields/${i}`, f, SLACK.fieldText);
        });
      }
      return;
    case 'header':
      textObject(p, `${at}/text`, b.text, SLACK.header, true);
      return;
    case 'context':
      p.items(`${at}/elements`, b.elements, 1, SLACK.contextElements);
      (b.elements ?? []).forEach((e: Loose, i: number) => {
        textObject(p, `${at}/elements/${i}`, e, SLACK.contextText);
      });
      return;
    case 'actions': {
      p.items(`${at}/elements`, b.elements, 1, SLACK.actionsElements);
      const ids = new Set<string>();
      (b.elements ?? []).forEach((e: Loose, i: number) => {
        element(p, `${at}/elements/${i}`, e, ids);
      });
      return;
    }
    case 'input':
      if (surface !== 'view') p.add(`${at}/type`, 'input blocks are only allowed in views');
      textObject(p, `${at}/label`, b.label, SLACK.inputLabel, true);
      if (b.hint) textObject(p, `${at}/hint`, b.hint, SLACK.inputHint, true);
      element(p, `${at}/element`, b.element ?? {}, new Set());
      return;
    case 'divider':
      return;
    default:
      p.add(`${at}/type`, `unsupported block type ${String(b.type)}`);
  }
}

/** Every text object's characters in the blocks: what `msg_blocks_too_long` counts (approximately). */
export function blocksTextLength(blocks: Loose[]): number {
  let n = 0;
  const walk = (v: Loose) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object') {
      if ((v.type === 'mrkdwn' || v.type === 'plain_text') && typeof v.text === 'string') n += v.text.length;
      else for (const x of Object.values(v)) walk(x);
    }
  };
  walk(blocks);
  return n;
}

function checkBlocks(p: Problems, blocks: Loose[], surface: 'message' | 'view'): void {
  const max = surface === 'message' ? SLACK.messageBlocks : SLACK.viewBlocks;
  p.items('/blocks', blocks, 0, max);
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    block(p, `/blocks/${i}`, b, ids, surface);
  });
}

/** chat.postMessage / chat.postEphemeral / chat.update / a response_url post. Null when Slack takes it. */
export function checkMessageArgs(args: Loose): SlackRefusal | null {
  const text = args.text;
  const blocks: Loose[] | undefined = Array.isArray(args.blocks) ? args.blocks : undefined;
  if (!blocks?.length && !(typeof text === 'string' && text.length > 0)) return { ok: false, error: 'no_text' };
  if (typeof text === 'string' && text.length > SLACK.messageText) return { ok: false, error: 'msg_too_long' };
  if (blocks) {
    const p = new Problems();
    checkBlocks(p, blocks, 'message');
    const bad = p.refusal('invalid_blocks');
    if (bad) return bad;
    if (blocksTextLength(blocks) > SLACK.blocksText) return { ok: false, error: 'msg_blocks_too_long' };
  }
  return null;
}

/** views.open / views.update / views.push: Slack answers a bad view with `invalid_arguments`. */
export function checkView(view: Loose): SlackRefusal | null {
  const p = new Problems();
  const v = view ?? {};
  if (v.type === 'modal') {
    textObject(p, '/view/title', v.title, SLACK.modalTitle, true);
    if (v.submit) textObject(p, '/view/submit', v.submit, SLACK.modalButton, true);
    if (v.close) textObject(p, '/view/close', v.close, SLACK.modalButton, true);
  }
  p.max('/view/private_metadata', v.private_metadata, SLACK.privateMetadata);
  p.max('/view/callback_id', v.callback_id, SLACK.callbackId);
  checkBlocks(p, Array.isArray(v.blocks) ? v.blocks : [], 'view');
  return p.refusal('invalid_arguments');
}

/** An app manifest's slash commands (apps.manifest.create / validate answer `invalid_manifest`). */
export function checkManifestCommands(commands: Loose[]): SlackRefusal | null {
  const p = new Problems();
  p.items('/features/slash_commands', commands, 0, SLACK.manifestCommands);
  (commands ?? []).forEach((c, i) => {
    const at = `/features/slash_commands/${i}`;
    p.max(`${at}/command`, c.command, SLACK.commandName, 2);
    p.max(`${at}/description`, c.description, SLACK.commandDescription, 1);
    p.max(`${at}/usage_hint`, c.usage_hint, SLACK.usageHint);
  });
  return p.refusal('invalid_manifest');
}
