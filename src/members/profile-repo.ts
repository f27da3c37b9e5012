import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groupMemberships, members, profiles } from '../../db/schema.js';
import type { MemberRow } from '../communities/rows.js';

export type ProfileRow = typeof profiles.$inferSelect;
export type ProfileFields = Pick<
  ProfileRow,
  'business' | 'category' | 'pitch' | 'idealReferral' | 'area' | 'website' | 'email' | 'phone' | 'mentor'
>;

export async function getProfile(db: Db, memberId: number): Promise<ProfileRow | null> {
  const [row] = await db.select().from(profiles).where(eq(profiles.memberId, memberId));
  return row ?? null;
}

/** Creates or replaces a member's card; one row per member, so a double-submitted form stays one profile. */
export async function saveProfile(
  db: Db,
  member: MemberRow,
  fields: ProfileFields,
  categoryKey: string,
  now: Date,
): Promise<ProfileRow> {
  const values = { ...fields, categoryKey, updatedAt: now };
  const [row] = await db
    .insert(profiles)
    .values({ memberId: member.id, communityId: member.communityId, ...values })
    .onConflictDoUpdate({ target: profiles.memberId, set: values })
    .returning();
  return row!;
}

export interface MemberWithProfile {
  member: MemberRow;
  profile: ProfileRow | null;
}

/** A member with their card, only within the given community (another community's member is "not found"). */
export async function memberWithProfile(
  db: Db,
  communityId: number,
  memberId: number,
): Promise<MemberWithProfile | null> {
  const [row] = await db
    .select({ member: members, profile: profiles })
    .from(members)
    .leftJoin(profiles, eq(profiles.memberId, members.id))
    .where(and(eq(members.communityId, communityId), eq(members.id, memberId)));
  return row ?? null;
}

/** Is the member active in at least one group of the community (approved, not left)? */
export async function isActiveSomewhere(db: Db, communityId: number, memberId: number): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(groupMemberships)
    .where(
      and(
        eq(groupMemberships.communityId, communityId),
        eq(groupMemberships.memberId, memberId),
        eq(groupMemberships.status, 'active'),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
