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
import { type Button, type Content, encodeAction, type FormRequest } from '../../src/messages.js';
import { componentId, type FormStash, formId } from './custom-ids.js';

/** Discord's published limits; text over them is cut with an ellipsis rather than refused by the API. */
const LIMIT = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embeds: 10,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectText: 100,
  placeholder: 150,
  modalTitle: 45,
  inputLabel: 45,
} as const;

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
}

export const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const STYLE: Record<NonNullable<Button['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  danger: ButtonStyle.Danger,
};

/** Bullet lines packed into as few embed descriptions as fit (a long /directory spans several embeds). */
function listEmbeds(title: string | undefined, items: string[], room: number): APIEmbed[] {
  const out: APIEmbed[] = [];
  let lines: string[] = [];
  let length = 0;
  const flush = () => {
    if (lines.length === 0) return;
    out.push({
      ...(out.length === 0 && title ? { title: cut(title, LIMIT.title) } : {}),
      description: lines.join('\n'),
    });
    lines = [];
    length = 0;
  };
  for (let i = 0; i < items.length; i++) {
    const line = cut(`• ${items[i]}`, LIMIT.description);
    if (length + line.length + 1 > LIMIT.description) {
      if (out.length + 1 >= room) {
        lines.push(`…and ${items.length - i} more`);
        break;
      }
      flush();
    }
    lines.push(line);
    length += line.length + 1;
  }
  flush();
  return out;
}

function buttonRows(
  buttons: Button[],
  maxRows: number,
  guildId?: string,
): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (const b of buttons.slice(0, maxRows * LIMIT.buttonsPerRow)) {
    const button: APIButtonComponentWithCustomId = {
      type: ComponentType.Button,
      style: STYLE[b.style ?? 'secondary'],
      label: cut(b.label, LIMIT.buttonLabel),
      custom_id: componentId(encodeAction(b.action), guildId),
    };
    const last = rows.at(-1);
    if (last && last.components.length < LIMIT.buttonsPerRow) last.components.push(button);
    else rows.push({ type: ComponentType.ActionRow, components: [button] });
  }
  return rows;
}

/**
 * Renders any Content, with no knowledge of which command made it: a card becomes an embed with fields, a list
 * becomes bullet embeds, buttons become action rows (5 per row), a select a string select, attachments files.
 * `guildId` marks components sent in a DM with their server (see custom-ids.ts).
 */
export function renderContent(content: Content, opts: { guildId?: string } = {}): RenderedMessage {
  const embeds: APIEmbed[] = [];
  if (content.card) {
    const c = content.card;
    embeds.push({
      title: cut(c.title, LIMIT.title),
      ...(c.subtitle ? { description: cut(c.subtitle, LIMIT.description) } : {}),
      fields: c.fields.slice(0, LIMIT.fields).map((f) => ({
        name: cut(f.label, LIMIT.fieldName),
        value: cut(f.value || '—', LIMIT.fieldValue),
        ...(f.inline ? { inline: true } : {}),
      })),
      ...(c.footer ? { footer: { text: cut(c.footer, LIMIT.footer) } } : {}),
    });
  }
  if (content.list && content.list.items.length > 0) {
    embeds.push(...listEmbeds(content.list.title, content.list.items, LIMIT.embeds - embeds.length));
  }
  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  if (content.select) {
    const s = content.select;
    const select: APIStringSelectComponent = {
      type: ComponentType.StringSelect,
      custom_id: componentId(encodeAction(s.action), opts.guildId),
      placeholder: cut(s.placeholder, LIMIT.placeholder),
      options: s.options.slice(0, LIMIT.selectOptions).map((o) => ({
        label: cut(o.label, LIMIT.selectText),
        value: o.value.slice(0, LIMIT.selectText),
      })),
    };
    components.push({ type: ComponentType.ActionRow, components: [select] });
  }
  if (content.buttons?.length) {
    components.push(...buttonRows(content.buttons, LIMIT.rows - components.length, opts.guildId));
  }
  const files = (content.attachments ?? []).map((a) => ({
    name: a.filename,
    data: Buffer.from(a.data),
    contentType: a.contentType,
    ...(a.description ? { description: a.description } : {}),
  }));
  const hasBody = embeds.length > 0 || components.length > 0 || files.length > 0;
  // Discord refuses a message with nothing in it; a zero-width space keeps an otherwise empty reply valid.
  const text = content.text || (hasBody ? '' : '\u200b');
  return { content: cut(text, LIMIT.content), embeds, components, files, allowedMentions: NO_MENTIONS };
}

/** A form request as a Discord modal: one text input per field (a modal holds five). */
export function renderModal(
  form: FormRequest,
  stash: FormStash,
  guildId?: string,
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: formId({ command: form.command, hidden: form.hidden ?? {} }, stash, guildId),
    title: cut(form.title, LIMIT.modalTitle),
    components: form.fields.slice(0, 5).map((f) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: f.name,
          label: cut(f.label, LIMIT.inputLabel),
          style: f.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: f.required,
          ...(f.value ? { value: f.value.slice(0, f.maxLength ?? 4000) } : {}),
          ...(f.maxLength ? { max_length: Math.min(f.maxLength, 4000) } : {}),
          ...(f.placeholder ? { placeholder: cut(f.placeholder, 100) } : {}),
        },
      ],
    })),
  };
}
