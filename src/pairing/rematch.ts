import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { members, pairingGroupMembers, pairingGroups, pairingRoundMembers, profiles } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import type { Reply } from '../messages.js';
import { groupPeople, memberGroup } from './check-ins.js';
import { matchRound } from './matcher.js';
import { exclusionPairs, listStarters } from './program-repo.js';
import { pairingMessage } from './round-messages.js';
import { type Person, pairingHistory, participantOf } from './round-plan.js';

/**
 * "Couldn't" → "Rematch me": a new partner among the members of this round who are free — unplaced, or whose own
 * meeting fell through and who asked for a rematch. The matcher decides, with the program's mode, the exclusions and
 * the history, so every hard rule still holds; the member's current partners are excluded for this rematch only.
 * When nobody is free the member waits in the pool and the next member who asks may be matched with them.
 */
export async function requestRematch(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const { pg, round, program, group } = await memberGroup(ctx, arg);
  const now = ctx.clock.now();
  if (round.closedAt) {
    return {
      text: `Round ${round.number} of ${program.name} is over; the next round brings a new match.`,
      visibility: 'private',
    };
  }
  const [mine] = await ctx.db
    .select()
    .from(pairingRoundMembers)
    .where(and(eq(pairingRoundMembers.roundId, round.id), eq(pairingRoundMembers.memberId, ctx.actor.id)));
  if (mine && mine.pairingGroupId !== pg.id) {
    return { text: 'You already have a new match for this round: see your messages.', visibility: 'private' };
  }
  const current = (await groupPeople(ctx.db, pg.id)).map((p) => p.member.id);
  const pool: Person[] = await ctx.db
    .select({ member: members, profile: profiles })
    .from(pairingRoundMembers)
    .innerJoin(members, eq(members.id, pairingRoundMembers.memberId))
    .innerJoin(profiles, eq(profiles.memberId, members.id))
    .where(
      and(
        eq(pairingRoundMembers.roundId, round.id),
        ne(pairingRoundMembers.memberId, ctx.actor.id),
        or(isNull(pairingRoundMembers.pairingGroupId), eq(pairingRoundMembers.wantsRematch, true)),
        sql`${pairingRoundMembers.memberId} <> all(${sql.param(current)}::int[])`,
      ),
    );
  const [me] = await ctx.db
    .select({ member: members, profile: profiles })
    .from(members)
    .innerJoin(profiles, eq(profiles.memberId, members.id))
    .where(eq(members.id, ctx.actor.id));
  const everyone = me ? [me, ...pool] : [];
  const ids = everyone.map((p) => p.member.id);
  const partners = current.filter((id) => id !== ctx.actor.id).map((id) => [ctx.actor.id, id] as [number, number]);
  const result = matchRound(
    {
      participants: everyone.map((p) => participantOf(p, program, group, now)),
      groupSize: 2,
      mode: program.mode as 'standard' | 'cross-category' | 'mentor-mentee',
      excluded: [...(await exclusionPairs(ctx.db, program.communityId)), ...partners],
      history: await pairingHistory(ctx.db, group.id, ids),
      now,
    },
    round.seed + pg.id,
  );
  const found = result.groups.find((g) => g.includes(ctx.actor.id));
  if (!found) {
    await ctx.db
      .update(pairingRoundMembers)
      .set({ wantsRematch: true, answeredAt: now })
      .where(and(eq(pairingRoundMembers.roundId, round.id), eq(pairingRoundMembers.memberId, ctx.actor.id)));
    return {
      text: 'Nobody else is free this round yet. You are on the rematch list: if someone becomes free, you will be matched.',
      replaceOriginal: true,
      visibility: 'private',
    };
  }
  const starters = await listStarters(ctx.db, group.id);
  const starter = starters.length ? starters[(round.seed + pg.id) % starters.length]!.text : null;
  const [fresh] = await ctx.db
    .insert(pairingGroups)
    .values({ roundId: round.id, kind: 'rematch', starter })
    .returning();
  await ctx.db.insert(pairingGroupMembers).values(found.map((memberId) => ({ pairingGroupId: fresh!.id, memberId })));
  await ctx.db
    .insert(pairingRoundMembers)
    .values(found.map((memberId) => ({ roundId: round.id, memberId, pairingGroupId: fresh!.id })))
    .onConflictDoUpdate({
      target: [pairingRoundMembers.roundId, pairingRoundMembers.memberId],
      set: { pairingGroupId: fresh!.id, wantsRematch: false, unplacedCode: null },
    });
  await ctx.db
    .update(pairingRoundMembers)
    .set({ answeredAt: now })
    .where(and(eq(pairingRoundMembers.roundId, round.id), eq(pairingRoundMembers.memberId, ctx.actor.id)));
  const people = await ctx.db
    .select({ member: members, profile: profiles })
    .from(members)
    .innerJoin(profiles, eq(profiles.memberId, members.id))
    .where(inArray(members.id, found))
    .orderBy(members.id);
  ctx.send(pairingMessage(program, group, people, round, starter, true));
  return {
    text: `Rematched: you are meeting ${people
      .filter((p) => p.member.id !== ctx.actor.id)
      .map((p) => p.member.displayName)
      .join(' and ')} instead. See your new conversation.`,
    replaceOriginal: true,
    visibility: 'private',
  };
}
