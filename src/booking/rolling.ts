import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { bookings, pairingGroupMembers, pairingGroups, pairingRounds } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { roundLength } from '../pairing/cadence.js';
import type { GroupContext } from '../pairing/check-ins.js';
import { matchRound } from '../pairing/matcher.js';
import { cadenceOf, exclusionPairs, listStarters } from '../pairing/program-repo.js';
import { pairingMessage } from '../pairing/round-messages.js';
import { type Person, pairingHistory, participantOf, roundParticipants } from '../pairing/round-plan.js';
import { readBookingSettings } from './booking-repo.js';
import { proposeForRound } from './proposals.js';

/** Members of a program who already have a next 1-to-1: one being proposed, or booked and still ahead. */
async function withNext(ctx: HandlerContext, programId: number, ids: number[], except: number): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select({ memberId: pairingGroupMembers.memberId })
    .from(bookings)
    .innerJoin(pairingGroups, eq(pairingGroups.id, bookings.pairingGroupId))
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
    .innerJoin(pairingGroupMembers, eq(pairingGroupMembers.pairingGroupId, bookings.pairingGroupId))
    .where(
      and(
        eq(pairingRounds.programId, programId),
        inArray(pairingGroupMembers.memberId, ids),
        sql`${bookings.pairingGroupId} <> ${except}`,
        or(
          eq(bookings.status, 'proposing'),
          and(
            inArray(bookings.status, ['booked', 'rescheduling']),
            sql`${bookings.startsAt} > ${now.toISOString()}::timestamptz`,
          ),
          isNull(bookings.startsAt),
        ),
      ),
    );
  return new Set(rows.map((r) => r.memberId));
}

/**
 * "Keep one 1-to-1 booked ahead" (issue 18, per program): when a pair first says they met, each of them who has no
 * next 1-to-1 in the program is matched right away with another member who has none either (the matcher's rules:
 * mode, exclusions, history, and not the partner just met), and the new pair gets bookable times over the next
 * round's length. Called in the answering member's transaction; its messages go out after it commits.
 */
export async function keepOneAhead(ctx: HandlerContext, g: GroupContext, people: Person[]): Promise<number> {
  const settings = await readBookingSettings(ctx.db, g.group.id);
  if (!settings.rollingProgramIds.includes(g.program.id)) return 0;
  const now = ctx.clock.now();
  const pool = await roundParticipants(ctx.db, g.program, now);
  const busy = await withNext(
    ctx,
    g.program.id,
    pool.map((p) => p.member.id),
    g.pg.id,
  );
  const justMet = people.map((p) => p.member.id);
  const excluded = await exclusionPairs(ctx.db, g.program.communityId);
  const starters = await listStarters(ctx.db, g.group.id);
  const span = roundLength(cadenceOf(g.program), g.group.timezone, now, g.program.createdAt);
  let made = 0;
  for (const member of people) {
    if (busy.has(member.member.id)) continue;
    const free = pool.filter((p) => p.member.id !== member.member.id && !busy.has(p.member.id));
    const everyone = [member, ...free.filter((p) => !justMet.includes(p.member.id))];
    if (everyone.length < 2) continue;
    const result = matchRound(
      {
        participants: everyone.map((p) => participantOf(p, g.program, g.group, now)),
        groupSize: 2,
        mode: g.program.mode as 'standard' | 'cross-category' | 'mentor-mentee',
        excluded,
        history: await pairingHistory(
          ctx.db,
          g.group.id,
          everyone.map((p) => p.member.id),
        ),
        now,
      },
      g.round.seed + g.pg.id + member.member.id,
    );
    const group = result.groups.find((x) => x.includes(member.member.id));
    if (!group) continue;
    // an odd pool makes the matcher form a trio; a rolling 1-to-1 is the member and one partner
    const found = [member.member.id, group.find((id) => id !== member.member.id)!];
    const pair = found.map((id) => everyone.find((p) => p.member.id === id)!);
    const starter = starters.length ? starters[(g.pg.id + member.member.id) % starters.length]!.text : null;
    const [pg] = await ctx.db
      .insert(pairingGroups)
      .values({ roundId: g.round.id, kind: 'rolling', starter })
      .returning();
    await ctx.db.insert(pairingGroupMembers).values(found.map((memberId) => ({ pairingGroupId: pg!.id, memberId })));
    for (const id of found) busy.add(id);
    const base = pairingMessage(g.program, g.group, pair, g.round, starter);
    const names = pair.map((p) => p.member.displayName).join(', ');
    const message = {
      ...base,
      content: {
        ...base.content,
        text: `Your next 1-to-1 for ${g.program.name}, so one is always in the diary: ${names}.`,
        ...(base.content.card ? { card: { ...base.content.card, title: `${g.program.name} — next 1-to-1` } } : {}),
      },
    };
    const [proposed] = await proposeForRound(
      ctx.db,
      { communityId: g.program.communityId, startedAt: now, endsAt: new Date(now.getTime() + span) },
      g.group,
      [
        {
          pairingGroupId: pg!.id,
          members: pair.map((p) => ({ id: p.member.id, name: p.member.displayName })),
          message,
        },
      ],
      now,
      settings,
    );
    ctx.send(proposed!);
    made++;
  }
  return made;
}
