import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groupMemberships, groups, members } from '../../db/schema.js';
import { UserError } from '../errors.js';
import type { GroupRow, MemberRow } from './rows.js';

/** The group's active moderators, by name. */
export async function activeModerators(db: Db, groupId: number): Promise<MemberRow[]> {
  const rows = await db
    .select({ m: members })
    .from(groupMemberships)
    .innerJoin(members, eq(members.id, groupMemberships.memberId))
    .where(
      and(
        eq(groupMemberships.groupId, groupId),
        eq(groupMemberships.role, 'moderator'),
        eq(groupMemberships.status, 'active'),
      ),
    )
    .orderBy(sql`lower(${members.displayName})`);
  return rows.map((r) => r.m);
}

/**
 * Refuses to let a group lose its last moderator (leaving, being removed, stepping down): nobody could then run
 * /setup, approve applicants or take attendance. The group row is locked so two moderators stepping down at once
 * are served one after the other and one of them stays.
 */
export async function keepOneModerator(
  db: Db,
  group: GroupRow,
  member: MemberRow,
  doing: 'leave' | 'remove' | 'step-down',
): Promise<void> {
  await db.execute(sql`select 1 from ${groups} where ${groups.id} = ${group.id} for update`);
  const mods = await activeModerators(db, group.id);
  if (!mods.some((m) => m.id === member.id) || mods.length > 1) return;
  const who = doing === 'remove' ? `${member.displayName} is` : 'You are';
  const what =
    doing === 'leave' ? 'leave' : doing === 'remove' ? `remove ${member.displayName}` : 'step down as moderator';
  throw new UserError(
    'conflict',
    `${who} the only moderator of ${group.name}: the group cannot be left without one.`,
    `Appoint another moderator first with /moderator add member:@name, then ${what}.`,
  );
}

/** Makes an active member a moderator of the group, or back a member; false when nothing changed. */
export async function setRole(db: Db, groupId: number, memberId: number, role: 'moderator' | 'member') {
  const rows = await db
    .update(groupMemberships)
    .set({ role })
    .where(
      and(
        eq(groupMemberships.groupId, groupId),
        eq(groupMemberships.memberId, memberId),
        eq(groupMemberships.status, 'active'),
        sql`${groupMemberships.role} <> ${role}`,
      ),
    )
    .returning();
  return rows.length > 0;
}
