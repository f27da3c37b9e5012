import { z } from 'zod';
import { commands } from '../../../commands/index.js';
import { type CommandDefinition, defineCommand } from '../../../src/commands/define.js';
import { memberOption } from '../../../src/commands/options.js';

/** The slowness of /slow itself (the adapter's deferral is under test), not a test waiting. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Test-only commands that exercise the adapter's paths (slow answers, buttons, selects, subcommands). */
export const slow = defineCommand({
  name: 'slow',
  description: 'Answers after a while',
  access: 'anyone',
  options: z.object({
    ms: z.number().int().min(0).max(5000).describe('How long to take'),
    public: z.boolean().optional().describe('Answer in the channel'),
  }),
  async run(ctx) {
    await sleep(ctx.options.ms);
    return { text: `Done after ${ctx.options.ms} ms`, visibility: ctx.options.public ? 'public' : 'private' };
  },
});

export const vote = defineCommand({
  name: 'vote',
  description: 'Offers buttons and a choice',
  access: 'anyone',
  options: z.object({}),
  async run() {
    return {
      text: 'Cast your vote @everyone',
      visibility: 'public',
      buttons: [
        { label: 'Yes', action: { command: 'vote', action: 'yes', arg: '7' }, style: 'primary' },
        { label: 'No', action: { command: 'vote', action: 'no' }, style: 'danger' },
      ],
      select: {
        placeholder: 'Pick a colour',
        action: { command: 'vote', action: 'colour' },
        options: [
          { label: 'Red', value: 'r' },
          { label: 'Blue', value: 'b' },
        ],
      },
    };
  },
  actions: {
    yes: {
      access: 'anyone',
      async run(ctx) {
        return { text: `Voted yes on ${ctx.arg} by ${ctx.actor.displayName}`, replaceOriginal: true };
      },
    },
    no: {
      access: 'anyone',
      async run() {
        return { text: 'You voted no', visibility: 'private' };
      },
    },
    colour: {
      access: 'anyone',
      async run(ctx) {
        return { text: `You chose ${ctx.value}`, visibility: 'private' };
      },
    },
  },
});

export const duoJoin = defineCommand({
  name: 'duo join',
  description: 'Join the duo rounds (a stand-in subcommand with a user option)',
  access: 'anyone',
  options: z.object({
    partner: memberOption('Someone you would like to meet').optional(),
    rounds: z.number().int().min(1).describe('How many rounds'),
  }),
  async run(ctx) {
    const partner = ctx.options.partner ? await ctx.resolveMember(ctx.options.partner) : null;
    return {
      text: `Joined for ${ctx.options.rounds} rounds${partner ? ` hoping to meet ${partner.displayName}` : ''}`,
    };
  },
});

export const duoLeave = defineCommand({
  name: 'duo leave',
  description: 'Leave the duo rounds (a stand-in moderator subcommand)',
  access: 'moderator',
  options: z.object({}),
  async run() {
    return { text: 'Left' };
  },
});

export const testCommands: CommandDefinition[] = [...commands, slow, vote, duoJoin, duoLeave] as CommandDefinition[];
