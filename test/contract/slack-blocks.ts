import { unescapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import type { Loose } from '../fakes/slack/fake-slack.js';

const FIELD = /^\*([\s\S]*?)\*\n([\s\S]*)$/;

function field(mrkdwn: string): string {
  const m = FIELD.exec(mrkdwn);
  const [label, value] = m ? [m[1]!, m[2]!] : ['', mrkdwn];
  return `│ ${unescapeMrkdwn(label)}: ${unescapeMrkdwn(value).replace(/\n/g, '\n│   ')}`;
}

/**
 * Reads the Block Kit the bot sent back into the plain-text form every driver reports (src/render/text.ts's
 * layout): what a member sees, so contract scenarios compare platforms on what is shown, not on how.
 */
export function blocksToText(blocks: Loose[] | undefined, fallback: string): { text: string; buttons: string[] } {
  if (!blocks?.length) return { text: unescapeMrkdwn(fallback ?? ''), buttons: [] };
  const lines: string[] = [];
  const buttons: string[] = [];
  let inCard = false;
  const closeCard = () => {
    if (inCard) lines.push('└');
    inCard = false;
  };
  for (const b of blocks) {
    const id = String(b.block_id ?? '');
    if (!id.startsWith('rt-card')) closeCard();
    if (b.type === 'header') {
      inCard = true;
      lines.push(`┌ ${b.text.text}`);
    } else if (id.startsWith('rt-card-subtitle')) {
      lines[lines.length - 1] += ` — ${unescapeMrkdwn(b.text.text)}`;
    } else if (id.startsWith('rt-card-fields')) {
      for (const f of b.fields) lines.push(field(f.text));
    } else if (/^rt-card-field:\d+:\d+$/.test(id)) {
      // A long field goes on in the next section.
      lines[lines.length - 1] += unescapeMrkdwn(b.text.text).replace(/\n/g, '\n│   ');
    } else if (id.startsWith('rt-card-field')) {
      lines.push(field(b.text.text));
    } else if (id.startsWith('rt-card-footer')) {
      const text = b.elements.map((e: Loose) => unescapeMrkdwn(e.text)).join('');
      if (id === 'rt-card-footer') lines.push(`└ ${text}`);
      else lines[lines.length - 1] += text;
      inCard = false;
    } else if (b.type === 'section' && b.text) {
      lines.push(unescapeMrkdwn(b.text.text));
    } else if (id === 'rt-select') {
      const s = b.elements[0];
      lines.push(`${s.placeholder.text}: ${s.options.map((o: Loose) => o.text.text).join(' | ')}`);
    } else if (id === 'rt-page') {
      // "Page 2 of 3" under a paged reply: a member reads where they are.
      lines.push(b.elements.map((e: Loose) => unescapeMrkdwn(e.text)).join(''));
    } else if (id.startsWith('rt-buttons')) {
      // Page buttons (rt-buttons-page) too: a member can press Next.
      buttons.push(...b.elements.map((e: Loose) => String(e.text.text)));
    }
  }
  closeCard();
  // Button rows come last and are one line in the plain layout.
  if (buttons.length) lines.push(buttons.map((l) => `[${l}]`).join(' '));
  return { text: lines.join('\n'), buttons };
}

/** The action a member would press: a button by label, or a select's option by label. */
export function findControl(
  blocks: Loose[] | undefined,
  kind: 'press' | 'choose',
  label: string,
): { actionId: string; value?: string; selected?: { text: string; value: string } } | null {
  const want = label.toLowerCase();
  for (const b of blocks ?? []) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements) {
      if (kind === 'press' && e.type === 'button' && String(e.text.text).toLowerCase() === want) {
        return { actionId: e.action_id, ...(e.value ? { value: e.value } : {}) };
      }
      if (kind === 'choose' && e.type === 'static_select') {
        const o = e.options.find((x: Loose) => String(x.text.text).toLowerCase() === want);
        if (o) return { actionId: e.action_id, selected: { text: o.text.text, value: o.value } };
      }
    }
  }
  return null;
}
