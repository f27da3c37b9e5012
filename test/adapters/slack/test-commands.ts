import { z } from 'zod';
import { commands } from '../../../commands/index.js';
import { defineCommand } from '../../../src/commands/define.js';
import { longText, memberOption } from '../../../src/commands/options.js';
import { UserError } from '../../../src/errors.js';

/** A command with a form (as /intro will have): run without `pitch` on Slack it opens a modal. */
export const pitch = defineCommand({
  name: 'pitch',
  description: 'Record a pitch (test command with a form)',
  access: 'anyone',
  options: z.object({
    pitch: longText('Your 60-second pitch', 200),
    company: z.string().trim().max(40).optional().describe('Company name'),
    audience: z.string().trim().optional().describe('Who it is for'),
  }),
  form: { title: 'Your pitch', fields: ['pitch', 'company'] },
  async run(ctx) {
    if (ctx.options.pitch.includes('forbidden')) throw new UserError('bad_option', '`pitch` may not say forbidden.');
    return {
      text: `Pitch saved for ${ctx.actor.displayName}: ${ctx.options.pitch}${ctx.options.company ? ` (${ctx.options.company})` : ''}${ctx.options.audience ? ` for ${ctx.options.audience}` : ''}`,
      visibility: 'public',
    };
  },
});

/** Buttons and a select that come back to the dispatcher as actions. */
export const poll = defineCommand({
  name: 'poll',
  description: 'Ask a yes/no question (test command with buttons)',
  access: 'anyone',
  options: z.object({ question: z.string().trim().min(1).describe('The question') }),
  positional: 'question',
  async run(ctx) {
    return {
      text: `Poll: ${ctx.options.question}`,
      visibility: 'private',
      buttons: [
        { label: 'Yes', action: { command: 'poll', action: 'vote', arg: 'yes' }, style: 'primary' },
        { label: 'No', action: { command: 'poll', action: 'vote', arg: 'no' }, style: 'danger' },
      ],
      select: {
        placeholder: 'Or pick',
        action: { command: 'poll', action: 'pick' },
        options: [
          { label: 'Maybe', value: 'maybe' },
          { label: 'Later', value: 'later' },
        ],
      },
    };
  },
  actions: {
    vote: {
      access: 'anyone',
      run: async (ctx) => ({ text: `${ctx.actor.displayName} voted ${ctx.arg}`, replaceOriginal: true }),
    },
    pick: {
      access: 'anyone',
      run: async (ctx) => ({ text: `${ctx.actor.displayName} picked ${ctx.value}`, visibility: 'private' }),
    },
  },
});

/** Messages to others: a DM, a group conversation and a channel post, delivered after the reply. */
export const poke = defineCommand({
  name: 'poke',
  description: 'Nudge a member (test command that sends DMs)',
  access: 'anyone',
  options: z.object({
    member: memberOption('Who to poke'),
    with: memberOption('A third person for a group conversation').optional(),
    note: z.string().trim().optional().describe('A note'),
  }),
  positional: 'note',
  async run(ctx) {
    const target = await ctx.resolveMember(ctx.options.member);
    ctx.send({
      target: { kind: 'dm', memberId: target.id },
      content: { text: `${ctx.actor.displayName} poked you: ${ctx.options.note ?? ''}` },
    });
    if (ctx.options.with) {
      const third = await ctx.resolveMember(ctx.options.with);
      ctx.send({
        target: {
          kind: 'conversation',
          memberIds: [ctx.actor.id, target.id, third.id],
          channelRef: ctx.channelRef,
          title: 'Trio',
        },
        content: {
          text: 'You three should talk',
          attachments: [
            {
              filename: 'agenda.txt',
              contentType: 'text/plain',
              data: new TextEncoder().encode('hi'),
              description: 'Agenda',
            },
          ],
        },
      });
    }
    return { text: `Nudged ${target.displayName}.`, visibility: 'private' };
  },
});

export const testCommands = [...commands, pitch, poll, poke] as typeof commands;
