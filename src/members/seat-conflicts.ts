import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, groupMemberships, members, profiles } from '../../db/schema.js';
import type { GroupRow, MemberRow } from '../communities/rows.js';
import { readSettings } from '../groups/group-settings.js';
import { hasOverride, membersInSeat, seatHolder } from './seats.js';

/** A pending application with what stands in its way in a one-seat group. */
export interface PendingApplication {
  memberId: number;
  name: string;
  category: string | null;
  seatKey: string | null;
  appliedAt: Date;
  /** The active member holding the seat (and no override lets the applicant share it). */
  heldBy: string | null;
  /** Other applicants waiting for the same seat. */
  contestedBy: string[];
  /** A moderator already allowed this applicant to share the seat. */
  mayShare: boolean;
}

/** Other applicants to the group waiting for the same seat, by name. */
export function rivalApplicants(db: Db, groupId: number, seatKey: string, except: number): Promise<MemberRow[]> {
  return membersInSeat(db, groupId, seatKey, 'applicant', except);
}

/** The group's pending applications, oldest first, each with its seat conflicts (one-seat groups only). */
export async function pendingApplications(db: Db, group: GroupRow): Promise<PendingApplication[]> {
  const rows = await db
    .select({
      memberId: applications.memberId,
      name: members.displayName,
      category: profiles.category,
      seatKey: groupMemberships.seatKey,
      appliedAt: applications.createdAt,
    })
    .from(applications)
    .innerJoin(members, eq(members.id, applications.memberId))
    .leftJoin(profiles, eq(profiles.memberId, applications.memberId))
    .leftJoin(
      groupMemberships,
      and(eq(groupMemberships.groupId, applications.groupId), eq(groupMemberships.memberId, applications.memberId)),
    )
    .where(and(eq(applications.groupId, group.id), eq(applications.status, 'pending')))
    .orderBy(asc(applications.createdAt), asc(applications.id));
  const oneSeat = readSettings(group.settings).oneSeatPerCategory;
  const out: PendingApplication[] = [];
  for (const r of rows) {
    let heldBy: string | null = null;
    let contestedBy: string[] = [];
    let mayShare = false;
    if (oneSeat && r.seatKey) {
      mayShare = await hasOverride(db, group.id, r.memberId, r.seatKey);
      heldBy = mayShare ? null : ((await seatHolder(db, group.id, r.seatKey, r.memberId))?.displayName ?? null);
      contestedBy = (await rivalApplicants(db, group.id, r.seatKey, r.memberId)).map((m) => m.displayName);
    }
    out.push({ ...r, heldBy, contestedBy, mayShare });
  }
  return out;
}

/** "⚠ seat held by paul", "⚠ paul also applied for this seat": the flags a moderator sees. */
export function conflictNote(a: Pick<PendingApplication, 'heldBy' | 'contestedBy' | 'mayShare'>): string | null {
  const notes: string[] = [];
  if (a.heldBy) notes.push(`seat held by ${a.heldBy}`);
  if (a.contestedBy.length)
    notes.push(`${a.contestedBy.join(', ')} also appl${a.contestedBy.length === 1 ? 'ies' : 'y'} for this seat`);
  if (a.mayShare) notes.push('allowed to share the seat');
  return notes.length ? `${a.heldBy || a.contestedBy.length ? '⚠ ' : ''}${notes.join('; ')}` : null;
}
