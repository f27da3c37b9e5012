import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { communities, groupMemberships, groups, members } from '../../db/schema.js';
import { defaultSettings } from '../../src/groups/group-settings.js';

let seq = 0;

/** A community with one group and `n` active members (named m0, m1 …), for service-level tests. */
export async function seedGroup(
  db: Db,
  opts: { members?: number; timezone?: string; platform?: string; createdAt?: Date; settings?: object } = {},
) {
  const tag = `${process.pid}-${Date.now()}-${seq++}`;
  const [community] = await db
    .insert(communities)
    .values({ platform: opts.platform ?? 'shell', platformRef: `c-${tag}`, name: 'Test' })
    .returning();
  const [group] = await db
    .insert(groups)
    .values({
      communityId: community!.id,
      name: `Group ${tag}`,
      type: 'peer',
      homeChannelRef: `home-${tag}`,
      timezone: opts.timezone ?? 'UTC',
      settings: { ...defaultSettings('peer'), ...(opts.settings ?? {}) },
      ...(opts.createdAt ? { createdAt: opts.createdAt } : {}),
    })
    .returning();
  const people = opts.members
    ? await db
        .insert(members)
        .values(
          Array.from({ length: opts.members }, (_, i) => ({
            communityId: community!.id,
            platformUserId: `u${i}`,
            displayName: `m${i}`,
          })),
        )
        .returning()
    : [];
  if (people.length) {
    await db.insert(groupMemberships).values(
      people.map((p) => ({
        groupId: group!.id,
        memberId: p.id,
        communityId: community!.id,
        ...(opts.createdAt ? { joinedAt: opts.createdAt } : {}),
      })),
    );
  }
  return { community: community!, group: group!, members: people };
}

/** Inserts `n` due jobs of a kind in one statement. */
export async function insertJobs(db: Db, communityId: number, kind: string, n: number, runAt: Date) {
  await db.execute(sql`
    insert into jobs (kind, community_id, run_at, payload)
    select ${kind}, ${communityId}, ${runAt.toISOString()}::timestamptz, jsonb_build_object('n', g) from generate_series(1, ${n}) g`);
}
