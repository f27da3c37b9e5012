import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { meetingSettingsSchema, readSettings } from '../src/groups/group-settings.js';
import { updateSettings } from '../src/groups/settings-repo.js';

export const meetingSettings = defineCommand({
  name: 'meeting settings',
  description: 'Meeting rules: length, absence limit and lateness (the reminder is in /nudges)',
  access: 'moderator',
  options: z.object({
    duration_minutes: z.number().int().min(15).max(720).optional().describe('How long a meeting lasts'),
    absence_limit: z
      .number()
      .int()
      .min(1)
      .max(52)
      .optional()
      .describe('Absences allowed in the window (medical and substitutes don’t count)'),
    absence_window_months: z
      .number()
      .int()
      .min(1)
      .max(24)
      .optional()
      .describe('The rolling window for absences, in months'),
    late_after_minutes: z
      .number()
      .int()
      .min(1)
      .max(240)
      .optional()
      .describe('A check-in this long after the start is late'),
  }),
  examples: ['/meeting settings absence_limit:4 absence_window_months:6'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const o = ctx.options;
    const current = readSettings(group.settings).meetings;
    const next = meetingSettingsSchema.parse({
      ...current,
      ...(o.duration_minutes !== undefined ? { durationMinutes: o.duration_minutes } : {}),
      ...(o.absence_limit !== undefined ? { absenceLimit: o.absence_limit } : {}),
      ...(o.absence_window_months !== undefined ? { absenceWindowMonths: o.absence_window_months } : {}),
      ...(o.late_after_minutes !== undefined ? { lateAfterMinutes: o.late_after_minutes } : {}),
    });
    await updateSettings(ctx.db, group, 'meetings', next);
    return {
      text: `Meeting rules of ${group.name}:`,
      card: {
        title: 'Meeting rules',
        fields: [
          { label: 'Length', value: `${next.durationMinutes} min`, inline: true },
          {
            label: 'Absences allowed',
            value: `${next.absenceLimit} per ${next.absenceWindowMonths} months`,
            inline: true,
          },
          { label: 'Late after', value: `${next.lateAfterMinutes} min`, inline: true },
        ],
      },
      visibility: 'private',
    };
  },
});
