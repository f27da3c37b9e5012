import { closedBusiness } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import { isActiveSomewhere } from '../members/profile-repo.js';
import type { Reply } from '../messages.js';
import { formatMoney } from './money.js';

/** /thanks: the actor records business a member gave them outside a slip; the member is credited with it. */
export async function thankForBusiness(
  ctx: HandlerContext,
  giverId: number,
  amount: string,
  currency: string,
  note: string | undefined,
): Promise<Reply> {
  const group = ctx.requireGroup();
  if (giverId === ctx.actor.id)
    throw new UserError('bad_option', 'Thank someone else: business you gave yourself does not count.');
  if (!(await isActiveSomewhere(ctx.db, ctx.community.id, giverId)))
    throw new UserError('not_found', 'That person is not a member of a group here.');
  await ctx.db.insert(closedBusiness).values({
    communityId: ctx.community.id,
    groupId: group.id,
    giverId,
    receiverId: ctx.actor.id,
    amount,
    currency,
    note: note ?? null,
    createdAt: ctx.clock.now(),
  });
  const money = formatMoney(amount, currency);
  ctx.send({
    target: { kind: 'dm', memberId: giverId },
    content: {
      text: `${ctx.actor.displayName} thanked you for ${money} of closed business${note ? `: ${note}` : '.'}`,
    },
  });
  return {
    text: `Recorded: ${money} of closed business credited to the giver. Thank you for saying so!`,
    visibility: 'private',
  };
}
