import { z } from 'zod';
import { applyAvailability, availabilityOptions, describeAvailability } from '../src/booking/me-availability.js';
import { defineCommand } from '../src/commands/define.js';
import { UserError } from '../src/errors.js';
import { NUDGE_NAMES, NUDGES, nudgeInfo } from '../src/nudges/nudge-settings.js';
import { readPreferences, savePreferences } from '../src/nudges/preferences.js';
import { isTimezone } from '../src/time/timezones.js';
import { parseClockTime } from '../src/time/zoned.js';

export const me = defineCommand({
  name: 'me',
  description: 'Your own settings: time zone, quiet hours, which nudges you receive',
  // Your own settings, whatever your place in a group.
  access: 'anyone',
  options: z.object({
    timezone: z
      .string()
      .trim()
      .refine(isTimezone, { message: 'must be an IANA time zone such as Europe/Berlin' })
      .optional()
      .describe('Your time zone, e.g. Europe/Berlin'),
    quiet_hours: z
      .string()
      .trim()
      .regex(/^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/, { message: 'must look like 21:00-08:00' })
      .optional()
      .describe('No DMs between these local times, e.g. 21:00-08:00'),
    nudge: z.enum(NUDGE_NAMES).optional().describe('A nudge to turn on or off for you'),
    receive: z.boolean().optional().describe('Receive that nudge (true) or not (false)'),
    ...availabilityOptions,
  }),
  examples: [
    '/me timezone:Europe/Berlin quiet_hours:22:00-07:30',
    '/me nudge:intro-reminder receive:false',
    '/me availability:"tue-thu 08:00-12:00, fri 14:00-17:00" format:video away:2026-12-20..2027-01-05',
  ],
  async run(ctx) {
    const o = ctx.options;
    const prefs = await readPreferences(ctx.db, ctx.actor.id);
    let quiet: { quietStart: string; quietEnd: string } | undefined;
    if (o.quiet_hours) {
      const [a, b] = o.quiet_hours.split('-').map((s) => s.trim()) as [string, string];
      const start = parseClockTime(a);
      const end = parseClockTime(b);
      if (start === null || end === null)
        throw new UserError('bad_option', 'Quiet hours must be times like 21:00-08:00.');
      const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      quiet = { quietStart: hhmm(start), quietEnd: hhmm(end) };
    }
    let muted: string[] | undefined;
    if (o.nudge !== undefined || o.receive !== undefined) {
      if (o.nudge === undefined || o.receive === undefined) {
        throw new UserError(
          'bad_option',
          'Give both `nudge` and `receive`, e.g. /me nudge:intro-reminder receive:false.',
        );
      }
      const info = nudgeInfo(o.nudge)!;
      if (info.groupRule && !o.receive) {
        throw new UserError('forbidden', `${info.label} is a rule of the group: moderators decide it in /nudges.`);
      }
      muted = o.receive ? prefs.muted.filter((n) => n !== o.nudge) : [...new Set([...prefs.muted, o.nudge])];
    }
    await savePreferences(ctx.db, ctx.actor.id, { timezone: o.timezone, ...quiet, muted });
    const now = await readPreferences(ctx.db, ctx.actor.id);
    const zone = now.timezone ?? ctx.group?.timezone ?? ctx.defaultTimezone;
    const tz = now.timezone ?? `${zone} (the group’s)`;
    const booking = await applyAvailability(ctx, o, zone);
    const changed = o.timezone || o.quiet_hours || o.nudge || booking;
    return {
      text: changed ? 'Saved. Your settings:' : 'Your settings:',
      list: {
        items: [
          `Time zone: ${tz}`,
          `Quiet hours: ${now.quietStart}–${now.quietEnd} (DMs wait until morning)`,
          ...(await describeAvailability(ctx, zone)),
          ...NUDGES.map(
            (n) => `${n.name}: ${n.groupRule ? 'on (group rule)' : now.muted.includes(n.name) ? 'off' : 'on'}`,
          ),
        ],
      },
      visibility: 'private',
    };
  },
});
