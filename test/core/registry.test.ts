import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/commands/define.js';
import { coerceOptions, describeOptions, longText, memberOption } from '../../src/commands/options.js';
import { Registry } from '../../src/commands/registry.js';

const noop = async () => ({ text: 'ok' });

describe('command registry', () => {
  it('registers every command of the bot with described options', () => {
    const r = new Registry(commands);
    expect(r.all().length).toBe(commands.length);
    for (const c of r.all()) for (const o of c.options) expect(o.description.length).toBeGreaterThan(3);
  });

  it('reads option kinds, choices, limits and optionality from zod', () => {
    const infos = describeOptions(
      z.object({
        who: memberOption('A member'),
        n: z.number().int().min(1).describe('Count'),
        amount: z.number().positive().optional().describe('Amount'),
        yes: z.boolean().default(false).describe('Flag'),
        kind: z.enum(['a', 'b']).describe('Kind'),
        note: longText('Note', 300).optional(),
      }),
    );
    expect(infos.map((i) => [i.name, i.kind, i.required])).toEqual([
      ['who', 'member', true],
      ['n', 'integer', true],
      ['amount', 'number', false],
      ['yes', 'boolean', false],
      ['kind', 'string', true],
      ['note', 'string', false],
    ]);
    expect(infos[4]!.choices).toEqual(['a', 'b']);
    expect(infos[5]).toMatchObject({ long: true, maxLength: 300, description: 'Note' });
  });

  it('refuses an option without a description, a duplicate name and a bad name', () => {
    expect(() => describeOptions(z.object({ x: z.string() }))).toThrow(/no description/);
    const a = defineCommand({ name: 'a', description: 'A', access: 'member', options: z.object({}), run: noop });
    expect(() => new Registry([a, a])).toThrow(/twice/);
    expect(() => new Registry([{ ...a, name: 'Bad Name!' }])).toThrow(/lowercase/);
  });

  it('refuses a name that is both a command and a group of subcommands', () => {
    const pair = defineCommand({ name: 'pair', description: 'P', access: 'member', options: z.object({}), run: noop });
    const join = defineCommand({
      name: 'pair join',
      description: 'J',
      access: 'member',
      options: z.object({}),
      run: noop,
    });
    expect(() => new Registry([pair, join])).toThrow(/both a command and a group/);
    expect(new Registry([join]).subcommands('pair').map((c) => c.def.name)).toEqual(['pair join']);
  });

  it('writes usage lines with optional options in brackets', () => {
    const r = new Registry(commands);
    expect(r.usage('connect')).toBe('/connect member_a:@member member_b:@member reason:<text>');
    expect(r.usage('directory')).toBe('/directory [category:<text>] [page:<integer>]');
  });

  it('coerces text values to the option types before validation', () => {
    const infos = describeOptions(
      z.object({
        n: z.number().int().describe('n'),
        b: z.boolean().describe('b'),
        k: z.enum(['Weekly']).describe('k'),
      }),
    );
    expect(coerceOptions(infos, { n: '12', b: 'yes', k: 'weekly' })).toEqual({ n: 12, b: true, k: 'Weekly' });
    expect(coerceOptions(infos, { n: 'twelve', b: 'maybe' })).toEqual({ n: 'twelve', b: 'maybe' });
  });
});
