import { DISCORD, INVALID_FORM_BODY } from '../../../adapters/discord/limits.js';

/**
 * What Discord refuses, checked the way its API does: every limit of adapters/discord/limits.ts, answered as
 * `400 { code: 50035, message: 'Invalid Form Body', errors }` with the failing path spelt out in `errors`
 * (developers/reference.mdx "Error Messages"), e.g. `{ embeds: { 0: { description: { _errors: [...] } } } }`.
 */
// biome-ignore lint/suspicious/noExplicitAny: payloads are checked as the JSON Discord receives, shape unknown.
type Loose = any;

export interface FieldError {
  code: string;
  message: string;
}

export interface InvalidFormBody {
  code: typeof INVALID_FORM_BODY;
  message: 'Invalid Form Body';
  errors: Record<string, unknown>;
}

/** Collects errors under their paths, in the nested shape Discord answers. */
class Problems {
  readonly errors: Record<string, unknown> = {};
  count = 0;

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.errors as Record<string, unknown>;
    for (const p of path) {
      node[String(p)] ??= {};
      node = node[String(p)] as Record<string, unknown>;
    }
    node._errors ??= [];
    (node._errors as FieldError[]).push({ code, message });
    this.count++;
  }

  maxLength(path: (string | number)[], value: unknown, max: number, min = 0): void {
    if (value === undefined || value === null) return;
    const s = String(value);
    if (s.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    else if (s.length < min) this.add(path, 'BASE_TYPE_MIN_LENGTH', `Must be ${min} or more in length.`);
  }

  length(path: (string | number)[], list: unknown[] | undefined, min: number, max: number): void {
    const n = list?.length ?? 0;
    if (n < min || n > max) this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }

  result(): InvalidFormBody | null {
    return this.count ? { code: INVALID_FORM_BODY, message: 'Invalid Form Body', errors: this.errors } : null;
  }
}

const trimmedLength = (v: unknown) => (typeof v === 'string' ? v.trim().length : 0);

/** The characters Discord counts against the 6,000 of all embeds: title, description, fields, footer, author. */
export function embedCharacters(embeds: Loose[]): number {
  let n = 0;
  for (const e of embeds ?? []) {
    n += trimmedLength(e.title) + trimmedLength(e.description) + trimmedLength(e.footer?.text);
    n += trimmedLength(e.author?.name);
    for (const f of e.fields ?? []) n += trimmedLength(f.name) + trimmedLength(f.value);
  }
  return n;
}

