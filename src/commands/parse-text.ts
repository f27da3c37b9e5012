import { UserError } from '../errors.js';
import type { Registry } from './registry.js';

export interface ParsedCommand {
  name: string;
  options: Record<string, string>;
}

/**
 * Splits `key:value key:"quoted value" loose words` into tokens. Quotes may be straight or curly (phones and Slack
 * turn " into “ ”); a backslash escapes a quote inside quotes.
 */
export function tokenize(text: string): { key?: string; value: string }[] {
  const out: { key?: string; value: string }[] = [];
  let i = 0;
  const s = text.trim();
  const isQuote = (c: string | undefined) => c === '"' || c === '“' || c === '”';
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i >= s.length) break;
    let key: string | undefined;
    const keyMatch = /^([a-z][a-z0-9_]*):/i.exec(s.slice(i));
    if (keyMatch) {
      key = keyMatch[1]!.toLowerCase();
      i += keyMatch[0].length;
    }
    let value = '';
    if (isQuote(s[i])) {
      i++;
      while (i < s.length && !isQuote(s[i])) {
        if (s[i] === '\\' && isQuote(s[i + 1])) i++;
        value += s[i++];
      }
      if (i >= s.length)
        throw new UserError(
          'bad_option',
          'A quoted value is missing its closing quote.',
          'Write values with spaces as key:"two words".',
        );
      i++;
    } else {
      while (i < s.length && s[i] !== ' ' && s[i] !== '\t') value += s[i++];
    }
    out.push(key === undefined ? { value } : { key, value });
  }
  return out;
}

/**
 * Reads `/name [sub] key:value …` (the leading slash optional) into a command name and raw options. Loose words go
 * to the command's positional option; `memberRef` turns platform mentions into user ids (`<@U1|ann>` → `U1`).
 */
export function parseCommandText(
  line: string,
  registry: Registry,
  memberRef: (raw: string) => string = (r) => r,
): ParsedCommand {
  const trimmed = line.trim().replace(/^\//, '');
  const [first = '', ...restWords] = trimmed.split(/\s+/);
  let name = first.toLowerCase();
  let rest = trimmed.slice(first.length);
  const subs = registry.subcommands(name);
  if (subs.length) {
    const sub = (restWords[0] ?? '').toLowerCase();
    const show = registry.get(`${name} show`);
    if (!sub && show && !show.options.some((o) => o.required)) {
      // a bare `/powerteam` reads as `/powerteam show` when that needs nothing more
      return parseCommandText(`/${name} show`, registry, memberRef);
    }
    if (!registry.get(`${name} ${sub}`) && sub && show?.def.positional) {
      // `/referral 12` reads as `/referral show 12`, as people type it in a text box.
      return parseCommandText(`/${name} show ${rest}`, registry, memberRef);
    }
    if (!registry.get(`${name} ${sub}`)) {
      throw new UserError(
        'unknown_command',
        sub ? `/${name} has no subcommand \`${sub}\`.` : `/${name} needs a subcommand.`,
        `Try: ${subs.map((s) => `/${s.def.name}`).join(', ')}`,
      );
    }
    name = `${name} ${sub}`;
    rest = rest.trimStart().slice(sub.length);
  }
  const cmd = registry.get(name);
  if (!cmd)
    throw new UserError(
      'unknown_command',
      `There is no command /${name}.`,
      'Type /help to see the commands you can use.',
    );
  const options: Record<string, string> = {};
  const loose: string[] = [];
  for (const t of tokenize(rest)) {
    if (t.key === undefined) loose.push(t.value);
    else if (t.key in options)
      throw new UserError('bad_option', `\`${t.key}\` is given twice.`, `Usage: ${registry.usage(name)}`);
    else options[t.key] = t.value;
  }
  if (loose.length) {
    const positional = cmd.def.positional;
    if (!positional || positional in options) {
      throw new UserError('bad_option', `I did not understand “${loose.join(' ')}”.`, `Usage: ${registry.usage(name)}`);
    }
    options[positional] = loose.join(' ');
  }
  for (const o of cmd.options)
    if (o.kind === 'member' && options[o.name]) options[o.name] = memberRef(options[o.name]!);
  return { name, options };
}
