import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groupMemberships } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import type { Card } from '../messages.js';
import { GROUP_TYPE_BLURBS, type GroupType, readSettings } from './group-settings.js';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What a meeting rhythm reads like: "Weekly on Tuesday at 07:00 (Europe/London), Cafe Rio". */
export function describeRhythm(group: GroupRow): string {
  const m = readSettings(group.settings).meeting;
  if (!m) return 'not set';
  const freq = m.frequency === 'biweekly' ? 'Every two weeks' : cap(m.frequency);
  return `${freq} on ${cap(m.day)} at ${m.time} (${group.timezone})${m.place ? `, ${m.place}` : ''}`;
}

/** The public card a prospective member reads before joining: type, rules, size, rhythm. */
export async function groupCard(db: Db, group: GroupRow, extraFields: Card['fields'] = []): Promise<Card> {
  const settings = readSettings(group.settings);
  const [row] = await db
    .select({ n: count() })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.status, 'active')));
  return {
    title: group.name,
    subtitle: GROUP_TYPE_BLURBS[group.type as GroupType] ?? group.type,
    fields: [
      { label: 'Type', value: group.type, inline: true },
      { label: 'Members', value: String(row?.n ?? 0), inline: true },
      { label: 'Meetings', value: describeRhythm(group) },
      {
        label: 'Seats',
        value: settings.oneSeatPerCategory ? 'One member per profession' : 'Open to every profession',
        inline: true,
      },
      {
        label: 'Joining',
        value: settings.requiresApproval ? 'Apply; moderators approve' : 'Open: introduce yourself',
        inline: true,
      },
      ...(settings.description ? [{ label: 'About', value: settings.description }] : []),
      ...extraFields,
    ],
  };
}
