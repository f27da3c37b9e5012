import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { profileCard } from '../src/members/profile-card.js';
import { isActiveSomewhere, memberWithProfile } from '../src/members/profile-repo.js';

export const profile = defineCommand({
  name: 'profile',
  description: 'Show a member’s introduction card (yours by default)',
  access: 'member',
  readOnly: true,
  options: z.object({ member: memberOption('Whose card to show').optional() }),
  positional: 'member',
  async run(ctx) {
    const target = ctx.options.member ? await ctx.resolveMember(ctx.options.member) : ctx.actor;
    const found = await memberWithProfile(ctx.db, ctx.community.id, target.id);
    const self = target.id === ctx.actor.id;
    // Applicants' cards are for themselves and moderators until they are approved.
    const visible = self || ctx.isModerator || (await isActiveSomewhere(ctx.db, ctx.community.id, target.id));
    if (!found?.profile || !visible) {
      return {
        text: self
          ? 'You have not introduced yourself yet: run /intro.'
          : `${target.displayName} has not introduced themselves yet.`,
        visibility: 'private',
      };
    }
    return {
      text: self ? 'Your card:' : `${target.displayName}’s card:`,
      card: profileCard(found.member, found.profile),
      visibility: 'private',
    };
  },
});
