import { z } from 'zod';
import { arrangeOurselves, book, more } from '../src/booking/booking-actions.js';
import { cancelBooking, keep, reschedule } from '../src/booking/booking-changes.js';
import { readBookingSettings, saveBookingSettings } from '../src/booking/booking-repo.js';
import { upcomingBookings, upcomingLines } from '../src/booking/my-bookings.js';
import { defineCommand } from '../src/commands/define.js';
import { UserError } from '../src/errors.js';
import { readPreferences } from '../src/nudges/preferences.js';
import { resolveProgram } from '../src/pairing/program-repo.js';

export const bookingList = defineCommand({
  name: 'booking list',
  description: 'Your booked 1-to-1s still to come, with Reschedule and Cancel',
  access: 'member',
  readOnly: true,
  options: z.object({}),
  async run(ctx) {
    const list = await upcomingBookings(ctx.db, ctx.community.id, ctx.actor.id, ctx.clock.now());
    const tz = (await readPreferences(ctx.db, ctx.actor.id)).timezone ?? ctx.group?.timezone ?? ctx.defaultTimezone;
    if (list.length === 0) {
      return {
        text: 'You have no 1-to-1 booked. Book one with the buttons on your next pairing message.',
        visibility: 'private',
      };
    }
    const { items, buttons } = upcomingLines(list, tz);
    return { text: 'Your booked 1-to-1s:', list: { items }, buttons, visibility: 'private' };
  },
  actions: {
    book: { access: 'member', run: (ctx) => book(ctx, ctx.arg) },
    more: { access: 'member', run: (ctx) => more(ctx, ctx.arg) },
    self: { access: 'member', run: (ctx) => arrangeOurselves(ctx, ctx.arg) },
    reschedule: { access: 'member', run: (ctx) => reschedule(ctx, ctx.arg) },
    keep: { access: 'member', run: (ctx) => keep(ctx, ctx.arg) },
    cancel: { access: 'member', run: (ctx) => cancelBooking(ctx, ctx.arg) },
  },
});

const VIDEO = ['none', 'fixed', 'template'] as const;

export const bookingSettingsCommand = defineCommand({
  name: 'booking settings',
  description: 'How 1-to-1s are booked: proposed times, length, video links, rolling 1-to-1s',
  access: 'moderator',
  options: z.object({
    propose: z.boolean().optional().describe('Propose bookable times with each pairing (default true)'),
    minutes: z
      .number()
      .int()
      .min(15)
      .max(120)
      .optional()
      .describe('Length of a 1-to-1 in minutes (15–120, default 45)'),
    video: z.enum(VIDEO).optional().describe('Video links: none, fixed (one link) or template (a new room each time)'),
    link: z
      .string()
      .trim()
      .max(300)
      .regex(/^https:\/\/\S+$/, { message: 'must be an https:// link' })
      .optional()
      .describe('The fixed link, or a template with {random}: https://meet.jit.si/roundtable-{random}'),
    program: z.string().trim().min(1).max(60).optional().describe('Pairing program for rolling'),
    rolling: z.boolean().optional().describe('Keep one 1-to-1 booked ahead in that program'),
  }),
  examples: [
    '/booking settings video:template link:https://meet.jit.si/roundtable-{random}',
    '/booking settings program:Coffee rolling:true',
  ],
  async run(ctx) {
    const group = ctx.requireGroup();
    const o = ctx.options;
    const current = await readBookingSettings(ctx.db, group.id);
    const video = o.video ?? current.video;
    const link = o.link ?? (o.video === 'none' ? null : current.videoLink);
    if (video === 'fixed' && !link)
      throw new UserError(
        'bad_option',
        'A fixed video link needs the link.',
        'Example: /booking settings video:fixed link:https://meet.example/our-room',
      );
    if (video === 'template' && !link?.includes('{random}')) {
      throw new UserError(
        'bad_option',
        'A room template needs {random} where the unguessable room name goes.',
        'Example: /booking settings video:template link:https://meet.jit.si/roundtable-{random}',
      );
    }
    if (video === 'fixed' && link?.includes('{random}')) {
      throw new UserError('bad_option', 'A fixed link has no {random}: use video:template for a new room each time.');
    }
    let rollingProgramIds = current.rollingProgramIds;
    if (o.rolling !== undefined) {
      const p = await resolveProgram(ctx.db, group, o.program);
      rollingProgramIds = o.rolling
        ? [...new Set([...rollingProgramIds, p.id])]
        : rollingProgramIds.filter((id) => id !== p.id);
    } else if (o.program !== undefined) {
      throw new UserError('bad_option', 'Give rolling:true or rolling:false with the program.');
    }
    const s = await saveBookingSettings(ctx.db, ctx.community.id, group.id, {
      ...(o.propose !== undefined ? { propose: o.propose } : {}),
      ...(o.minutes !== undefined ? { minutes: o.minutes } : {}),
      video,
      videoLink: video === 'none' ? null : link,
      rollingProgramIds,
    });
    const changed = Object.values(o).some((v) => v !== undefined);
    const videoWords =
      s.video === 'none'
        ? 'none from the group (members’ own links or places are used)'
        : s.video === 'fixed'
          ? `always ${s.videoLink}`
          : `a new unguessable room for each 1-to-1 from ${s.videoLink}`;
    return {
      text: `${changed ? 'Saved. ' : ''}1-to-1 booking in ${group.name}:`,
      list: {
        items: [
          `Proposed times with each pairing: ${s.propose ? 'on' : 'off'}`,
          `Length: ${s.minutes} minutes`,
          `Video links: ${videoWords}`,
          `Rolling 1-to-1s (one always booked ahead): ${s.rollingProgramIds.length ? `${s.rollingProgramIds.length} program(s)` : 'off'}`,
        ],
      },
      visibility: 'private',
    };
  },
});
