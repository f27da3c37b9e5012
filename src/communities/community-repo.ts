import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { communities, groupMemberships, groups, members } from '../../db/schema.js';
import type { Platform } from '../platform.js';
import type { CommunityRow, GroupRow, MemberRow, MembershipRow } from './rows.js';

/** Finds or creates the community for a platform's server/workspace. */
export async function ensureCommunity(db: Db, platform: Platform, ref: string, name: string): Promise<CommunityRow> {
  const inserted = await db
    .insert(communities)
    .values({ platform, platformRef: ref, name })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return inserted[0];
  const [row] = await db
    .select()
    .from(communities)
    .where(and(eq(communities.platform, platform), eq(communities.platformRef, ref)));
  return row!;
}

export async function setCommunityActive(db: Db, platform: Platform, ref: string, active: boolean): Promise<void> {
  await db
    .update(communities)
    .set({ active })
    .where(and(eq(communities.platform, platform), eq(communities.platformRef, ref)));
}

/** A group of the community and the actor's membership of it, if any. */
export interface Placement {
  group: GroupRow;
  membership: MembershipRow | null;
}

/** A member by platform id, with each group of their community and their membership of it (rows to prepare). */
function actorWithGroups(db: Db) {
  return db
    .select({ actor: members, group: groups, membership: groupMemberships })
    .from(members)
    .leftJoin(groups, eq(groups.communityId, members.communityId))
    .leftJoin(groupMemberships, and(eq(groupMemberships.groupId, groups.id), eq(groupMemberships.memberId, members.id)))
    .where(
      and(
        eq(members.communityId, sql.placeholder('communityId')),
        eq(members.platformUserId, sql.placeholder('platformUserId')),
      ),
    );
}

function prepareActorPlacements(db: Db) {
  return actorWithGroups(db).orderBy(asc(groups.id)).prepare('actor_placements');
}

const placementLookups = new WeakMap<Db, ReturnType<typeof prepareActorPlacements>>();

/**
 * The member (created on first sight, display name kept current) with every group of the community and their
 * membership of each: what the dispatcher needs to decide, once, which group an invocation acts on and what the
 * actor may do there. One round trip for a member seen before; a community holds a handful of groups.
 */
export async function actorPlacements(
  db: Db,
  communityId: number,
  platformUserId: string,
  displayName: string,
): Promise<{ actor: MemberRow; placements: Placement[] }> {
  let q = placementLookups.get(db);
  if (!q) {
    q = prepareActorPlacements(db);
    placementLookups.set(db, q);
  }
  let rows = await q.execute({ communityId, platformUserId });
  if (rows.length === 0) {
    await ensureMember(db, communityId, platformUserId, displayName);
    rows = await q.execute({ communityId, platformUserId });
  }
  let actor = rows[0]!.actor;
  if (displayName && actor.displayName !== displayName) {
    await db.update(members).set({ displayName }).where(eq(members.id, actor.id));
    actor = { ...actor, displayName };
  }
  const placements = rows.flatMap((r) => (r.group ? [{ group: r.group, membership: r.membership }] : []));
  return { actor, placements };
}

/** Finds or creates a member by platform user id, keeping the display name current (one query when known). */
export async function ensureMember(
  db: Db,
  communityId: number,
  platformUserId: string,
  displayName: string,
): Promise<MemberRow> {
  const known = await findMemberByPlatformId(db, communityId, platformUserId);
  if (known) {
    if (displayName && known.displayName !== displayName) {
      await db.update(members).set({ displayName }).where(eq(members.id, known.id));
      return { ...known, displayName };
    }
    return known;
  }
  const inserted = await db
    .insert(members)
    .values({ communityId, platformUserId, displayName })
    .onConflictDoNothing()
    .returning();
  // A concurrent first command by the same person inserted it between our select and insert.
  return inserted[0] ?? (await findMemberByPlatformId(db, communityId, platformUserId))!;
}

export async function findMemberByPlatformId(
  db: Db,
  communityId: number,
  platformUserId: string,
): Promise<MemberRow | undefined> {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.communityId, communityId), eq(members.platformUserId, platformUserId)));
  return row;
}

