import { z } from 'zod';
import { defineCommand, type HandlerContext } from '../src/commands/define.js';
import { resolveCategory } from '../src/members/categories.js';
import { directoryPage } from '../src/members/directory.js';
import type { Reply } from '../src/messages.js';

const PAGE_SIZE = 10;

/** One page with Previous/Next buttons that carry the page and category (`2|plumber`). */
async function page(
  ctx: HandlerContext,
  category: string | undefined,
  index: number,
  replaceOriginal: boolean,
): Promise<Reply> {
  ctx.requireGroup();
  const categoryKey = category ? await resolveCategory(ctx.db, ctx.community.id, category) : undefined;
  const { entries, total } = await directoryPage(ctx.db, ctx.community.id, {
    categoryKey,
    page: index,
    pageSize: PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (total > 0 && index >= pages) {
    // Past the end (page:9 of a 2-page directory, or a button from before members left): the last page, said so.
    const last = await page(ctx, category, pages - 1, replaceOriginal);
    return {
      ...last,
      text: `There is no page ${index + 1}: the directory has ${pages} page${pages === 1 ? '' : 's'}.\n${last.text}`,
    };
  }
  if (total === 0) {
    return {
      text: category
        ? `No members in the ${category} category yet.`
        : 'Nobody has introduced themselves yet: be the first with /intro.',
      visibility: 'private',
      replaceOriginal,
    };
  }
  const arg = (n: number) => `${n}|${categoryKey ?? ''}`;
  const buttons = [
    ...(index > 0
      ? [{ label: 'Previous', action: { command: 'directory', action: 'page', arg: arg(index - 1) } }]
      : []),
    ...(index + 1 < pages
      ? [{ label: 'Next', action: { command: 'directory', action: 'page', arg: arg(index + 1) } }]
      : []),
  ];
  return {
    text: `Directory${category ? ` — ${category}` : ''}: ${total} member${total === 1 ? '' : 's'} (page ${index + 1} of ${pages})`,
    list: { items: entries.map((e) => `${e.category} — ${e.name} (${e.business})`) },
    buttons,
    visibility: 'private',
    replaceOriginal,
  };
}

export const directory = defineCommand({
  name: 'directory',
  description: 'Browse members by category',
  access: 'member',
  readOnly: true,
  options: z.object({
    category: z.string().trim().min(2).max(60).optional().describe('Only this category, e.g. accountant'),
    page: z.number().int().min(1).max(10_000).optional().describe('Page number'),
  }),
  positional: 'category',
  async run(ctx) {
    return page(ctx, ctx.options.category, (ctx.options.page ?? 1) - 1, false);
  },
  actions: {
    page: {
      access: 'member',
      async run(ctx) {
        const [n, categoryKey] = (ctx.arg ?? '0|').split('|');
        return page(ctx, categoryKey || undefined, Math.max(0, Number(n) || 0), true);
      },
    },
  },
});
