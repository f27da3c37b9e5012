import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { openCommitments } from '../nudges/commitments.js';
import { formatLocalZoned } from '../time/zoned.js';

/**
 * Extension points for work on other branches. Each is a plain function list or a guarded query, so this code runs
 * (and is tested) before those branches land, and they plug in without editing the meetings code.
 */

/** Lines added to a member's day-before reminder. */
export type ReminderSection = (db: Db, communityId: number, memberId: number, now: Date) => Promise<string[]>;

/**
 * Sections of the day-before reminder; the reminder shows whatever lines they return.
 */
export const reminderSections: ReminderSection[] = [openCommitmentLines];

/** The member's open commitments, for the day-before reminder (issue 8). */
async function openCommitmentLines(db: Db, _communityId: number, memberId: number): Promise<string[]> {
  const open = await openCommitments(db, memberId);
  if (!open.length) return [];
  // Deadlines in the member's own zone (their /me time zone, else the group's, as /commit read them), named.
  const [row] = rowsOf<{ tz: string | null }>(
    await db.execute(sql`
      select coalesce(m.timezone, (select g.timezone from groups g where g.id = ${open[0]!.groupId})) as tz
      from members m where m.id = ${memberId}`),
  );
  const tz = row?.tz ?? 'UTC';
  return ['Your open commitments:', ...open.map((c) => `• ${c.what} (by ${formatLocalZoned(c.dueAt, tz)})`)];
}

const present = new Map<string, boolean>();

/** Whether a table exists (cached per process: tables appear through migrations, which run before the bot). */
async function tableExists(db: Db, name: string): Promise<boolean> {
  const known = present.get(name);
  if (known !== undefined) return known;
  const [row] = rowsOf<{ t: string | null }>(await db.execute(sql`select to_regclass(${name})::text as t`));
  const exists = Boolean(row?.t);
  // Remember only presence: a database migrated later in this process (tests) must still be seen.
  if (exists) present.set(name, true);
  return exists;
}

/**
 * HOOK (issue 7, pairing-rounds branch): 1-to-1s a member held — their round groups answered "met" — in rounds
 * started since `from`. Reads pairing_round_members/pairing_groups when that schema exists, else 0.
 */
export async function oneToOnesHeld(db: Db, groupId: number, memberId: number, from: Date): Promise<number> {
  if (!(await tableExists(db, 'pairing_round_members'))) return 0;
  const [row] = rowsOf<{ n: string }>(
    await db.execute(sql`
      select count(*) as n from pairing_round_members rm
      join pairing_groups pg on pg.id = rm.pairing_group_id
      join pairing_rounds r on r.id = rm.round_id
      join pairing_programs p on p.id = r.program_id
      where p.group_id = ${groupId} and rm.member_id = ${memberId} and pg.status = 'met' and r.started_at >= ${from.toISOString()}`),
  );
  return Number(row?.n ?? 0);
}

/** HOOK (issue 7): of the pairs made in rounds since `from`, how many met; null without the pairing schema. */
export async function oneToOneRate(
  db: Db,
  groupId: number,
  from: Date,
): Promise<{ met: number; total: number } | null> {
  if (!(await tableExists(db, 'pairing_groups'))) return null;
  const [row] = rowsOf<{ met: string; total: string }>(
    await db.execute(sql`
      select count(*) filter (where pg.status = 'met') as met, count(*) as total from pairing_groups pg
      join pairing_rounds r on r.id = pg.round_id join pairing_programs p on p.id = r.program_id
      where p.group_id = ${groupId} and r.started_at >= ${from.toISOString()}`),
  );
  return { met: Number(row?.met ?? 0), total: Number(row?.total ?? 0) };
}

/** HOOK (issue 7): the pairings export's rows, [round, started, member, partner group id, status]; empty without the schema. */
export async function pairingExportRows(db: Db, groupId: number, from: Date): Promise<(string | number)[][]> {
  if (!(await tableExists(db, 'pairing_groups'))) return [];
  const rows = rowsOf<{ round: number; started: string | Date; pair: number; member: string; status: string }>(
    await db.execute(sql`
      select r.number as round, r.started_at as started, pg.id as pair, mem.display_name as member, pg.status
      from pairing_groups pg join pairing_rounds r on r.id = pg.round_id join pairing_programs p on p.id = r.program_id
      join pairing_group_members gm on gm.pairing_group_id = pg.id join members mem on mem.id = gm.member_id
      where p.group_id = ${groupId} and r.started_at >= ${from.toISOString()}
      order by r.started_at, pg.id, mem.display_name`),
  );
  return rows.map((r) => [r.round, new Date(r.started).toISOString(), r.pair, r.member, r.status]);
}
