import { z } from 'zod';
import { type ActionContext, defineCommand } from '../src/commands/define.js';
import { moderatorsOf } from '../src/communities/community-repo.js';
import { UserError } from '../src/errors.js';
import { readSettings } from '../src/groups/group-settings.js';
import { normalizeCategory } from '../src/members/categories.js';
import { getProfile, memberWithProfile } from '../src/members/profile-repo.js';
import { grantOverride, seatReport } from '../src/members/seats.js';
import { boardControls, boardText, wantedBoard } from '../src/powerteam/wanted.js';

/** The request behind the moderators' Allow / Refuse buttons, whose payload is `memberId|seatKey`. */
async function seatRequest(ctx: ActionContext) {
  const group = ctx.requireGroup();
  const [id, ...seat] = (ctx.arg ?? '').split('|');
  const memberId = Number(id);
  const found = await memberWithProfile(ctx.db, ctx.community.id, memberId);
  if (!found) throw new UserError('not_found', 'That member is no longer here.');
  const seatKey = seat.join('|');
  // The key is a skeleton: the seat is named as the member wrote their category.
  const label = found.profile ? normalizeCategory(found.profile.category) : seatKey;
  return { group, memberId, seatKey, label, found };
}

export const seats = defineCommand({
  name: 'seats',
  description: 'Taken seats, open seats the group wants filled, and members without a seat',
  // Public, like the group card: a newcomer checks whether their profession's seat is open.
  access: 'anyone',
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    const r = await seatReport(ctx.db, group.id);
    const board = await wantedBoard(ctx.db, group);
    const rule = readSettings(group.settings).oneSeatPerCategory
      ? 'one member per profession'
      : 'several members may share a profession';
    return {
      text: `Seats in ${group.name} (${rule}):`,
      card: {
        title: `${group.name} — seats`,
        fields: [
          {
            label: `Taken (${r.taken.length})`,
            value: r.taken.map((t) => `${t.seat}: ${t.holders.join(', ')}`).join('\n') || 'none yet',
          },
          { label: `Open, wanted (${r.open.length})`, value: r.open.join(', ') || 'none listed' },
          { label: `Without a seat (${r.unseated.length})`, value: r.unseated.join(', ') || 'nobody' },
          { label: `Wanted professions (${board.length})`, value: boardText(board) },
        ],
      },
      // "I know someone" for a wanted profession becomes a visitor invitation (commands/powerteam.ts)
      ...boardControls(board),
      visibility: 'private',
    };
  },
  actions: {
    /** The refused member asks the moderators to let them share the seat. */
    ask: {
      // Pressed by someone refused a seat: not a member yet.
      access: 'anyone',
      async run(ctx) {
        const group = ctx.requireGroup();
        const seatKey = ctx.arg ?? '';
        const mine = await getProfile(ctx.db, ctx.actor.id);
        const label = mine ? normalizeCategory(mine.category) : seatKey;
        for (const mod of await moderatorsOf(ctx.db, group.id)) {
          ctx.send({
            target: { kind: 'dm', memberId: mod.id },
            content: {
              text: `${ctx.actor.displayName} asks to share the “${label}” seat in ${group.name}, which is already taken.`,
              buttons: [
                {
                  label: 'Allow',
                  action: { command: 'seats', action: 'allow', arg: `${ctx.actor.id}|${seatKey}` },
                  style: 'primary',
                },
                {
                  label: 'Refuse',
                  action: { command: 'seats', action: 'refuse', arg: `${ctx.actor.id}|${seatKey}` },
                  style: 'danger',
                },
              ],
            },
          });
        }
        return {
          text: 'The moderators have your request; you will hear back from them.',
          replaceOriginal: true,
          visibility: 'private',
        };
      },
    },
    allow: {
      access: 'moderator',
      async run(ctx) {
        const { group, memberId, seatKey, label, found } = await seatRequest(ctx);
        await grantOverride(ctx.db, group.id, memberId, seatKey, ctx.actor.id);
        ctx.send({
          target: { kind: 'dm', memberId },
          content: {
            text: `A moderator of ${group.name} allowed you to share the “${label}” seat. Run /intro again to join with it.`,
          },
        });
        return {
          text: `${found.member.displayName} may share the “${label}” seat (allowed by ${ctx.actor.displayName}).`,
          replaceOriginal: true,
          visibility: 'private',
        };
      },
    },
    refuse: {
      access: 'moderator',
      async run(ctx) {
        const { group, memberId, label, found } = await seatRequest(ctx);
        ctx.send({
          target: { kind: 'dm', memberId },
          content: {
            text: `The moderators of ${group.name} kept the “${label}” seat as it is. You can choose another category with /intro.`,
          },
        });
        return {
          text: `Refused ${found.member.displayName}’s request for the “${label}” seat.`,
          replaceOriginal: true,
          visibility: 'private',
        };
      },
    },
  },
});
