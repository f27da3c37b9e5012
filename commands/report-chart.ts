import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { channelOption } from '../src/commands/options.js';
import { CHART_PERIODS, chartData } from '../src/reports/chart-data.js';
import { chartAltText, chartSummary, renderChartSvg } from '../src/reports/chart-svg.js';
import { svgToPng } from '../src/reports/rasterise.js';

export const reportChart = defineCommand({
  name: 'report chart',
  description: 'The group’s week or month as a chart: referrals, closed business, attendance, 1-to-1s',
  access: 'moderator',
  options: z.object({
    period: z.enum(CHART_PERIODS).default('week').describe('week or month'),
    channel: channelOption('Post it here (default: the group’s channel)').optional(),
  }),
  positional: 'period',
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const data = await chartData(ctx.db, group, ctx.options.period, now);
    const alt = chartAltText(data);
    ctx.send({
      target: { kind: 'channel', channelRef: ctx.options.channel ?? group.homeChannelRef },
      content: {
        text: `${group.name}, the last ${ctx.options.period}: ${chartSummary(data)}`,
        attachments: [
          {
            filename: `report-${ctx.options.period}-${now.toISOString().slice(0, 10)}.png`,
            contentType: 'image/png',
            data: svgToPng(renderChartSvg(data)),
            description: alt,
          },
        ],
      },
    });
    return { text: `The chart for the last ${ctx.options.period} is posted.`, visibility: 'private' };
  },
});
