import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { addAlias, categoryKey, normalizeCategory, resolveCategory } from '../src/members/categories.js';
import { setWanted } from '../src/members/seats.js';

export const seatAlias = defineCommand({
  name: 'seat-alias',
  description: 'Make one category name mean another, e.g. realtor = real estate agent',
  access: 'moderator',
  options: z.object({
    alias: z.string().trim().min(2).max(60).describe('The other name, e.g. realtor'),
    category: z.string().trim().min(2).max(60).describe('The seat it means, e.g. real estate agent'),
  }),
  examples: ['/seat-alias alias:realtor category:"real estate agent"'],
  async run(ctx) {
    ctx.requireGroup();
    if (categoryKey(ctx.options.alias) === categoryKey(ctx.options.category)) {
      return { text: 'Those two names are already the same seat.', visibility: 'private' };
    }
    await addAlias(ctx.db, ctx.community.id, ctx.options.alias, ctx.options.category);
    // Keys are skeletons for comparing: the moderator is answered in the words they used.
    return {
      text: `From now on “${normalizeCategory(ctx.options.alias)}” is the “${normalizeCategory(ctx.options.category)}” seat.`,
      visibility: 'private',
    };
  },
});

export const seatWanted = defineCommand({
  name: 'seat-wanted',
  description: 'List a profession the group wants to fill (or remove it from the list)',
  access: 'moderator',
  options: z.object({
    category: z.string().trim().min(2).max(60).describe('The profession, e.g. accountant'),
    remove: z.boolean().optional().describe('Take it off the wanted list'),
  }),
  positional: 'category',
  async run(ctx) {
    const group = ctx.requireGroup();
    const key = await resolveCategory(ctx.db, ctx.community.id, ctx.options.category);
    await setWanted(ctx.db, group.id, key, ctx.options.category, !ctx.options.remove);
    return {
      text: ctx.options.remove
        ? `“${ctx.options.category}” is off the wanted list.`
        : `“${ctx.options.category}” is on ${group.name}’s wanted list.`,
      visibility: 'private',
    };
  },
});
