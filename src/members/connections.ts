import { connections } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import type { Reply } from '../messages.js';
import { isActiveSomewhere, type MemberWithProfile, memberWithProfile } from './profile-repo.js';

async function activeMember(ctx: HandlerContext, memberId: number): Promise<MemberWithProfile> {
  const found = await memberWithProfile(ctx.db, ctx.community.id, memberId);
  if (!found || !(await isActiveSomewhere(ctx.db, ctx.community.id, memberId))) {
    throw new UserError(
      'not_found',
      `${found?.member.displayName ?? 'That person'} is not a member of a group here.`,
      'Only introduced, approved members can be connected.',
    );
  }
  return found;
}

function summary(x: MemberWithProfile): string {
  const p = x.profile;
  return p
    ? `${p.business} (${p.category}). ${p.pitch}\nIdeal referral: ${p.idealReferral}`
    : 'No introduction card yet.';
}

/**
 * /connect: a warm introduction. Both members (and the connector) get one shared conversation with each other's
 * card and the reason; it is recorded as a connection the actor gave.
 */
export async function connectMembers(
  ctx: HandlerContext,
  aId: number,
  bId: number,
  reason: string,
  opts: { selfIntroduction?: boolean; askId?: number } = {},
): Promise<Reply> {
  const group = ctx.requireGroup();
  if (aId === bId) throw new UserError('bad_option', 'Pick two different members to introduce to each other.');
  if (!opts.selfIntroduction && (aId === ctx.actor.id || bId === ctx.actor.id)) {
    throw new UserError(
      'bad_option',
      'A connection introduces two other members to each other.',
      'To meet someone yourself, message them or ask for a 1-to-1.',
    );
  }
  const a = await activeMember(ctx, aId);
  const b = await activeMember(ctx, bId);
  await ctx.db.insert(connections).values({
    communityId: ctx.community.id,
    groupId: group.id,
    giverId: ctx.actor.id,
    memberAId: aId,
    memberBId: bId,
    reason,
    ...(opts.askId !== undefined ? { askId: opts.askId } : {}),
  });
  ctx.send({
    target: {
      kind: 'conversation',
      memberIds: [...new Set([ctx.actor.id, aId, bId])],
      channelRef: group.homeChannelRef,
      title: `${a.member.displayName} meets ${b.member.displayName}`,
    },
    content: {
      text: opts.selfIntroduction
        ? reason
        : `${ctx.actor.displayName} is introducing ${a.member.displayName} and ${b.member.displayName}: ${reason}`,
      card: {
        title: `${a.member.displayName} meets ${b.member.displayName}`,
        fields: [
          { label: a.member.displayName, value: summary(a) },
          { label: b.member.displayName, value: summary(b) },
        ],
        footer: 'Reply here to set up a time to talk.',
      },
    },
  });
  return {
    text: opts.selfIntroduction
      ? `Done: you and ${b.member.displayName} are introduced. Thank you for giving!`
      : `Done: ${a.member.displayName} and ${b.member.displayName} are introduced. Thank you for giving!`,
    visibility: 'private',
  };
}
