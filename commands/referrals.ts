import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { readSettings } from '../src/groups/group-settings.js';
import { giveReceiveByMember, memberBalance } from '../src/referrals/balance.js';
import { listReferrals } from '../src/referrals/listing.js';
import { amountSchema, currencySchema, formatTotals } from '../src/referrals/money.js';
import { PERIODS, periodLabel, periodStart } from '../src/referrals/periods.js';
import { thankForBusiness } from '../src/referrals/thanks.js';

export const referralsList = defineCommand({
  name: 'referrals',
  description: 'Your referrals: given, received, or open',
  access: 'member',
  readOnly: true,
  options: z.object({
    which: z.enum(['given', 'received', 'open']).default('open').describe('Which referrals to list'),
    page: z.number().int().min(1).max(10_000).optional().describe('Page number'),
  }),
  positional: 'which',
  run: (ctx) => listReferrals(ctx, ctx.options.which, (ctx.options.page ?? 1) - 1, false),
  actions: {
    page: {
      access: 'member',
      async run(ctx) {
        const [which, n] = (ctx.arg ?? 'open|0').split('|');
        const kind = which === 'given' || which === 'received' ? which : 'open';
        return listReferrals(ctx, kind, Math.max(0, Number(n) || 0), true);
      },
    },
  },
});

export const thanks = defineCommand({
  name: 'thanks',
  description: 'Thank a member for closed business they gave you outside a referral slip',
  access: 'member',
  options: z.object({
    member: memberOption('Who gave you the business'),
    amount: amountSchema.describe('Value of the business, e.g. 1200.50'),
    currency: currencySchema.optional().describe('Currency, e.g. EUR (default: the group’s)'),
    note: z.string().trim().max(300).optional().describe('What it was for'),
  }),
  examples: ['/thanks member:@ann amount:1500 currency:EUR note:"Kitchen refit for her neighbour"'],
  async run(ctx) {
    const giver = await ctx.resolveMember(ctx.options.member);
    const currency = ctx.options.currency ?? readSettings(ctx.group?.settings).referrals.currency;
    return thankForBusiness(ctx, giver.id, ctx.options.amount, currency, ctx.options.note);
  },
});

export const balance = defineCommand({
  name: 'balance',
  description: 'Give/receive balance: referrals, connections, win rate, closed business',
  access: 'member',
  readOnly: true,
  options: z.object({
    member: memberOption('Whose balance (yours by default)').optional(),
    period: z.enum(PERIODS).default('year').describe('Over which period'),
  }),
  positional: 'member',
  async run(ctx) {
    const who = ctx.options.member ? await ctx.resolveMember(ctx.options.member) : ctx.actor;
    const from = periodStart(ctx.options.period, ctx.clock.now());
    const b = await memberBalance(ctx.db, ctx.community.id, ctx.group.id, who.id, from);
    const rate = b.closedReceived
      ? `${Math.round((100 * b.wonReceived) / b.closedReceived)}% (${b.wonReceived} of ${b.closedReceived} closed)`
      : 'no closed referrals yet';
    return {
      text: `${who.id === ctx.actor.id ? 'Your' : `${who.displayName}’s`} balance over ${periodLabel(ctx.options.period)}:`,
      card: {
        title: `${who.displayName} — give and receive`,
        fields: [
          { label: 'Referrals given', value: String(b.referralsGiven), inline: true },
          { label: 'Referrals received', value: String(b.referralsReceived), inline: true },
          { label: 'Connections given', value: String(b.connectionsGiven), inline: true },
          { label: 'Connections received', value: String(b.connectionsReceived), inline: true },
          { label: 'Win rate (received)', value: rate, inline: true },
          {
            label: 'Median time to accept',
            value: b.medianHoursToAccept === null ? '—' : `${b.medianHoursToAccept.toFixed(1)} h`,
            inline: true,
          },
          { label: 'Closed business credited (given)', value: formatTotals(b.creditedAsGiver) },
          { label: 'Closed business won (received)', value: formatTotals(b.wonAsReceiver) },
        ],
      },
      visibility: 'private',
    };
  },
});

export const givers = defineCommand({
  name: 'givers',
  description: 'Who received without giving lately, and who gives most',
  access: 'moderator',
  readOnly: true,
  options: z.object({ weeks: z.number().int().min(1).max(104).default(8).describe('Look back this many weeks') }),
  positional: 'weeks',
  async run(ctx) {
    const group = ctx.requireGroup();
    const rows = await giveReceiveByMember(
      ctx.db,
      ctx.community.id,
      group.id,
      new Date(ctx.clock.now().getTime() - ctx.options.weeks * 7 * 86_400_000),
    );
    const takers = rows.filter((r) => r.received > 0 && r.given === 0);
    const top = [...rows]
      .filter((r) => r.given > 0)
      .sort((a, b) => b.given - a.given || a.name.localeCompare(b.name))
      .slice(0, 5);
    return {
      text: `Givers and takers in ${group.name}, last ${ctx.options.weeks} weeks:`,
      card: {
        title: 'Givers gain',
        fields: [
          {
            label: 'Received without giving',
            value: takers.map((t) => `${t.name} (received ${t.received})`).join('\n') || 'nobody',
          },
          {
            label: 'Top givers',
            value: top.map((t) => `${t.name}: ${t.given} given, ${t.received} received`).join('\n') || 'nobody yet',
          },
        ],
      },
      visibility: 'private',
    };
  },
});