function checkEmbeds(p: Problems, embeds: Loose[]): void {
  if (embeds.length > DISCORD.embeds) p.length(['embeds'], embeds, 0, DISCORD.embeds);
  embeds.forEach((e, i) => {
    const at = ['embeds', i];
    p.maxLength([...at, 'title'], e.title, DISCORD.title);
    p.maxLength([...at, 'description'], e.description, DISCORD.description);
    p.maxLength([...at, 'footer', 'text'], e.footer?.text, DISCORD.footer, 1);
    p.maxLength([...at, 'author', 'name'], e.author?.name, DISCORD.author, 1);
    if ((e.fields?.length ?? 0) > DISCORD.fields) p.length([...at, 'fields'], e.fields, 0, DISCORD.fields);
    (e.fields ?? []).forEach((f: Loose, j: number) => {
      for (const key of ['name', 'value'] as const) {
        const max = key === 'name' ? DISCORD.fieldName : DISCORD.fieldValue;
        if (trimmedLength(f[key]) === 0)
          p.add([...at, 'fields', j, key], 'BASE_TYPE_REQUIRED', 'This field is required');
        else p.maxLength([...at, 'fields', j, key], f[key], max);
      }
    });
  });
  if (embedCharacters(embeds) > DISCORD.embedTotal) {
    p.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${DISCORD.embedTotal}`);
  }
}

function checkCustomId(p: Problems, path: (string | number)[], id: unknown, seen: Set<string>): void {
  p.maxLength(path, id, DISCORD.customId, 1);
  if (typeof id !== 'string') return;
  if (seen.has(id)) p.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  seen.add(id);
}

function checkComponents(p: Problems, rows: Loose[]): void {
  if (rows.length > DISCORD.actionRows) p.length(['components'], rows, 0, DISCORD.actionRows);
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    const at = ['components', i, 'components'];
    const children: Loose[] = row.components ?? [];
    const selects = children.filter((c) => c.type !== 2);
    if (selects.length > 0 && children.length > 1) {
      p.add(at, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    p.length(at, children, 1, DISCORD.buttonsPerRow);
    children.forEach((c, j) => {
      if (c.type === 2) {
        p.maxLength([...at, j, 'label'], c.label, DISCORD.buttonLabel);
        if (c.style !== 5) checkCustomId(p, [...at, j, 'custom_id'], c.custom_id, ids);
      } else if (c.type === 3) {
        checkCustomId(p, [...at, j, 'custom_id'], c.custom_id, ids);
        p.maxLength([...at, j, 'placeholder'], c.placeholder, DISCORD.placeholder);
        p.length([...at, j, 'options'], c.options, DISCORD.selectOptionsMin, DISCORD.selectOptions);
        const values = new Set<string>();
        (c.options ?? []).forEach((o: Loose, k: number) => {
          for (const key of ['label', 'value'] as const)
            p.maxLength([...at, j, 'options', k, key], o[key], DISCORD.selectOptionText, 1);
          p.maxLength([...at, j, 'options', k, 'description'], o.description, DISCORD.selectOptionText);
          if (values.has(o.value))
            p.add(
              [...at, j, 'options', k, 'value'],
              'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
              'Component select option values cannot be duplicated',
            );
          values.add(o.value);
        });
      }
    });
  });
}

/**
 * A message body (create, edit, interaction reply, webhook follow-up). `partial` for edits, which may leave
 * everything out. Returns the 50035 body, or null when Discord would accept it.
 */
export function checkMessage(body: Loose, opts: { partial?: boolean; files?: number } = {}): InvalidFormBody | null {
  const p = new Problems();
  const b = body ?? {};
  p.maxLength(['content'], b.content, DISCORD.content);
  if (Array.isArray(b.embeds)) checkEmbeds(p, b.embeds);
  if (Array.isArray(b.components)) checkComponents(p, b.components);
  if ((opts.files ?? 0) > DISCORD.attachments) p.add(['files'], 'BASE_TYPE_BAD_LENGTH', 'Too many attachments');
  (b.attachments ?? []).forEach((a: Loose, i: number) => {
    p.maxLength(['attachments', i, 'description'], a.description, DISCORD.attachmentDescription);
  });
  return p.result();
}

/** Discord's answer to a message with nothing in it (no content, embeds, components or files). */
export function isEmptyMessage(body: Loose, files: number): boolean {
  const b = body ?? {};
  return !String(b.content ?? '').trim() && !(b.embeds ?? []).length && !(b.components ?? []).length && files === 0;
}

/** A modal (interaction callback type 9). */
export function checkModal(data: Loose): InvalidFormBody | null {
  const p = new Problems();
  const d = data ?? {};
  p.maxLength(['data', 'title'], d.title, DISCORD.modalTitle, 1);
  p.maxLength(['data', 'custom_id'], d.custom_id, DISCORD.customId, 1);
  const rows: Loose[] = d.components ?? [];
  p.length(['data', 'components'], rows, DISCORD.modalInputsMin, DISCORD.modalInputs);
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    const input = row.components?.[0] ?? row.component ?? {};
    const at = ['data', 'components', i, 'components', 0];
    checkCustomId(p, [...at, 'custom_id'], input.custom_id, ids);
    p.maxLength([...at, 'label'], input.label ?? row.label, DISCORD.inputLabel, 1);
    p.maxLength([...at, 'placeholder'], input.placeholder, DISCORD.inputPlaceholder);
    p.maxLength([...at, 'value'], input.value, Math.min(DISCORD.inputValue, input.max_length ?? DISCORD.inputValue));
    for (const key of ['max_length', 'min_length'] as const) {
      const v = input[key];
      if (v !== undefined && (v < (key === 'max_length' ? 1 : 0) || v > DISCORD.inputMaxLength)) {
        p.add([...at, key], 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${DISCORD.inputMaxLength}.`);
      }
    }
  });
  return p.result();
}

const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkOptions(p: Problems, at: (string | number)[], options: Loose[] | undefined): void {
  if ((options?.length ?? 0) > DISCORD.commandOptions) p.length(at, options, 0, DISCORD.commandOptions);
  let optionalSeen = false;
  (options ?? []).forEach((o, i) => {
    const here = [...at, i];
    if (!COMMAND_NAME.test(o.name ?? '') || o.name !== String(o.name).toLowerCase())
      p.add([...here, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    p.maxLength([...here, 'description'], o.description, DISCORD.commandDescription, 1);
    if ((o.choices?.length ?? 0) > DISCORD.commandChoices) p.length([...here, 'choices'], o.choices, 0, 25);
    const isSub = o.type === 1 || o.type === 2;
    if (!isSub) {
      if (o.required && optionalSeen)
        p.add([...here, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be first');
      if (!o.required) optionalSeen = true;
    }
    if (o.options) checkOptions(p, [...here, 'options'], o.options);
  });
}

/** A bulk overwrite of application commands (PUT …/commands). */
export function checkCommands(list: Loose[]): InvalidFormBody | null {
  const p = new Problems();
  (list ?? []).forEach((c, i) => {
    if (!COMMAND_NAME.test(c.name ?? '') || c.name !== String(c.name).toLowerCase())
      p.add([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    p.maxLength([i, 'description'], c.description, DISCORD.commandDescription, 1);
    checkOptions(p, [i, 'options'], c.options);
  });
  return p.result();
}

/** The flat `path: CODE` lines of a refusal, for assertion messages. */
export function describeRefusal(r: InvalidFormBody | null): string[] {
  if (!r) return [];
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, path: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '_errors') for (const e of v as FieldError[]) out.push(`${path.join('.')}: ${e.code}`);
      else walk(v as Record<string, unknown>, [...path, k]);
    }
  };
  walk(r.errors, []);
  return out;
}
