import type { Access } from '../commands/define.js';
import type { Placement } from '../communities/community-repo.js';
import type { GroupRow, MembershipRow } from '../communities/rows.js';
import { UserError } from '../errors.js';

/** Where the group of an invocation came from: it decides how a refusal is worded. */
export type GroupSource = 'object' | 'button' | 'channel' | 'only' | 'none';

export interface ResolvedGroup {
  group: GroupRow | null;
  membership: MembershipRow | null;
  source: GroupSource;
  /** A DM or a channel of no group, in a community of several groups that could each be meant. */
  ambiguous: GroupRow[];
}

const ACTIVE = 'active';
const isCurrent = (m: MembershipRow | null) => m?.status === ACTIVE || m?.status === 'applicant';

/**
 * The group an invocation acts on, decided once: the group an object or a button names (`wanted`), else the group
 * whose home channel this is, else (a DM, another channel) the community's only group, else the only group the
 * actor belongs to or applied to. Anything else is ambiguous: the handler is told which groups could be meant.
 */
export function resolveGroup(
  placements: readonly Placement[],
  channelRef: string,
  wanted: { groupId: number; source: 'object' | 'button' } | null,
  homeOnly = false,
): ResolvedGroup {
  const pick = (p: Placement | undefined, source: GroupSource): ResolvedGroup =>
    p
      ? { group: p.group, membership: p.membership, source, ambiguous: [] }
      : { group: null, membership: null, source: 'none', ambiguous: [] };
  if (wanted)
    return pick(
      placements.find((p) => p.group.id === wanted.groupId),
      wanted.source,
    );
  const home = placements.find((p) => p.group.homeChannelRef === channelRef);
  if (home || homeOnly) return pick(home, 'channel');
  if (placements.length === 1) return pick(placements[0], 'only');
  const mine = placements.filter((p) => isCurrent(p.membership));
  if (mine.length === 1) return pick(mine[0], 'only');
  return {
    group: null,
    membership: null,
    source: 'none',
    ambiguous: (mine.length ? mine : placements).map((p) => p.group),
  };
}

/** A moderator of the group: an active membership with the moderator role, or the platform's admin. */
export function moderates(membership: MembershipRow | null, isAdmin: boolean): boolean {
  return isAdmin || (membership?.role === 'moderator' && membership.status === ACTIVE);
}

/** The error for a command that needs a group when none could be decided. */
export function noGroup(resolved: ResolvedGroup, what: string): UserError {
  if (resolved.ambiguous.length > 1) {
    const names = resolved.ambiguous.map((g) => g.name).join(', ');
    return new UserError(
      'bad_option',
      `This community has several groups (${names}): I can’t tell which one ${what} is for.`,
      'Run it in the channel of the group you mean.',
    );
  }
  return new UserError(
    'not_setup',
    'This community has no group yet.',
    'A moderator runs /setup in the group’s channel first.',
  );
}

/**
 * Checks the level against the actor's place in the group. Returns the refusal (not thrown, so the caller can
 * answer an object's id with its "does not exist" instead), or null when the actor may go on.
 */
export function refusal(access: Access, resolved: ResolvedGroup, isModerator: boolean, what: string): UserError | null {
  if (access === 'anyone') return null;
  const { group, membership } = resolved;
  if (!group) return noGroup(resolved, what);
  if (access === 'moderator') {
    return isModerator
      ? null
      : new UserError(
          'forbidden',
          `Only moderators can use ${what}.`,
          `Ask a moderator of ${group.name} if you need it done.`,
        );
  }
  if (membership?.status === ACTIVE) return null;
  if (membership?.status === 'applicant') {
    return new UserError(
      'forbidden',
      `Your application to ${group.name} is waiting for a moderator: ${what} opens to you once you are approved.`,
    );
  }
  if (membership?.status === 'removed') {
    return new UserError('forbidden', `You are no longer a member of ${group.name}, so ${what} is not open to you.`);
  }
  return new UserError(
    'forbidden',
    `Only members of ${group.name} can use ${what}.`,
    'Introduce yourself with /intro in the group’s channel to join.',
  );
}
