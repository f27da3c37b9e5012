import { z } from 'zod';
import { defineCommand, type HandlerContext } from '../src/commands/define.js';
import type { RegisteredCommand } from '../src/commands/registry.js';
import type { Reply } from '../src/messages.js';
import { byArea } from './help-areas.js';

/** One command with its options (and examples when it is the one asked about). */
function detail({ def, options }: RegisteredCommand, examples: boolean): string {
  const opts = options.map((o) => {
    const choices = o.choices ? ` (${o.choices.join(', ')})` : '';
    return `    ${o.name}${o.required ? '' : ' (optional)'}: ${o.description}${choices}`;
  });
  const mod = def.access === 'moderator' ? ' [moderators]' : '';
  const shown = examples && def.examples?.length ? def.examples.map((e) => `    e.g. ${e}`) : [];
  return [`/${def.name}${mod} — ${def.description}`, ...opts, ...shown].join('\n');
}

/**
 * What the actor may run here. Before /setup that is /setup (whoever runs it first becomes the moderator) and
 * /help; after it, everything but moderators' commands for members.
 */
function visibleCommands(ctx: HandlerContext): RegisteredCommand[] {
  if (!ctx.group) return ctx.commands.filter((c) => c.def.bootstrap || c.def.access === 'anyone');
  return ctx.commands.filter((c) => c.def.access !== 'moderator' || ctx.isModerator);
}

export const help = defineCommand({
  name: 'help',
  description: 'The commands you can use, by area: /help referrals, /help pairing, or /help a command',
  options: z.object({
    command: z.string().trim().optional().describe('An area (referrals, pairing, …) or a command, e.g. intro'),
  }),
  positional: 'command',
  access: 'anyone',
  readOnly: true,
  async run(ctx): Promise<Reply> {
    const visible = visibleCommands(ctx);
    const areas = byArea(visible);
    const wanted = ctx.options.command?.replace(/^\//, '').toLowerCase().trim();
    const notSetUp = ctx.group
      ? ''
      : 'This community has no group yet: run /setup in the group’s channel to create it (you become its moderator).\n';
    if (!wanted) {
      return {
        text: `${notSetUp}Commands you can use, by area. Type /help AREA for an area’s commands and options, or /help COMMAND for one (options as key:value, key:"two words"):`,
        list: {
          items: areas.map((a) => `${a.key} (${a.title}): ${a.commands.map((c) => `/${c.def.name}`).join(', ')}`),
        },
        visibility: 'private',
      };
    }
    const area = areas.find((a) => a.key === wanted);
    if (area) {
      return {
        text: `${notSetUp}Help for ${area.title} (/help COMMAND shows one with examples):`,
        list: { items: area.commands.map((c) => detail(c, false)) },
        visibility: 'private',
      };
    }
    const chosen = visible.filter((c) => c.def.name === wanted || c.def.name.startsWith(`${wanted} `));
    if (chosen.length === 0) {
      return {
        text: `${notSetUp}No command or area “${wanted}” that you can use. Areas: ${areas.map((a) => a.key).join(', ')}. Type /help for the list.`,
        visibility: 'private',
      };
    }
    return {
      text: `${notSetUp}Help for /${wanted}`,
      list: { items: chosen.map((c) => detail(c, true)) },
      visibility: 'private',
    };
  },
});
