import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { dmChannels } from '../../db/schema.js';

/**
 * Cached DM channels (opening DMs in bulk is rate limited and can get the bot blocked). For a member who blocks DMs
 * the row keeps `blocked_at`, and `channel_id` then holds the private thread used instead, so later messages reuse
 * that one thread rather than opening a new one each time.
 */
export interface DmRoute {
  channelId: string;
  blocked: boolean;
}

const key = (guildId: string, userId: string) =>
  and(eq(dmChannels.platform, 'discord'), eq(dmChannels.workspaceRef, guildId), eq(dmChannels.userId, userId));

export async function findDmRoute(db: Db, guildId: string, userId: string): Promise<DmRoute | null> {
  const [row] = await db.select().from(dmChannels).where(key(guildId, userId));
  return row ? { channelId: row.channelId, blocked: row.blockedAt !== null } : null;
}

export async function saveDmChannel(db: Db, guildId: string, userId: string, channelId: string): Promise<void> {
  await db
    .insert(dmChannels)
    .values({ platform: 'discord', workspaceRef: guildId, userId, channelId })
    .onConflictDoUpdate({
      target: [dmChannels.platform, dmChannels.workspaceRef, dmChannels.userId],
      set: { channelId, blockedAt: null },
    });
}

/** Records that the member refuses DMs; `threadId` is where their messages go instead (may be set later). */
export async function markDmBlocked(
  db: Db,
  guildId: string,
  userId: string,
  at: Date,
  threadId: string,
): Promise<void> {
  await db
    .insert(dmChannels)
    .values({ platform: 'discord', workspaceRef: guildId, userId, channelId: threadId, blockedAt: at })
    .onConflictDoUpdate({
      target: [dmChannels.platform, dmChannels.workspaceRef, dmChannels.userId],
      set: { channelId: threadId, blockedAt: at },
    });
}

/** Member-to-guild lookup for a DM channel, for the rare DM interaction without a guild marker. */
export async function guildsOfDmChannel(db: Db, channelId: string): Promise<string[]> {
  const rows = await db
    .select({ guild: dmChannels.workspaceRef })
    .from(dmChannels)
    .where(and(eq(dmChannels.platform, 'discord'), eq(dmChannels.channelId, channelId)));
  return rows.map((r) => r.guild);
}
