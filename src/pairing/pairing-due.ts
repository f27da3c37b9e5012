import { type AnyColumn, and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { communities, groups, pairingPrograms, pairingRounds } from '../../db/schema.js';
import type { Core, DueRunner } from '../core.js';
import type { OutgoingMessage } from '../messages.js';
import type { Platform } from '../platform.js';
import { sendCheckIns } from './check-ins.js';
import type { CheckInStage } from './round-messages.js';
import { closeRound, overdueRounds, startRound } from './round-run.js';

/** An open round with no next round to close it (manual-only or stopped programs) closes this long after its end. */
const CLOSE_GRACE_MS = 2 * 86_400_000;

type Deliver = (communityId: number, messages: OutgoingMessage[]) => Promise<void>;

/**
 * One unit of due work in its own transaction; its messages are delivered only after it commits, so a failure sends
 * nothing and a crash after commit repeats nothing (the claim is part of the committed work).
 */
async function inTransaction(
  db: Db,
  deliver: Deliver,
  work: (tx: Db, send: (m: OutgoingMessage) => void) => Promise<number | null>,
): Promise<void> {
  const out: OutgoingMessage[] = [];
  const communityId = await db.transaction(async (tx) => {
    out.length = 0;
    return work(tx as Db, (m) => out.push(m));
  });
  if (communityId !== null && out.length) await deliver(communityId, out);
}

/** Which communities a run serves: all of a platform, or only some (test harnesses sharing one database). */
export interface DueScope {
  platform: Platform;
  communityIds?: number[];
}

const within = (column: AnyColumn, scope: DueScope) =>
  scope.communityIds
    ? sql`${column} = any(${sql.param(scope.communityIds)}::int[]) and ${column} in (select id from communities where platform = ${scope.platform} and active)`
    : sql`${column} in (select id from communities where platform = ${scope.platform} and active)`;

/**
 * Everything pairing that has come due by `now` for communities of one platform: check-ins (halfway and near the
 * end), rounds past their end that nothing closed, then scheduled rounds. Check-ins go first so a round's last
 * check-in is out before the next round closes it. Each claim is a conditional update or a unique insert, so two
 * processes ticking at once run each piece of work once.
 */
export async function runPairingDue(db: Db, scope: DueScope, now: Date, deliver: Deliver): Promise<void> {
  for (const stage of ['midpoint', 'final'] as CheckInStage[]) {
    const at = stage === 'midpoint' ? pairingRounds.midpointAt : pairingRounds.finalCheckAt;
    const sent = stage === 'midpoint' ? pairingRounds.midpointSentAt : pairingRounds.finalSentAt;
    const due = await db
      .select({ id: pairingRounds.id })
      .from(pairingRounds)
      .where(and(isNull(pairingRounds.closedAt), isNull(sent), lte(at, now), within(pairingRounds.communityId, scope)))
      .orderBy(pairingRounds.id);
    for (const { id } of due) {
      await inTransaction(db, deliver, async (tx, send) => {
        const set = stage === 'midpoint' ? { midpointSentAt: now } : { finalSentAt: now };
        const [claimed] = await tx
          .update(pairingRounds)
          .set(set)
          .where(and(eq(pairingRounds.id, id), isNull(sent)))
          .returning();
        if (!claimed) return null;
        await sendCheckIns(tx, id, stage, send);
        return claimed.communityId;
      });
    }
  }
  for (const id of await overdueRounds(db, now, CLOSE_GRACE_MS)) {
    await inTransaction(db, deliver, async (tx, send) => {
      const [r] = await tx
        .select()
        .from(pairingRounds)
        .where(and(eq(pairingRounds.id, id), within(pairingRounds.communityId, scope)));
      if (!r) return null;
      await closeRound(tx, id, now, send);
      return r.communityId;
    });
  }
  const programs = await db
    .select({ id: pairingPrograms.id })
    .from(pairingPrograms)
    .where(
      and(
        eq(pairingPrograms.active, true),
        lte(pairingPrograms.nextRunAt, now),
        within(pairingPrograms.communityId, scope),
      ),
    )
    .orderBy(pairingPrograms.id);
  for (const { id } of programs) {
    await inTransaction(db, deliver, async (tx, send) => {
      // Skip a program another process is running right now; the unique slot key stops a double run regardless.
      const [row] = await tx
        .select({ program: pairingPrograms, group: groups })
        .from(pairingPrograms)
        .innerJoin(groups, eq(groups.id, pairingPrograms.groupId))
        .where(and(eq(pairingPrograms.id, id), lte(pairingPrograms.nextRunAt, now)))
        .for('update', { of: pairingPrograms, skipLocked: true });
      if (!row?.program.nextRunAt) return null;
      const slot = row.program.nextRunAt;
      await startRound(
        tx,
        row.program,
        row.group,
        now,
        { trigger: 'schedule', slotKey: slot.toISOString(), slot },
        send,
      );
      return row.program.communityId;
    });
  }
}

/** The DueRunner the shell's `:advance` and the bot's tick call: pairing for the communities of the port's platform. */
export const pairingDueRunner: DueRunner = async (core: Core, port) => {
  const scope: DueScope = { platform: port.platform };
  if (port.communityRefs) {
    // a port serving named communities only (the shell, a test driver) runs their pairing work and nobody else's
    const rows = await core.db
      .select({ id: communities.id })
      .from(communities)
      .where(and(eq(communities.platform, port.platform), inArray(communities.platformRef, [...port.communityRefs])));
    scope.communityIds = rows.map((r) => r.id);
  }
  await runPairingDue(core.db, scope, core.clock.now(), (communityId, messages) =>
    core.messenger(port).deliver(communityId, messages),
  );
};
