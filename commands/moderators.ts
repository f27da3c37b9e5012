import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { getMembership } from '../src/communities/community-repo.js';
import { activeModerators, keepOneModerator, setRole } from '../src/communities/moderator-roles.js';
import { UserError } from '../src/errors.js';

export const moderatorAdd = defineCommand({
  name: 'moderator add',
  description: 'Make a member a moderator of this group (co-moderators, or a handover)',
  access: 'moderator',
  options: z.object({ member: memberOption('The member who becomes a moderator') }),
  positional: 'member',
  examples: ['/moderator add member:@dana'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const who = await ctx.resolveMember(ctx.options.member);
    const membership = await getMembership(ctx.db, group.id, who.id);
    if (membership?.status !== 'active') {
      throw new UserError(
        'not_found',
        `${who.displayName} is not an active member of ${group.name}.`,
        'Moderators are chosen among members: they join with /intro first.',
      );
    }
    if (!(await setRole(ctx.db, group.id, who.id, 'moderator'))) {
      throw new UserError('conflict', `${who.displayName} is already a moderator of ${group.name}.`);
    }
    ctx.send({
      target: { kind: 'dm', memberId: who.id },
      content: {
        text: `${ctx.actor.displayName} made you a moderator of ${group.name}. You now approve applications (/applications), take attendance (/attendance) and run the group's settings; /help lists what you may run.`,
      },
    });
    const mods = await activeModerators(ctx.db, group.id);
    return {
      text: `${who.displayName} is now a moderator of ${group.name}. Moderators: ${mods.map((m) => m.displayName).join(', ')}.`,
      visibility: 'private',
    };
  },
});

export const moderatorRemove = defineCommand({
  name: 'moderator remove',
  description: 'Make a moderator an ordinary member again (never the last moderator)',
  access: 'moderator',
  options: z.object({ member: memberOption('The moderator who steps down (yourself included)') }),
  positional: 'member',
  examples: ['/moderator remove member:@dana'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const who = await ctx.resolveMember(ctx.options.member);
    const self = who.id === ctx.actor.id;
    await keepOneModerator(ctx.db, group, who, self ? 'step-down' : 'remove');
    if (!(await setRole(ctx.db, group.id, who.id, 'member'))) {
      throw new UserError('not_found', `${who.displayName} is not a moderator of ${group.name}.`, 'See /moderators.');
    }
    if (!self) {
      ctx.send({
        target: { kind: 'dm', memberId: who.id },
        content: {
          text: `${ctx.actor.displayName} handed your moderator role in ${group.name} back: you stay a member.`,
        },
      });
    }
    const mods = await activeModerators(ctx.db, group.id);
    return {
      text: `${self ? 'You are' : `${who.displayName} is`} no longer a moderator of ${group.name}. Moderators: ${mods.map((m) => m.displayName).join(', ')}.`,
      visibility: 'private',
    };
  },
});

export const moderatorsList = defineCommand({
  name: 'moderators',
  description: 'Who moderates this group',
  access: 'member',
  readOnly: true,
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    const mods = await activeModerators(ctx.db, group.id);
    return {
      text: mods.length
        ? `Moderators of ${group.name}: ${mods.map((m) => m.displayName).join(', ')}.`
        : `${group.name} has no moderator.`,
      ...(ctx.isModerator
        ? { list: { items: ['Appoint one: /moderator add member:@name', 'Step down: /moderator remove member:@you'] } }
        : {}),
      visibility: 'private',
    };
  },
});
