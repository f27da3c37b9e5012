import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { members, pairingGroupMembers, pairingGroups, pairingRoundMembers, pairingRounds } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { formatDay } from './cadence.js';
import type { ProgramRow } from './program-repo.js';
import { plural } from './round-messages.js';

const STATUS: Record<string, string> = {
  pending: 'no answer',
  met: 'met',
  scheduled: 'scheduled',
  couldnt: 'could not meet',
};

async function recentRounds(db: Db, programId: number, limit: number) {
  return db
    .select()
    .from(pairingRounds)
    .where(eq(pairingRounds.programId, programId))
    .orderBy(desc(pairingRounds.number))
    .limit(limit);
}

/** Each group of these rounds with its members' names, oldest group first. */
async function groupsOf(db: Db, roundIds: number[]) {
  if (roundIds.length === 0) return [];
  const rows = await db
    .select({ pg: pairingGroups, memberId: members.id, name: members.displayName })
    .from(pairingGroups)
    .innerJoin(pairingGroupMembers, eq(pairingGroupMembers.pairingGroupId, pairingGroups.id))
    .innerJoin(members, eq(members.id, pairingGroupMembers.memberId))
    .where(inArray(pairingGroups.roundId, roundIds))
    .orderBy(pairingGroups.id, members.id);
  const out = new Map<number, { pg: typeof pairingGroups.$inferSelect; people: { id: number; name: string }[] }>();
  for (const r of rows) {
    const g = out.get(r.pg.id) ?? { pg: r.pg, people: [] };
    g.people.push({ id: r.memberId, name: r.name });
    out.set(r.pg.id, g);
  }
  return [...out.values()];
}

/** /pair history: the latest rounds' groups, or one member's partners round by round. */
export async function pairingHistoryReport(
  db: Db,
  program: ProgramRow,
  group: GroupRow,
  member?: { id: number; displayName: string },
): Promise<{ title: string; items: string[] }> {
  const rounds = await recentRounds(db, program.id, member ? 20 : 5);
  const all = await groupsOf(
    db,
    rounds.map((r) => r.id),
  );
  const items: string[] = [];
  for (const r of rounds) {
    const day = formatDay(r.startedAt, group.timezone);
    const gs = all.filter((g) => g.pg.roundId === r.id);
    if (member) {
      for (const g of gs.filter((x) => x.people.some((p) => p.id === member.id))) {
        const others = g.people.filter((p) => p.id !== member.id).map((p) => p.name);
        items.push(
          `Round ${r.number} (${day})${g.pg.kind === 'rematch' ? ', rematch' : ''}: with ${others.join(' and ')} — ${STATUS[g.pg.status]}`,
        );
      }
    } else {
      const list = gs.map((g) => `${g.people.map((p) => p.name).join(' + ')} (${STATUS[g.pg.status]})`);
      items.push(`Round ${r.number} (${day}): ${list.join('; ') || 'no groups'}`);
    }
  }
  const title = member
    ? `${program.name}: ${member.displayName}’s pairings`
    : `${program.name}: the last ${rounds.length} round${rounds.length === 1 ? '' : 's'}`;
  return { title, items: items.length ? items : ['No rounds yet.'] };
}

/** /pair stats: per round, groups, met rate and answers; and who never answers a check-in. */
export async function pairingStats(db: Db, program: ProgramRow, group: GroupRow) {
  const rounds = await recentRounds(db, program.id, 10);
  const gs = await groupsOf(
    db,
    rounds.map((r) => r.id),
  );
  const answers = rounds.length
    ? await db
        .select({
          roundId: pairingRoundMembers.roundId,
          memberId: pairingRoundMembers.memberId,
          placed: pairingRoundMembers.pairingGroupId,
          answeredAt: pairingRoundMembers.answeredAt,
          name: members.displayName,
        })
        .from(pairingRoundMembers)
        .innerJoin(members, eq(members.id, pairingRoundMembers.memberId))
        .where(
          inArray(
            pairingRoundMembers.roundId,
            rounds.map((r) => r.id),
          ),
        )
    : [];
  const items = rounds.map((r) => {
    const mine = gs.filter((g) => g.pg.roundId === r.id);
    const met = mine.filter((g) => g.pg.status === 'met').length;
    const placed = answers.filter((a) => a.roundId === r.id && a.placed !== null);
    const answered = placed.filter((a) => a.answeredAt !== null).length;
    const unplaced = answers.filter((a) => a.roundId === r.id && a.placed === null).length;
    const rate = mine.length ? Math.round((100 * met) / mine.length) : 0;
    return `Round ${r.number} (${formatDay(r.startedAt, group.timezone)}): ${plural(mine.length, 'group')}, ${met} met (${rate}%), ${answered}/${placed.length} answered${unplaced ? `, ${unplaced} unplaced` : ''}`;
  });
  const silent = new Map<number, { name: string; rounds: number; answered: boolean }>();
  for (const a of answers.filter((x) => x.placed !== null)) {
    const s = silent.get(a.memberId) ?? { name: a.name, rounds: 0, answered: false };
    s.rounds++;
    s.answered ||= a.answeredAt !== null;
    silent.set(a.memberId, s);
  }
  const neverAnswers = [...silent.values()]
    .filter((s) => !s.answered)
    .map((s) => `${s.name} (${s.rounds} round${s.rounds === 1 ? '' : 's'})`);
  return { items: items.length ? items : ['No rounds yet.'], neverAnswers };
}

/** The member's current pairing in each open round, for /pair status. */
export async function currentPairings(db: Db, memberId: number, programIds: number[]) {
  if (programIds.length === 0) return [];
  const rows = await db
    .select({ round: pairingRounds, rm: pairingRoundMembers })
    .from(pairingRoundMembers)
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingRoundMembers.roundId))
    .where(and(eq(pairingRoundMembers.memberId, memberId), inArray(pairingRounds.programId, programIds)))
    .orderBy(desc(pairingRounds.number));
  const open = rows.filter((r) => r.round.closedAt === null);
  const gs = await groupsOf(
    db,
    open.map((r) => r.round.id),
  );
  return open.map((r) => ({
    round: r.round,
    partners:
      gs
        .find((g) => g.pg.id === r.rm.pairingGroupId)
        ?.people.filter((p) => p.id !== memberId)
        .map((p) => p.name) ?? [],
    pairingGroupId: r.rm.pairingGroupId,
  }));
}
