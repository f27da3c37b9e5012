import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups, seatLeads, visitors } from '../../db/schema.js';
import type { GroupRow, MemberRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import { describeMeeting, nextMeeting } from '../meetings/meetings.js';
import { inviteVisitor } from '../meetings/visitors.js';
import { resolveCategory } from '../members/categories.js';
import { seatReport } from '../members/seats.js';
import type { Button, Select } from '../messages.js';
import { groupSeats } from './network.js';
import { loadSpheres } from './spheres.js';

/** BNI's "top ten": the board shows at most this many professions. */
export const BOARD_SIZE = 10;

export interface WantedProfession {
  key: string;
  label: string;
  /** Why it is wanted: the sphere it would complete, or the moderators' list. */
  because: string;
}

/**
 * The wanted-professions board: the open seats that would complete the group's spheres (professions missing from
 * spheres the group already has members in, the spheres with the most members first), after the seats moderators
 * listed with /seat-wanted. A one-seat group never lists a seat somebody holds.
 */
export async function wantedBoard(db: Db, group: GroupRow): Promise<WantedProfession[]> {
  const seats = await groupSeats(db, group.id);
  const spheres = await loadSpheres(db, group);
  const held = new Set(seats.map((m) => m.categoryKey).filter(Boolean));
  const out: WantedProfession[] = [];
  const listed = new Set<string>();
  const push = (w: WantedProfession) => {
    if (listed.has(w.key) || held.has(w.key)) return;
    listed.add(w.key);
    out.push(w);
  };
  const report = await seatReport(db, group.id);
  for (const label of report.open)
    push({ key: await resolveCategory(db, group.communityId, label), label, because: 'wanted by the moderators' });
  const ranked = spheres
    .map((s) => {
      const inIt = seats.filter((m) => m.categoryKey && s.keys.has(m.categoryKey));
      const filled = new Set(inIt.map((m) => s.aliases.get(m.categoryKey!) ?? m.categoryKey));
      return { s, members: inIt.length, missing: s.professions.filter((p) => !filled.has(p.key)) };
    })
    .filter((r) => r.members > 0 && r.missing.length > 0)
    // spheres with the most members first; then the closest to complete
    .sort((a, b) => b.members - a.members || a.missing.length - b.missing.length || a.s.label.localeCompare(b.s.label));
  // round-robin over the spheres so one big sphere does not take the whole board
  for (let k = 0; out.length < BOARD_SIZE && ranked.some((r) => r.missing.length > k); k++) {
    for (const r of ranked) {
      const p = r.missing[k];
      if (p && out.length < BOARD_SIZE)
        push({ key: p.key, label: p.label, because: `completes ${r.s.label} (${r.members} in it)` });
    }
  }
  return out.slice(0, BOARD_SIZE);
}

/** The board's one-line text: "mortgage broker (completes Home and property (3 in it)), …". */
export const boardText = (board: readonly WantedProfession[]) =>
  board.map((w) => `${w.label} (${w.because})`).join('\n') || 'none: every sphere the group has is complete';

/** "a plumber", "an accountant". */
export const aProfession = (label: string) => `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;

/** "I know a …" buttons for the first professions of the board, and a select for all of them. */
export function boardControls(board: readonly WantedProfession[]): { buttons: Button[]; select?: Select } {
  const buttons = board.slice(0, 3).map((w) => ({
    label: `I know ${aProfession(w.label)}`.slice(0, 75),
    action: { command: 'powerteam know', action: 'form', arg: w.key.slice(0, 60) },
  }));
  return board.length > 3
    ? {
        buttons,
        select: {
          placeholder: 'I know someone for…',
          action: { command: 'powerteam know', action: 'form' },
          options: board.map((w) => ({ label: w.label.slice(0, 75), value: w.key.slice(0, 60) })),
        },
      }
    : { buttons };
}

export interface LeadResult {
  name: string;
  label: string;
  meeting: string | null;
  duplicate: boolean;
}

/**
 * "I know someone": the person becomes a visitor invitation (to the next meeting when there is one) credited to the
 * member, linked to the wanted seat. The same contact for the same seat by the same member is recorded once.
 */
export async function recordLead(
  db: Db,
  group: GroupRow,
  member: MemberRow,
  seat: string,
  name: string,
  contact: string,
  now: Date,
): Promise<LeadResult> {
  const key = await resolveCategory(db, group.communityId, seat);
  const board = await wantedBoard(db, group);
  const wanted = board.find((w) => w.key === key);
  if (!wanted) {
    throw new UserError(
      'not_found',
      `“${seat}” is not on ${group.name}’s wanted-professions board.`,
      `Wanted now: ${board.map((w) => w.label).join(', ') || 'nothing'}. Any visitor is welcome with /visitor invite.`,
    );
  }
  // one at a time per group, so a double submission finds the first one
  await db.execute(sql`select 1 from ${groups} where ${groups.id} = ${group.id} for update`);
  const [dup] = await db
    .select({ id: seatLeads.id })
    .from(seatLeads)
    .innerJoin(visitors, eq(visitors.id, seatLeads.visitorId))
    .where(
      and(
        eq(seatLeads.groupId, group.id),
        eq(seatLeads.inviterId, member.id),
        eq(seatLeads.categoryKey, key),
        sql`lower(${visitors.contact}) = lower(${contact})`,
      ),
    );
  if (dup) return { name, label: wanted.label, meeting: null, duplicate: true };
  const meeting = await nextMeeting(db, group, now);
  const visitor = meeting
    ? await inviteVisitor(db, meeting, member.id, name, contact)
    : (
        await db
          .insert(visitors)
          .values({ communityId: group.communityId, groupId: group.id, inviterId: member.id, name, contact })
          .returning()
      )[0]!;
  await db.insert(seatLeads).values({
    communityId: group.communityId,
    groupId: group.id,
    visitorId: visitor.id,
    inviterId: member.id,
    categoryKey: key,
  });
  return {
    name,
    label: wanted.label,
    meeting: meeting ? describeMeeting(meeting, group.timezone) : null,
    duplicate: false,
  };
}
