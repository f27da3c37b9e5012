import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { Content } from '../../src/messages.js';
import { splitText } from '../../src/render/split-text.js';
import { DISCORD } from './limits.js';
import { escapeMarkdown, keepEscapes } from './markdown.js';

/**
 * A content's card, list and overflowing text as pages of embeds, each page within Discord's limits: at most 10
 * embeds and 6,000 characters across them, descriptions of 4,096, 25 fields of 1,024. Nothing is cut: a field
 * longer than 1,024 continues in the next field ("… (continued)"), a card with more than 25 fields in the next
 * embed, and whatever does not fit a message goes to the next page.
 */

type Atom =
  | { t: 'line'; group: string; text: string; title?: string }
  | { t: 'head'; title: string; description?: string }
  | { t: 'field'; field: APIEmbedField; card: string }
  | { t: 'footer'; text: string };

const cutTitle = (s: string) => (s.length > DISCORD.title ? `${s.slice(0, DISCORD.title - 1)}…` : s);

/** Lines that fit a description; one longer line becomes several. */
function lines(group: string, text: string, title?: string): Atom[] {
  const out: Atom[] = [];
  for (const line of text.split('\n')) {
    for (const piece of splitText(line, DISCORD.description, keepEscapes)) {
      out.push({ t: 'line', group, text: piece, ...(title && out.length === 0 ? { title } : {}) });
    }
  }
  return out;
}

/** Overflowing text (past the 2,000 of `content`) and the card and list, as atoms in the order they are shown. */
export function embedAtoms(content: Content, overflowText: string | undefined): Atom[] {
  const atoms: Atom[] = [];
  if (overflowText) atoms.push(...lines('text', overflowText));
  const card = content.card;
  if (card) {
    const fullTitle = escapeMarkdown(card.title);
    const title = cutTitle(fullTitle);
    // A title over 256 is shown whole as the first description line: the cut one is only the heading.
    const subtitle = [title !== fullTitle ? fullTitle : '', card.subtitle ? escapeMarkdown(card.subtitle) : '']
      .filter(Boolean)
      .join('\n');
    const [first, ...more] = subtitle ? splitText(subtitle, DISCORD.description, keepEscapes) : [];
    atoms.push({ t: 'head', title, ...(first ? { description: first } : {}) });
    for (const m of more) atoms.push(...lines('card-subtitle', m));
    for (const f of card.fields) {
      const name = escapeMarkdown(f.label) || '\u200b';
      const pieces = splitText(escapeMarkdown(f.value) || '—', DISCORD.fieldValue, keepEscapes);
      pieces.forEach((value, i) => {
        const label = i === 0 ? name : `${name} (continued)`;
        atoms.push({
          t: 'field',
          card: title,
          field: { name: cutTitle(label), value, ...(f.inline && pieces.length === 1 ? { inline: true } : {}) },
        });
      });
    }
    if (card.footer) {
      // Footers are plain text on Discord (no markdown to escape); a long one ends in a description.
      const pieces = splitText(card.footer, DISCORD.footer);
      for (const p of pieces.slice(0, -1)) atoms.push(...lines('card-footer', p));
      atoms.push({ t: 'footer', text: pieces.at(-1)! });
    }
  }
  if (content.list && content.list.items.length > 0) {
    const title = content.list.title ? cutTitle(escapeMarkdown(content.list.title)) : undefined;
    const items = content.list.items.map((item) => `• ${escapeMarkdown(item)}`).join('\n');
    atoms.push(...lines('list', items, title));
  }
  return atoms;
}

const fieldCost = (f: APIEmbedField) => f.name.length + f.value.length;

/** Packs atoms into pages of embeds, each page at most `budget` characters and `maxEmbeds` embeds. */
export function packEmbeds(atoms: Atom[], budget = DISCORD.embedTotal, maxEmbeds = DISCORD.embeds): APIEmbed[][] {
  const pages: APIEmbed[][] = [];
  let embeds: APIEmbed[] = [];
  let used = 0;
  let group: string | null = null;
  const newPage = () => {
    if (embeds.length) pages.push(embeds);
    embeds = [];
    used = 0;
    group = null;
  };
  /** Opens an embed on this page, or on the next when this one is full. */
  const open = (e: APIEmbed, cost: number) => {
    if (embeds.length >= maxEmbeds || used + cost > budget) newPage();
    embeds.push(e);
    used += cost;
    return e;
  };
  for (const a of atoms) {
    const current = embeds.at(-1);
    if (a.t === 'line') {
      const joined = current && group === a.group && !current.fields ? (current.description ?? '') : null;
      if (
        joined !== null &&
        joined.length + 1 + a.text.length <= DISCORD.description &&
        used + a.text.length + 1 <= budget
      ) {
        current!.description = `${joined}\n${a.text}`;
        used += a.text.length + 1;
      } else {
        const title = a.title;
        open({ ...(title ? { title } : {}), description: a.text }, a.text.length + (title?.length ?? 0));
        group = a.group;
      }
    } else if (a.t === 'head') {
      open(
        { title: a.title, ...(a.description ? { description: a.description } : {}), fields: [] },
        a.title.length + (a.description?.length ?? 0),
      );
      group = 'card';
    } else if (a.t === 'field') {
      const cost = fieldCost(a.field);
      const fits = current?.fields && group === 'card' && current.fields.length < DISCORD.fields;
      if (fits && used + cost <= budget) {
        current!.fields!.push(a.field);
        used += cost;
      } else {
        // The card goes on in a new embed: on this page if there is room, else on the next, named again.
        const sameCardHere = embeds.length < maxEmbeds && used + cost <= budget && group === 'card';
        const e: APIEmbed = sameCardHere ? { fields: [] } : { title: cutTitle(`${a.card} (continued)`), fields: [] };
        open(e, (e.title?.length ?? 0) + cost).fields!.push(a.field);
        group = 'card';
      }
    } else {
      const e = embeds.at(-1);
      if (e && used + a.text.length <= budget) {
        e.footer = { text: a.text };
        used += a.text.length;
      } else open({ footer: { text: a.text } }, a.text.length);
    }
  }
  newPage();
  return pages;
}
