import type { Db } from '../../db/client.js';
import { ensureMember, findMemberByPlatformId, getMembership } from '../communities/community-repo.js';
import type { CommunityRow, GroupRow, MemberRow } from '../communities/rows.js';
import { UserError } from '../errors.js';

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
): Promise<MemberRow> {
  const known = await findMemberByPlatformId(db, community.id, platformUserId);
  if (group) {
    if (known && (await getMembership(db, group.id, known.id))) return known;
    throw new UserError(
      'not_found',
      `I don’t know a member “${seen?.displayName ?? known?.displayName ?? platformUserId}” in ${group.name}.`,
      'Mention a member of this group, e.g. member:@ann; /directory lists them.',
    );
  }
  if (known) return known;
  // A mention the platform resolved is a real person of this server/workspace, met for the first time.
  if (seen) return ensureMember(db, community.id, platformUserId, seen.displayName);
  throw new UserError(
    'not_found',
    `I don’t know a member “${platformUserId}” in this community.`,
    'Mention someone who has used the bot here, e.g. member:@ann.',
  );
}
