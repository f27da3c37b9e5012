import type { z } from 'zod';
import type { OptionInfo } from '../commands/options.js';
import { UserError } from '../errors.js';

/** Words a person understands for zod's complaints, naming the option and its limit. */
function explain(issue: z.core.$ZodIssue, info: OptionInfo | undefined): string {
  const name = String(issue.path[0] ?? 'options');
  const i = issue as z.core.$ZodIssue & { minimum?: number; maximum?: number; origin?: string; expected?: string };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `\`${name}\` is missing: ${info?.description ?? 'it is required'}.`;
      return `\`${name}\` must be ${info?.kind === 'integer' ? 'a whole number' : info?.kind === 'number' ? 'a number' : info?.kind === 'boolean' ? 'yes or no' : `a ${i.expected}`}.`;
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
      return `\`${name}\` must be one of: ${info?.choices?.join(', ') ?? 'the listed choices'}.`;
    case 'unrecognized_keys':
      return `unknown option${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((k) => `\`${k}\``).join(', ')}.`;
    default:
      // Our own messages read as a predicate ("must be …", "is too long …"); zod's are sentences.
      return /^(must|is|should) /.test(issue.message)
        ? `\`${name}\` ${issue.message}.`
        : `\`${name}\`: ${issue.message}`;
  }
}

export function optionError(error: z.ZodError, infos: OptionInfo[], usage: string): UserError {
  const lines = error.issues.map((issue) =>
    explain(
      issue,
      infos.find((o) => o.name === issue.path[0]),
    ),
  );
  return new UserError('bad_option', lines.join('\n'), `Usage: ${usage}`);
}
