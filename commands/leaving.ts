import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { keepOneModerator } from '../src/communities/moderator-roles.js';
import { UserError } from '../src/errors.js';
import { endMembership, forgetMember } from '../src/members/leaving.js';

export const leave = defineCommand({
  name: 'leave',
  description: 'Leave this group (your card stays for your other groups)',
  // An applicant may withdraw too: the handler checks the membership.
  access: 'anyone',
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    if (!ctx.membership || !['active', 'applicant'].includes(ctx.membership.status)) {
      throw new UserError('not_found', `You are not a member of ${group.name}.`);
    }
    await keepOneModerator(ctx.db, group, ctx.actor, 'leave');
    await endMembership(ctx, group, ctx.actor.id, 'left', ctx.actor.displayName);
    return { text: `You have left ${group.name}. Come back any time with /intro.`, visibility: 'private' };
  },
});

export const remove = defineCommand({
  name: 'remove',
  description: 'Remove a member from the group',
  access: 'moderator',
  options: z.object({
    member: memberOption('The member to remove'),
    reason: z.string().trim().min(2).max(300).optional().describe('Why (the member is told)'),
  }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const member = await ctx.resolveMember(ctx.options.member);
    if (member.id === ctx.actor.id) throw new UserError('bad_option', 'You cannot remove yourself; use /leave.');
    await keepOneModerator(ctx.db, group, member, 'remove');
    if (!(await endMembership(ctx, group, member.id, 'removed', member.displayName))) {
      throw new UserError('not_found', `${member.displayName} is not a member of ${group.name}.`);
    }
    ctx.send({
      target: { kind: 'dm', memberId: member.id },
      content: {
        text: `You are no longer a member of ${group.name}${ctx.options.reason ? `: ${ctx.options.reason}` : '.'}`,
      },
    });
    return { text: `${member.displayName} was removed from ${group.name}.`, visibility: 'private' };
  },
});

export const forgetMe = defineCommand({
  name: 'forget-me',
  description: 'Delete all your personal data in this community (asks to confirm)',
  // Anyone: a removed member or one who never joined still has data here to delete.
  access: 'anyone',
  options: z.object({}),
  async run() {
    return {
      text: 'This deletes your card, your group memberships and your name from everything here. It cannot be undone. Are you sure?',
      buttons: [
        { label: 'Delete my data', action: { command: 'forget-me', action: 'confirm' }, style: 'danger' },
        { label: 'Keep it', action: { command: 'forget-me', action: 'cancel' } },
      ],
      visibility: 'private',
    };
  },
  actions: {
    confirm: {
      access: 'anyone',
      async run(ctx) {
        await forgetMember(ctx);
        return { text: 'Done: your personal data here is deleted.', replaceOriginal: true, visibility: 'private' };
      },
    },
    cancel: {
      access: 'anyone',
      run: async () => ({ text: 'Nothing was deleted.', replaceOriginal: true, visibility: 'private' }),
    },
  },
});