export async function getMembers(db: Db, communityId: number, ids: number[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(members)
    .where(and(eq(members.communityId, communityId), sql`${members.id} = any(${sql.param(ids)}::int[])`));
}

/** The group bound to this channel, else the community's first group. */
export async function groupForChannel(db: Db, communityId: number, channelRef: string): Promise<GroupRow | null> {
  const [row] = await db
    .select()
    .from(groups)
    .where(eq(groups.communityId, communityId))
    .orderBy(sql`(${groups.homeChannelRef} = ${channelRef}) desc`, asc(groups.id))
    .limit(1);
  return row ?? null;
}

/** The channel's group (as groupForChannel) and the member's membership of it, in one round trip. */
export async function groupAndMembership(
  db: Db,
  communityId: number,
  channelRef: string,
  memberId: number,
): Promise<{ group: GroupRow | null; membership: MembershipRow | null }> {
  const [row] = await db
    .select({ group: groups, membership: groupMemberships })
    .from(groups)
    .leftJoin(groupMemberships, and(eq(groupMemberships.groupId, groups.id), eq(groupMemberships.memberId, memberId)))
    .where(eq(groups.communityId, communityId))
    .orderBy(sql`(${groups.homeChannelRef} = ${channelRef}) desc`, asc(groups.id))
    .limit(1);
  return { group: row?.group ?? null, membership: row?.membership ?? null };
}

function prepareActorLookup(db: Db) {
  return actorWithGroups(db)
    .orderBy(sql`(${groups.homeChannelRef} = ${sql.placeholder('channelRef')}) desc`, asc(groups.id))
    .limit(1)
    .prepare('actor_in_channel');
}

// Built once per database handle (the pool serves every read-only command): drizzle's query building was a
// visible share of a short command's time. A transaction's handle builds its own and is then forgotten.
const actorLookups = new WeakMap<Db, ReturnType<typeof prepareActorLookup>>();
function actorLookup(db: Db) {
  let q = actorLookups.get(db);
  if (!q) {
    q = prepareActorLookup(db);
    actorLookups.set(db, q);
  }
  return q;
}

/**
 * Everything a command needs about who runs it, where: the member, the channel's group (as groupForChannel) and
 * the membership. One round trip for a member seen before (nearly every command); a first-timer is created first.
 */
export async function actorInChannel(
  db: Db,
  communityId: number,
  platformUserId: string,
  displayName: string,
  channelRef: string,
): Promise<{ actor: MemberRow; group: GroupRow | null; membership: MembershipRow | null }> {
  const [row] = await actorLookup(db).execute({ communityId, platformUserId, channelRef });
  if (!row) {
    const actor = await ensureMember(db, communityId, platformUserId, displayName);
    return { actor, ...(await groupAndMembership(db, communityId, channelRef, actor.id)) };
  }
  let actor = row.actor;
  if (displayName && actor.displayName !== displayName) {
    await db.update(members).set({ displayName }).where(eq(members.id, actor.id));
    actor = { ...actor, displayName };
  }
  return { actor, group: row.group, membership: row.membership };
}

export async function findGroupByName(db: Db, communityId: number, name: string): Promise<GroupRow | null> {
  const [row] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.communityId, communityId), sql`lower(${groups.name}) = lower(${name})`));
  return row ?? null;
}

export async function listGroups(db: Db, communityId: number): Promise<GroupRow[]> {
  return db.select().from(groups).where(eq(groups.communityId, communityId)).orderBy(asc(groups.id));
}

export async function getMembership(db: Db, groupId: number, memberId: number): Promise<MembershipRow | null> {
  const [row] = await db
    .select()
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.memberId, memberId)));
  return row ?? null;
}

/** Is this member a moderator of any group in the community (who may then create another group)? */
export async function isModeratorAnywhere(db: Db, communityId: number, memberId: number): Promise<boolean> {
  const rows = await db
    .select({ g: groupMemberships.groupId })
    .from(groupMemberships)
    .where(
      and(
        eq(groupMemberships.communityId, communityId),
        eq(groupMemberships.memberId, memberId),
        eq(groupMemberships.role, 'moderator'),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Puts a member in a group with a role, or changes their role/status. */
export async function upsertMembership(
  db: Db,
  /** `joinedAt` comes from the Clock (nudges count days from it); kept when the membership already exists. */
  row: { groupId: number; memberId: number; communityId: number; role?: string; status?: string; joinedAt?: Date },
): Promise<MembershipRow> {
  const set: Partial<MembershipRow> = {};
  if (row.role) set.role = row.role;
  if (row.status) set.status = row.status;
  const [out] = await db
    .insert(groupMemberships)
    .values(row)
    .onConflictDoUpdate({
      target: [groupMemberships.groupId, groupMemberships.memberId],
      set: Object.keys(set).length ? set : { role: sql`${groupMemberships.role}` },
    })
    .returning();
  return out!;
}

export async function communityHasGroup(db: Db, communityId: number): Promise<boolean> {
  const rows = await db.select({ id: groups.id }).from(groups).where(eq(groups.communityId, communityId)).limit(1);
  return rows.length > 0;
}

export async function moderatorsOf(db: Db, groupId: number): Promise<MemberRow[]> {
  const rows = await db
    .select({ m: members })
    .from(groupMemberships)
    .innerJoin(members, eq(members.id, groupMemberships.memberId))
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.role, 'moderator')))
    .orderBy(asc(members.id));
  return rows.map((r) => r.m);
}
