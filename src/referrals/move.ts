import type { HandlerContext } from '../commands/define.js';
import { getMembers } from '../communities/community-repo.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import type { Reply } from '../messages.js';
import { canMove, isOpen, STATUS_LABEL, type Status } from './lifecycle.js';
import { formatMoney } from './money.js';
import { receiverMessage } from './notifications.js';
import { type CardPeople, referralCard } from './referral-card.js';
import { getReferral, type ReferralEventRow, type ReferralRow, recordStatus } from './referral-repo.js';
import { referralMissing } from './referral-scope.js';

export interface MoveDetails {
  amount?: string;
  currency?: string;
  reason?: string;
}

/** Giver, receiver and (for a history) everyone who moved it, so a moderator's correction is shown by name. */
export async function peopleOf(
  ctx: HandlerContext,
  r: ReferralRow,
  history: ReferralEventRow[] = [],
): Promise<CardPeople> {
  const ids = [
    ...new Set([r.giverId, r.receiverId, ...history.map((e) => e.actorId)].filter((x): x is number => x !== null)),
  ];
  const rows = await getMembers(ctx.db, ctx.community.id, ids);
  return {
    giver: rows.find((m) => m.id === r.giverId),
    receiver: rows.find((m) => m.id === r.receiverId),
    names: new Map(rows.map((m) => [m.id, m.displayName])),
  };
}

/**
 * The referral, in the invocation's group (the dispatcher made it the referral's own). Someone who is neither its
 * giver, its receiver nor a moderator of the group is answered as if it did not exist: /referral show says the same.
 */
async function load(ctx: HandlerContext, id: number): Promise<ReferralRow> {
  const group = ctx.requireGroup();
  const r = await getReferral(ctx.db, ctx.community.id, group.id, id, true);
  const involved = r && (r.giverId === ctx.actor.id || r.receiverId === ctx.actor.id);
  if (!r || (!involved && !ctx.isModerator)) throw referralMissing(id);
  return r;
}

/** A form for what a step needs (the amount of a win, the reason for a loss). */
function askDetails(ctx: HandlerContext, r: ReferralRow, to: Status): Reply {
  const currency = readSettings(ctx.group?.settings).referrals.currency;
  const fields =
    to === 'won'
      ? [
          {
            name: 'amount',
            label: 'Value of the business won',
            style: 'short' as const,
            required: true,
            placeholder: '1200.00',
          },
          {
            name: 'currency',
            label: 'Currency (three letters)',
            style: 'short' as const,
            required: false,
            value: currency,
          },
        ]
      : [
          {
            name: 'reason',
            label: to === 'lost' ? 'Why was it lost?' : 'Why is it not a fit?',
            style: 'paragraph' as const,
            required: to === 'not_a_fit',
            maxLength: 300,
          },
        ];
  // Every adapter asks: Discord and Slack open a modal, the shell prompts for the fields. Nothing is made up.
  const question =
    to === 'won' ? 'What was the business worth?' : to === 'lost' ? 'Why was it lost?' : 'Why is it not a fit?';
  return {
    text: `Referral #${r.number}: ${STATUS_LABEL[to]}. ${question}`,
    visibility: 'private',
    form: {
      command: 'referral update',
      title: `Referral #${r.number}: ${STATUS_LABEL[to]}`,
      fields,
      hidden: { id: String(r.number), status: to },
    },
  };
}

/** The receiver moves a referral one step along its lifecycle; the giver hears of it. */
export async function moveReferral(
  ctx: HandlerContext,
  id: number,
  to: Status,
  details: MoveDetails,
  fromButton: boolean,
): Promise<Reply> {
  const r = await load(ctx, id);
  if (r.receiverId !== ctx.actor.id) {
    throw new UserError(
      'forbidden',
      `Only the receiver moves referral #${id}.`,
      ctx.isModerator ? 'Moderators can fix mistakes with /referral correct.' : undefined,
    );
  }
  if (r.status === to) return { text: `Referral #${id} is already ${STATUS_LABEL[to]}.`, visibility: 'private' };
  if (!canMove(r.status as Status, to)) {
    throw new UserError(
      'conflict',
      `Referral #${id} is ${STATUS_LABEL[r.status as Status]}: it cannot become ${STATUS_LABEL[to]}.`,
    );
  }
  const needsAmount = to === 'won' && !details.amount;
  const needsReason = to === 'not_a_fit' && !details.reason;
  if (needsAmount || needsReason || (fromButton && to === 'lost' && !details.reason)) return askDetails(ctx, r, to);
  const currency =
    to === 'won' ? (details.currency ?? readSettings(ctx.group?.settings).referrals.currency) : undefined;
  const moved = await recordStatus(ctx.db, r, to, {
    actorId: ctx.actor.id,
    now: ctx.clock.now(),
    ...(to === 'won' ? { amount: details.amount!, currency } : {}),
    ...(details.reason ? { reason: details.reason, note: details.reason } : {}),
  });
  const people = await peopleOf(ctx, moved);
  await notifyStep(ctx, moved, people, `${ctx.actor.displayName} moved it to ${STATUS_LABEL[to]}`);
  const money =
    to === 'won'
      ? ` Closed business ${formatMoney(details.amount!, currency!)} is credited to ${people.giver?.displayName ?? 'the giver'}.`
      : '';
  return {
    text: `Referral #${id} is now ${STATUS_LABEL[to]}.${money}`,
    card: referralCard(moved, people, { withContact: true }),
    visibility: 'private',
  };
}

