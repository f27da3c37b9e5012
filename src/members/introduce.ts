import { and, eq } from 'drizzle-orm';
import { applications, groupMemberships, groups } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import { moderatorsOf, upsertMembership } from '../communities/community-repo.js';
import type { GroupRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import type { Reply } from '../messages.js';
import { resolveCategory } from './categories.js';
import { introKey, profileCard } from './profile-card.js';
import { getProfile, type ProfileFields, type ProfileRow, saveProfile } from './profile-repo.js';
import { rivalApplicants } from './seat-conflicts.js';
import { checkSeatFree } from './seats.js';

export type IntroInput = Partial<ProfileFields>;

const REQUIRED: [keyof ProfileFields, string][] = [
  ['business', 'business'],
  ['category', 'category'],
  ['pitch', 'pitch'],
  ['idealReferral', 'ideal_referral'],
];

/** The existing card with the given fields changed; a new card must have every required field. */
function merge(existing: ProfileRow | null, input: IntroInput): ProfileFields {
  const pick = <K extends keyof ProfileFields>(k: K): ProfileFields[K] | null =>
    input[k] !== undefined ? (input[k] as ProfileFields[K]) : ((existing?.[k] as ProfileFields[K] | undefined) ?? null);
  const missing = REQUIRED.filter(([k]) => !pick(k)).map(([, name]) => `\`${name}\``);
  if (missing.length) {
    throw new UserError(
      'bad_option',
      `Your introduction needs ${missing.join(', ')}.`,
      'Example: /intro business:"Acme Plumbing" category:plumber pitch:"We fix leaks fast" ideal_referral:"Homeowners with old pipes"',
    );
  }
  return {
    business: pick('business')!,
    category: pick('category')!,
    pitch: pick('pitch')!,
    idealReferral: pick('idealReferral')!,
    area: pick('area'),
    website: pick('website'),
    email: pick('email'),
    phone: pick('phone'),
    mentor: pick('mentor'),
  };
}

/** Groups where the member is active: their card is kept up to date in each one's intro channel. */
async function activeGroups(ctx: HandlerContext): Promise<GroupRow[]> {
  const rows = await ctx.db
    .select({ g: groups })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(and(eq(groupMemberships.memberId, ctx.actor.id), eq(groupMemberships.status, 'active')));
  return rows.map((r) => r.g);
}

/**
 * /intro: creates or edits the actor's card. A newcomer to a group that requires approval becomes an applicant
 * and the moderators get the application; otherwise the member joins and the card is posted (or edited in place).
 */
export async function introduce(ctx: HandlerContext, input: IntroInput): Promise<Reply> {
  const group = ctx.requireGroup();
  const existing = await getProfile(ctx.db, ctx.actor.id);
  const fields = merge(existing, input);
  const seatKey = await resolveCategory(ctx.db, ctx.community.id, fields.category);
  const status = ctx.membership?.status;
  await checkSeatFree(ctx.db, group, ctx.actor, seatKey, fields.category);
  const profile = await saveProfile(ctx.db, ctx.actor, fields, seatKey, ctx.clock.now());
  const card = profileCard(ctx.actor, profile);

  const joining = status !== 'active' && status !== 'applicant';
  // Someone a moderator removed comes back only through the moderators, whatever the group's rule.
  const mustApply =
    joining && (readSettings(group.settings).requiresApproval || status === 'removed') && !ctx.isModerator;
  if (mustApply || status === 'applicant') {
    await upsertMembership(ctx.db, {
      groupId: group.id,
      memberId: ctx.actor.id,
      communityId: ctx.community.id,
      status: 'applicant',
      joinedAt: ctx.clock.now(),
    });
    await setSeat(ctx, group.id, seatKey);
    const [pending] = await ctx.db
      .insert(applications)
      .values({ communityId: ctx.community.id, groupId: group.id, memberId: ctx.actor.id, createdAt: ctx.clock.now() })
      .onConflictDoNothing()
      .returning();
    // Two applicants for one seat: both sides hear it now, not when the second approval fails.
    const rivals = readSettings(group.settings).oneSeatPerCategory
      ? await rivalApplicants(ctx.db, group.id, seatKey, ctx.actor.id)
      : [];
    const conflict = rivals.length
      ? `\n⚠ Seat conflict: ${rivals.map((r) => r.displayName).join(', ')} also applied for the “${fields.category}” seat, and ${group.name} has one member per profession. /applications shows who is waiting.`
      : '';
    const mods = await moderatorsOf(ctx.db, group.id);
    for (const mod of mods) {
      ctx.send({
        target: { kind: 'dm', memberId: mod.id },
        key: `application:${group.id}:${ctx.actor.id}:${mod.id}`,
        content: {
          text: `${pending ? 'New application' : 'Updated application'} to ${group.name} from ${ctx.actor.displayName}:${conflict}`,
          card,
          buttons: [
            {
              label: 'Approve',
              action: { command: 'approve', action: 'press', arg: String(ctx.actor.id) },
              style: 'primary',
            },
            {
              label: 'Decline',
              action: { command: 'decline', action: 'press', arg: String(ctx.actor.id) },
              style: 'danger',
            },
          ],
        },
      });
    }
    const contested = rivals.length
      ? `\nNote: another applicant is also waiting for the “${fields.category}” seat, and ${group.name} has one member per profession: the moderators will decide between you, or let you share it.`
      : '';
    // Never "the moderators have your card" when there are none (a group whose last moderator was forgotten).
    const nobody = mods.length
      ? ''
      : `\n${group.name} has no moderator right now, so nobody can decide yet: a server or workspace admin can appoint one with /moderator add.`;
    return {
      text: `${
        pending
          ? `Thanks! ${group.name} accepts members by application: the moderators have your card and will tell you their decision.`
          : 'Your application is still with the moderators; they now see your updated card.'
      }${contested}${nobody}`,
      card,
      visibility: 'private',
    };
  }

  await upsertMembership(ctx.db, {
    groupId: group.id,
    memberId: ctx.actor.id,
    communityId: ctx.community.id,
    status: 'active',
    joinedAt: ctx.clock.now(),
  });
  await setSeat(ctx, group.id, seatKey);
  const firstCard = joining || !existing;
  for (const g of await activeGroups(ctx)) postCard(ctx, g, ctx.actor.id, card, firstCard && g.id === group.id);
  return {
    text: joining
      ? `Welcome to ${group.name}! Your introduction is posted${group.introChannelRef ? ' in the intro channel' : ''}.`
      : 'Your introduction is updated everywhere it was posted.',
    card,
    visibility: 'private',
  };
}

async function setSeat(ctx: HandlerContext, groupId: number, seatKey: string): Promise<void> {
  await ctx.db
    .update(groupMemberships)
    .set({ seatKey })
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.memberId, ctx.actor.id)));
}

/** Posts (or, under the same key, edits) a member's card in a group's intro channel. */
export function postCard(
  ctx: Pick<HandlerContext, 'send'>,
  group: GroupRow,
  memberId: number,
  card: ReturnType<typeof profileCard>,
  first: boolean,
): void {
  ctx.send({
    target: { kind: 'channel', channelRef: group.introChannelRef ?? group.homeChannelRef },
    key: introKey(group.id, memberId),
    content: { text: first ? `Please welcome a new member of ${group.name}!` : `Introduction — ${group.name}`, card },
  });
}
