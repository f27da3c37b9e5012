import type { Db } from '../../db/client.js';
import type { Clock } from '../clock.js';
import { enqueueOutbox } from '../delivery/outbox.js';
import type { Logger } from '../logger.js';
import { welcomeContent } from '../members/welcome.js';
import type { MessagePort, Platform } from '../platform.js';
import { ensureCommunity, ensureMember, groupForChannel, setCommunityActive } from './community-repo.js';

/**
 * What community events need from the core (the Core provides it): the database, clock and log, the dispatcher's
 * community cache to drop, and the post-commit send of what they queued.
 */
export interface EventContext {
  db: Db;
  clock: Clock;
  log: Logger;
  dispatcher: { forgetCommunity(platform: string, ref: string): void };
  afterCommit(port: MessagePort, outboxIds: readonly number[]): Promise<void>;
}

/** The bot was added to a server/workspace: the community exists from now on (reactivated if it had left). */
export async function communityJoined(
  core: EventContext,
  platform: Platform,
  ref: string,
  name: string,
): Promise<void> {
  await core.db.transaction(async (tx) => {
    await ensureCommunity(tx, platform, ref, name);
    await setCommunityActive(tx, platform, ref, true);
  });
  core.dispatcher.forgetCommunity(platform, ref);
  core.log.info({ platform, community: ref }, 'community joined');
}

/** The bot was removed: the community is marked inactive; its data stays until a moderator deletes it. */
export async function communityLeft(core: EventContext, platform: Platform, ref: string): Promise<void> {
  await setCommunityActive(core.db, platform, ref, false);
  core.dispatcher.forgetCommunity(platform, ref);
  core.log.info({ platform, community: ref }, 'community left');
}

/**
 * Someone joined the community (Discord member join, Slack team_join) or a group's channel: a private welcome
 * from the group of that channel, or the community's first group. Nothing is sent before a group is set up.
 */
export async function memberJoined(
  core: EventContext,
  port: MessagePort,
  event: {
    platform: Platform;
    communityRef: string;
    communityName: string;
    userId: string;
    displayName: string;
    channelRef?: string;
    isBot?: boolean;
  },
): Promise<boolean> {
  if (event.isBot) return false;
  const found = await core.db.transaction(async (tx) => {
    const community = await ensureCommunity(tx, event.platform, event.communityRef, event.communityName);
    const group = await groupForChannel(tx, community.id, event.channelRef ?? '');
    if (!group) return null;
    const member = await ensureMember(tx, community.id, event.userId, event.displayName);
    // The welcome answers the member's own arrival: never held for quiet hours, and it reaches them in the group's
    // channel if they refuse DMs.
    const { ids } = await enqueueOutbox(
      tx,
      community.id,
      [
        {
          target: { kind: 'dm', memberId: member.id },
          content: welcomeContent(group, event.displayName),
          fallback: true,
        },
      ],
      { now: core.clock.now(), timezone: group.timezone, askedBy: member.id, fallbackChannelRef: group.homeChannelRef },
    );
    return ids;
  });
  if (!found) return false;
  await core.afterCommit(port, found);
  return true;
}
