import { and, desc, eq, inArray, isNotNull, isNull, lte, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  groups,
  members,
  pairingEnrollments,
  pairingGroupMembers,
  pairingGroups,
  pairingPrograms,
  pairingRoundMembers,
  pairingRounds,
} from '../../db/schema.js';
import { type NewProposal, proposeForRound } from '../booking/proposals.js';
import { moderatorsOf } from '../communities/community-repo.js';
import type { GroupRow } from '../communities/rows.js';
import type { Logger } from '../logger.js';
import type { OutgoingMessage } from '../messages.js';
import { seededRandom } from '../random.js';
import { nextSlot, roundLength } from './cadence.js';
import { cadenceOf, listStarters, type ProgramRow, setEnrollment } from './program-repo.js';
import { pairingMessage, plural, unplacedMessage } from './round-messages.js';
import { nextRoundNumber, planRound, type RoundPlan, roundSeed } from './round-plan.js';

export type RoundRow = typeof pairingRounds.$inferSelect;
export type Send = (m: OutgoingMessage) => void;

const DAY_MS = 86_400_000;
/** Rounds in a row a member may leave every check-in unanswered before they are paused (Donut's rule). */
export const IGNORED_ROUNDS_LIMIT = 3;

export interface RoundTrigger {
  trigger: 'schedule' | 'manual';
  /** Unique per program: the scheduled slot's instant, or `manual:<time>`. */
  slotKey: string;
  /** The scheduled slot (absent for manual starts). */
  slot?: Date;
}

/**
 * When a round ends and its check-ins fall. A scheduled round lasts until the next slot; a manual one until the
 * slot after at least half a round from now, so rounds never overlap and the schedule keeps its rhythm. The final
 * check-in comes a day before the end (at most a quarter of the round), so it is answered before the next round
 * closes this one.
 */
export function roundTimeline(program: ProgramRow, group: GroupRow, now: Date, t: RoundTrigger) {
  const cadence = cadenceOf(program);
  const anchor = program.createdAt;
  let endsAt: Date;
  if (t.trigger === 'schedule') {
    endsAt = nextSlot(cadence, group.timezone, t.slot && t.slot > now ? t.slot : now, anchor);
  } else {
    const half = roundLength(cadence, group.timezone, now, anchor) / 2;
    endsAt = nextSlot(cadence, group.timezone, new Date(now.getTime() + half), anchor);
  }
  const span = endsAt.getTime() - now.getTime();
  return {
    endsAt,
    midpointAt: new Date(now.getTime() + span / 2),
    finalCheckAt: new Date(endsAt.getTime() - Math.min(DAY_MS, span / 4)),
  };
}

/**
 * Runs one round: claims the slot (a second claim of the same program+slot returns null and does nothing), closes
 * the program's earlier rounds, matches, records groups and members, and queues each group's conversation and each
 * unplaced member's reason. Everything is written in the caller's transaction; messages go out after it commits.
 */
export async function startRound(
  db: Db,
  program: ProgramRow,
  group: GroupRow,
  now: Date,
  trigger: RoundTrigger,
  send: Send,
  log?: Logger,
): Promise<{ round: RoundRow; plan: RoundPlan } | null> {
  const number = await nextRoundNumber(db, program.id);
  const timeline = roundTimeline(program, group, now, trigger);
  const [round] = await db
    .insert(pairingRounds)
    .values({
      programId: program.id,
      communityId: program.communityId,
      number,
      slotKey: trigger.slotKey,
      trigger: trigger.trigger,
      seed: roundSeed(program.id, number),
      startedAt: now,
      ...timeline,
    })
    .onConflictDoNothing()
    .returning();
  if (!round) return null;
  await db.update(pairingPrograms).set({ nextRunAt: timeline.endsAt }).where(eq(pairingPrograms.id, program.id));
  const earlier = await db
    .select({ id: pairingRounds.id })
    .from(pairingRounds)
    .where(
      and(eq(pairingRounds.programId, program.id), isNull(pairingRounds.closedAt), ne(pairingRounds.id, round.id)),
    );
  for (const r of earlier) await closeRound(db, r.id, now, send);

  const plan = await planRound(db, program, group, now, number);
  const starters = await listStarters(db, group.id);
  const random = seededRandom(round.seed);
  const proposals: NewProposal[] = [];
  for (const ids of plan.result.groups) {
    const starter = starters.length ? starters[random.int(starters.length)]!.text : null;
    const [pg] = await db.insert(pairingGroups).values({ roundId: round.id, starter }).returning();
    await db.insert(pairingGroupMembers).values(ids.map((memberId) => ({ pairingGroupId: pg!.id, memberId })));
    await db
      .insert(pairingRoundMembers)
      .values(ids.map((memberId) => ({ roundId: round.id, memberId, pairingGroupId: pg!.id })));
    const people = ids.map((id) => plan.people.get(id)!);
    proposals.push({
      pairingGroupId: pg!.id,
      members: people.map((p) => ({ id: p.member.id, name: p.member.displayName })),
      message: pairingMessage(program, group, people, round, starter),
    });
  }
  // each pairing message carries up to three bookable times (issue 18), found for the whole round at once
  for (const m of await proposeForRound(db, round, group, proposals, now)) send(m);
  for (const u of plan.result.unplaced) {
    await db.insert(pairingRoundMembers).values({ roundId: round.id, memberId: u.memberId, unplacedCode: u.code });
    send(unplacedMessage(program, u.memberId, number, u.reason));
  }
  // A skip covers one round: the one that just ran.
  await db
    .update(pairingEnrollments)
    .set({ skipNext: false, updatedAt: now })
    .where(and(eq(pairingEnrollments.programId, program.id), eq(pairingEnrollments.skipNext, true)));
  const placed = plan.result.groups.reduce((n, g) => n + g.length, 0);
  if (placed > 0) {
    send({
      target: { kind: 'channel', channelRef: program.channelRef },
      content: {
        text: `Round ${number} of ${program.name}: ${placed} members in ${plural(plan.result.groups.length, 'group')}. Check your messages, and say hello!`,
      },
    });
  }
  log?.info(
    { programId: program.id, round: number, groups: plan.result.groups.length, unplaced: plan.result.unplaced.length },
    'pairing round started',
  );
  return { round, plan };
}

