import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';

export const help = defineCommand({
  name: 'help',
  description: 'List the commands you can use, with their options',
  options: z.object({
    command: z.string().trim().optional().describe('Show one command in detail, e.g. intro'),
  }),
  positional: 'command',
  access: 'anyone',
  async run(ctx) {
    const visible = ctx.commands.filter((c) => c.def.access !== 'moderator' || ctx.isModerator);
    const wanted = ctx.options.command?.replace(/^\//, '').toLowerCase();
    const chosen = wanted
      ? visible.filter((c) => c.def.name === wanted || c.def.name.startsWith(`${wanted} `))
      : visible;
    if (wanted && chosen.length === 0) {
      return { text: `No command /${wanted} that you can use. Type /help for the list.`, visibility: 'private' };
    }
    const items = chosen.map(({ def, options }) => {
      const opts = options.map((o) => {
        const choices = o.choices ? ` (${o.choices.join(', ')})` : '';
        return `    ${o.name}${o.required ? '' : ' (optional)'}: ${o.description}${choices}`;
      });
      const mod = def.access === 'moderator' ? ' [moderators]' : '';
      const examples = wanted && def.examples?.length ? def.examples.map((e) => `    e.g. ${e}`) : [];
      return [`/${def.name}${mod} — ${def.description}`, ...opts, ...examples].join('\n');
    });
    return {
      text: wanted ? `Help for /${wanted}` : 'Commands you can use (options as key:value, key:"two words"):',
      list: { items },
      visibility: 'private',
    };
  },
});
