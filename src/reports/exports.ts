import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { readSettings } from '../groups/group-settings.js';
import { formatMeetingTime } from '../meetings/calendar.js';
import { pairingExportRows } from '../meetings/hooks.js';
import { toCsv } from '../render/csv.js';

export const EXPORTS = ['members', 'referrals', 'attendance', 'pairings'] as const;
export type ExportKind = (typeof EXPORTS)[number];

type Cell = string | number | null;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/**
 * A moderator's CSV of the group. Prospects' names, contacts and needs appear only when the group lets moderators
 * see them (referrals.moderatorsSeeContacts); members' own card contacts are what they chose to publish.
 */
export async function exportCsv(
  db: Db,
  group: GroupRow,
  kind: ExportKind,
  from: Date,
): Promise<{ csv: string; rows: number }> {
  const { header, rows } = await table(db, group, kind, from);
  return { csv: toCsv(header, rows), rows: rows.length };
}

async function table(
  db: Db,
  group: GroupRow,
  kind: ExportKind,
  from: Date,
): Promise<{ header: string[]; rows: Cell[][] }> {
  const since = from.toISOString();
  if (kind === 'members') {
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        select m.display_name, gm.role, gm.status, gm.seat_key, gm.created_at as joined_at, p.business, p.category, p.email, p.phone, p.website
        from group_memberships gm join members m on m.id = gm.member_id left join profiles p on p.member_id = m.id
        where gm.group_id = ${group.id} order by m.display_name`),
    );
    return {
      header: ['member', 'role', 'status', 'seat', 'joined', 'business', 'category', 'email', 'phone', 'website'],
      rows: rows.map((r) => [
        r.display_name as string,
        r.role as string,
        r.status as string,
        (r.seat_key as string) ?? null,
        iso(r.joined_at),
        (r.business as string) ?? null,
        (r.category as string) ?? null,
        (r.email as string) ?? null,
        (r.phone as string) ?? null,
        (r.website as string) ?? null,
      ]),
    };
  }
  if (kind === 'referrals') {
    const contacts = readSettings(group.settings).referrals.moderatorsSeeContacts;
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        select r.number, r.created_at, g.display_name as giver, rc.display_name as receiver, r.kind, r.temperature, r.status,
          r.amount::text as amount, r.currency, r.closed_at, r.prospect_name, r.prospect_contact, r.prospect_phone, r.need
        from referrals r left join members g on g.id = r.giver_id left join members rc on rc.id = r.receiver_id
        where r.group_id = ${group.id} and r.created_at >= ${since} order by r.number`),
    );
    const header = [
      'number',
      'created',
      'giver',
      'receiver',
      'kind',
      'temperature',
      'status',
      'amount',
      'currency',
      'closed',
    ];
    return {
      header: contacts ? [...header, 'prospect', 'prospect_contact', 'prospect_phone', 'need'] : header,
      rows: rows.map((r) => {
        const base: Cell[] = [
          Number(r.number),
          iso(r.created_at),
          (r.giver as string) ?? null,
          (r.receiver as string) ?? null,
          r.kind as string,
          Number(r.temperature),
          r.status as string,
          (r.amount as string) ?? null,
          (r.currency as string) ?? null,
          iso(r.closed_at),
        ];
        return contacts
          ? [
              ...base,
              (r.prospect_name as string) ?? null,
              (r.prospect_contact as string) ?? null,
              (r.prospect_phone as string) ?? null,
              (r.need as string) ?? null,
            ]
          : base;
      }),
    };
  }
  if (kind === 'attendance') {
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        select mt.starts_at, mt.kind, mt.title, mt.status as meeting_status, m.display_name, a.rsvp, a.status
        from meetings mt join attendance a on a.meeting_id = mt.id join members m on m.id = a.member_id
        where mt.group_id = ${group.id} and mt.starts_at >= ${since} order by mt.starts_at, m.display_name`),
    );
    return {
      header: ['meeting', 'starts_at', 'kind', 'title', 'meeting_status', 'member', 'rsvp', 'status'],
      rows: rows.map((r) => [
        formatMeetingTime(new Date(r.starts_at as string), group.timezone),
        iso(r.starts_at),
        r.kind as string,
        (r.title as string) ?? null,
        r.meeting_status as string,
        r.display_name as string,
        (r.rsvp as string) ?? null,
        (r.status as string) ?? null,
      ]),
    };
  }
  return {
    header: ['round', 'started', 'pair', 'member', 'status'],
    rows: await pairingExportRows(db, group.id, from),
  };
}
