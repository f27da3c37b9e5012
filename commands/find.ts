import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { findMembers } from '../src/members/directory.js';

export const find = defineCommand({
  name: 'find',
  description: 'Find members who serve a need, e.g. /find leaking roof',
  access: 'member',
  readOnly: true,
  options: z.object({ words: z.string().trim().min(2).max(200).describe('What you or a prospect need') }),
  positional: 'words',
  examples: ['/find leaking roof', '/find bookkeeping for restaurants'],
  async run(ctx) {
    ctx.requireGroup();
    const found = await findMembers(ctx.db, ctx.community.id, ctx.options.words);
    if (found.length === 0) {
      return {
        text: `No member’s card matches “${ctx.options.words}”. Try other words, or /directory to browse by category.`,
        visibility: 'private',
      };
    }
    return {
      text: `Members who may help with “${ctx.options.words}”:`,
      list: { items: found.map((f) => `${f.name} — ${f.category}, ${f.business}. Ideal referral: ${f.idealReferral}`) },
      visibility: 'private',
    };
  },
});
