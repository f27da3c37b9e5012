import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groupMemberships, groups, members, profiles, seatOverrides, wantedSeats } from '../../db/schema.js';
import type { GroupRow, MemberRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import { encodeAction } from '../messages.js';
import { normalizeCategory } from './categories.js';

/** Members of a group in a seat with one membership status, other than `except`, in the order they joined. */
export async function membersInSeat(
  db: Db,
  groupId: number,
  seatKey: string,
  status: 'active' | 'applicant',
  except: number,
): Promise<MemberRow[]> {
  const rows = await db
    .select({ m: members })
    .from(groupMemberships)
    .innerJoin(members, eq(members.id, groupMemberships.memberId))
    .where(
      and(
        eq(groupMemberships.groupId, groupId),
        eq(groupMemberships.seatKey, seatKey),
        eq(groupMemberships.status, status),
        ne(groupMemberships.memberId, except),
      ),
    )
    .orderBy(asc(groupMemberships.joinedAt), asc(members.id));
  return rows.map((r) => r.m);
}

/** Who holds a seat in a group (active members only), other than `except`. */
export async function seatHolder(db: Db, groupId: number, seatKey: string, except: number): Promise<MemberRow | null> {
  return (await membersInSeat(db, groupId, seatKey, 'active', except))[0] ?? null;
}

/** A moderator allowed this member to share the seat. */
export async function hasOverride(db: Db, groupId: number, memberId: number, seatKey: string): Promise<boolean> {
  const rows = await db
    .select({ k: seatOverrides.seatKey })
    .from(seatOverrides)
    .where(
      and(eq(seatOverrides.groupId, groupId), eq(seatOverrides.memberId, memberId), eq(seatOverrides.seatKey, seatKey)),
    );
  return rows.length > 0;
}

/**
 * Refuses a seat that another active member holds in a one-seat group, unless a moderator allowed sharing it.
 * The group row is locked first, so two members claiming one seat at once are served one after the other.
 */
export async function checkSeatFree(
  db: Db,
  group: GroupRow,
  member: MemberRow,
  seatKey: string,
  /** The category as the member wrote it (the key is a skeleton, not for reading). */
  category: string,
): Promise<void> {
  if (!readSettings(group.settings).oneSeatPerCategory) return;
  await db.execute(sql`select 1 from ${groups} where ${groups.id} = ${group.id} for update`);
  const holder = await seatHolder(db, group.id, seatKey, member.id);
  if (!holder || (await hasOverride(db, group.id, member.id, seatKey))) return;
  throw new UserError(
    'conflict',
    `The ${normalizeCategory(category)} seat in ${group.name} is already held by ${holder.displayName}: this group has one member per profession.`,
    'If your business is different enough, ask a moderator to let you share the seat.',
    {
      buttons: [
        { label: 'Ask a moderator', action: { command: 'seats', action: 'ask', arg: seatKey }, style: 'primary' },
      ],
    },
  );
}

export async function grantOverride(
  db: Db,
  groupId: number,
  memberId: number,
  seatKey: string,
  by: number,
): Promise<void> {
  await db.insert(seatOverrides).values({ groupId, memberId, seatKey, grantedBy: by }).onConflictDoNothing();
}

export interface SeatReport {
  taken: { seat: string; holders: string[] }[];
  open: string[];
  unseated: string[];
}

/** Taken seats, wanted-but-open seats, and active members without a seat, for /seats and the group card. */
export async function seatReport(db: Db, groupId: number): Promise<SeatReport> {
  const rows = await db
    .select({ name: members.displayName, seat: groupMemberships.seatKey, label: profiles.category })
    .from(groupMemberships)
    .innerJoin(members, eq(members.id, groupMemberships.memberId))
    .leftJoin(profiles, eq(profiles.memberId, members.id))
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.status, 'active')))
    .orderBy(asc(groupMemberships.seatKey), asc(members.displayName));
  const taken = new Map<string, string[]>();
  const unseated: string[] = [];
  const labels = new Map<string, string>();
  for (const r of rows) {
    if (!r.seat) unseated.push(r.name);
    else taken.set(r.seat, [...(taken.get(r.seat) ?? []), r.name]);
    // A seat is shown as its first holder wrote it: the key is a confusable skeleton.
    if (r.seat && r.label && !labels.has(r.seat)) labels.set(r.seat, normalizeCategory(r.label));
  }
  const wanted = await db
    .select()
    .from(wantedSeats)
    .where(eq(wantedSeats.groupId, groupId))
    .orderBy(asc(wantedSeats.categoryKey));
  return {
    taken: [...taken].map(([seat, holders]) => ({ seat: labels.get(seat) ?? seat, holders })),
    open: wanted.filter((w) => !taken.has(w.categoryKey)).map((w) => w.label),
    unseated,
  };
}

export async function setWanted(
  db: Db,
  groupId: number,
  categoryKey: string,
  label: string,
  wanted: boolean,
): Promise<void> {
  if (wanted) {
    await db
      .insert(wantedSeats)
      .values({ groupId, categoryKey, label })
      .onConflictDoUpdate({
        target: [wantedSeats.groupId, wantedSeats.categoryKey],
        set: { label },
      });
  } else {
    await db.delete(wantedSeats).where(and(eq(wantedSeats.groupId, groupId), eq(wantedSeats.categoryKey, categoryKey)));
  }
}

/** Members active in the group without a seat key, used to fill seats when a category changes. */
export const unseatedFilter = (groupId: number) =>
  and(eq(groupMemberships.groupId, groupId), isNull(groupMemberships.seatKey));

export const askOverrideAction = (seatKey: string) => encodeAction({ command: 'seats', action: 'ask', arg: seatKey });
