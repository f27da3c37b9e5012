import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord-api-types/v10';
import { type Button, type Content, encodeAction, type FormRequest, type Select } from '../../src/messages.js';
import { uniqueButtons } from '../../src/render/controls.js';
import { encodeRerun, pageButtons, pageLine, showAllButton } from '../../src/render/pages.js';
import { splitText } from '../../src/render/split-text.js';
import { CUSTOM_ID_MAX, componentId, type FormStash, formId, selectId } from './custom-ids.js';
import { embedAtoms, packEmbeds } from './embed-pages.js';
import { DISCORD } from './limits.js';
import { escapeMarkdown, keepEscapes } from './markdown.js';

/** User text never pings anyone: no @everyone, no role or user mentions, whatever a member typed. */
export const NO_MENTIONS: APIAllowedMentions = { parse: [] };

export interface RenderedFile {
  name: string;
  data: Buffer;
  contentType: string;
  description?: string;
}

/** A platform-neutral Content as Discord message parts, ready for an interaction reply or a REST message body. */
export interface RenderedMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: RenderedFile[];
  allowedMentions: APIAllowedMentions;
  /** How many pages the whole content takes (1 when it fits one message). */
  pages: number;
  /**
   * How many messages it takes to show everything: 1 when it fits or pages by buttons; else each further part is
   * sent as the next message (render it with `page: n`).
   */
  parts: number;
}

/** Shortens a label Discord limits (a button, a title): only where the platform forces it, by its own figure. */
export const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const STYLE: Record<NonNullable<Button['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  danger: ButtonStyle.Danger,
};

/** Room kept in `content` for the "Page 2 of 5" line. */
const PAGE_LINE_ROOM = 40;

function buttonRows(
  buttons: Button[],
  maxRows: number,
  guildId?: string,
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (const b of buttons.slice(0, maxRows * DISCORD.buttonsPerRow)) {
    const button: APIButtonComponentWithCustomId = {
      type: ComponentType.Button,
      style: STYLE[b.style ?? 'secondary'],
      label: cut(b.label, DISCORD.buttonLabel),
      custom_id: componentId(encodeAction(b.action), guildId),
    };
    const last = rows.at(-1);
    if (last && last.components.length < DISCORD.buttonsPerRow) last.components.push(button);
    else rows.push({ type: ComponentType.ActionRow, components: [button] });
  }
  return rows;
}

/**
 * A select as string selects of at most 25 options each: a longer list takes several (options 26–50 in the
 * second), never a value cut short. An option value over 100 characters cannot round-trip and is a bug.
 */
function selectRows(s: Select, maxRows: number, guildId?: string): APIActionRowComponent<APIStringSelectComponent>[] {
  const rows: APIActionRowComponent<APIStringSelectComponent>[] = [];
  const chunks = Math.ceil(s.options.length / DISCORD.selectOptions);
  for (let i = 0; i < chunks && rows.length < maxRows; i++) {
    const options = s.options.slice(i * DISCORD.selectOptions, (i + 1) * DISCORD.selectOptions);
    const range = chunks > 1 ? ` (${i * DISCORD.selectOptions + 1}–${i * DISCORD.selectOptions + options.length})` : '';
    const select: APIStringSelectComponent = {
      type: ComponentType.StringSelect,
      custom_id: selectId(componentId(encodeAction(s.action), guildId), i),
      placeholder: `${cut(s.placeholder, DISCORD.placeholder - range.length)}${range}`,
      options: options.map((o) => {
        if (o.value.length > DISCORD.selectOptionText || o.value.length === 0)
          throw new Error(
            `select option value must be 1-${DISCORD.selectOptionText} characters: ${o.value.slice(0, 20)}…`,
          );
        return { label: cut(o.label, DISCORD.selectOptionText) || o.value, value: o.value };
      }),
    };
    rows.push({ type: ComponentType.ActionRow, components: [select] });
  }
  return rows;
}

/** Whether page buttons for this rerun fit a custom id (with a DM's server mark and the longest page number). */
const rerunFits = (key: string, guildId?: string) =>
  (guildId ? guildId.length + 2 : 0) + `_page:99999:${key}`.length <= CUSTOM_ID_MAX;

