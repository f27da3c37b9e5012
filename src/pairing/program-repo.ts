import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups, pairingEnrollments, pairingExclusions, pairingPrograms, pairingStarters } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import type { Cadence } from './cadence.js';

export type ProgramRow = typeof pairingPrograms.$inferSelect;
export type EnrollmentRow = typeof pairingEnrollments.$inferSelect;

export const cadenceOf = (p: ProgramRow): Cadence => ({ kind: p.cadence as Cadence['kind'], cron: p.cron });

export async function listPrograms(db: Db, groupId: number): Promise<ProgramRow[]> {
  return db.select().from(pairingPrograms).where(eq(pairingPrograms.groupId, groupId)).orderBy(asc(pairingPrograms.id));
}

export async function findProgram(db: Db, groupId: number, name: string): Promise<ProgramRow | null> {
  const [row] = await db
    .select()
    .from(pairingPrograms)
    .where(and(eq(pairingPrograms.groupId, groupId), sql`lower(${pairingPrograms.name}) = lower(${name})`));
  return row ?? null;
}

/** The group a program belongs to (a button pressed in a DM knows the program, not the group). */
export async function programGroup(db: Db, program: ProgramRow): Promise<GroupRow | null> {
  const [row] = await db.select().from(groups).where(eq(groups.id, program.groupId));
  return row ?? null;
}

export async function getProgram(db: Db, communityId: number, id: number): Promise<ProgramRow | null> {
  const [row] = await db
    .select()
    .from(pairingPrograms)
    .where(and(eq(pairingPrograms.communityId, communityId), eq(pairingPrograms.id, id)));
  return row ?? null;
}

/** The program a command means: the one named, else the group's only one; a user error when that is unclear. */
export async function resolveProgram(db: Db, group: GroupRow, name: string | undefined): Promise<ProgramRow> {
  if (name) {
    const found = await findProgram(db, group.id, name);
    if (found) return found;
  }
  const all = await listPrograms(db, group.id);
  if (all.length === 0) {
    throw new UserError(
      'not_found',
      `${group.name} has no pairing program yet.`,
      'A moderator creates one with /pair setup name:"Coffee" cadence:weekly',
    );
  }
  const names = all.map((p) => `“${p.name}”`).join(', ');
  if (name)
    throw new UserError('not_found', `There is no pairing program “${name}” in ${group.name}.`, `Programs: ${names}`);
  if (all.length > 1) {
    throw new UserError(
      'bad_option',
      `${group.name} runs several pairing programs: say which one with program:.`,
      `Programs: ${names}`,
    );
  }
  return all[0]!;
}

export async function getEnrollment(db: Db, programId: number, memberId: number): Promise<EnrollmentRow | null> {
  const [row] = await db
    .select()
    .from(pairingEnrollments)
    .where(and(eq(pairingEnrollments.programId, programId), eq(pairingEnrollments.memberId, memberId)));
  return row ?? null;
}

/** Sets a member's enrollment fields, creating the row (status `in`) when it does not exist yet. */
export async function setEnrollment(
  db: Db,
  programId: number,
  memberId: number,
  set: Partial<Pick<EnrollmentRow, 'status' | 'snoozedUntil' | 'skipNext'>>,
  now: Date,
): Promise<EnrollmentRow> {
  const [row] = await db
    .insert(pairingEnrollments)
    .values({ programId, memberId, status: 'in', ...set, updatedAt: now })
    .onConflictDoUpdate({
      target: [pairingEnrollments.programId, pairingEnrollments.memberId],
      set: { ...set, updatedAt: now },
    })
    .returning();
  return row!;
}

/** Records "never pair me with"; true when it is new. */
export async function addExclusion(db: Db, communityId: number, memberId: number, otherId: number): Promise<boolean> {
  const rows = await db
    .insert(pairingExclusions)
    .values({ communityId, memberId, otherMemberId: otherId })
    .onConflictDoNothing()
    .returning();
  return rows.length > 0;
}

export async function removeExclusion(db: Db, memberId: number, otherId: number): Promise<boolean> {
  const rows = await db
    .delete(pairingExclusions)
    .where(and(eq(pairingExclusions.memberId, memberId), eq(pairingExclusions.otherMemberId, otherId)))
    .returning();
  return rows.length > 0;
}

/** Every excluded pair of the community, for the matcher only. */
export async function exclusionPairs(db: Db, communityId: number): Promise<[number, number][]> {
  const rows = await db
    .select({ a: pairingExclusions.memberId, b: pairingExclusions.otherMemberId })
    .from(pairingExclusions)
    .where(eq(pairingExclusions.communityId, communityId));
  return rows.map((r) => [r.a, r.b]);
}

export const DEFAULT_STARTERS = [
  'What kind of client would you love to meet this month?',
  'What was your best business decision last year, and your worst?',
  'Which problem do your customers bring you most often?',
  'Who in this group could you introduce the other to?',
  'What does a good referral for you sound like, in one sentence?',
  'How did you get your first customer?',
];

export async function listStarters(db: Db, groupId: number): Promise<{ id: number; text: string }[]> {
  return db
    .select({ id: pairingStarters.id, text: pairingStarters.text })
    .from(pairingStarters)
    .where(eq(pairingStarters.groupId, groupId))
    .orderBy(asc(pairingStarters.id));
}

/** Gives a group the default starters the first time it sets up a program. */
export async function seedStarters(db: Db, groupId: number): Promise<void> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(pairingStarters)
    .where(eq(pairingStarters.groupId, groupId));
  if ((row?.n ?? 0) > 0) return;
  await db.insert(pairingStarters).values(DEFAULT_STARTERS.map((text) => ({ groupId, text })));
}

export async function addStarter(db: Db, groupId: number, text: string): Promise<void> {
  await db.insert(pairingStarters).values({ groupId, text });
}

export async function removeStarter(db: Db, groupId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(pairingStarters)
    .where(and(eq(pairingStarters.groupId, groupId), eq(pairingStarters.id, id)))
    .returning();
  return rows.length > 0;
}
