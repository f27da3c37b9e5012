import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { connectMembers } from '../src/members/connections.js';

export const connect = defineCommand({
  name: 'connect',
  description: 'Introduce two members to each other (a warm introduction)',
  access: 'member',
  options: z.object({
    member_a: memberOption('One member'),
    member_b: memberOption('The member to introduce them to'),
    reason: z.string().trim().min(5).max(500).describe('Why they should talk'),
  }),
  examples: ['/connect member_a:@ann member_b:@bob reason:"Ann’s clients keep asking for a bookkeeper"'],
  async run(ctx) {
    const a = await ctx.resolveMember(ctx.options.member_a);
    const b = await ctx.resolveMember(ctx.options.member_b);
    return connectMembers(ctx, a.id, b.id, ctx.options.reason);
  },
});
