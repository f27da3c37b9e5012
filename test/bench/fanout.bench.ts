import { sql } from 'drizzle-orm';
import { startSlack } from '../../adapters/slack/slack-app.js';
import { commands } from '../../commands/index.js';
import type { Database } from '../../db/client.js';
import { systemClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Core } from '../../src/core.js';
import { enqueueOutbox, type OutboxMessage } from '../../src/delivery/outbox.js';
import { OutboxSender } from '../../src/delivery/outbox-sender.js';
import { Pacer, PLATFORM_LIMITS, scaleLimits } from '../../src/delivery/pacer.js';
import { silentLogger } from '../../src/logger.js';
import type { MessagePort } from '../../src/platform.js';
import { seededRandom } from '../../src/random.js';
import { DiscordHarness } from '../fakes/discord/harness.js';
import { DISCORD_GLOBAL, SLACK_POST_PER_CHANNEL } from '../fakes/rate-limits.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { seedGroup } from '../support/nudges-fixtures.js';
import { emit } from './bench-output.js';
import { benchDatabaseKinds, withBenchDatabase } from './bench-support.js';

/**
 * Issue 15: a fan-out of N (10,000) DMs through the real outbox sender and pacer and the real ports (discord.js REST
 * against the fake Discord, Bolt's WebClient against the fake Slack), with the fakes enforcing the platforms'
 * documented limits (test/fakes/rate-limits.ts: Discord 50 requests/s global; Slack chat.postMessage 1/s per
 * channel) and counting every request they refuse with a 429. Figures: achieved rate against the documented one
 * (≥ 95%), requests over the limit (0), duplicates (0).
 *
 * Time is scaled by BENCH_SCALE (default 2) for the fake's limit, the pacer and discord.js's own limiter, which then
 * share one scaled clock: each one's window is divided by it (10,000 DMs at 48/s would take 208 s; scaled, half). The
 * output says so (`scale`, `equivalentRealRate`). DM channels are cached, as they are after a member's first DM
 * (opening DMs is its own, slower limit).
 */
const N = Number(process.env.BENCH_FANOUT ?? 10_000);
const SCALE = Number(process.env.BENCH_SCALE ?? 2);

async function queue(db: Database['db'], communityId: number, memberIds: number[]): Promise<void> {
  const now = new Date(Date.now() - 1000);
  const msgs: OutboxMessage[] = memberIds.map((id) => ({
    target: { kind: 'dm', memberId: id },
    idempotencyKey: `fan:${communityId}:${id}`,
    // measured against the pace whatever the hour (quiet hours would hold DMs until morning)
    quietHours: false,
    content: { text: 'This week: who will you invite?' },
  }));
  for (let i = 0; i < msgs.length; i += 1000) {
    await enqueueOutbox(db, communityId, msgs.slice(i, i + 1000), { now, timezone: 'UTC' });
  }
}

/** Sends what is queued through `port` with the production limits scaled by SCALE; returns the sender's count. */
async function send(db: Database['db'], port: MessagePort): Promise<{ sent: number; seconds: number }> {
  const limits = { ...PLATFORM_LIMITS, [port.platform]: scaleLimits(PLATFORM_LIMITS[port.platform]!, SCALE) };
  const sender = new OutboxSender({
    db,
    clock: systemClock,
    log: silentLogger,
    workerId: 'fan',
    pacer: new Pacer(limits),
  });
  const t = performance.now();
  const sent = await sender.flush([port]);
  return { sent, seconds: (performance.now() - t) / 1000 };
}

