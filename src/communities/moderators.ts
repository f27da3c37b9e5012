import type { Db } from '../../db/client.js';
import type { Platform } from '../platform.js';
import { ensureCommunity, ensureMember, groupForChannel, upsertMembership } from './community-repo.js';

/**
 * Makes a member moderator of the group of a channel, as the transcripts' `:moderator NAME` does on every adapter
 * (the shell, and the Discord and Slack contract drivers). False when that channel has no group yet.
 */
export async function makeModerator(
  db: Db,
  where: { platform: Platform; community: { ref: string; name: string }; channelRef: string },
  member: { platformUserId: string; displayName: string },
  joinedAt?: Date,
): Promise<boolean> {
  const community = await ensureCommunity(db, where.platform, where.community.ref, where.community.name);
  const group = await groupForChannel(db, community.id, where.channelRef);
  if (!group) return false;
  const row = await ensureMember(db, community.id, member.platformUserId, member.displayName);
  await upsertMembership(db, {
    groupId: group.id,
    memberId: row.id,
    communityId: community.id,
    role: 'moderator',
    status: 'active',
    ...(joinedAt ? { joinedAt } : {}),
  });
  return true;
}
