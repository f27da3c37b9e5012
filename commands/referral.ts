import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { UserError } from '../src/errors.js';
import { readSettings } from '../src/groups/group-settings.js';
import { RECEIVER_STATUSES, STATUSES, type Status } from '../src/referrals/lifecycle.js';
import { amountSchema, currencySchema } from '../src/referrals/money.js';
import { correctReferral, moveReferral, peopleOf, withdrawReferral } from '../src/referrals/move.js';
import { referralCard } from '../src/referrals/referral-card.js';
import { getReferral, referralHistory } from '../src/referrals/referral-repo.js';
import { referralMissing, referralScope } from '../src/referrals/referral-scope.js';

const id = z.number().int().min(1).describe('Referral number, e.g. 12');

export const referralShow = defineCommand({
  name: 'referral show',
  description: 'Show one referral with its history',
  access: 'member',
  readOnly: true,
  options: z.object({ id }),
  positional: 'id',
  scope: { ...referralScope, option: 'id' },
  async run(ctx) {
    const r = await getReferral(ctx.db, ctx.community.id, ctx.group.id, ctx.options.id);
    const involved = r && (r.giverId === ctx.actor.id || r.receiverId === ctx.actor.id);
    if (!r || (!involved && !ctx.isModerator)) throw referralMissing(ctx.options.id);
    // The referral's own group decides whether its moderators see the prospect (ctx.group is that group).
    const withContact = Boolean(involved) || readSettings(ctx.group.settings).referrals.moderatorsSeeContacts;
    const history = await referralHistory(ctx.db, r.id);
    const card = referralCard(r, await peopleOf(ctx, r, history), {
      withContact,
      history,
      timezone: ctx.group.timezone,
    });
    return { text: `Referral #${r.number}`, card, visibility: 'private' };
  },
});

export const referralUpdate = defineCommand({
  name: 'referral update',
  description: 'Move a referral you received: accepted, contacted, meeting, won, lost, not a fit',
  access: 'member',
  options: z.object({
    id,
    status: z.enum(RECEIVER_STATUSES).describe('The new status'),
    amount: amountSchema.optional().describe('Value of the business won, e.g. 1200.50'),
    currency: currencySchema.optional().describe('Currency of the amount, e.g. EUR'),
    reason: z.string().trim().min(2).max(300).optional().describe('Why it was lost or is not a fit'),
  }),
  examples: ['/referral update id:12 status:accepted', '/referral update id:12 status:won amount:1200 currency:EUR'],
  scope: { ...referralScope, option: 'id' },
  async run(ctx) {
    const o = ctx.options;
    return moveReferral(ctx, o.id, o.status, { amount: o.amount, currency: o.currency, reason: o.reason }, false);
  },
  actions: {
    /** The receiver's DM buttons: `12|accepted`. */
    move: {
      access: 'member',
      scope: { ...referralScope, fromArg: (arg) => arg.split('|')[0] },
      async run(ctx) {
        const [rid, to] = (ctx.arg ?? '').split('|');
        if (!RECEIVER_STATUSES.includes(to as never)) throw new UserError('bad_option', 'That button is out of date.');
        const reply = await moveReferral(ctx, Number(rid), to as Status, {}, true);
        // The DM with the buttons is itself updated (kept under its key): a short confirmation is enough here.
        return reply.form ? reply : { text: reply.text, visibility: 'private' };
      },
    },
  },
});

export const referralWithdraw = defineCommand({
  name: 'referral withdraw',
  description: 'Withdraw a referral you gave, before it is accepted',
  access: 'member',
  options: z.object({ id }),
  positional: 'id',
  scope: { ...referralScope, option: 'id' },
  run: (ctx) => withdrawReferral(ctx, ctx.options.id),
});

export const referralCorrect = defineCommand({
  name: 'referral correct',
  description: 'Correct a referral’s status or amount (recorded in its history)',
  access: 'moderator',
  options: z.object({
    id,
    status: z.enum(STATUSES).describe('The corrected status'),
    amount: amountSchema.optional().describe('Corrected amount'),
    currency: currencySchema.optional().describe('Currency of the amount'),
    note: z.string().trim().max(300).optional().describe('Why it was corrected'),
  }),
  scope: { ...referralScope, option: 'id' },
  run: (ctx) =>
    correctReferral(ctx, ctx.options.id, ctx.options.status, {
      amount: ctx.options.amount,
      currency: ctx.options.currency,
      note: ctx.options.note,
    }),
});
