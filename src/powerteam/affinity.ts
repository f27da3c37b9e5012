import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';

/** How much business two seats pass each other, both directions added: in this group and in the community's others. */
export interface Affinity {
  inGroup: number;
  elsewhere: number;
}

/** At least this many slips between two seats (anywhere in the community) make them "clients overlap". */
export const AFFINITY_MIN = 3;
/** At least this many make a high-affinity pair, which the power-team matcher prefers like a sphere partner's. */
export const HIGH_AFFINITY = 10;

export const affinityKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export const affinityTotal = (x: Affinity | undefined) => (x ? x.inGroup + x.elsewhere : 0);

/**
 * Learned affinities among the given seats, from the counts-only category_affinities table: nothing about any member
 * of another group is read, only how many slips passed between two professions there.
 */
export async function loadAffinities(
  db: Db,
  communityId: number,
  groupId: number,
  categories: readonly string[],
  /** Only the pairs that involve this seat (one member's view): a few rows of the index instead of the whole table. */
  focus?: string,
): Promise<Map<string, Affinity>> {
  const cats = [...new Set(categories.filter(Boolean))];
  const out = new Map<string, Affinity>();
  if (cats.length < 2) return out;
  const pairs =
    focus === undefined
      ? sql`giver_category = any(${sql.param(cats)}::text[]) and receiver_category = any(${sql.param(cats)}::text[])`
      : sql`((giver_category = ${focus} and receiver_category = any(${sql.param(cats)}::text[]))
          or (receiver_category = ${focus} and giver_category = any(${sql.param(cats)}::text[])))`;
  const rows = rowsOf<{ g: string; r: string; here: string; there: string }>(
    await db.execute(sql`
      select giver_category as g, receiver_category as r,
             coalesce(sum(slips) filter (where group_id = ${groupId}), 0) as here,
             coalesce(sum(slips) filter (where group_id <> ${groupId}), 0) as there
      from category_affinities
      where community_id = ${communityId} and ${pairs} and giver_category <> receiver_category
      group by giver_category, receiver_category`),
  );
  for (const row of rows) {
    const k = affinityKey(row.g, row.r);
    const a = out.get(k) ?? { inGroup: 0, elsewhere: 0 };
    a.inGroup += Number(row.here);
    a.elsewhere += Number(row.there);
    out.set(k, a);
  }
  return out;
}
