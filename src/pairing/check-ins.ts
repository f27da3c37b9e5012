import { and, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  groups,
  members,
  pairingGroupMembers,
  pairingGroups,
  pairingPrograms,
  pairingRoundMembers,
  pairingRounds,
  profiles,
  roundOutcomes,
} from '../../db/schema.js';
import { heldGroups } from '../booking/booking-repo.js';
import { ASK_KIND } from '../booking/proposals.js';
import { keepOneAhead } from '../booking/rolling.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import type { Reply } from '../messages.js';
import { type CheckInStage, checkInMessage, PAIR_ACTIONS } from './round-messages.js';
import type { Person } from './round-plan.js';
import type { Send } from './round-run.js';

export type Answer = 'met' | 'scheduled' | 'couldnt';
export type OutcomeKind = 'referral' | 'connection' | 'none';

/** The members of a pairing group with their cards. */
export async function groupPeople(db: Db, pairingGroupId: number): Promise<Person[]> {
  return db
    .select({ member: members, profile: profiles })
    .from(pairingGroupMembers)
    .innerJoin(members, eq(members.id, pairingGroupMembers.memberId))
    .innerJoin(profiles, eq(profiles.memberId, members.id))
    .where(eq(pairingGroupMembers.pairingGroupId, pairingGroupId))
    .orderBy(members.id);
}

/**
 * Sends one check-in ("did you meet?") to every group of a round still waiting to meet. The caller has claimed the
 * stage (midpointSentAt / finalSentAt), so each check-in goes out once.
 */
export async function sendCheckIns(db: Db, roundId: number, stage: CheckInStage, send: Send): Promise<void> {
  const [row] = await db
    .select({ round: pairingRounds, program: pairingPrograms, group: groups })
    .from(pairingRounds)
    .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
    .innerJoin(groups, eq(groups.id, pairingPrograms.groupId))
    .where(eq(pairingRounds.id, roundId));
  if (!row) return;
  const open = await db
    .select()
    .from(pairingGroups)
    .where(
      and(
        eq(pairingGroups.roundId, roundId),
        or(eq(pairingGroups.status, 'pending'), eq(pairingGroups.status, 'scheduled')),
        // a 1-to-1 asked for from /powerteam is not the round's: it is asked "Did you meet?" once it is booked
        ne(pairingGroups.kind, ASK_KIND),
      ),
    );
  // a booked 1-to-1 gets its own "Did you meet?" shortly after its end (src/booking/booking-jobs.ts)
  const booked = await heldGroups(
    db,
    open.map((pg) => pg.id),
  );
  for (const pg of open) {
    if (booked.has(pg.id)) continue;
    const people = await groupPeople(db, pg.id);
    if (people.length < 2) continue;
    send(checkInMessage(row.program, row.group, people, pg.id, row.round, stage));
  }
}

export interface GroupContext {
  pg: typeof pairingGroups.$inferSelect;
  round: typeof pairingRounds.$inferSelect;
  program: typeof pairingPrograms.$inferSelect;
  group: typeof groups.$inferSelect;
}

/**
 * The pairing group behind a button, only for one of its members: the conversation carries the buttons, but the
 * check is here, so a stale or forwarded button cannot answer for someone else.
 */
export async function memberGroup(ctx: HandlerContext, arg: string | undefined): Promise<GroupContext> {
  const id = Number((arg ?? '').split('|')[0]);
  const [row] = Number.isInteger(id)
    ? await ctx.db
        .select({ pg: pairingGroups, round: pairingRounds, program: pairingPrograms, group: groups })
        .from(pairingGroups)
        .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
        .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
        .innerJoin(groups, eq(groups.id, pairingPrograms.groupId))
        .innerJoin(
          pairingGroupMembers,
          and(eq(pairingGroupMembers.pairingGroupId, pairingGroups.id), eq(pairingGroupMembers.memberId, ctx.actor.id)),
        )
        .where(and(eq(pairingGroups.id, id), eq(pairingRounds.communityId, ctx.community.id)))
    : [];
  if (!row) throw new UserError('not_found', 'That check-in is not one of yours.', 'Your own pairings: /pair status');
  return row;
}

/** A check-in answer: the group's status (a meeting that happened stays "met") and the member's answer. */
const CHECK_IN_LABEL: Record<Answer, string> = { met: 'Met', scheduled: 'Scheduled', couldnt: 'Couldn’t' };

