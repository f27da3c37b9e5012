import { and, eq, gte, or } from 'drizzle-orm';
import { connections, groupMemberships } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import { connectMembers } from '../members/connections.js';
import type { Reply } from '../messages.js';
import { AFFINITY_MIN, affinityKey, affinityTotal, loadAffinities } from './affinity.js';
import { askThroughProgram } from './ask-booking.js';
import { groupSeats } from './network.js';
import { loadSpheres, sharedSpheres } from './spheres.js';

/** A second press within this long finds the conversation the first one opened. */
const AGAIN_AFTER_DAYS = 14;

/**
 * "Ask for a 1-to-1" from /powerteam. When the group has a pairing program that books (issue 18), the 1-to-1 is
 * booked through it: a shared conversation with both cards, the reason and up to three times from both members'
 * availability (ask-booking.ts). Otherwise it opens a shared conversation of the two with both cards and the reason
 * (a connection the asker makes for themselves, as "I can help" on an ask does), so they find a time there. A second
 * press within two weeks does nothing but say so.
 */
export async function askForOneToOne(ctx: HandlerContext, otherId: number): Promise<Reply> {
  const group = ctx.requireGroup();
  if (!Number.isInteger(otherId) || otherId <= 0)
    throw new UserError('bad_option', 'That button does not name a member.');
  if (otherId === ctx.actor.id) throw new UserError('bad_option', 'A 1-to-1 takes two: pick someone else.');
  const [active] = await ctx.db
    .select({ id: groupMemberships.memberId })
    .from(groupMemberships)
    .where(
      and(
        eq(groupMemberships.groupId, group.id),
        eq(groupMemberships.memberId, otherId),
        eq(groupMemberships.status, 'active'),
      ),
    );
  if (!active)
    throw new UserError(
      'not_found',
      `That member is no longer in ${group.name}.`,
      'Run /powerteam show again for a fresh list.',
    );
  const since = new Date(ctx.clock.now().getTime() - AGAIN_AFTER_DAYS * 86_400_000);
  const me = ctx.actor.id;
  // one ask of a member at a time: a double click's second press waits here, then finds what the first made
  await ctx.db
    .select({ id: groupMemberships.memberId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.memberId, me)))
    .for('update');
  const [earlier] = await ctx.db
    .select({ id: connections.id })
    .from(connections)
    .where(
      and(
        eq(connections.groupId, group.id),
        eq(connections.giverId, me),
        gte(connections.createdAt, since),
        or(
          and(eq(connections.memberAId, me), eq(connections.memberBId, otherId)),
          and(eq(connections.memberAId, otherId), eq(connections.memberBId, me)),
        ),
      ),
    )
    .limit(1);
  const seats = await groupSeats(ctx.db, group.id);
  const other = seats.find((s) => s.id === otherId)!;
  if (earlier) {
    return {
      text: `You already asked ${other.name} for a 1-to-1 in the last ${AGAIN_AFTER_DAYS} days: your shared conversation is open.`,
      visibility: 'private',
    };
  }
  const mine = seats.find((s) => s.id === me);
  const shared = sharedSpheres(await loadSpheres(ctx.db, group), mine?.categoryKey ?? null, other.categoryKey);
  let why = shared.length ? `you both serve ${shared[0]!.serves}` : '';
  if (!why && mine?.categoryKey && other.categoryKey) {
    const a = await loadAffinities(ctx.db, group.communityId, group.id, [mine.categoryKey, other.categoryKey]);
    const n = affinityTotal(a.get(affinityKey(mine.categoryKey, other.categoryKey)));
    if (n >= AFFINITY_MIN) why = `your professions passed ${n} slips to each other in this community`;
  }
  const asked = `${ctx.actor.displayName} would like a 1-to-1 with ${other.name}${why ? `: ${why}` : ''}.`;
  const booking = await askThroughProgram(ctx, group, otherId, asked);
  if (booking?.kind === 'already') {
    return {
      text: `You and ${other.name} already have a 1-to-1 asked for in the last ${AGAIN_AFTER_DAYS} days: pick a time in your shared conversation.`,
      visibility: 'private',
    };
  }
  if (booking) {
    return {
      text: `Asked ${other.name} for a 1-to-1: I proposed times to you both in a shared conversation. One click books it, with a calendar invite for each of you.`,
      visibility: 'private',
    };
  }
  const r = await connectMembers(ctx, me, otherId, `${asked} Reply here to find a time that suits you both.`, {
    selfIntroduction: true,
  });
  return {
    ...r,
    text: `Asked ${other.name} for a 1-to-1: you both have a shared conversation with each other’s card.`,
  };
}
