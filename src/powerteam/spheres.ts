import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { categoryAliases, groupSpheres } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import { normalizeCategory, resolveCategory } from '../members/categories.js';
import { SHIPPED_SPHERES } from './sphere-catalog.js';

/** A contact sphere as one group sees it: the shipped one with the group's additions, or the group's own. */
export interface Sphere {
  key: string;
  label: string;
  serves: string;
  /** Seat keys of its professions, aliases included. */
  keys: ReadonlySet<string>;
  /** Each of those seat keys → the key of the profession it names (`realtor` → `real estate agent`). */
  aliases: ReadonlyMap<string, string>;
  /** The professions to name when the sphere lacks them (one per shipped line, plus the group's additions). */
  professions: readonly { key: string; label: string }[];
  /** Categories a moderator added for this group. */
  added: readonly string[];
  shipped: boolean;
}

interface CompiledSphere {
  key: string;
  label: string;
  serves: string;
  keys: Set<string>;
  aliases: Map<string, string>;
  professions: { key: string; label: string }[];
}

let compiled: CompiledSphere[] | null = null;

/** The shipped table with every name through the seat normalisation; done once, it is pure. */
function shipped(): CompiledSphere[] {
  compiled ??= SHIPPED_SPHERES.map((s) => {
    const professions = s.categories.map((line) => {
      const [canonical] = line.split('|');
      return { key: normalizeCategory(canonical!), label: canonical! };
    });
    const aliases = new Map<string, string>();
    s.categories.forEach((line, k) => {
      for (const name of line.split('|')) {
        const key = normalizeCategory(name);
        if (!aliases.has(key)) aliases.set(key, professions[k]!.key);
      }
    });
    const keys = new Set(aliases.keys());
    return { key: normalizeCategory(s.key), label: s.label, serves: s.serves, keys, aliases, professions };
  });
  return compiled;
}

let allKeys: string[] | null = null;
const shippedKeys = () => {
  allKeys ??= [...new Set(shipped().flatMap((s) => [...s.keys]))];
  return allKeys;
};

/**
 * The community's moderator aliases (`/seat-alias realtor "property consultant"`), so that a shipped sphere also
 * holds the seat its names were aliased to. One read for the whole table instead of one per shipped name.
 */
async function aliasTargets(db: Db, communityId: number, keys: string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  // one array parameter rather than one parameter per name: ~300 of them cost more to send and plan than to read
  const rows = await db
    .select({ from: categoryAliases.aliasKey, to: categoryAliases.categoryKey })
    .from(categoryAliases)
    .where(
      and(
        eq(categoryAliases.communityId, communityId),
        sql`${categoryAliases.aliasKey} = any(${sql.param(keys)}::text[])`,
      ),
    );
  return new Map(rows.map((r) => [r.from, r.to]));
}

/** Every sphere of a group: the shipped ones (extended by the group's additions) and the group's own. */
export async function loadSpheres(db: Db, group: GroupRow): Promise<Sphere[]> {
  const base = shipped();
  const [rows, aliases] = await Promise.all([
    db
      .select()
      .from(groupSpheres)
      .where(eq(groupSpheres.groupId, group.id))
      .orderBy(asc(groupSpheres.sphereKey), asc(groupSpheres.createdAt)),
    aliasTargets(db, group.communityId, shippedKeys()),
  ]);
  const out = new Map<string, Sphere>();
  for (const s of base) {
    const keys = new Set(s.keys);
    const names = new Map(s.aliases);
    for (const k of s.keys) {
      const to = aliases.get(k);
      if (to) {
        keys.add(to);
        if (!names.has(to)) names.set(to, s.aliases.get(k)!);
      }
    }
    out.set(s.key, { ...s, keys, aliases: names, added: [], shipped: true });
  }
  for (const r of rows) {
    const s = out.get(r.sphereKey) ?? {
      key: r.sphereKey,
      label: r.label,
      serves: `${r.label.toLowerCase()} clients`,
      keys: new Set<string>(),
      aliases: new Map<string, string>(),
      professions: [],
      added: [],
      shipped: false,
    };
    (s.keys as Set<string>).add(r.categoryKey);
    if (!s.aliases.has(r.categoryKey)) (s.aliases as Map<string, string>).set(r.categoryKey, r.categoryKey);
    if (!s.professions.some((p) => p.key === r.categoryKey)) {
      s.professions = [...s.professions, { key: r.categoryKey, label: r.categoryKey }];
    }
    s.added = [...s.added, r.categoryKey];
    out.set(r.sphereKey, s);
  }
  return [...out.values()];
}

/** The spheres a seat belongs to (several is normal). */
export function spheresOf(spheres: readonly Sphere[], categoryKey: string | null | undefined): Sphere[] {
  if (!categoryKey) return [];
  return spheres.filter((s) => s.keys.has(categoryKey));
}

/** The spheres two seats share; empty when they are the same seat (two plumbers compete rather than refer). */
export function sharedSpheres(spheres: readonly Sphere[], a: string | null, b: string | null): Sphere[] {
  if (!a || !b || a === b) return [];
  return spheres.filter((s) => s.keys.has(a) && s.keys.has(b));
}

/** Splits "vet, dog groomer; pet sitter" into category names. */
export function splitCategories(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * /powerteam sphere add: puts categories in a sphere of this group (a shipped sphere's name extends it), each
 * resolved like a seat (the community's aliases applied). Adding what is already there changes nothing.
 */
export async function addToSphere(
  db: Db,
  group: GroupRow,
  name: string,
  categoriesText: string,
): Promise<{ sphere: Sphere; added: string[]; already: string[] }> {
  const sphereKey = normalizeCategory(name);
  if (!sphereKey) throw new UserError('bad_option', 'The sphere needs a name with letters or digits.');
  const names = splitCategories(categoriesText);
  if (!names.length) {
    throw new UserError(
      'bad_option',
      'Name at least one category for the sphere.',
      'For example categories:"vet, dog groomer, pet sitter".',
    );
  }
  if (names.length > 25) throw new UserError('bad_option', 'At most 25 categories at once.');
  const existing = (await loadSpheres(db, group)).find((s) => s.key === sphereKey);
  const label = existing?.label ?? name.trim();
  const added: string[] = [];
  const already: string[] = [];
  for (const n of names) {
    const key = await resolveCategory(db, group.communityId, n);
    if (!key) continue;
    if (existing?.keys.has(key) || added.includes(key)) {
      already.push(key);
      continue;
    }
    await db
      .insert(groupSpheres)
      .values({ groupId: group.id, sphereKey, label, categoryKey: key })
      .onConflictDoNothing();
    added.push(key);
  }
  const sphere = (await loadSpheres(db, group)).find((s) => s.key === sphereKey);
  if (!sphere) throw new UserError('bad_option', 'None of those categories has letters or digits to make a seat of.');
  return { sphere, added, already };
}

/** Takes categories a moderator added out of a sphere of this group (the shipped table itself stays). */
export async function removeFromSphere(
  db: Db,
  group: GroupRow,
  name: string,
  categoriesText: string,
): Promise<string[]> {
  const sphereKey = normalizeCategory(name);
  const keys: string[] = [];
  for (const n of splitCategories(categoriesText)) keys.push(await resolveCategory(db, group.communityId, n));
  if (!keys.length) return [];
  const removed = await db
    .delete(groupSpheres)
    .where(
      and(
        eq(groupSpheres.groupId, group.id),
        eq(groupSpheres.sphereKey, sphereKey),
        inArray(groupSpheres.categoryKey, keys),
      ),
    )
    .returning({ key: groupSpheres.categoryKey });
  return removed.map((r) => r.key);
}
