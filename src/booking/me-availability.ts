import { z } from 'zod';
import type { HandlerContext } from '../commands/define.js';
import { UserError } from '../errors.js';
import { addDays, zonedTime } from '../time/zoned.js';
import {
  AvailabilityError,
  DEFAULT_WINDOWS,
  dateKey,
  describeWindows,
  FORMAT_WORDS,
  FORMATS,
  parseAvailability,
  parseAway,
} from './availability.js';
import { readAvailability, saveAvailability } from './booking-repo.js';

/** The /me options of 1-to-1 booking (issue 18), merged into /me's own. */
export const availabilityOptions = {
  availability: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .describe('Weekly 1-to-1 times in your zone, e.g. "tue-thu 08:00-12:00, fri 14:00-17:00" (none clears)'),
  format: z.enum(FORMATS).optional().describe('How you like to meet: video, phone, in-person or any'),
  place: z.string().trim().min(1).max(200).optional().describe('Where you meet in person (none: clear)'),
  video_link: z
    .string()
    .trim()
    .max(300)
    .refine((s) => s === 'none' || /^https:\/\/\S+$/.test(s), { message: 'must be an https:// link (or none)' })
    .optional()
    .describe('Your own video meeting link, https://… (none: clear)'),
  away: z
    .string()
    .trim()
    .max(30)
    .optional()
    .describe('Dates you are away, no pairing then: 2026-12-20..2027-01-05 (none: clear)'),
};

export type AvailabilityOptions = {
  [K in keyof typeof availabilityOptions]?: z.infer<(typeof availabilityOptions)[K]>;
};

const none = (s: string | undefined) => s?.toLowerCase() === 'none';

/** Applies the availability options given (validated as a whole first: a bad value writes nothing). */
export async function applyAvailability(ctx: HandlerContext, o: AvailabilityOptions, tz: string): Promise<boolean> {
  const change: Parameters<typeof saveAvailability>[3] = {};
  try {
    if (o.availability !== undefined) change.windows = none(o.availability) ? null : parseAvailability(o.availability);
    if (o.away !== undefined) {
      if (none(o.away))
        Object.assign(change, { awayFromDate: null, awayUntilDate: null, awayFrom: null, awayUntil: null });
      else {
        const { from, until } = parseAway(o.away);
        const end = zonedTime(addDays(until, 1), 0, 0, tz);
        if (end <= ctx.clock.now())
          throw new AvailabilityError('That away period is over already: give dates from today on.');
        Object.assign(change, {
          awayFromDate: dateKey(from),
          awayUntilDate: dateKey(until),
          awayFrom: zonedTime(from, 0, 0, tz),
          awayUntil: end,
        });
      }
    }
  } catch (err) {
    if (err instanceof AvailabilityError)
      throw new UserError(
        'bad_option',
        err.message,
        'Example: /me availability:"tue-thu 08:00-12:00, fri 14:00-17:00" away:2026-12-20..2027-01-05',
      );
    throw err;
  }
  if (o.format !== undefined) change.format = o.format;
  if (o.place !== undefined) change.place = none(o.place) ? null : o.place;
  if (o.video_link !== undefined) change.videoLink = none(o.video_link) ? null : o.video_link;
  if (Object.keys(change).length === 0) return false;
  await saveAvailability(ctx.db, ctx.community.id, ctx.actor.id, change);
  return true;
}

/** The member's 1-to-1 availability in plain words, for /me's list. */
export async function describeAvailability(ctx: HandlerContext, tz: string): Promise<string[]> {
  const a = await readAvailability(ctx.db, ctx.actor.id);
  const windows = a?.windows
    ? `${describeWindows(a.windows)} (${tz})`
    : `not set: weekdays ${describeWindows(DEFAULT_WINDOWS).replace('Monday to Friday ', '')} are assumed (${tz})`;
  const format = FORMAT_WORDS[(a?.format ?? 'any') as keyof typeof FORMAT_WORDS];
  const where = [a?.place ? `place: ${a.place}` : null, a?.videoLink ? `video link: ${a.videoLink}` : null].filter(
    Boolean,
  );
  const away =
    a?.awayUntil && a.awayUntil > ctx.clock.now()
      ? `Away: ${a.awayFromDate} to ${a.awayUntilDate} inclusive, no pairing then`
      : 'Away: not set';
  return [
    `1-to-1 availability: ${windows}`,
    `1-to-1 format: ${format}${where.length ? ` (${where.join(', ')})` : ''}`,
    away,
  ];
}