async function discord(database: Database): Promise<void> {
  const db = database.db;
  // discord.js keeps its own 50 requests/s (globalRequestsPerSecond): scaled too, so all three share one clock
  const h = await DiscordHarness.start(database, {
    bot: { rest: { retries: 0, timeout: 2000, globalRequestsPerSecond: DISCORD_GLOBAL.limit * SCALE } },
  });
  try {
    const { community, members } = await seedGroup(db, { members: N, platform: 'discord' });
    // the seeded community becomes the fake server's (the one the bot made when it saw the server goes)
    await db.execute(sql`delete from communities where platform = 'discord' and platform_ref = ${h.guild.id}`);
    await db.execute(sql`update communities set platform_ref = ${h.guild.id} where id = ${community.id}`);
    const channels = members.map((m) => h.fake.dmChannel(m.platformUserId).id);
    await db.execute(sql`insert into dm_channels (platform, workspace_ref, user_id, channel_id)
      select 'discord', ${h.guild.id}, u, c from unnest(${sql.param(members.map((m) => m.platformUserId))}::text[],
        ${sql.param(channels)}::text[]) as x(u, c)`);
    await queue(
      db,
      community.id,
      members.map((m) => m.id),
    );
    const limit = h.fake.enforceRateLimits(SCALE);
    const { sent, seconds } = await send(db, h.bot.port);
    const posts = h.fake.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path));
    const ok = posts.filter((c) => c.status === 200);
    const perChannel = new Map<string, number>();
    for (const c of ok) perChannel.set(c.path, (perChannel.get(c.path) ?? 0) + 1);
    const achieved = (ok.length - 1) / ((ok.at(-1)!.at - ok[0]!.at) / 1000);
    const allowed = (DISCORD_GLOBAL.limit * 1000 * SCALE) / DISCORD_GLOBAL.windowMs;
    emit({
      bench: 'fanout',
      platform: 'discord',
      metric: 'fanout_rate_per_s',
      value: achieved,
      baseline: allowed,
      target: 'ratio >= 0.95, 0 over the limit, 0 duplicates',
      unit: 'requests/s at the fake',
      scale: SCALE,
      timeScaled: `the fake's limit and the pacer both run ${SCALE}× faster than real time`,
      equivalentRealRate: achieved / SCALE,
      sent,
      delivered: ok.length,
      overLimit429s: limit.refused,
      duplicates: [...perChannel.values()].filter((n) => n > 1).length,
      seconds,
      db: database.kind ?? 'pglite',
    });
  } finally {
    await h.close();
  }
}

async function slack(database: Database): Promise<void> {
  const db = database.db;
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ id: `TFAN${Date.now().toString(36).toUpperCase()}`, name: 'Fan-out' });
  const core = new Core({
    database,
    registry: new Registry(commands),
    clock: systemClock,
    random: seededRandom(1),
    log: silentLogger,
  });
  const bot = await startSlack(
    core,
    { PORT: 0, SLACK_SIGNING_SECRET: 'bench', SLACK_BOT_TOKEN: team.botToken, SLACK_API_URL: fake.apiUrl },
    silentLogger,
    { retries: 0 },
  );
  try {
    const { community, members } = await seedGroup(db, { members: N, platform: 'slack' });
    await db.execute(sql`delete from communities where platform = 'slack' and platform_ref = ${team.id}`);
    await db.execute(sql`update communities set platform_ref = ${team.id} where id = ${community.id}`);
    const channels = members.map((m) => {
      fake.addUser({ id: m.platformUserId, name: m.displayName, teamId: team.id });
      return fake.conversation(team.id, [m.platformUserId]);
    });
    await db.execute(sql`insert into dm_channels (platform, workspace_ref, user_id, channel_id)
      select 'slack', ${team.id}, u, c from unnest(${sql.param(members.map((m) => m.platformUserId))}::text[],
        ${sql.param(channels)}::text[]) as x(u, c)`);
    await queue(
      db,
      community.id,
      members.map((m) => m.id),
    );
    const limit = fake.enforceRateLimits(SCALE);
    const { sent, seconds } = await send(db, bot.port);
    const posts = fake.api('chat.postMessage', team.id).filter((c) => (c.result as { ok?: boolean } | null)?.ok);
    const perChannel = new Map<string, number>();
    for (const c of posts) perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
    // one DM per member, each in its own channel: Slack's only documented posting limit (1/s per channel) allows
    // them all at once, so the allowed rate has no figure; the rate the sender reached is reported on its own
    emit({
      bench: 'fanout',
      platform: 'slack',
      metric: 'fanout_rate_per_s',
      value: (posts.length - 1) / seconds,
      baseline: null,
      target: '0 over the limit, 0 duplicates (no documented limit binds DMs to distinct channels)',
      unit: 'messages/s',
      perChannelLimit: `${SLACK_POST_PER_CHANNEL.limit} per ${SLACK_POST_PER_CHANNEL.windowMs / SCALE} ms (scaled ${SCALE}×)`,
      scale: SCALE,
      sent,
      delivered: posts.length,
      overLimit429s: limit.refused,
      duplicates: [...perChannel.values()].filter((n) => n > 1).length,
      seconds,
    });
  } finally {
    await bot.stop();
    await fake.close();
  }
}

const kind = (await benchDatabaseKinds()).includes('postgres') ? 'postgres' : 'pglite';
const only = process.env.BENCH_ONLY;
if (!only || only === 'discord') await withBenchDatabase(kind, discord);
if (!only || only === 'slack') await withBenchDatabase(kind, slack);
process.exit(0);
