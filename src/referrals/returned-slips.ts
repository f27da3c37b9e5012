import { and, eq, inArray } from 'drizzle-orm';
import { referrals } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import type { GroupRow } from '../communities/rows.js';
import { OPEN_STATUSES } from './lifecycle.js';
import { peopleOf } from './move.js';
import { receiverMessage } from './notifications.js';
import { recordStatus } from './referral-repo.js';

/**
 * A member who leaves or is removed cannot follow up what they were given: their open slips in the group are
 * returned (closed as "not a fit (returned)", with the reason in the history), their DM loses its buttons, and
 * each giver is told so the prospect can go to someone else. Returns how many were returned.
 */
export async function returnSlipsOf(
  ctx: HandlerContext,
  group: GroupRow,
  memberId: number,
  why: 'left' | 'removed',
): Promise<number> {
  const open = await ctx.db
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.communityId, ctx.community.id),
        eq(referrals.groupId, group.id),
        eq(referrals.receiverId, memberId),
        inArray(referrals.status, [...OPEN_STATUSES]),
      ),
    )
    .for('update');
  for (const r of open) {
    const reason = why === 'left' ? 'the receiver left the group' : 'the receiver was removed from the group';
    const moved = await recordStatus(ctx.db, r, 'not_a_fit', {
      actorId: ctx.actor.id,
      now: ctx.clock.now(),
      reason: `returned: ${reason}`,
      note: `returned: ${reason}`,
    });
    const people = await peopleOf(ctx, moved);
    const name = people.receiver?.displayName ?? 'the receiver';
    ctx.send(
      receiverMessage(
        moved,
        people,
        `Referral #${r.number} is closed: returned to its giver because you are no longer a member of ${group.name}.`,
      ),
    );
    if (moved.giverId && moved.giverId !== memberId) {
      ctx.send({
        target: { kind: 'dm', memberId: moved.giverId },
        content: {
          text: `Your referral #${r.number} (${r.prospectName ?? 'prospect'}) is returned to you: ${name} is no longer a member of ${group.name}. Pass the prospect to another member with /refer.`,
        },
      });
    }
  }
  return open.length;
}
