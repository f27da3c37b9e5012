import { and, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { attendance, meetingNotices } from '../../db/schema.js';
import { getMembers, moderatorsOf } from '../communities/community-repo.js';
import type { GroupRow } from '../communities/rows.js';
import { readSettings } from '../groups/group-settings.js';
import type { OutgoingMessage } from '../messages.js';
import { monthsBefore } from './calendar.js';
import { describeMeeting, type MeetingRow } from './meetings.js';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'late', 'medical', 'substitute'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const RSVPS = ['attending', 'absent', 'substitute'] as const;
export type Rsvp = (typeof RSVPS)[number];

/** Records (or corrects) a member's attendance at a meeting. */
export async function recordAttendance(
  db: Db,
  meeting: MeetingRow,
  memberId: number,
  status: AttendanceStatus,
  recordedBy: number,
  now: Date,
): Promise<void> {
  await db
    .insert(attendance)
    .values({ meetingId: meeting.id, memberId, groupId: meeting.groupId, status, recordedBy, updatedAt: now })
    .onConflictDoUpdate({
      target: [attendance.meetingId, attendance.memberId],
      set: { status, recordedBy, updatedAt: now },
    });
}

/** Records the answer; false when it was already the member's answer (a second press changes nothing). */
export async function recordRsvp(db: Db, meeting: MeetingRow, memberId: number, rsvp: Rsvp, now: Date) {
  const [was] = await db
    .select({ rsvp: attendance.rsvp })
    .from(attendance)
    .where(and(eq(attendance.meetingId, meeting.id), eq(attendance.memberId, memberId)));
  if (was?.rsvp === rsvp) return false;
  await db
    .insert(attendance)
    .values({ meetingId: meeting.id, memberId, groupId: meeting.groupId, rsvp, updatedAt: now })
    .onConflictDoUpdate({ target: [attendance.meetingId, attendance.memberId], set: { rsvp, updatedAt: now } });
  return true;
}

/** Claims a one-time notice; false when another sweep (or an earlier run) already did it. */
export async function claimNotice(db: Db, meetingId: number, kind: string, memberId = 0): Promise<boolean> {
  const rows = await db.insert(meetingNotices).values({ meetingId, kind, memberId }).onConflictDoNothing().returning();
  return rows.length > 0;
}

/** Absences counting toward the rule (not medical, not substitute) of each member in the rolling window. */
export async function absenceCounts(
  db: Db,
  group: GroupRow,
  memberIds: number[],
  now: Date,
): Promise<Map<number, number>> {
  const s = readSettings(group.settings).meetings;
  const since = monthsBefore(now, s.absenceWindowMonths);
  const rows = rowsOf<{ member_id: number; n: string }>(
    await db.execute(sql`
      select a.member_id, count(*) as n from attendance a join meetings m on m.id = a.meeting_id
      where a.group_id = ${group.id} and a.status = 'absent' and m.status = 'scheduled'
        and m.starts_at > ${since.toISOString()} and m.starts_at <= ${now.toISOString()}
        and a.member_id = any(string_to_array(${memberIds.join(',')}, ',')::int[])
      group by a.member_id`),
  );
  return new Map(rows.map((r) => [Number(r.member_id), Number(r.n)]));
}

/**
 * The absence rule after new absences at `meeting`: a member one below the limit is warned privately; at or over
 * the limit the moderators are told. Each is claimed per meeting and member, so reruns stay silent.
 */
export async function absenceRuleMessages(
  db: Db,
  group: GroupRow,
  meeting: MeetingRow,
  absentIds: number[],
  now: Date,
): Promise<OutgoingMessage[]> {
  if (!absentIds.length) return [];
  const s = readSettings(group.settings).meetings;
  const counts = await absenceCounts(db, group, absentIds, now);
  const out: OutgoingMessage[] = [];
  const people = await getMembers(db, group.communityId, absentIds);
  const window = `${s.absenceWindowMonths} months`;
  for (const id of absentIds) {
    const n = counts.get(id) ?? 0;
    if (n === s.absenceLimit - 1 && (await claimNotice(db, meeting.id, 'absence-warning', id))) {
      out.push({
        target: { kind: 'dm', memberId: id },
        content: {
          text: `You were marked absent from ${describeMeeting(meeting, group.timezone)}. That is ${n} absence${n === 1 ? '' : 's'} in the last ${window}; at ${s.absenceLimit} the moderators of ${group.name} are told. Sending a substitute or a medical absence does not count.`,
        },
      });
    }
    if (n >= s.absenceLimit && (await claimNotice(db, meeting.id, 'absence-limit', id))) {
      const name = people.find((p) => p.id === id)?.displayName ?? 'a member';
      for (const mod of await moderatorsOf(db, group.id)) {
        out.push({
          target: { kind: 'dm', memberId: mod.id },
          content: {
            text: `Attendance: ${name} has ${n} absences in the last ${window} (the limit is ${s.absenceLimit}), the latest ${describeMeeting(meeting, group.timezone)}.`,
          },
        });
      }
    }
  }
  return out;
}

/** Attended = present, late or substitute; medical absences leave the denominator. Null when nothing recorded. */
export async function attendanceRate(
  db: Db,
  groupId: number,
  from: Date,
  to: Date,
  memberId?: number,
): Promise<{ attended: number; counted: number; pct: number | null }> {
  const [row] = rowsOf<{ attended: string; counted: string }>(
    await db.execute(sql`
      select count(*) filter (where a.status in ('present', 'late', 'substitute')) as attended,
        count(*) filter (where a.status in ('present', 'late', 'substitute', 'absent')) as counted
      from attendance a join meetings m on m.id = a.meeting_id
      where a.group_id = ${groupId} and m.status = 'scheduled'
        and m.starts_at >= ${from.toISOString()} and m.starts_at <= ${to.toISOString()}
        ${memberId === undefined ? sql`` : sql`and a.member_id = ${memberId}`}`),
  );
  const attended = Number(row?.attended ?? 0);
  const counted = Number(row?.counted ?? 0);
  return { attended, counted, pct: counted ? (100 * attended) / counted : null };
}
