import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groupMemberships, members } from '../../db/schema.js';
import { ensureMember, findMemberByPlatformId } from '../communities/community-repo.js';
import type { CommunityRow, GroupRow, MemberRow, MembershipRow } from '../communities/rows.js';
import { UserError } from '../errors.js';

/** A member an option names, with their place in the command's group (null: a community-level command). */
export type NamedMember = MemberRow & { membership: MembershipRow | null };

/**
 * The member an option names (`member:@ann`). In a command that acts on a group, it must be someone with a place in
 * that group (active, applicant, former or removed: each command judges the status it needs). A member of another
 * group of the community answers exactly like a name nobody knows, so a command run in one group can neither show
 * another group's member cards, nor credit or introduce that group's members. Without a group (community-level
 * commands), anyone of the community, met for the first time when the platform resolved the mention.
 */
export async function resolveNamedMember(
  db: Db,
  community: CommunityRow,
  group: GroupRow | null,
  platformUserId: string,
  seen: { displayName: string } | undefined,
): Promise<NamedMember> {
  if (group) {
    // the member and their place in the group in one read: the command then judges the status without reading it again
    const [row] = await db
      .select({ member: members, membership: groupMemberships })
      .from(members)
      .leftJoin(
        groupMemberships,
        and(eq(groupMemberships.memberId, members.id), eq(groupMemberships.groupId, group.id)),
      )
      .where(and(eq(members.communityId, community.id), eq(members.platformUserId, platformUserId)));
    const known = row?.member;
    if (known && row.membership) return { ...known, membership: row.membership };
    throw new UserError(
      'not_found',
      `I don’t know a member “${seen?.displayName ?? known?.displayName ?? platformUserId}” in ${group.name}.`,
      'Mention a member of this group, e.g. member:@ann; /directory lists them.',
    );
  }
  const known = await findMemberByPlatformId(db, community.id, platformUserId);
  if (known) return { ...known, membership: null };
  // A mention the platform resolved is a real person of this server/workspace, met for the first time.
  if (seen) return { ...(await ensureMember(db, community.id, platformUserId, seen.displayName)), membership: null };
  throw new UserError(
    'not_found',
    `I don’t know a member “${platformUserId}” in this community.`,
    'Mention someone who has used the bot here, e.g. member:@ann.',
  );
}