/**
 * Closes a round once (later calls do nothing) and pauses whoever left every check-in of their last three rounds of
 * the program unanswered; the member and the moderators are told. A late answer still counts: the streak is read
 * from the answers, not kept as a counter.
 */
export async function closeRound(db: Db, roundId: number, now: Date, send: Send): Promise<void> {
  const [round] = await db
    .update(pairingRounds)
    .set({ closedAt: now })
    .where(and(eq(pairingRounds.id, roundId), isNull(pairingRounds.closedAt)))
    .returning();
  if (!round) return;
  const silent = await db
    .select({ memberId: pairingRoundMembers.memberId })
    .from(pairingRoundMembers)
    .where(
      and(
        eq(pairingRoundMembers.roundId, roundId),
        isNotNull(pairingRoundMembers.pairingGroupId),
        isNull(pairingRoundMembers.answeredAt),
      ),
    );
  if (silent.length === 0) return;
  const ids = silent.map((s) => s.memberId);
  const recent = await db
    .select({ memberId: pairingRoundMembers.memberId, answeredAt: pairingRoundMembers.answeredAt })
    .from(pairingRoundMembers)
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingRoundMembers.roundId))
    .where(
      and(
        eq(pairingRounds.programId, round.programId),
        isNotNull(pairingRounds.closedAt),
        isNotNull(pairingRoundMembers.pairingGroupId),
        inArray(pairingRoundMembers.memberId, ids),
      ),
    )
    .orderBy(desc(pairingRounds.number));
  const streak = new Map<number, (Date | null)[]>();
  for (const r of recent) {
    const list = streak.get(r.memberId) ?? [];
    if (list.length < IGNORED_ROUNDS_LIMIT) list.push(r.answeredAt);
    streak.set(r.memberId, list);
  }
  const toPause = ids.filter((id) => {
    const list = streak.get(id) ?? [];
    return list.length === IGNORED_ROUNDS_LIMIT && list.every((a) => a === null);
  });
  if (toPause.length === 0) return;
  const [program] = await db.select().from(pairingPrograms).where(eq(pairingPrograms.id, round.programId));
  const [group] = await db.select().from(groups).where(eq(groups.id, program!.groupId));
  const paused: string[] = [];
  for (const id of toPause) {
    const [enrollment] = await db
      .select({ status: pairingEnrollments.status })
      .from(pairingEnrollments)
      .where(and(eq(pairingEnrollments.programId, program!.id), eq(pairingEnrollments.memberId, id)));
    if (enrollment?.status === 'paused' || enrollment?.status === 'out') continue;
    await setEnrollment(db, program!.id, id, { status: 'paused' }, now);
    const [m] = await db.select({ name: members.displayName }).from(members).where(eq(members.id, id));
    paused.push(m?.name ?? `member ${id}`);
    send({
      target: { kind: 'dm', memberId: id },
      content: {
        text: `You have not answered a ${program!.name} check-in for ${IGNORED_ROUNDS_LIMIT} rounds in a row, so I have paused your pairing. Come back any time with /pair join.`,
        buttons: [{ label: 'Rejoin', action: { command: 'pair status', action: 'join', arg: String(program!.id) } }],
      },
    });
  }
  if (paused.length === 0) return;
  for (const mod of await moderatorsOf(db, group!.id)) {
    send({
      target: { kind: 'dm', memberId: mod.id },
      content: {
        text: `Paused in ${program!.name} after ${IGNORED_ROUNDS_LIMIT} rounds without answering a check-in: ${paused.join(', ')}. They can rejoin with /pair join.`,
      },
    });
  }
}

/** Open rounds whose end passed more than `graceMs` ago (a program that is no longer scheduled closes them here). */
export async function overdueRounds(db: Db, now: Date, graceMs: number): Promise<number[]> {
  const rows = await db
    .select({ id: pairingRounds.id })
    .from(pairingRounds)
    .where(and(isNull(pairingRounds.closedAt), lte(pairingRounds.endsAt, new Date(now.getTime() - graceMs))));
  return rows.map((r) => r.id);
}
