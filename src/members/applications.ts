import { and, desc, eq } from 'drizzle-orm';
import { applications, groupMemberships } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { upsertMembership } from '../communities/community-repo.js';
import { UserError } from '../errors.js';
import type { Reply } from '../messages.js';
import { postCard } from './introduce.js';
import { profileCard } from './profile-card.js';
import { memberWithProfile } from './profile-repo.js';
import { checkSeatFree } from './seats.js';

/** The member's pending application to the actor's group, locked; a decided one is a clear refusal. */
async function pending(ctx: HandlerContext, memberId: number) {
  const group = ctx.requireGroup();
  const found = await memberWithProfile(ctx.db, ctx.community.id, memberId);
  if (!found) throw new UserError('not_found', 'That member is not in this community.');
  const mine = and(eq(applications.groupId, group.id), eq(applications.memberId, memberId));
  const [app] = await ctx.db
    .select()
    .from(applications)
    .where(and(mine, eq(applications.status, 'pending')))
    .for('update');
  if (app) return { group, ...found, app };
  const [last] = await ctx.db.select().from(applications).where(mine).orderBy(desc(applications.id)).limit(1);
  throw new UserError(
    'conflict',
    last
      ? `${found.member.displayName}’s application was already ${last.status}.`
      : `${found.member.displayName} has no application to ${group.name}.`,
  );
}

/** A moderator approves: the applicant becomes an active member, their card is posted and they are told. */
export async function approveApplication(ctx: HandlerContext, memberId: number): Promise<Reply> {
  const { group, member, profile, app } = await pending(ctx, memberId);
  if (!profile) throw new UserError('not_found', `${member.displayName} has no introduction card.`);
  const [membership] = await ctx.db
    .select()
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.memberId, memberId)));
  await checkSeatFree(ctx.db, group, member, membership?.seatKey ?? profile.categoryKey, profile.category);
  await ctx.db
    .update(applications)
    .set({ status: 'approved', decidedBy: ctx.actor.id, decidedAt: ctx.clock.now() })
    .where(eq(applications.id, app.id));
  await upsertMembership(ctx.db, {
    groupId: group.id,
    memberId,
    communityId: ctx.community.id,
    status: 'active',
    joinedAt: ctx.clock.now(),
  });
  const card = profileCard(member, profile);
  postCard(ctx, group, memberId, card, true);
  ctx.send({
    target: { kind: 'dm', memberId },
    content: {
      text: `Good news: your application to ${group.name} was approved. Welcome! Your introduction is now posted.`,
    },
  });
  return {
    text: `Approved ${member.displayName} (by ${ctx.actor.displayName}).`,
    replaceOriginal: true,
    card,
    visibility: 'private',
  };
}

/** A moderator declines, with a reason the applicant is told. */
export async function declineApplication(
  ctx: HandlerContext,
  memberId: number,
  reason: string | undefined,
): Promise<Reply> {
  const { group, member, app } = await pending(ctx, memberId);
  await ctx.db
    .update(applications)
    .set({ status: 'declined', reason: reason ?? null, decidedBy: ctx.actor.id, decidedAt: ctx.clock.now() })
    .where(eq(applications.id, app.id));
  await ctx.db
    .update(groupMemberships)
    .set({ status: 'declined', seatKey: null })
    .where(and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.memberId, memberId)));
  ctx.send({
    target: { kind: 'dm', memberId },
    content: {
      text: `Your application to ${group.name} was not accepted${reason ? `: ${reason}` : '.'}\nYou can ask a moderator about it, or apply again later with /intro.`,
    },
  });
  return {
    text: `Declined ${member.displayName}${reason ? ` (${reason})` : ''}.`,
    replaceOriginal: true,
    visibility: 'private',
  };
}