/**
 * Renders any Content, with no knowledge of which command made it: text as content, a card as an embed with
 * fields, a list as bullet descriptions, buttons as action rows (5 per row), a select as string selects,
 * attachments as files. Member text is escaped (markdown.ts). Content too long for one message is paged by
 * embed-pages.ts: page `content.page` is shown with Previous / Next (`post`: a channel post shows its first page
 * with "Show all", which answers privately in pages). `guildId` marks components sent in a DM with their server.
 */
export function renderContent(content: Content, opts: { guildId?: string; post?: boolean } = {}): RenderedMessage {
  const text = escapeMarkdown(content.text ?? '');
  const room = DISCORD.content - PAGE_LINE_ROOM;
  const [head, ...rest] = text.length > room ? splitText(text, room, keepEscapes) : [text];
  const pages = packEmbeds(embedAtoms(content, rest.length ? rest.join('\n') : undefined));
  const total = Math.max(1, pages.length);
  const key = content.more ? encodeRerun(content.more) : undefined;
  const pageable = total > 1 && key !== undefined && rerunFits(key, opts.guildId);
  // With no command to re-run, the pages go out as consecutive messages (`parts`): each renders its own page.
  const page = pageable && opts.post ? 0 : Math.min(Math.max(0, content.page ?? 0), total - 1);
  const nav: Button[] = !pageable
    ? []
    : opts.post
      ? [showAllButton(content.more!)]
      : pageButtons(page, total, content.more!);
  let body = page === 0 || rest.length === 0 ? (head ?? '') : '';
  if (total > 1) {
    const line = pageable
      ? opts.post
        ? `${pageLine(0, total)}: Show all to read the rest.`
        : pageLine(page, total)
      : `Part ${page + 1} of ${total}`;
    body = body ? `${body}\n${line}` : line;
  }

  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const navRows = nav.length ? 1 : 0;
  const s = content.select;
  if (s && s.options.length > 0)
    components.push(...selectRows(s, Math.max(1, DISCORD.actionRows - navRows - 1), opts.guildId));
  else if (s)
    body = body
      ? `${body}\n${escapeMarkdown(s.placeholder)}: (nothing to choose from)`
      : `${escapeMarkdown(s.placeholder)}: (nothing to choose from)`;
  const buttons = uniqueButtons(content.buttons ?? []);
  if (buttons.length)
    components.push(...buttonRows(buttons, DISCORD.actionRows - components.length - navRows, opts.guildId));
  if (nav.length) components.push(...buttonRows(nav, 1, opts.guildId));

  const files = (content.attachments ?? []).slice(0, DISCORD.attachments).map((a) => ({
    name: a.filename,
    data: Buffer.from(a.data),
    contentType: a.contentType,
    ...(a.description ? { description: cut(a.description, DISCORD.attachmentDescription) } : {}),
  }));
  const embeds = pages[page] ?? [];
  const hasBody = embeds.length > 0 || components.length > 0 || files.length > 0;
  // Discord refuses a message with nothing in it; a zero-width space keeps an otherwise empty reply valid.
  return {
    content: body || (hasBody ? '' : '\u200b'),
    embeds,
    components,
    files,
    allowedMentions: NO_MENTIONS,
    pages: total,
    parts: total > 1 && !pageable ? total : 1,
  };
}

/**
 * A form request as a Discord modal: one text input per field (a modal holds five). Titles and labels are
 * shortened to Discord's 45 where they must be; a prefilled value is never cut (a longer maximum is raised to it,
 * up to Discord's 4,000).
 */
export function renderModal(
  form: FormRequest,
  stash: FormStash,
  guildId?: string,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: formId({ command: form.command, hidden: form.hidden ?? {} }, stash, guildId),
    title: cut(form.title, DISCORD.modalTitle),
    components: form.fields.slice(0, DISCORD.modalInputs).map((f) => {
      const max = f.maxLength
        ? Math.min(Math.max(f.maxLength, f.value?.length ?? 0), DISCORD.inputMaxLength)
        : undefined;
      return {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: f.name,
            label: cut(f.label, DISCORD.inputLabel),
            style: f.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
            required: f.required,
            ...(f.value ? { value: f.value.slice(0, max ?? DISCORD.inputValue) } : {}),
            ...(max ? { max_length: max } : {}),
            ...(f.placeholder ? { placeholder: cut(f.placeholder, DISCORD.inputPlaceholder) } : {}),
          },
        ],
      };
    }),
  };
}
