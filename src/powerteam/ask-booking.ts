import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import {
  members,
  pairingGroupMembers,
  pairingGroups,
  pairingPrograms,
  pairingRounds,
  profiles,
} from '../../db/schema.js';
import { readBookingSettings } from '../booking/booking-repo.js';
import { ASK_KIND, ASK_WINDOW_DAYS, askWindow, proposeForRound } from '../booking/proposals.js';
import type { HandlerContext } from '../commands/define.js';
import type { GroupRow } from '../communities/rows.js';
import type { OutgoingMessage } from '../messages.js';
import type { ProgramRow } from '../pairing/program-repo.js';
import { programConversation } from '../pairing/round-messages.js';
import type { Person } from '../pairing/round-plan.js';

export { ASK_KIND };

/**
 * The shared conversation of an asked-for 1-to-1 (its pairing group's `starter` holds the ask's one-line reason):
 * both cards and why, in the program's conversation (so the booking's
 * reminders and "Did you meet?" land beside it). The proposal's times and buttons are added by withProposal.
 */
export function askMessage(program: ProgramRow, people: Person[], reason: string | null): OutgoingMessage {
  const who = people.map((p) => p.member.displayName);
  return {
    target: programConversation(program, people),
    content: {
      text: reason ?? `A 1-to-1 for ${who.join(' and ')}.`,
      card: {
        title: `${program.name} — 1-to-1 asked for`,
        fields: people.map((p) => ({
          label: `${p.member.displayName} — ${p.profile.business} (${p.profile.category})`,
          value: p.profile.pitch,
        })),
      },
    },
  };
}

/** The group's program an ask books through: active, with a round run (open rounds first), proposals on. */
async function bookingProgram(ctx: HandlerContext, group: GroupRow) {
  const settings = await readBookingSettings(ctx.db, group.id);
  if (!settings.propose) return null;
  const [row] = await ctx.db
    .select({ program: pairingPrograms, round: pairingRounds })
    .from(pairingPrograms)
    .innerJoin(pairingRounds, eq(pairingRounds.programId, pairingPrograms.id))
    .where(and(eq(pairingPrograms.groupId, group.id), eq(pairingPrograms.active, true)))
    .orderBy(sql`${pairingRounds.closedAt} is null desc`, desc(pairingRounds.startedAt))
    .limit(1);
  return row ? { ...row, settings } : null;
}

/** An ask between these two members (either way round) still running in one of the group's programs. */
async function openAsk(ctx: HandlerContext, group: GroupRow, a: number, b: number, since: Date) {
  const [row] = await ctx.db
    .select({ id: pairingGroups.id })
    .from(pairingGroups)
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
    .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
    .where(
      and(
        eq(pairingPrograms.groupId, group.id),
        eq(pairingGroups.kind, ASK_KIND),
        gte(pairingGroups.createdAt, since),
        sql`(select count(*) from ${pairingGroupMembers} m where m.pairing_group_id = ${pairingGroups.id} and m.member_id in (${a}, ${b})) = 2`,
      ),
    )
    .limit(1);
  return row ?? null;
}

export type AskBooking = { kind: 'booked'; pairingGroupId: number } | { kind: 'already' } | null;

/**
 * Books an asked-for 1-to-1 through the group's pairing program (issue 18): a pairing group of kind "ask" in the
 * program's latest round, with up to three times from both members' availability over the next two weeks, the
 * same Book / None of these / We'll arrange it ourselves buttons, and then the same invites, reminders and "Did
 * you meet?". Null when the group has no program that books (none, never run, or proposals off): the caller opens
 * a connection instead. A second ask for the same two within the window finds the first ("already").
 */
export async function askThroughProgram(
  ctx: HandlerContext,
  group: GroupRow,
  otherId: number,
  reason: string,
): Promise<AskBooking> {
  const found = await bookingProgram(ctx, group);
  if (!found) return null;
  const now = ctx.clock.now();
  const me = ctx.actor.id;
  if (await openAsk(ctx, group, me, otherId, new Date(now.getTime() - ASK_WINDOW_DAYS * 86_400_000))) {
    return { kind: 'already' };
  }
  // the asker first: the proposal's organiser, whose zone the buttons read in
  const people: Person[] = await ctx.db
    .select({ member: members, profile: profiles })
    .from(members)
    .innerJoin(profiles, eq(profiles.memberId, members.id))
    .where(inArray(members.id, [me, otherId]))
    .orderBy(sql`${members.id} <> ${me}`);
  if (people.length < 2) return null; // a member without a card: the connection carries what there is
  const [pg] = await ctx.db
    .insert(pairingGroups)
    .values({ roundId: found.round.id, kind: ASK_KIND, starter: reason, createdAt: now })
    .returning({ id: pairingGroups.id });
  await ctx.db
    .insert(pairingGroupMembers)
    .values([me, otherId].map((memberId) => ({ pairingGroupId: pg!.id, memberId })));
  const [message] = await proposeForRound(
    ctx.db,
    { communityId: group.communityId, ...askWindow(now) },
    group,
    [
      {
        pairingGroupId: pg!.id,
        members: people.map((p) => ({ id: p.member.id, name: p.member.displayName })),
        message: askMessage(found.program, people, reason),
      },
    ],
    now,
    found.settings,
  );
  ctx.send(message!);
  return { kind: 'booked', pairingGroupId: pg!.id };
}
