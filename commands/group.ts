import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { groupCard } from '../src/groups/group-card.js';
import { seatReport } from '../src/members/seats.js';
import { boardControls, boardText, wantedBoard } from '../src/powerteam/wanted.js';

export const group = defineCommand({
  name: 'group',
  description: 'The group’s card: type, rules, meetings, members and open seats',
  // The public card: what a visitor reads before asking to join.
  access: 'anyone',
  options: z.object({}),
  async run(ctx) {
    const g = ctx.requireGroup();
    const seats = await seatReport(ctx.db, g.id);
    const board = await wantedBoard(ctx.db, g);
    const card = await groupCard(ctx.db, g, [
      ...(seats.open.length ? [{ label: 'Open seats', value: seats.open.join(', ') }] : []),
      ...(board.length ? [{ label: 'Wanted professions', value: boardText(board) }] : []),
    ]);
    return { text: `About ${g.name}:`, card, ...boardControls(board), visibility: 'private' };
  },
});
