import { and, eq } from 'drizzle-orm';
import { groupMemberships, groups, members } from '../../db/schema.js';
import { forgetBookingsOf } from '../booking/forget-bookings.js';
import type { HandlerContext } from '../commands/define.js';
import type { GroupRow } from '../communities/rows.js';
import { eraseOutboxOf } from '../delivery/forget-outbox.js';
import { UserError } from '../errors.js';
import { anonymiseReferralsOf } from '../referrals/forget.js';
import { returnSlipsOf } from '../referrals/returned-slips.js';
import { forgetMessagesOf } from './forget-messages.js';
import { introKey } from './profile-card.js';

/** Replaces a member's posted card (kept under its key) with a short notice. */
function retractCard(ctx: HandlerContext, group: GroupRow, memberId: number, text: string): void {
  ctx.send({
    target: { kind: 'channel', channelRef: group.introChannelRef ?? group.homeChannelRef },
    key: introKey(group.id, memberId),
    content: { text },
  });
}

/**
 * Ends a membership (left or removed): the seat is freed, the open slips the member received are returned to their
 * givers, and the posted card replaced by a notice.
 */
export async function endMembership(
  ctx: HandlerContext,
  group: GroupRow,
  memberId: number,
  status: 'left' | 'removed',
  name: string,
): Promise<boolean> {
  const [row] = await ctx.db
    .update(groupMemberships)
    .set({ status, seatKey: null, role: 'member' })
    .where(and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.memberId, memberId)))
    .returning();
  if (!row) return false;
  await returnSlipsOf(ctx, group, memberId, status);
  retractCard(
    ctx,
    group,
    memberId,
    status === 'left' ? `${name} has left ${group.name}.` : `${name} is no longer a member of ${group.name}.`,
  );
  return true;
}

/**
 * /forget-me, after confirmation: the member's personal data is deleted across the community. Their cards are
 * replaced by a notice; connections they gave or received stay as anonymous counts (ids set to null).
 */
export async function forgetMember(ctx: HandlerContext): Promise<void> {
  const rows = await ctx.db
    .select({ g: groups })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(eq(groupMemberships.memberId, ctx.actor.id));
  for (const { g } of rows) retractCard(ctx, g, ctx.actor.id, 'This introduction was removed at the member’s request.');
  await eraseOutboxOf(ctx.db, ctx.community.id, ctx.actor.id);
  // What the outbox's own erasure leaves: messages naming their visitors, their DM's tracked messages and ids.
  await forgetMessagesOf(ctx.db, ctx.community.id, ctx.actor);
  await anonymiseReferralsOf(ctx.db, ctx.community.id, ctx.actor.id);
  await forgetBookingsOf(ctx.db, ctx.community.id, ctx.actor.id);
  const deleted = await ctx.db
    .delete(members)
    .where(and(eq(members.id, ctx.actor.id), eq(members.communityId, ctx.community.id)))
    .returning({ id: members.id });
  if (deleted.length === 0) throw new UserError('not_found', 'There is no data about you here to delete.');
}
