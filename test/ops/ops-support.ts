import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { commands } from '../../commands/index.js';
import { type Database, rowsOf } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Core, type CoreDeps } from '../../src/core.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import type { Capabilities, MessagePort } from '../../src/platform.js';
import { seededRandom } from '../../src/random.js';
import { TEST_PACING } from '../support/test-pacing.js';

export const slackCaps: Capabilities = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: false,
  forms: false,
  buttons: true,
  files: true,
};

/** A port that accepts every message: these tests look at dispatch results, not deliveries. */
export const nullPort: MessagePort = {
  platform: 'slack',
  capabilities: slackCaps,
  send: async (_c, target) => ({ channelRef: 'channelRef' in target ? target.channelRef : 'D1', messageRef: '1' }),
};

export function opsCore(database: Database, extra: Partial<CoreDeps> = {}, log: Logger = silentLogger): Core {
  return new Core({
    database,
    registry: new Registry(commands),
    clock: new ManualClock(new Date('2025-03-03T09:00:00Z')),
    random: seededRandom(7),
    log,
    pacing: TEST_PACING,
    ...extra,
  });
}

/** Builds invocations of real commands in one fresh community and channel. */
export function community(prefix = 'T') {
  const ref = `${prefix}${randomBytes(4).toString('hex').toUpperCase()}`;
  let seq = 0;
  return {
    ref,
    inv(actor: string, name: string, options: Record<string, unknown> = {}, isAdmin = false): Invocation {
      return {
        platform: 'slack',
        community: { ref, name: `Community ${ref}` },
        channelRef: 'CGROUP',
        actor: { platformUserId: actor, displayName: actor, ...(isAdmin ? { isAdmin: true } : {}) },
        interactionId: `${ref}-${++seq}-${randomBytes(3).toString('hex')}`,
        input: { kind: 'command', name, options },
      };
    },
  };
}

/** Row counts of every table, as one string: equal before and after means nothing was written or deleted. */
export async function writeFingerprint(db: Database['db']): Promise<string> {
  const tables = rowsOf<{ t: string }>(
    await db.execute(
      sql`select table_name as t from information_schema.tables where table_schema = 'public' order by table_name`,
    ),
  ).map((r) => r.t);
  const query = tables.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(' union all ');
  const rows = rowsOf<{ t: string; n: number }>(await db.execute(sql.raw(query)));
  return rows.map((r) => `${r.t}:${r.n}`).join(',');
}

/** Open asks of a community, by text: what an acknowledged /ask must have left behind. */
export async function askTexts(db: Database['db'], communityRef: string): Promise<string[]> {
  const rows = rowsOf<{ text: string }>(
    await db.execute(sql`
      select a.text from asks a join communities c on c.id = a.community_id where c.platform_ref = ${communityRef}`),
  );
  return rows.map((r) => r.text);
}

/** Sets up a group run by UMOD in a fresh community and introduces `members`, so they may post asks. */
export async function groupWithMembers(core: Core, members: string[]): Promise<ReturnType<typeof community>> {
  const c = community();
  const run = async (inv: Invocation) => {
    const r = await core.handle(inv, nullPort, async () => {});
    if (r.outcome !== 'ok') throw new Error(`${inv.input.kind === 'command' ? inv.input.name : ''}: ${r.reply.text}`);
  };
  await run(c.inv('UMOD', 'setup', { name: 'Ops Club' }, true));
  for (const m of members) {
    await run(
      c.inv(m, 'intro', {
        business: `${m} Ltd`,
        category: `trade ${m.toLowerCase()}`,
        pitch: 'We do good work',
        ideal_referral: 'Anyone',
      }),
    );
  }
  return c;
}
