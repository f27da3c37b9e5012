import type { Db } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { formatLocalZoned } from '../time/zoned.js';
import { commitmentsOfWeek } from './commitments.js';

const DAY = 86_400_000;

/**
 * A group's week of commitments (made and done in the 7 days before `to`), private ones counted, not shown: the
 * weekly digest posted to the channel, and `/commitments week:true`, which its "Show all" re-runs in pages.
 */
export async function weekDigest(db: Db, group: GroupRow, to: Date): Promise<{ text: string; items: string[] }> {
  const from = new Date(to.getTime() - 7 * DAY);
  const rows = await commitmentsOfWeek(db, group.id, from, to);
  const shown = rows.filter((r) => !r.c.private);
  const hidden = rows.length - shown.length;
  const done = shown.filter((r) => r.c.status === 'done' && r.c.closedAt && r.c.closedAt >= from);
  const made = shown.filter((r) => r.c.createdAt >= from);
  const items = [
    ...made.map((r) => `${r.name} committed to “${r.c.what}” by ${formatLocalZoned(r.c.dueAt, group.timezone)}`),
    ...done.map((r) => `✓ ${r.name} did “${r.c.what}”`),
  ];
  const text = items.length
    ? `This week in ${group.name}: ${made.length} commitment${made.length === 1 ? '' : 's'} made, ${done.length} done.${hidden ? ` (${hidden} private not shown.)` : ''}`
    : `This week in ${group.name}: no commitments yet${hidden ? ` (${hidden} private)` : ''}. Promise the group something with /commit.`;
  return { text, items };
}
