import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { groups } from '../db/schema.js';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { userError } from '../src/errors.js';
import { readSettings, scorecardSettingsSchema } from '../src/groups/group-settings.js';
import { PERIODS, periodLabel, periodStart } from '../src/referrals/periods.js';
import { type Light, METRIC_LABELS, METRICS, memberScorecard } from '../src/reports/scorecard.js';

const DOT: Record<Light, string> = { green: '🟢 green', amber: '🟠 amber', red: '🔴 red', none: '⚪ no data' };
const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export const scorecardShow = defineCommand({
  name: 'scorecard show',
  description: 'A member’s traffic-light scorecard: attendance, referrals, 1-to-1s, visitors, business',
  access: 'member',
  options: z.object({
    member: memberOption('Whose scorecard (yours by default)').optional(),
    period: z.enum(PERIODS).default('quarter').describe('Over which period'),
  }),
  positional: 'member',
  async run(ctx) {
    const group = ctx.requireGroup();
    const who = ctx.options.member ? await ctx.resolveMember(ctx.options.member) : ctx.actor;
    const now = ctx.clock.now();
    const lines = await memberScorecard(ctx.db, group, who.id, periodStart(ctx.options.period, now), now);
    const currency = readSettings(group.settings).referrals.currency;
    return {
      text: `Scorecard of ${who.displayName} in ${group.name}, ${periodLabel(ctx.options.period)}:`,
      card: {
        title: `${who.displayName} — scorecard`,
        fields: lines.map((l) => ({
          label: METRIC_LABELS[l.metric],
          value:
            l.metric === 'attendance'
              ? `${l.value === null ? '—' : `${Math.round(l.value)}%`} · ${DOT[l.light]}`
              : `${l.metric === 'closedBusiness' ? `${currency} ` : ''}${round(l.value ?? 0)} (${round(l.rate ?? 0)}/week) · ${DOT[l.light]}`,
          inline: true,
        })),
        footer: 'Thresholds: /scorecard settings',
      },
      visibility: 'private',
    };
  },
});

export const scorecardSettings = defineCommand({
  name: 'scorecard settings',
  description: 'Traffic-light thresholds of the scorecard (no options shows them)',
  access: 'moderator',
  options: z.object({
    metric: z.enum(METRICS).optional().describe('Which line of the scorecard'),
    green: z.number().min(0).max(1_000_000).optional().describe('Green at or above (percent, or per week)'),
    amber: z.number().min(0).max(1_000_000).optional().describe('Amber at or above (below is red)'),
  }),
  examples: ['/scorecard settings metric:referralsGiven green:1 amber:0.5'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const settings = readSettings(group.settings);
    const o = ctx.options;
    let next = settings.scorecard;
    if (o.metric) {
      const cur = next[o.metric];
      const t = { green: o.green ?? cur.green, amber: o.amber ?? cur.amber };
      if (t.amber > t.green) throw userError.badOption('`amber` must not be above `green`.');
      next = scorecardSettingsSchema.parse({ ...next, [o.metric]: t });
      await ctx.db
        .update(groups)
        .set({ settings: { ...settings, scorecard: next } })
        .where(eq(groups.id, group.id));
    } else if (o.green !== undefined || o.amber !== undefined) {
      throw userError.badOption('Name the `metric` whose thresholds you set.');
    }
    return {
      text: `Scorecard thresholds of ${group.name} (attendance in percent, the rest per week):`,
      card: {
        title: 'Scorecard thresholds',
        fields: METRICS.map((m) => ({
          label: `${METRIC_LABELS[m]} (${m})`,
          value: `green ≥ ${next[m].green}, amber ≥ ${next[m].amber}`,
          inline: true,
        })),
      },
      visibility: 'private',
    };
  },
});
