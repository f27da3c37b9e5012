import { and, desc, eq, sql } from 'drizzle-orm';
import { applications, groupMemberships, groups } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { upsertMembership } from '../communities/community-repo.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import type { Button, Reply } from '../messages.js';
import { postCard } from './introduce.js';
import { profileCard } from './profile-card.js';
import { memberWithProfile } from './profile-repo.js';
import { rivalApplicants } from './seat-conflicts.js';
import { hasOverride, seatHolder } from './seats.js';

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
  const seatKey = membership?.seatKey ?? profile.categoryKey;
  const oneSeat = readSettings(group.settings).oneSeatPerCategory;
  if (oneSeat) {
    // Locked like checkSeatFree: two moderators approving rivals at once are served one after the other.
    await ctx.db.execute(sql`select 1 from ${groups} where ${groups.id} = ${group.id} for update`);
    const holder = await seatHolder(ctx.db, group.id, seatKey, memberId);
    if (holder && !(await hasOverride(ctx.db, group.id, memberId, seatKey))) {
      // Told to the moderator in a moderator's terms (the applicant's "ask a moderator" wording would be wrong here).
      throw new UserError(
        'conflict',
        `${member.displayName} cannot be approved into the “${profile.category}” seat: ${holder.displayName} holds it, and ${group.name} has one member per profession.`,
        `Let ${member.displayName} share the seat and approve, or decline the application (/applications lists who is waiting).`,
        { buttons: applicantButtons(memberId, member.displayName, true).slice(1) },
      );
    }
  }
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
  // Rivals for the seat just filled hear it now, and the moderator sees what is left to decide.
  const rivals = oneSeat ? await rivalApplicants(ctx.db, group.id, seatKey, memberId) : [];
  const waiting = [];
  for (const rival of rivals) {
    if (await hasOverride(ctx.db, group.id, rival.id, seatKey)) continue;
    waiting.push(rival);
    ctx.send({
      target: { kind: 'dm', memberId: rival.id },
      content: {
        text: `The “${profile.category}” seat in ${group.name} was filled while your application waited (the group has one member per profession). Your application stays with the moderators: they may let you share the seat or decline it. You can also apply with another category with /intro.`,
      },
    });
  }
  return {
    text: `Approved ${member.displayName} (by ${ctx.actor.displayName}).${
      waiting.length
        ? `\n⚠ ${waiting.map((w) => w.displayName).join(', ')} also applied for the “${profile.category}” seat and ${waiting.length === 1 ? 'is' : 'are'} told it is now taken: let them share it, or decline.`
        : ''
    }`,
    replaceOriginal: true,
    card,
    visibility: 'private',
    ...(waiting.length
      ? { buttons: waiting.flatMap((w) => applicantButtons(w.id, w.displayName, true).slice(1)) }
      : {}),
  };
}

/**
 * A moderator's buttons for one applicant: Approve, Let share (approves with the seat shared, where a seat stands in
 * the way) and Decline. Labels carry the name, so a list of several applicants stays unambiguous.
 */
export function applicantButtons(memberId: number, name: string, conflict: boolean): Button[] {
  const who = name.length > 40 ? `${name.slice(0, 39)}…` : name;
  const arg = String(memberId);
  return [
    {
      label: `Approve ${who}`,
      action: { command: 'applications', action: 'approve', arg },
      ...(conflict ? {} : { style: 'primary' as const }),
    },
    ...(conflict
      ? [
          {
            label: `Let ${who} share`,
            action: { command: 'applications', action: 'share', arg },
            style: 'primary' as const,
          },
        ]
      : []),
    { label: `Decline ${who}`, action: { command: 'decline', action: 'press', arg }, style: 'danger' },
  ];
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
