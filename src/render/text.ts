import type { Content, Reply } from '../messages.js';

/** Plain-text rendering of a message: the shell's output and every platform's notification fallback. */
export function renderText(content: Content | Reply): string {
  const lines: string[] = [];
  if (content.text) lines.push(content.text);
  if (content.card) {
    const c = content.card;
    lines.push(`┌ ${c.title}${c.subtitle ? ` — ${c.subtitle}` : ''}`);
    for (const f of c.fields) lines.push(`│ ${f.label}: ${f.value.replace(/\n/g, '\n│   ')}`);
    if (c.footer) lines.push(`└ ${c.footer}`);
    else lines.push('└');
  }
  if (content.list) {
    if (content.list.title) lines.push(content.list.title);
    for (const item of content.list.items) lines.push(`• ${item}`);
  }
  if (content.select) {
    lines.push(`${content.select.placeholder}: ${content.select.options.map((o) => o.label).join(' | ')}`);
  }
  if (content.buttons?.length) lines.push(content.buttons.map((b) => `[${b.label}]`).join(' '));
  if (content.attachments?.length) {
    for (const a of content.attachments)
      lines.push(`(attachment ${a.filename}${a.description ? `: ${a.description}` : ''})`);
  }
  return lines.join('\n');
}
