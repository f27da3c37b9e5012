import { referralEvents, referrals } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import type { NamedMember } from '../dispatch/named-member.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import type { Reply } from '../messages.js';
import { linkReferralToRound } from '../pairing/round-outcomes.js';
import { TEMPERATURE_LABEL } from './lifecycle.js';
import { receiverMessage } from './notifications.js';
import { contactColumns, type ProspectContact } from './prospect-contact.js';
import { referralCard } from './referral-card.js';
import { nextReferralNumber } from './referral-repo.js';

export interface ReferInput {
  /** The member the option named, with their place in the group (read once, by the dispatcher). */
  receiver: NamedMember;
  prospect: string;
  contact: ProspectContact;
  need: string;
  temperature: number;
  kind: 'inside' | 'outside';
  consent: boolean;
  askId?: number;
}

/**
 * /refer: the giver passes a prospect to another member of the group. The contact details go to the receiver by DM
 * and to nobody else; the group may see a notice without them.
 */
export async function refer(ctx: HandlerContext, input: ReferInput): Promise<Reply> {
  const group = ctx.requireGroup();
  if (ctx.membership?.status !== 'active') {
    throw new UserError(
      'forbidden',
      `Only members of ${group.name} can pass referrals here.`,
      'Introduce yourself with /intro first.',
    );
  }
  const { receiver } = input;
  if (receiver.id === ctx.actor.id)
    throw new UserError(
      'bad_option',
      'You cannot refer a prospect to yourself.',
      'Pass it to the member who serves that need: /find can tell you who.',
    );
  if (receiver.membership?.groupId !== group.id || receiver.membership.status !== 'active') {
    throw new UserError(
      'not_found',
      `${receiver.displayName} is not a member of ${group.name}.`,
      'Referrals go to approved members of this group.',
    );
  }
  if (!input.consent) {
    throw new UserError(
      'bad_option',
      'The prospect must agree to be contacted before you pass their details on.',
      'Ask them first, then add consent:yes.',
    );
  }
  const now = ctx.clock.now();
  const [r] = await ctx.db
    .insert(referrals)
    .values({
      communityId: ctx.community.id,
      number: await nextReferralNumber(ctx.db, ctx.community.id),
      groupId: group.id,
      giverId: ctx.actor.id,
      receiverId: receiver.id,
      prospectName: input.prospect,
      ...contactColumns(input.contact),
      need: input.need,
      temperature: input.temperature,
      kind: input.kind,
      askId: input.askId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await ctx.db
    .insert(referralEvents)
    .values({ referralId: r!.id, actorId: ctx.actor.id, fromStatus: null, toStatus: 'new', at: now });
  // A slip that follows a 1-to-1 ("Did it lead to a referral?") is credited to that pairing round.
  await linkReferralToRound(ctx.db, r!);
  const people = { giver: ctx.actor, receiver, names: new Map([[ctx.actor.id, ctx.actor.displayName]]) };
  ctx.send(
    receiverMessage(
      r!,
      people,
      `${ctx.actor.displayName} passed you a referral. Please accept it, or return it if it is not a fit.`,
    ),
  );
  if (readSettings(group.settings).referrals.publicNotices) {
    ctx.send({
      target: { kind: 'channel', channelRef: group.homeChannelRef },
      content: {
        text: `${ctx.actor.displayName} passed ${receiver.displayName} a ${TEMPERATURE_LABEL[input.temperature]} referral (${input.temperature}/5). Givers gain!`,
      },
    });
  }
  return {
    text: `Referral #${r!.number} passed to ${receiver.displayName}. You will hear about each step.`,
    card: referralCard(r!, people, { withContact: true }),
    visibility: 'private',
  };
}