export async function answerCheckIn(ctx: HandlerContext, arg: string | undefined, answer: Answer): Promise<Reply> {
  const g = await memberGroup(ctx, arg);
  const { pg, round, program } = g;
  const now = ctx.clock.now();
  // an asked-for 1-to-1 (/powerteam) is beside the round: its answer is the group's, not the member's round answer
  const asked = pg.kind === ASK_KIND;
  const [mine] = asked
    ? [{ answer: pg.status }]
    : await ctx.db
        .select({ answer: pairingRoundMembers.answer })
        .from(pairingRoundMembers)
        .where(and(eq(pairingRoundMembers.roundId, round.id), eq(pairingRoundMembers.memberId, ctx.actor.id)));
  // A second press of the same answer (a double click) changes nothing, and says so.
  if (mine?.answer === answer) {
    return {
      text: asked
        ? `This 1-to-1 is already marked “${CHECK_IN_LABEL[answer]}”: nothing changed.`
        : `You already answered “${CHECK_IN_LABEL[answer]}” for this round: nothing changed.`,
      visibility: 'private',
    };
  }
  if (!asked) {
    await ctx.db
      .update(pairingRoundMembers)
      .set({ answer, answeredAt: now })
      .where(and(eq(pairingRoundMembers.roundId, round.id), eq(pairingRoundMembers.memberId, ctx.actor.id)));
  }
  if (pg.status !== 'met') {
    await ctx.db.update(pairingGroups).set({ status: answer }).where(eq(pairingGroups.id, pg.id));
  }
  const a = String(pg.id);
  if (answer === 'met') {
    // rolling programs propose each member's next 1-to-1 the first time a pair says they met (issue 18)
    const next = pg.status !== 'met' ? await keepOneAhead(ctx, g, await groupPeople(ctx.db, pg.id)) : 0;
    return {
      text: `Great, thanks ${ctx.actor.displayName}! Did it lead to a referral or a connection?${next ? ' Your next 1-to-1 is proposed in a new conversation: book it while it is fresh.' : ''}`,
      buttons: [
        { label: 'A referral', action: { command: PAIR_ACTIONS, action: 'outcome', arg: `${a}|referral` } },
        { label: 'A connection', action: { command: PAIR_ACTIONS, action: 'outcome', arg: `${a}|connection` } },
        { label: 'Not this time', action: { command: PAIR_ACTIONS, action: 'outcome', arg: `${a}|none` } },
      ],
      visibility: 'private',
    };
  }
  // A check-in of a round that is over (its button pressed late, after the next round began) is recorded, but
  // offers nothing that belongs to a running round: no rematch, no "I will ask again".
  if (asked) {
    return {
      text: 'Sorry it could not happen. Ask again from /powerteam when it suits you both.',
      visibility: 'private',
    };
  }
  if (round.closedAt) {
    return {
      text: `Thanks, noted for round ${round.number} of ${program.name}. That round is over, so there is no rematch for it: the current round brings a new match (/pair status).`,
      visibility: 'private',
    };
  }
  if (answer === 'scheduled') {
    return {
      text: `Good to hear the meeting is in the diary. I will ask again before round ${round.number} of ${program.name} ends.`,
      visibility: 'private',
    };
  }
  return {
    text: 'Sorry it could not happen. Would you like a rematch with someone else who is free this round?',
    buttons: [
      { label: 'Rematch me', action: { command: PAIR_ACTIONS, action: 'rematch', arg: a }, style: 'primary' },
      { label: 'No thanks', action: { command: PAIR_ACTIONS, action: 'norematch', arg: a } },
    ],
    visibility: 'private',
  };
}

const OUTCOME_REPLY: Record<OutcomeKind, string> = {
  referral:
    'Recorded: your 1-to-1 led to a referral. Write the slip with /refer and it is linked to this round’s meeting.',
  connection: 'Recorded: your 1-to-1 led to a connection. Introduce them with /connect and the group sees who gives.',
  none: 'Thanks, noted. Meeting is what counts: the referrals come with time.',
};

/** One click after "Met": what the meeting led to, kept once per member, group and kind. */
export async function recordOutcome(ctx: HandlerContext, arg: string | undefined): Promise<Reply> {
  const kind = (arg ?? '').split('|')[1] as OutcomeKind;
  if (!(kind in OUTCOME_REPLY)) throw new UserError('bad_option', 'That button is out of date.');
  const { pg, round } = await memberGroup(ctx, arg);
  await ctx.db
    .insert(roundOutcomes)
    .values({ pairingGroupId: pg.id, memberId: ctx.actor.id, kind, createdAt: ctx.clock.now() })
    .onConflictDoNothing();
  await ctx.db
    .update(pairingRoundMembers)
    .set({ answeredAt: ctx.clock.now() })
    .where(
      and(
        eq(pairingRoundMembers.roundId, round.id),
        eq(pairingRoundMembers.memberId, ctx.actor.id),
        isNull(pairingRoundMembers.answeredAt),
      ),
    );
  return { text: OUTCOME_REPLY[kind], replaceOriginal: true, visibility: 'private' };
}

/** Referral outcomes recorded by these members, for reports. */
export async function outcomesOf(db: Db, pairingGroupIds: number[]) {
  if (pairingGroupIds.length === 0) return [];
  return db.select().from(roundOutcomes).where(inArray(roundOutcomes.pairingGroupId, pairingGroupIds));
}
