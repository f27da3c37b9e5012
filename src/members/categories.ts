import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { categoryAliases } from '../../db/schema.js';
import { lazyRequire } from '../lazy-require.js';

/** Unicode's confusables table (TR 39), a CommonJS package: loaded with the first seat key, not at start-up. */
const unhomoglyph = lazyRequire<typeof import('unhomoglyph').default>('unhomoglyph');

/** Words whose final s is not a plural. */
const KEEP_S = /(ss|us|is|ics|ous|sis|ys)$/;

function singular(word: string): string {
  // English plurals only: a word of another script keeps every letter.
  // Short words keep their s, counted as the seat key reads them: "arns" looks like "ams" (rn as m), so both keep it
  // and are one key (counted as typed, "arns" became "arn", then "am", while "ams" stayed "ams").
  if (word.replace(/rn/g, 'm').length <= 3 || !/^[a-z]+$/.test(word) || KEEP_S.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|xes|zes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Accents on Latin, Greek and Cyrillic letters (U+0300–036F): "Électricien" is "electricien". */
const LATIN_ACCENTS = /[\u0300-\u036f]/g;

/**
 * Full case folding as far as JavaScript offers it: lower case after upper case turns "ß" into "ss" and a final
 * sigma into σ; NFKC around it makes compatibility forms (ﬁ, full-width letters) their plain letters.
 */
const fold = (s: string) => s.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');

/**
 * The readable form of a category: NFKC, case folded, default-ignorable characters (zero-width spaces, joiners,
 * soft hyphens) removed, Latin accents dropped, punctuation and spacing collapsed, English plurals made singular.
 * Letters and digits of every script are kept: "Сантехник", "Юрист" and "محامي" stay three different categories.
 */
export function normalizeCategory(text: string): string {
  const words = fold(text.replace(IGNORABLE, ''))
    .normalize('NFD')
    .replace(LATIN_ACCENTS, '')
    .normalize('NFC')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
  if (words) return words.split(' ').map(singular).join(' ');
  // Only symbols (emoji, signs): those are the category, rather than nothing at all.
  return [...fold(text.replace(IGNORABLE, ''))].filter((c) => !/\s/u.test(c)).join('');
}

/**
 * The seat key: the readable form's Unicode TR 39 confusable skeleton (unhomoglyph, built from Unicode's
 * confusables.txt), over the whole key, ASCII included, so "Plumbеr" with a Cyrillic е, "Plum\u200bber", "Plumbers",
 * "Plurnber" and "P1umber" are one seat, while letters of other scripts that look like nothing Latin stay themselves.
 * Kept readable: the skeleton writes m as "rn", which is turned back into m (no skeleton holds an m, so this loses no
 * distinction), 0 becomes o and 1 l. Never empty for text with a visible character. Migration 0007 re-keys what was
 * stored under the earlier key (ASCII left as typed); keep its SQL (rt_seat_key_0007) in step with this.
 */
export function categoryKey(text: string): string {
  // Normalised again after the skeleton, until nothing changes (once, in practice): some prototypes are punctuation
  // or compatibility forms (% is º/₀, which is "o 0"), and a look-alike letter in "plumbеrs" kept its s the first
  // time. So a key is its own key.
  let key = normalizeCategory(text);
  for (let i = 0; i < 4; i++) {
    const next = normalizeCategory(unhomoglyph()(key).replace(/rn/g, 'm'));
    if (next === key) break;
    key = next;
  }
  return key;
}

/** The seat key after a community's aliases: `Realtors` → `real estate agent` when a moderator said so. */
export async function resolveCategory(db: Db, communityId: number, text: string): Promise<string> {
  const key = categoryKey(text);
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
  const aliasKey = categoryKey(alias);
  const target = await resolveCategory(db, communityId, category);
  await db
    .insert(categoryAliases)
    .values({ communityId, aliasKey, categoryKey: target })
    .onConflictDoUpdate({
      target: [categoryAliases.communityId, categoryAliases.aliasKey],
      set: { categoryKey: target },
    });
  return { aliasKey, categoryKey: target };
}