/** Tells the giver, refreshes the receiver's DM, and thanks the giver publicly for a win where the group allows it. */
async function notifyStep(ctx: HandlerContext, r: ReferralRow, people: CardPeople, what: string): Promise<void> {
  if (r.receiverId)
    ctx.send(
      receiverMessage(
        r,
        people,
        isOpen(r.status as Status)
          ? `Referral #${r.number}: ${what}.`
          : `Referral #${r.number} is closed: ${STATUS_LABEL[r.status as Status]}.`,
      ),
    );
  if (r.giverId && r.giverId !== ctx.actor.id) {
    const thanks =
      r.status === 'won' && r.amount && r.currency
        ? ` Thank you for closed business: ${formatMoney(r.amount, r.currency)} is credited to you.`
        : '';
    ctx.send({
      target: { kind: 'dm', memberId: r.giverId },
      content: { text: `Your referral #${r.number} (${r.prospectName ?? 'prospect'}): ${what}.${thanks}` },
    });
  }
  const group = ctx.group;
  if (r.status === 'won' && group && r.amount && r.currency && readSettings(group.settings).referrals.publicNotices) {
    ctx.send({
      target: { kind: 'channel', channelRef: group.homeChannelRef },
      content: {
        text: `${people.receiver?.displayName ?? 'A member'} closed ${formatMoney(r.amount, r.currency)} of business from ${people.giver?.displayName ?? 'a member'}’s referral. Thank you for giving!`,
      },
    });
  }
}

/** The giver takes back a referral nobody has accepted yet. */
export async function withdrawReferral(ctx: HandlerContext, id: number): Promise<Reply> {
  const r = await load(ctx, id);
  if (r.giverId !== ctx.actor.id) throw new UserError('forbidden', `Only the giver can withdraw referral #${id}.`);
  if (r.status === 'withdrawn') return { text: `Referral #${id} is already withdrawn.`, visibility: 'private' };
  if (r.status !== 'new')
    throw new UserError(
      'conflict',
      `Referral #${id} was already ${STATUS_LABEL[r.status as Status]}: it can only be withdrawn before it is accepted.`,
    );
  const moved = await recordStatus(ctx.db, r, 'withdrawn', { actorId: ctx.actor.id, now: ctx.clock.now() });
  const people = await peopleOf(ctx, moved);
  if (moved.receiverId) ctx.send(receiverMessage(moved, people, `${ctx.actor.displayName} withdrew referral #${id}.`));
  return { text: `Referral #${id} is withdrawn.`, visibility: 'private' };
}

/** A moderator sets any status (a fix), recorded in the history with their name and note. */
export async function correctReferral(
  ctx: HandlerContext,
  id: number,
  to: Status,
  details: MoveDetails & { note?: string },
): Promise<Reply> {
  const r = await load(ctx, id);
  const moved = await recordStatus(ctx.db, r, to, {
    actorId: ctx.actor.id,
    now: ctx.clock.now(),
    // The event's actor is the moderator, named in the history ("lost by dana — corrected by a moderator"); the
    // note itself names nobody, so nothing of a person stays in it after /forget-me.
    note: `corrected by a moderator${details.note ? `: ${details.note}` : ''}`,
    ...(details.amount
      ? { amount: details.amount, currency: details.currency ?? readSettings(ctx.group?.settings).referrals.currency }
      : {}),
    ...(details.reason ? { reason: details.reason } : {}),
  });
  const people = await peopleOf(ctx, moved);
  for (const id2 of [moved.giverId, moved.receiverId]) {
    if (id2)
      ctx.send({
        target: { kind: 'dm', memberId: id2 },
        content: {
          text: `${ctx.actor.displayName}, a moderator of ${ctx.requireGroup().name}, corrected referral #${id}: it is now ${STATUS_LABEL[to]}.`,
        },
      });
  }
  return {
    text: `Referral #${id} corrected to ${STATUS_LABEL[to]}.`,
    card: referralCard(moved, people, { withContact: false }),
    visibility: 'private',
  };
}
