import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { longText } from '../src/commands/options.js';
import { getMembers } from '../src/communities/community-repo.js';
import { askScope, offerHelp, openAsks, postAsk, referToAsker } from '../src/referrals/asks.js';

export const ask = defineCommand({
  name: 'ask',
  description: 'Tell the group who you are looking for; members answer “I can help”',
  access: 'member',
  options: z.object({
    text: longText('Who or what you are looking for, as specific as you can', 300),
    days: z.number().int().min(1).max(90).optional().describe('Keep it open this many days'),
  }),
  positional: 'text',
  examples: ['/ask "an introduction to the facilities manager of the new hospital"'],
  run: (ctx) => postAsk(ctx, ctx.options.text, ctx.options.days),
  actions: {
    help: { access: 'member', scope: askScope, run: (ctx) => offerHelp(ctx, Number(ctx.arg)) },
    refer: { access: 'member', scope: askScope, run: (ctx) => referToAsker(ctx, Number(ctx.arg)) },
  },
});

const ASKS_SHOWN = 25;

export const asksList = defineCommand({
  name: 'asks',
  description: 'Open asks of the group: what members are looking for',
  access: 'member',
  readOnly: true,
  options: z.object({}),
  async run(ctx) {
    // A busy chamber has hundreds open: the newest are shown, with the count (one message must stay readable).
    const { asks: open, total } = await openAsks(ctx, ASKS_SHOWN);
    if (open.length === 0) return { text: 'No open asks right now. Post yours with /ask.', visibility: 'private' };
    const people = await getMembers(ctx.db, ctx.community.id, open.map((a) => a.memberId!).filter(Boolean));
    const name = (id: number | null) => people.find((p) => p.id === id)?.displayName ?? 'a member';
    return {
      text: total > open.length ? `Open asks: the ${open.length} newest of ${total}:` : `Open asks (${total}):`,
      list: {
        items: open.map(
          (a) => `#${a.id} ${name(a.memberId)}: ${a.text} (until ${a.expiresAt.toISOString().slice(0, 10)})`,
        ),
      },
      visibility: 'private',
    };
  },
});
