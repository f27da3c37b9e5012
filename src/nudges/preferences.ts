import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { memberPreferences, members } from '../../db/schema.js';
import { DEFAULT_QUIET } from '../delivery/quiet-hours.js';

export interface Preferences {
  timezone: string | null;
  quietStart: string;
  quietEnd: string;
  muted: string[];
  dmBlocked: boolean;
}

export async function readPreferences(db: Db, memberId: number): Promise<Preferences> {
  const [row] = await db
    .select({ tz: members.timezone, p: memberPreferences })
    .from(members)
    .leftJoin(memberPreferences, eq(memberPreferences.memberId, members.id))
    .where(eq(members.id, memberId));
  return {
    timezone: row?.tz ?? null,
    quietStart: row?.p?.quietStart ?? DEFAULT_QUIET.start,
    quietEnd: row?.p?.quietEnd ?? DEFAULT_QUIET.end,
    muted: row?.p?.mutedNudges ?? [],
    dmBlocked: Boolean(row?.p?.dmBlockedAt),
  };
}

/**
 * Saves a member's changes. Using /me also clears a DM block: the member is evidently back, and the next DM that
 * fails is logged once again.
 */
export async function savePreferences(
  db: Db,
  memberId: number,
  change: { timezone?: string; quietStart?: string; quietEnd?: string; muted?: string[] },
): Promise<void> {
  if (change.timezone !== undefined) {
    await db.update(members).set({ timezone: change.timezone }).where(eq(members.id, memberId));
  }
  const set = {
    ...(change.quietStart !== undefined ? { quietStart: change.quietStart } : {}),
    ...(change.quietEnd !== undefined ? { quietEnd: change.quietEnd } : {}),
    ...(change.muted !== undefined ? { mutedNudges: change.muted } : {}),
    dmBlockedAt: null,
  };
  await db
    .insert(memberPreferences)
    .values({ memberId, ...set })
    .onConflictDoUpdate({ target: memberPreferences.memberId, set });
}
