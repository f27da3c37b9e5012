import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { groups, pairingPrograms, pairingRounds } from '../../db/schema.js';
import { defineJobKind } from '../scheduler/job-kinds.js';
import { sendCheckIns } from './check-ins.js';
import type { CheckInStage } from './round-messages.js';
import { closeRound, overdueRounds, type Send, startRound } from './round-run.js';

/** An open round with no next round to close it (manual-only or stopped programs) closes this long after its end. */
const CLOSE_GRACE_MS = 2 * 86_400_000;

const ofGroup = (groupId: number) =>
  sql`${pairingRounds.programId} in (select id from pairing_programs where group_id = ${groupId})`;

/**
 * Everything pairing that has come due by `now` in one group, in the caller's transaction (the job's): check-ins
 * (halfway and near the end), rounds past their end that nothing closed, then scheduled rounds. Check-ins go first
 * so a round's last check-in is out before the next round closes it. Each claim is a conditional update or a unique
 * insert, so two runs at once do each piece of work once.
 */
export async function runPairingDue(db: Db, groupId: number, now: Date, send: Send): Promise<void> {
  for (const stage of ['midpoint', 'final'] as CheckInStage[]) {
    const at = stage === 'midpoint' ? pairingRounds.midpointAt : pairingRounds.finalCheckAt;
    const sent = stage === 'midpoint' ? pairingRounds.midpointSentAt : pairingRounds.finalSentAt;
    const set = stage === 'midpoint' ? { midpointSentAt: now } : { finalSentAt: now };
    const claimed = await db
      .update(pairingRounds)
      .set(set)
      .where(and(isNull(pairingRounds.closedAt), isNull(sent), lte(at, now), ofGroup(groupId)))
      .returning({ id: pairingRounds.id });
    for (const { id } of claimed.sort((a, b) => a.id - b.id)) await sendCheckIns(db, id, stage, send);
  }
  const overdue = new Set(await overdueRounds(db, now, CLOSE_GRACE_MS));
  const mine = await db
    .select({ id: pairingRounds.id })
    .from(pairingRounds)
    .where(and(isNull(pairingRounds.closedAt), ofGroup(groupId)))
    .orderBy(pairingRounds.id);
  for (const { id } of mine) if (overdue.has(id)) await closeRound(db, id, now, send);
  const due = await db
    .select({ program: pairingPrograms, group: groups })
    .from(pairingPrograms)
    .innerJoin(groups, eq(groups.id, pairingPrograms.groupId))
    .where(
      and(eq(pairingPrograms.groupId, groupId), eq(pairingPrograms.active, true), lte(pairingPrograms.nextRunAt, now)),
    )
    .orderBy(pairingPrograms.id)
    // a program another run holds right now is its; the unique slot key stops a double run regardless
    .for('update', { of: pairingPrograms, skipLocked: true });
  for (const row of due) {
    const slot = row.program.nextRunAt!;
    await startRound(db, row.program, row.group, now, { trigger: 'schedule', slotKey: slot.toISOString(), slot }, send);
  }
}

/** Pairing's timed work, a job kind every group runs each minute; its messages go to the outbox with the job. */
export const pairingDueJob = defineJobKind({
  kind: 'pairing.due',
  coalesce: true,
  payload: z.object({}).loose(),
  async run(job, ctx) {
    if (job.groupId === null) return;
    const out: Parameters<Send>[0][] = [];
    await runPairingDue(ctx.db, job.groupId, ctx.now, (m) => out.push(m));
    // a member who turned pairing off in /me gets no pairing DM (shared conversations are the round's own)
    await ctx.send(out.map((m) => (m.target.kind === 'dm' ? { ...m, optOutKey: 'pairing' } : m)));
  },
});
