import type { z } from 'zod';
import type { OptionInfo } from '../commands/options.js';
import { UserError } from '../errors.js';

/** The value as the member typed it, shortened, for "you gave …". */
function given(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** "a whole number from 1 to 5", "yes or no": what a value of this option must look like. */
function expectedKind(info: OptionInfo | undefined, fallback: string | undefined): string {
  const range =
    info?.min !== undefined && info.max !== undefined
      ? ` from ${info.min} to ${info.max}`
      : info?.min !== undefined
        ? ` of at least ${info.min}`
        : info?.max !== undefined
          ? ` of at most ${info.max}`
          : '';
  switch (info?.kind) {
    case 'integer':
      return `a whole number${range}`;
    case 'number':
      return `a number${range}`;
    case 'boolean':
      return 'yes or no';
    case 'member':
      return 'a member, e.g. @ann';
    case 'channel':
      return 'a channel, e.g. #general';
    default:
      return info?.choices ? `one of: ${info.choices.join(', ')}` : `a ${fallback ?? 'value'}`;
  }
}

/**
 * Words a person understands for zod's complaints, naming the option and its limit. `raw` is what arrived: an
 * option that is there with a value of the wrong type is told so (zod 4 does not report the input it refused, so
 * "missing" is decided from what was given, never from the issue).
 */
function explain(issue: z.core.$ZodIssue, info: OptionInfo | undefined, raw: Record<string, unknown>): string {
  const name = String(issue.path[0] ?? 'options');
  const i = issue as z.core.$ZodIssue & { minimum?: number; maximum?: number; origin?: string; expected?: string };
  const present = issue.path.length > 0 && raw[name] !== undefined && raw[name] !== null && raw[name] !== '';
  switch (issue.code) {
    case 'invalid_type':
      if (!present) return `\`${name}\` is missing: ${info?.description ?? 'it is required'}.`;
      return `\`${name}\` must be ${expectedKind(info, i.expected)} (you gave “${given(raw[name])}”).`;
    case 'too_big':
      return i.origin === 'string'
        ? `\`${name}\` is too long: at most ${i.maximum} characters.`
        : `\`${name}\` is too large: at most ${i.maximum}.`;
    case 'too_small':
      return i.origin === 'string'
        ? i.minimum === 1
          ? `\`${name}\` is empty.`
          : `\`${name}\` is too short: at least ${i.minimum} characters.`
        : `\`${name}\` is too small: at least ${i.minimum}.`;
    case 'invalid_value':
      return `\`${name}\` must be one of: ${info?.choices?.join(', ') ?? 'the listed choices'}${present ? ` (you gave “${given(raw[name])}”)` : ''}.`;
    case 'unrecognized_keys':
      return `unknown option${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((k) => `\`${k}\``).join(', ')}.`;
    default:
      // Our own messages read as a predicate ("must be …", "is too long …"); zod's are sentences.
      return /^(must|is|should) /.test(issue.message)
        ? `\`${name}\` ${issue.message}.`
        : `\`${name}\`: ${issue.message}`;
  }
}

/** A failed option parse as one private answer: each problem on its line, then the usage. */
export function optionError(
  error: z.ZodError,
  infos: OptionInfo[],
  usage: string,
  raw: Record<string, unknown> = {},
): UserError {
  const lines = error.issues.map((issue) =>
    explain(
      issue,
      infos.find((o) => o.name === issue.path[0]),
      raw,
    ),
  );
  return new UserError('bad_option', lines.join('\n'), `Usage: ${usage}`);
}
