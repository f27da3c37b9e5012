import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { categoryAliases } from '../../db/schema.js';

/** Words whose final s is not a plural. */
const KEEP_S = /(ss|us|is|ics|ous|sis|ys)$/;

function singular(word: string): string {
  if (word.length <= 3 || KEEP_S.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|xes|zes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/**
 * The seat key of a category as people type it: case, spacing, punctuation and plurals do not matter, so
 * "Real-Estate  Agents" and "real estate agent" are one seat. Aliases (`realtor`) are applied separately.
 */
export function normalizeCategory(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map(singular)
    .join(' ');
}

/** The seat key after a community's aliases: `Realtors` → `real estate agent` when a moderator said so. */
export async function resolveCategory(db: Db, communityId: number, text: string): Promise<string> {
  const key = normalizeCategory(text);
  const [alias] = await db
    .select({ to: categoryAliases.categoryKey })
    .from(categoryAliases)
    .where(and(eq(categoryAliases.communityId, communityId), eq(categoryAliases.aliasKey, key)));
  return alias?.to ?? key;
}

export async function addAlias(
  db: Db,
  communityId: number,
  alias: string,
  category: string,
): Promise<{ aliasKey: string; categoryKey: string }> {
  const aliasKey = normalizeCategory(alias);
  const categoryKey = await resolveCategory(db, communityId, category);
  await db
    .insert(categoryAliases)
    .values({ communityId, aliasKey, categoryKey })
    .onConflictDoUpdate({ target: [categoryAliases.communityId, categoryAliases.aliasKey], set: { categoryKey } });
  return { aliasKey, categoryKey };
}
