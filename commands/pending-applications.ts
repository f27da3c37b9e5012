import { z } from 'zod';
import { defineCommand, type HandlerContext } from '../src/commands/define.js';
import { UserError } from '../src/errors.js';
import { formatMeetingTime } from '../src/meetings/calendar.js';
import { applicantButtons, approveApplication } from '../src/members/applications.js';
import { conflictNote, pendingApplications } from '../src/members/seat-conflicts.js';
import { grantOverride } from '../src/members/seats.js';
import type { Reply } from '../src/messages.js';

/** Applicants per page: three buttons each (Approve / Let share / Decline) stay within Discord's 25 per message. */
const PAGE = 6;

async function listPage(ctx: HandlerContext, page: number, note?: string): Promise<Reply> {
  const group = ctx.requireGroup();
  const all = await pendingApplications(ctx.db, group);
  const pages = Math.max(1, Math.ceil(all.length / PAGE));
  const at = Math.min(Math.max(0, page), pages - 1);
  if (!all.length) {
    return {
      text: `${note ? `${note}\n` : ''}Nobody is waiting: ${group.name} has no pending applications.`,
      visibility: 'private',
    };
  }
  const shown = all.slice(at * PAGE, (at + 1) * PAGE);
  const conflicts = all.filter((a) => a.heldBy || a.contestedBy.length).length;
  return {
    text: `${note ? `${note}\n` : ''}Pending applications to ${group.name}: ${all.length}${conflicts ? ` (⚠ ${conflicts} with a seat conflict)` : ''}.`,
    list: {
      title: pages > 1 ? `Page ${at + 1} of ${pages}` : undefined,
      items: shown.map((a) => {
        const flag = conflictNote(a);
        const when = formatMeetingTime(a.appliedAt, group.timezone);
        return `${a.name} — ${a.category ?? 'no card'} — applied ${when} (${group.timezone})${flag ? ` · ${flag}` : ''}`;
      }),
    },
    buttons: [
      ...shown.flatMap((a) => applicantButtons(a.memberId, a.name, Boolean(a.heldBy || a.contestedBy.length))),
      ...(at > 0
        ? [{ label: 'Previous', action: { command: 'applications', action: 'page', arg: String(at - 1) } }]
        : []),
      ...(at + 1 < pages
        ? [{ label: 'Next', action: { command: 'applications', action: 'page', arg: String(at + 1) } }]
        : []),
    ],
    visibility: 'private',
  };
}

export const applicationsList = defineCommand({
  name: 'applications',
  description: 'Pending applications, with seat conflicts flagged and Approve / Decline / Let share buttons',
  access: 'moderator',
  readOnly: true,
  options: z.object({}),
  async run(ctx) {
    return listPage(ctx, 0);
  },
  actions: {
    page: {
      access: 'moderator',
      run: async (ctx) => ({ ...(await listPage(ctx, Number(ctx.arg) || 0)), replaceOriginal: true }),
    },
    approve: {
      access: 'moderator',
      async run(ctx) {
        const done = await approveApplication(ctx, Number(ctx.arg));
        return { ...(await listPage(ctx, 0, done.text)), replaceOriginal: true };
      },
    },
    /** Lets the applicant share the seat that stands in the way, and approves them. */
    share: {
      access: 'moderator',
      async run(ctx) {
        const group = ctx.requireGroup();
        const entry = (await pendingApplications(ctx.db, group)).find((a) => a.memberId === Number(ctx.arg));
        if (!entry) throw new UserError('conflict', 'That application is no longer pending.', 'See /applications.');
        if (entry.seatKey) await grantOverride(ctx.db, group.id, entry.memberId, entry.seatKey, ctx.actor.id);
        const done = await approveApplication(ctx, entry.memberId);
        return {
          ...(await listPage(
            ctx,
            0,
            `${entry.name} may share the “${entry.category ?? entry.seatKey}” seat. ${done.text}`,
          )),
          replaceOriginal: true,
        };
      },
    },
  },
});
