import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { commitments, meetings, pairingGroups, pairingPrograms, pairingRounds, visitors } from '../../db/schema.js';
import { UserError } from '../errors.js';
import type { ObjectScope } from './define.js';
import { positiveInt } from './object-key.js';

/**
 * The groups of the objects buttons name (a meeting, a pairing, a commitment…). Their messages are often DMs
 * written by scheduled jobs, so the press finds its group from the object itself: a member of several groups acts
 * in the right one, and an object of another group or community answers exactly like one that does not exist.
 */
const scope = (
  groupOf: (db: Db, communityId: number, id: number) => Promise<number | null | undefined>,
  missing: () => UserError,
): ObjectScope & { fromArg: (arg: string) => unknown } => ({
  key: positiveInt,
  fromArg: (arg) => arg.split('|')[0],
  groupOf: async (db, communityId, id) => (await groupOf(db, communityId, id)) ?? null,
  missing,
});

export const meetingScope = scope(
  async (db, communityId, id) =>
    (
      await db
        .select({ g: meetings.groupId })
        .from(meetings)
        .where(and(eq(meetings.communityId, communityId), eq(meetings.id, id)))
    )[0]?.g,
  () => new UserError('not_found', 'That meeting no longer exists.'),
);

export const visitorScope = scope(
  async (db, communityId, id) =>
    (
      await db
        .select({ g: visitors.groupId })
        .from(visitors)
        .where(and(eq(visitors.communityId, communityId), eq(visitors.id, id)))
    )[0]?.g,
  () => new UserError('not_found', 'That visitor is not yours to follow up.'),
);

export const programScope = scope(
  async (db, communityId, id) =>
    (
      await db
        .select({ g: pairingPrograms.groupId })
        .from(pairingPrograms)
        .where(and(eq(pairingPrograms.communityId, communityId), eq(pairingPrograms.id, id)))
    )[0]?.g,
  () => new UserError('not_found', 'That pairing program no longer exists.'),
);

export const pairingScope = scope(
  async (db, communityId, id) =>
    (
      await db
        .select({ g: pairingPrograms.groupId })
        .from(pairingGroups)
        .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
        .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
        .where(and(eq(pairingRounds.communityId, communityId), eq(pairingGroups.id, id)))
    )[0]?.g,
  () => new UserError('not_found', 'That check-in is not one of yours.', 'Your own pairings: /pair status'),
);

export const commitmentScope = scope(
  async (db, communityId, id) =>
    (
      await db
        .select({ g: commitments.groupId })
        .from(commitments)
        .where(and(eq(commitments.communityId, communityId), eq(commitments.id, id)))
    )[0]?.g,
  () => new UserError('not_found', 'That commitment no longer exists.', 'See yours with /commitments.'),
);
