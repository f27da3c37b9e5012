import type { HandlerContext } from '../commands/define.js';
import type { RegisteredCommand } from '../commands/registry.js';
import type { FormRequest } from '../messages.js';
import type { Capabilities } from '../platform.js';

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * A command with a form, on a platform with forms, run without any of the form's fields or without a required one:
 * ask with a form instead (`/intro` alone opens the card editor).
 */
export function needsForm(cmd: RegisteredCommand, options: Record<string, unknown>, caps: Capabilities): boolean {
  if (!cmd.def.form || !caps.forms) return false;
  const formFields = new Set<string>(cmd.def.form.fields);
  const noneGiven = [...formFields].every((f) => !given(options[f]));
  return noneGiven || cmd.options.some((o) => o.required && formFields.has(o.name) && !given(options[o.name]));
}

export async function buildForm(
  cmd: RegisteredCommand,
  ctx: HandlerContext,
  options: Record<string, unknown>,
): Promise<FormRequest> {
  const spec = cmd.def.form!;
  const prefill = (await spec.prefill?.(ctx)) ?? {};
  const fields = spec.fields.map((name) => {
    const info = cmd.options.find((o) => o.name === name)!;
    const value = given(options[name]) ? String(options[name]) : (prefill as Record<string, string | undefined>)[name];
    return {
      name,
      // Whole: each renderer shortens to its platform's own figure (Discord 45, Slack 2,000).
      label: info.description,
      style: info.long ? ('paragraph' as const) : ('short' as const),
      required: info.required,
      ...(value ? { value } : {}),
      ...(info.maxLength ? { maxLength: info.maxLength } : {}),
    };
  });
  const hidden: Record<string, string> = {};
  for (const [k, v] of Object.entries(options))
    if (given(v) && !spec.fields.includes(k as never)) hidden[k] = String(v);
  return { command: cmd.def.name, title: spec.title, fields, ...(Object.keys(hidden).length ? { hidden } : {}) };
}
