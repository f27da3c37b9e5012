import { z } from 'zod';

/**
 * Option kinds every platform understands. Zod says what a value must be; the kind says how a platform asks for
 * it (a Discord user picker, a Slack mention, a shell name).
 */
export type OptionKind = 'string' | 'integer' | 'number' | 'boolean' | 'member' | 'channel';

export interface OptionInfo {
  name: string;
  kind: OptionKind;
  description: string;
  required: boolean;
  choices?: string[];
  maxLength?: number;
  minLength?: number;
  /** Bounds of a number option, told when a value is out of range or of the wrong type. */
  min?: number;
  max?: number;
  /** Long text: shown as a paragraph in forms. */
  long: boolean;
}

const kindMeta = new WeakMap<z.ZodType, OptionKind>();
const longMeta = new WeakSet<z.ZodType>();

/** A member of the community: a Discord user, a Slack mention, a shell name. The value is the platform user id. */
export const memberOption = (description: string) => {
  const s = z.string().trim().min(1).describe(description);
  kindMeta.set(s, 'member');
  return s;
};

export const channelOption = (description: string) => {
  const s = z.string().trim().min(1).describe(description);
  kindMeta.set(s, 'channel');
  return s;
};

/** Free text shown as a paragraph in forms. */
export const longText = (description: string, max: number) => {
  const s = z.string().trim().min(1).max(max).describe(description);
  longMeta.add(s);
  return s;
};

type AnyDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; entries?: Record<string, string> };
const defOf = (s: z.ZodType): AnyDef => (s as unknown as { _zod: { def: AnyDef } })._zod.def;

/** Peels optional/default/nullable wrappers off a schema, reporting whether the value may be left out. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; required: boolean; chain: z.ZodType[] } {
  let s = schema;
  let required = true;
  const chain: z.ZodType[] = [s];
  for (;;) {
    const def = defOf(s);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
      required = false;
      s = def.innerType!;
    } else if (def.type === 'pipe' && def.in) {
      s = def.in;
    } else break;
    chain.push(s);
  }
  return { inner: s, required, chain };
}

/** Reads a command's zod object into the option list that help, Discord deployment and Slack forms are built from. */
export function describeOptions(schema: z.ZodObject): OptionInfo[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { inner, required, chain } = unwrap(field as z.ZodType);
    const def = defOf(inner);
    const description =
      (field as z.ZodType).description ?? inner.description ?? chain.find((c) => c.description)?.description;
    if (!description) throw new Error(`option ${name} has no description`);
    const marked = chain.map((c) => kindMeta.get(c)).find(Boolean);
    let kind: OptionKind;
    let choices: string[] | undefined;
    if (marked) kind = marked;
    else if (def.type === 'string') kind = 'string';
    else if (def.type === 'boolean') kind = 'boolean';
    else if (def.type === 'number') kind = (inner as z.ZodNumber).format?.includes('int') ? 'integer' : 'number';
    else if (def.type === 'enum') {
      kind = 'string';
      choices = Object.values(def.entries ?? {});
    } else throw new Error(`option ${name}: unsupported zod type ${def.type}`);
    const str = def.type === 'string' ? (inner as z.ZodString) : undefined;
    const num = def.type === 'number' ? (inner as z.ZodNumber) : undefined;
    const bound = (v: number | null | undefined) =>
      v != null && Number.isFinite(v) && Math.abs(v) < 2 ** 52 ? v : undefined;
    const min = bound(num?.minValue);
    const max = bound(num?.maxValue);
    return {
      name,
      kind,
      description,
      required,
      ...(choices ? { choices } : {}),
      ...(str?.maxLength != null ? { maxLength: str.maxLength } : {}),
      ...(str?.minLength != null ? { minLength: str.minLength } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      long: chain.some((c) => longMeta.has(c)),
    };
  });
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

/**
 * Turns text-typed values (shell, Slack, form fields) into the types the schema expects, before zod validates.
 * Values that do not convert are left as they are so zod reports them with its message.
 */
export function coerceOptions(infos: OptionInfo[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const info = infos.find((i) => i.name === key);
    if (value === '' || value === undefined || value === null) continue;
    if (!info || typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    if (info.kind === 'integer' || info.kind === 'number') {
      const n = Number(value.trim());
      out[key] = value.trim() !== '' && Number.isFinite(n) ? n : value;
    } else if (info.kind === 'boolean') {
      const v = value.trim().toLowerCase();
      out[key] = TRUE.has(v) ? true : FALSE.has(v) ? false : value;
    } else if (info.choices) {
      const v = value.trim().toLowerCase();
      out[key] = info.choices.find((c) => c.toLowerCase() === v) ?? value;
    } else out[key] = value;
  }
  return out;
}
