import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { channelOption } from '../src/commands/options.js';
import { readSettings } from '../src/groups/group-settings.js';
import { formatTotals } from '../src/referrals/money.js';
import { PERIODS, periodLabel, periodStart } from '../src/referrals/periods.js';
import { referralReport } from '../src/referrals/report.js';
import { toCsv } from '../src/render/csv.js';

/** Groups up to this size get one line per member in the message. */
const SHOW_ALL = 25;

export const reportReferrals = defineCommand({
  name: 'report referrals',
  description: 'The group’s referral report: given, received, closed business, open and overdue',
  access: 'moderator',
  readOnly: true,
  options: z.object({
    period: z.enum(PERIODS).default('week').describe('Which period'),
    channel: channelOption('Post it here (default: the group’s channel)').optional(),
  }),
  positional: 'period',
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const rows = await referralReport(
      ctx.db,
      ctx.community.id,
      group.id,
      periodStart(ctx.options.period, now),
      now,
      readSettings(group.settings).referrals,
    );
    const header = [
      'member',
      'given_inside',
      'given_outside',
      'received_inside',
      'received_outside',
      'connections_given',
      'closed_business',
      'won_business',
      'open',
      'overdue',
    ];
    const csv = toCsv(
      header,
      rows.map((r) => [
        r.name,
        r.givenInside,
        r.givenOutside,
        r.receivedInside,
        r.receivedOutside,
        r.connectionsGiven,
        r.closedBusiness.map((b) => `${b.currency} ${b.total}`).join('; '),
        r.wonBusiness.map((b) => `${b.currency} ${b.total}`).join('; '),
        r.open,
        r.overdue,
      ]),
    );
    // A chamber's report would be thousands of lines: the message summarises, the CSV carries every member.
    const line = (r: (typeof rows)[number]) =>
      `${r.name}: gave ${r.givenInside + r.givenOutside} (${r.givenInside} in/${r.givenOutside} out), received ${r.receivedInside + r.receivedOutside}, connections ${r.connectionsGiven}, closed ${formatTotals(r.closedBusiness)} from referrals given, won ${formatTotals(r.wonBusiness)}, open ${r.open}${r.overdue ? ` (${r.overdue} overdue)` : ''}`;
    const given = (r: (typeof rows)[number]) => r.givenInside + r.givenOutside;
    const items =
      rows.length <= SHOW_ALL
        ? rows.map(line)
        : [
            `${rows.length} members; ${rows.reduce((n, r) => n + given(r), 0)} referrals given; ${rows.reduce((n, r) => n + r.overdue, 0)} overdue. Full table in the CSV.`,
            'Top givers:',
            ...[...rows]
              .sort((a, b) => given(b) - given(a) || a.name.localeCompare(b.name))
              .slice(0, 10)
              .map(line),
            'Holding overdue referrals:',
            ...rows
              .filter((r) => r.overdue > 0)
              .sort((a, b) => b.overdue - a.overdue)
              .slice(0, 10)
              .map(line),
          ];
    const date = now.toISOString().slice(0, 10);
    ctx.send({
      target: { kind: 'channel', channelRef: ctx.options.channel ?? group.homeChannelRef },
      content: {
        text: `Referral report for ${group.name}, ${periodLabel(ctx.options.period)} (to ${date}):`,
        list: { items: items.length ? items : ['No active members yet.'] },
        attachments: [
          {
            filename: `referrals-${date}.csv`,
            contentType: 'text/csv',
            data: new TextEncoder().encode(csv),
            description: 'Referral report as CSV',
          },
        ],
      },
    });
    return { text: `The referral report for ${periodLabel(ctx.options.period)} is posted.`, visibility: 'private' };
  },
});
