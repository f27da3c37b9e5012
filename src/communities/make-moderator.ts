import type { Db } from '../../db/client.js';
import type { Platform } from '../platform.js';
import { ensureCommunity, ensureMember, groupForChannel, upsertMembership } from './community-repo.js';

/**
 * Makes a member a moderator of the group of a channel: the transcripts' `:moderator NAME`, shared by the shell and
 * the platform contract drivers. False when the channel has no group yet.
 */
export async function makeModerator(
  db: Db,
  where: { platform: Platform; communityRef: string; communityName: string; channelRef: string },
  member: { platformUserId: string; displayName: string },
): Promise<boolean> {
  const community = await ensureCommunity(db, where.platform, where.communityRef, where.communityName);
  const group = await groupForChannel(db, community.id, where.channelRef);
  if (!group) return false;
  const row = await ensureMember(db, community.id, member.platformUserId, member.displayName);
  await upsertMembership(db, {
    groupId: group.id,
    memberId: row.id,
    communityId: community.id,
    role: 'moderator',
    status: 'active',
  });
  return true;
}
