import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/commands/define.js';
import { memberOption } from '../../src/commands/options.js';
import { parseCommandText, tokenize } from '../../src/commands/parse-text.js';
import { Registry } from '../../src/commands/registry.js';
import { UserError } from '../../src/errors.js';

const noop = async () => ({ text: 'ok' });
const registry = new Registry([
  defineCommand({
    name: 'find',
    description: 'F',
    access: 'member',
    positional: 'words',
    options: z.object({ words: z.string().describe('w') }),
    run: noop,
  }),
  defineCommand({ name: 'pair join', description: 'J', access: 'member', options: z.object({}), run: noop }),
  defineCommand({
    name: 'connect',
    description: 'C',
    access: 'member',
    options: z.object({ member_a: memberOption('a'), reason: z.string().describe('r') }),
    run: noop,
  }),
]);

describe('text command parsing', () => {
  it('reads key:value, quoted values with straight or curly quotes, and escaped quotes', () => {
    expect(tokenize('a:1 b:"two words" c:“curly q” d:"say \\"hi\\"" loose')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'two words' },
      { key: 'c', value: 'curly q' },
      { key: 'd', value: 'say "hi"' },
      { value: 'loose' },
    ]);
  });

  it('keeps colons inside values (times, URLs)', () => {
    expect(tokenize('time:07:30 url:https://x.example/a')).toEqual([
      { key: 'time', value: '07:30' },
      { key: 'url', value: 'https://x.example/a' },
    ]);
  });

  it('sends loose words to the positional option', () => {
    expect(parseCommandText('/find leaking roof', registry)).toEqual({
      name: 'find',
      options: { words: 'leaking roof' },
    });
  });

  it('picks subcommands and explains a missing or unknown one', () => {
    expect(parseCommandText('/pair join', registry).name).toBe('pair join');
    expect(() => parseCommandText('/pair', registry)).toThrow(/needs a subcommand/);
    expect(() => parseCommandText('/pair dance', registry)).toThrow(/no subcommand `dance`/);
  });

  it('turns mentions into user ids with the platform’s normaliser', () => {
    const slack = (raw: string) => /^<@([A-Z0-9]+)(\|[^>]*)?>$/.exec(raw)?.[1] ?? raw;
    expect(parseCommandText('/connect member_a:<@U123|ann> reason:"x y"', registry, slack).options).toEqual({
      member_a: 'U123',
      reason: 'x y',
    });
  });

  it('explains unclosed quotes, repeated options, stray words and unknown commands as user errors', () => {
    for (const line of ['/connect reason:"open', '/connect reason:a reason:b', '/connect stray', '/nothing']) {
      expect(() => parseCommandText(line, registry)).toThrow(UserError);
    }
  });
});
