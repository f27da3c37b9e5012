import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { getMembers } from '../src/communities/community-repo.js';
import { approveApplication, declineApplication } from '../src/members/applications.js';

export const approve = defineCommand({
  name: 'approve',
  description: 'Approve a pending application to the group',
  access: 'moderator',
  options: z.object({ member: memberOption('The applicant') }),
  positional: 'member',
  async run(ctx) {
    const member = await ctx.resolveMember(ctx.options.member);
    return { ...(await approveApplication(ctx, member.id)), replaceOriginal: false };
  },
  actions: {
    press: { access: 'moderator', run: (ctx) => approveApplication(ctx, Number(ctx.arg)) },
  },
});

export const decline = defineCommand({
  name: 'decline',
  description: 'Decline a pending application, with a reason the applicant is told',
  access: 'moderator',
  options: z.object({
    member: memberOption('The applicant'),
    reason: z.string().trim().min(2).max(300).optional().describe('Why (the applicant sees it)'),
  }),
  form: { title: 'Decline application', fields: ['reason'] },
  async run(ctx) {
    const member = await ctx.resolveMember(ctx.options.member);
    return { ...(await declineApplication(ctx, member.id, ctx.options.reason)), replaceOriginal: false };
  },
  actions: {
    /** Where forms exist the moderator is asked for a reason first; elsewhere the button declines at once. */
    press: {
      access: 'moderator',
      async run(ctx) {
        const memberId = Number(ctx.arg);
        if (!ctx.capabilities.forms) return declineApplication(ctx, memberId, undefined);
        const [m] = await getMembers(ctx.db, ctx.community.id, [memberId]);
        return {
          text: 'Why is the application declined?',
          visibility: 'private',
          form: {
            command: 'decline',
            title: 'Decline application',
            fields: [
              {
                name: 'reason',
                label: 'Reason (the applicant sees it)',
                style: 'paragraph',
                required: false,
                maxLength: 300,
              },
            ],
            hidden: { member: m?.platformUserId ?? '' },
          },
        };
      },
    },
  },
});
