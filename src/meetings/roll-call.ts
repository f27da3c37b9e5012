import { and, asc, eq, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { attendance, groupMemberships, groups, meetings, members } from '../../db/schema.js';
import { moderatorsOf } from '../communities/community-repo.js';
import type { GroupRow } from '../communities/rows.js';
import { type Button, type Content, type OutgoingMessage, withGroup } from '../messages.js';
import type { AttendanceStatus } from './attendance.js';
import { describeMeeting, type MeetingRow } from './meetings.js';

/**
 * The moderators' roll call after a meeting: every member who belonged to the group when it started, with one
 * button per attendance status, plus "All present" and "Meeting not held". Attendance not taken counts for nobody:
 * a member with no status is neither present nor absent, so a forgotten roll call never marks anyone absent.
 */

/** Members per page: five status buttons each fill one Discord action row (5 rows of 5 buttons, the last row for
 *  All present / Meeting not held / paging: discord-api-docs components reference). Slack takes 25 in one block. */
export const ROLL_CALL_PAGE = 4;

/** The statuses a roll call offers, in button order. */
export const ROLL_STATUSES: AttendanceStatus[] = ['present', 'absent', 'late', 'substitute', 'medical'];
const LABEL: Record<AttendanceStatus, string> = {
  present: 'Present',
  absent: 'Absent',
  late: 'Late',
  substitute: 'Substitute',
  medical: 'Medical',
};
const SHOWN: Record<AttendanceStatus, string> = {
  present: 'present',
  absent: 'absent',
  late: 'late',
  substitute: 'sent a substitute',
  medical: 'medical absence',
};

export interface RollEntry {
  memberId: number;
  name: string;
  status: AttendanceStatus | null;
  rsvp: string | null;
  /** The member checked in themselves, during the meeting. */
  checkedIn: boolean;
}

/** Everyone on the meeting's roll (active members who had joined by its start), with what is recorded. */
export async function rollOf(db: Db, meeting: MeetingRow): Promise<RollEntry[]> {
  const rows = await db
    .select({
      memberId: groupMemberships.memberId,
      name: members.displayName,
      status: attendance.status,
      rsvp: attendance.rsvp,
      recordedBy: attendance.recordedBy,
      updatedAt: attendance.updatedAt,
    })
    .from(groupMemberships)
    .innerJoin(members, eq(members.id, groupMemberships.memberId))
    .leftJoin(attendance, and(eq(attendance.meetingId, meeting.id), eq(attendance.memberId, groupMemberships.memberId)))
    .where(
      and(
        eq(groupMemberships.groupId, meeting.groupId),
        eq(groupMemberships.status, 'active'),
        or(lte(groupMemberships.joinedAt, meeting.startsAt), isNotNull(attendance.status)),
      ),
    )
    .orderBy(sql`lower(${members.displayName})`, asc(groupMemberships.memberId));
  return rows.map((r) => ({
    memberId: r.memberId,
    name: r.name,
    status: r.status as AttendanceStatus | null,
    rsvp: r.rsvp,
    // A check-in is the member's own record made while the meeting ran (a roll call comes after it).
    checkedIn: r.status !== null && r.recordedBy === r.memberId && r.updatedAt !== null && r.updatedAt < meeting.endsAt,
  }));
}

const act = (action: string, arg: string) => ({ command: 'attendance', action, arg });
const shortName = (name: string) => (name.length > 40 ? `${name.slice(0, 39)}…` : name);

/** One member's line: what is recorded, and what they said beforehand. */
function line(e: RollEntry): string {
  const said = e.rsvp && !e.status ? ` (said: ${e.rsvp === 'attending' ? 'coming' : e.rsvp})` : '';
  const what = e.status ? `${SHOWN[e.status]}${e.checkedIn ? ' (checked in)' : ''}` : 'not marked';
  return `${e.name}: ${what}${said}`;
}

/** The roll call as a message: a page of members with their buttons, and the whole-meeting buttons. */
export function rollCallContent(group: GroupRow, meeting: MeetingRow, roll: RollEntry[], page: number): Content {
  const pages = Math.max(1, Math.ceil(roll.length / ROLL_CALL_PAGE));
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = roll.slice(at * ROLL_CALL_PAGE, (at + 1) * ROLL_CALL_PAGE);
  const unmarked = roll.filter((e) => !e.status).length;
  const when = describeMeeting(meeting, group.timezone);
  if (meeting.status !== 'scheduled') {
    return {
      text: `Roll call for ${group.name}, ${when}: recorded as not held. Attendance at it counts for nobody.`,
    };
  }
  const buttons: Button[] = [];
  for (const e of shown) {
    for (const s of ROLL_STATUSES) {
      buttons.push({
        label: `${shortName(e.name)}: ${LABEL[s]}`,
        action: act('mark', `${meeting.id}|${e.memberId}|${s}|${at}`),
        ...(e.status === s ? { style: 'primary' as const } : {}),
      });
    }
  }
  if (unmarked > 0) buttons.push({ label: 'All present', action: act('all', `${meeting.id}|${at}`), style: 'primary' });
  buttons.push({ label: 'Meeting not held', action: act('notheld', String(meeting.id)), style: 'danger' });
  if (at > 0) buttons.push({ label: 'Previous', action: act('roll', `${meeting.id}|${at - 1}`) });
  if (at + 1 < pages) buttons.push({ label: 'Next', action: act('roll', `${meeting.id}|${at + 1}`) });
  const status =
    unmarked === 0
      ? 'Attendance is taken for everyone.'
      : `${unmarked} of ${roll.length} not marked yet. Nobody is marked absent unless you mark them: an unmarked member counts neither present nor absent. “All present” marks the rest present.`;
  return {
    text: `Roll call for ${group.name}, ${when}. Members who checked in are already present.\n${status}`,
    list: {
      title: pages > 1 ? `Members (page ${at + 1} of ${pages})` : 'Members',
      items: shown.map(line),
    },
    buttons,
  };
}

/** The roll call DM to each moderator of the group (after the meeting, and as the reminder to take it). */
export async function rollCallMessages(
  db: Db,
  group: GroupRow,
  meeting: MeetingRow,
  intro?: string,
): Promise<OutgoingMessage[]> {
  const roll = await rollOf(db, meeting);
  if (!roll.length) return [];
  // The sweep is not the dispatcher: its buttons are stamped with the group here, so a press in a DM acts on it.
  const content = withGroup(rollCallContent(group, meeting, roll, 0), group.id);
  const out: OutgoingMessage[] = [];
  for (const mod of await moderatorsOf(db, group.id)) {
    out.push({
      target: { kind: 'dm', memberId: mod.id },
      content: intro ? { ...content, text: `${intro}\n${content.text}` } : content,
    });
  }
  return out;
}

/** Closed meetings whose roll call still has unmarked members, for the reminder to take attendance. */
export async function unmarkedCount(db: Db, meeting: MeetingRow): Promise<number> {
  return (await rollOf(db, meeting)).filter((e) => !e.status).length;
}

/** "Meeting not held": the meeting leaves every count (absences, attendance rates), whatever was marked. */
export async function markNotHeld(db: Db, meeting: MeetingRow): Promise<void> {
  await db
    .update(meetings)
    .set({ status: 'cancelled', note: 'not held' })
    .where(and(eq(meetings.id, meeting.id), eq(meetings.status, 'scheduled')));
}

/** The group a meeting belongs to (a button pressed in a DM carries only the meeting). */
export async function groupOfMeeting(db: Db, meeting: MeetingRow): Promise<GroupRow> {
  const [group] = await db.select().from(groups).where(eq(groups.id, meeting.groupId));
  return group!;
}
