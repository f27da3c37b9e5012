import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { MeetingRow } from './meetings.js';

export interface RsvpTally {
  coming: number;
  notComing: number;
  /** Of those not coming, how many send a substitute. */
  substitutes: number;
  noAnswer: number;
}

/** Who said they are coming to a meeting, among the group's active members. */
export async function rsvpTally(db: Db, meeting: MeetingRow): Promise<RsvpTally> {
  const [row] = rowsOf<{ coming: string; absent: string; substitute: string; total: string }>(
    await db.execute(sql`
      select count(*) filter (where a.rsvp = 'attending') as coming,
        count(*) filter (where a.rsvp = 'absent') as absent,
        count(*) filter (where a.rsvp = 'substitute') as substitute,
        count(*) as total
      from group_memberships gm
      left join attendance a on a.meeting_id = ${meeting.id} and a.member_id = gm.member_id
      where gm.group_id = ${meeting.groupId} and gm.status = 'active'`),
  );
  const coming = Number(row?.coming ?? 0);
  const substitutes = Number(row?.substitute ?? 0);
  const notComing = Number(row?.absent ?? 0) + substitutes;
  return { coming, notComing, substitutes, noAnswer: Number(row?.total ?? 0) - coming - notComing };
}

/** "So far: 3 coming · 1 not coming (1 sending a substitute) · 4 no answer". */
export function formatTally(t: RsvpTally): string {
  const sub = t.substitutes ? ` (${t.substitutes} sending a substitute)` : '';
  return `So far: ${t.coming} coming · ${t.notComing} not coming${sub} · ${t.noAnswer} no answer`;
}
