import { z } from 'zod';
import type { HandlerContext } from '../src/commands/define.js';
import { defineCommand } from '../src/commands/define.js';
import { commitmentScope } from '../src/commands/object-scopes.js';
import { UserError } from '../src/errors.js';
import {
  closeCommitment,
  createCommitment,
  describeCommitment,
  moveCommitment,
  openCommitments,
  ownCommitment,
} from '../src/nudges/commitments.js';
import { parseDeadline } from '../src/nudges/deadline.js';
import { weekDigest } from '../src/nudges/weekly-digest.js';
import { formatLocalZoned } from '../src/time/zoned.js';

const tzOf = (ctx: HandlerContext) => ctx.actor.timezone ?? ctx.group?.timezone ?? ctx.defaultTimezone;

function deadline(ctx: HandlerContext, by: string): Date {
  const tz = tzOf(ctx);
  const due = parseDeadline(by, ctx.clock.now(), tz);
  if (!due) {
    throw new UserError(
      'bad_option',
      `I can’t read the date “${by}”.`,
      'Use a date like 2026-12-04, or words like friday, tomorrow, next monday, in 3 days.',
    );
  }
  if (due <= ctx.clock.now()) throw new UserError('bad_option', `${formatLocalZoned(due, tz)} has already passed.`);
  return due;
}

const idArg = (arg: string | undefined) => {
  const id = Number(arg);
  if (!Number.isInteger(id)) throw new UserError('not_found', 'That commitment no longer exists.');
  return id;
};

export const commit = defineCommand({
  name: 'commit',
  description: 'Promise to do something by a date; the bot asks at the deadline whether it was done',
  access: 'member',
  options: z.object({
    what: z.string().trim().min(3).max(200).optional().describe('What you will do, e.g. "call 3 prospects"'),
    by: z.string().trim().min(1).max(40).describe('When: 2026-12-04, friday, next monday, in 3 days'),
    private: z.boolean().optional().describe('Keep it out of the weekly digest'),
    id: z.number().int().positive().optional().describe('Move your open commitment with this number to the new date'),
  }),
  examples: ['/commit what:"call 3 prospects" by:friday', '/commit id:4 by:"next monday"'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const due = deadline(ctx, ctx.options.by);
    const tz = tzOf(ctx);
    if (ctx.options.id !== undefined) {
      const moved = await moveCommitment(
        ctx.db,
        await ownCommitment(ctx.db, ctx.actor.id, { number: ctx.options.id }),
        due,
      );
      return { text: `New date for “${moved.what}”: ${formatLocalZoned(due, tz)}.`, visibility: 'private' };
    }
    if (!ctx.options.what) {
      throw new UserError(
        'bad_option',
        'Say what you commit to with `what`.',
        'e.g. /commit what:"call 3 prospects" by:friday',
      );
    }
    const c = await createCommitment(
      ctx.db,
      {
        communityId: ctx.community.id,
        groupId: group.id,
        memberId: ctx.actor.id,
        what: ctx.options.what,
        dueAt: due,
        private: ctx.options.private ?? false,
      },
      ctx.clock.now(),
    );
    return {
      text: `Committed (#${c.number}): “${c.what}” by ${formatLocalZoned(due, tz)}. I’ll ask you then whether it’s done.${c.private ? ' It stays out of the weekly digest.' : ''}`,
      visibility: 'private',
    };
  },
  actions: {
    done: {
      access: 'member',
      scope: commitmentScope,
      async run(ctx) {
        const c = await ownCommitment(ctx.db, ctx.actor.id, { id: idArg(ctx.arg) });
        const closed = await closeCommitment(ctx.db, c, 'done', ctx.clock.now());
        return {
          text: closed ? `Well done: “${c.what}” is done.` : `“${c.what}” was already ${c.status}.`,
          replaceOriginal: true,
          visibility: 'private',
        };
      },
    },
    drop: {
      access: 'member',
      scope: commitmentScope,
      async run(ctx) {
        const c = await ownCommitment(ctx.db, ctx.actor.id, { id: idArg(ctx.arg) });
        const closed = await closeCommitment(ctx.db, c, 'dropped', ctx.clock.now());
        return {
          text: closed ? `Dropped “${c.what}”.` : `“${c.what}” was already ${c.status}.`,
          replaceOriginal: true,
          visibility: 'private',
        };
      },
    },
    later: {
      access: 'member',
      scope: commitmentScope,
      async run(ctx) {
        const c = await ownCommitment(ctx.db, ctx.actor.id, { id: idArg(ctx.arg) });
        if (c.status !== 'open') return { text: `“${c.what}” was already ${c.status}.`, visibility: 'private' };
        const ask = `When will “${c.what}” be done?`;
        if (ctx.capabilities.forms) {
          return {
            text: ask,
            visibility: 'private',
            form: {
              command: 'commit',
              title: 'New date',
              fields: [
                { name: 'by', label: 'New date (friday, in 3 days, 2026-12-04)', style: 'short', required: true },
              ],
              hidden: { id: String(c.number) },
            },
          };
        }
        return { text: `${ask} Give it a new date with /commit id:${c.number} by:<date>.`, visibility: 'private' };
      },
    },
  },
});

export const commitmentsCommand = defineCommand({
  name: 'commitments',
  description: 'Your open commitments and their deadlines, or the group’s week (week:true)',
  access: 'member',
  readOnly: true,
  options: z.object({
    week: z.boolean().optional().describe('The group’s week instead: commitments made and done in the last 7 days'),
    until: z.iso.datetime().optional().describe('End of that week (the weekly digest’s own moment)'),
  }),
  async run(ctx) {
    if (ctx.options.week) {
      const group = ctx.requireGroup();
      const until = ctx.options.until ? new Date(ctx.options.until) : ctx.clock.now();
      const { text, items } = await weekDigest(ctx.db, group, until);
      return { text, ...(items.length ? { list: { items } } : {}), visibility: 'private' };
    }
    const open = await openCommitments(ctx.db, ctx.actor.id);
    if (open.length === 0)
      return { text: 'You have no open commitments. Make one with /commit.', visibility: 'private' };
    const tz = tzOf(ctx);
    return {
      text: `Your open commitments (${open.length}):`,
      list: { items: open.map((c) => describeCommitment(c, tz)) },
      visibility: 'private',
    };
  },
});
