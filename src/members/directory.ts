import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';

export interface DirectoryEntry {
  memberId: number;
  name: string;
  business: string;
  category: string;
  categoryKey: string;
}

export interface FoundEntry extends DirectoryEntry {
  rank: number;
  idealReferral: string;
}

/** Scripts written without one-letter words being noise: a single Han or kana character is a word. */
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Words of a search as two OR-queries: exact lexemes (`leak | roof`) and prefixes (`leak:* | roof:*`). Prefixes find
 * "plumb" in "plumber"; exact matches rank higher so "back pain" prefers backs to backups. Letters of every script
 * are kept (Arabic "زهور", Cyrillic "сантехник", "café" as written), as Postgres's parser indexes them on the card;
 * only letters, marks and digits survive, so nothing of to_tsquery's syntax can get in.
 */
export function searchQuery(words: string): { exact: string; prefix: string } | null {
  const terms = words
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => [...w].length > 1 || IDEOGRAPHIC.test(w))
    .slice(0, 12);
  return terms.length ? { exact: terms.join(' | '), prefix: terms.map((t) => `${t}:*`).join(' | ') } : null;
}

interface DirectoryRow {
  member_id: number;
  name: string;
  business: string;
  category: string;
  category_key: string;
  total: number;
}
interface FoundRow extends Omit<DirectoryRow, 'total'> {
  ideal_referral: string;
  rank: number;
}

const activeInCommunity = (communityId: number) =>
  sql`exists (select 1 from group_memberships gm where gm.member_id = p.member_id and gm.community_id = ${communityId} and gm.status = 'active')`;

/**
 * /find: approved members whose card answers a need, best first. Full-text search over category and business
 * (weight A), ideal referral (B), pitch (C) and area (D), ranked by cover density.
 */
export async function findMembers(db: Db, communityId: number, words: string, limit = 10): Promise<FoundEntry[]> {
  const q = searchQuery(words);
  if (!q) return [];
  const rows = await db.execute(sql`
    select p.member_id, m.display_name as name, p.business, p.category, p.category_key, p.ideal_referral,
           2 * ts_rank_cd(p.search, exact) + ts_rank_cd(p.search, prefix) as rank
    from profiles p
    join members m on m.id = p.member_id,
         to_tsquery('english', ${q.exact}) exact,
         to_tsquery('english', ${q.prefix}) prefix
    where p.community_id = ${communityId} and p.search @@ prefix and ${activeInCommunity(communityId)}
    order by rank desc, m.display_name
    limit ${limit}`);
  return rowsOf<FoundRow>(rows).map((r) => ({
    memberId: r.member_id,
    name: r.name,
    business: r.business,
    category: r.category,
    categoryKey: r.category_key,
    idealReferral: r.ideal_referral,
    rank: Number(r.rank),
  }));
}

/** One page of the directory, by category then name, optionally one category only. */
export async function directoryPage(
  db: Db,
  communityId: number,
  opts: { categoryKey?: string; page: number; pageSize: number },
): Promise<{ entries: DirectoryEntry[]; total: number }> {
  const filter = opts.categoryKey ? sql`and p.category_key = ${opts.categoryKey}` : sql``;
  const rows = await db.execute(sql`
    select p.member_id, m.display_name as name, p.business, p.category, p.category_key, count(*) over () as total
    from profiles p
    join members m on m.id = p.member_id
    where p.community_id = ${communityId} ${filter} and ${activeInCommunity(communityId)}
    order by p.category_key, m.display_name, p.member_id
    limit ${opts.pageSize} offset ${opts.page * opts.pageSize}`);
  const list = rowsOf<DirectoryRow>(rows);
  const total = list[0]
    ? Number(list[0].total)
    : opts.page === 0
      ? 0
      : await countDirectory(db, communityId, opts.categoryKey);
  return {
    entries: list.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      business: r.business,
      category: r.category,
      categoryKey: r.category_key,
    })),
    total,
  };
}

async function countDirectory(db: Db, communityId: number, categoryKey?: string): Promise<number> {
  const filter = categoryKey ? sql`and p.category_key = ${categoryKey}` : sql``;
  const rows = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*) as n from profiles p where p.community_id = ${communityId} ${filter} and ${activeInCommunity(communityId)}`,
    ),
  );
  return Number(rows[0]?.n ?? 0);
}
