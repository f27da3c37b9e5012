import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rowsOf } from '../../db/client.js';
import { communities, dmChannels, groupMemberships, groups, members, outbox } from '../../db/schema.js';
import { enqueueOutbox } from '../../src/delivery/outbox.js';
import { TAKEN_OVER } from '../../src/delivery/outbox-sender.js';
import { defaultSettings } from '../../src/groups/group-settings.js';
import { FakeSlack, type FakeTeam } from '../fakes/slack/fake-slack.js';
import { BotProcess, eventually, killAll, processDatabase, processTestsUnavailable } from './bot-process.js';

const skipReason = processTestsUnavailable();
if (skipReason) console.warn(`process-crash: skipped: ${skipReason}`);

const MEMBERS = 300;
/** The fan-out is killed when the fake gets this DM: past the first batch of 100, well before the end. */
const KILL_AT = 130;
/** The outbox sender claims (and prefetches) this many rows at a time: a dead sender held at most two batches. */
const BATCH = 100;
/**
 * Sends in flight at once in one bot process: one sender per platform (the delivery lease), sending one message at a
 * time. A SIGKILL can repeat at most this many messages.
 */
const IN_FLIGHT_SLOTS = 1;

/**
 * The killed process claimed its rows with a delivery lease; nobody else may send them until it runs out. At the
 * production 120 s this test would wait two minutes for the takeover, so the children run with a 5 s lease: the same
 * takeover code path (the second process claims the dead one's `sending` rows once their lease has passed, and takes
 * the platform's sending lease once it has passed), only sooner. 5 s is still far above the time a batch of 100
 * takes against the fake (well under a second), which is what a lease must cover. Ticks every second instead of 15.
 */
const ENV = { TICK_SECONDS: '1', DELIVERY_LEASE_SECONDS: '5' };

/**
 * The real bot (`node --import tsx adapters/main.ts`) sends a scheduled fan-out of 300 DMs through Slack (a fake of
 * the test's), is SIGKILLed in the middle of it, and a second process is started on the same database. Two kill
 * points, chosen through the fake so that they are exact rather than lucky:
 * - the DM in flight never reached Slack (the connection dies with the process): it must be sent by the second
 *   process, so nothing is lost;
 * - Slack posted the DM but the bot was killed before it saw the answer: the second process sends it again, and
 *   that one repeat (one per in-flight slot) is the most the outbox allows; it records the rows it took over.
 */
describe.skipIf(skipReason !== null)('the bot SIGKILLed in the middle of a fan-out, then started again', () => {
  let pg: Awaited<ReturnType<typeof processDatabase>>;
  const bots: BotProcess[] = [];
  const fakes: FakeSlack[] = [];

  beforeAll(async () => {
    pg = await processDatabase();
  }, 60_000);

  // A variant that failed half-way must not leave a bot sending (or holding the delivery lease) into the next one.
  afterEach(async () => {
    await Promise.all(bots.map((b) => b.stop()));
  }, 30_000);

  afterAll(async () => {
    await killAll(bots);
    for (const f of fakes) await f.close();
    await pg?.close();
  });

  for (const killPoint of ['arrived', 'handled'] as const) {
    const title =
      killPoint === 'arrived'
        ? 'killed while a DM is on its way to Slack: the restart sends it, none lost, none doubled'
        : 'killed after Slack posted a DM the bot had not recorded: that one DM is repeated, and the outbox says so';

    it(title, async () => {
      const started = Date.now();
      const fake = await FakeSlack.start();
      fakes.push(fake);
      const team = fake.addTeam({ id: killPoint === 'arrived' ? 'TCRASHA' : 'TCRASHB' });
      const db = pg.database.db;
      const seeded = await seedChapter(pg.database, team, MEMBERS);
      const start = (name: string) =>
        BotProcess.start({ name, databaseUrl: pg.url, fake, team, env: ENV }).then((b) => {
          bots.push(b);
          return b;
        });

      const first = await start(`first (${killPoint})`);
      // Kill the first process at its KILL_AT-th DM, before the fake answers it: it can never record that send.
      let posts = 0;
      let inFlight: string | undefined;
      fake.onApiCall = (phase, call) => {
        if (call.method !== 'chat.postMessage' || phase !== killPoint || ++posts !== KILL_AT) return undefined;
        inFlight = String(call.args.channel);
        first.killNow();
        fake.onApiCall = undefined;
        return killPoint === 'arrived' ? 'drop' : undefined;
      };

      // The fan-out: one DM per member queued through the outbox, as a job does; the running bot's tick sends it.
      const queued = await enqueueOutbox(
        db,
        seeded.communityId,
        seeded.members.map((m) => ({
          target: { kind: 'dm', memberId: m.id },
          idempotencyKey: `crash-test:${killPoint}:${m.id}`,
          content: { text: `The chapter meets on Tuesday (${killPoint})` },
          quietHours: false, // whatever the hour the test runs at
        })),
        { now: new Date(), timezone: 'UTC' },
      );
      expect(queued).toEqual({ queued: MEMBERS, skipped: 0, ids: expect.any(Array) });

      await eventually(() => !first.running, {
        on: first.changed,
        timeoutMs: 30_000,
        what: `the first process to be killed at its ${KILL_AT}th DM`,
        bots: [first],
        describe: () => ({ posts }),
      });
      expect((await first.exited).signal).toBe('SIGKILL');
      const dmsToTeam = () => fake.api('chat.postMessage', team.id);
      const beforeRestart = dmsToTeam().length;
      // Mid-fan-out: some but not all were posted.
      expect(beforeRestart).toBe(killPoint === 'arrived' ? KILL_AT - 1 : KILL_AT);
      const states = async (): Promise<Record<string, number>> =>
        Object.fromEntries(
          rowsOf<{ status: string; n: number }>(
            await db.execute(sql`select status, count(*)::int as n from outbox
              where community_id = ${seeded.communityId} group by status`),
          ).map((r) => [r.status, r.n]),
        );
      const atKill = await states();

      const second = await start(`second (${killPoint})`);
      // Until the outbox has nothing left to send; then what Slack got must match it.
      await eventually(async () => (await states()).sent === MEMBERS, {
        timeoutMs: 45_000,
        what: 'the outbox to record every DM of the fan-out as sent',
        bots: [second],
        describe: async () => ({ outbox: await states(), posted: dmsToTeam().length }),
      });

      // Every member got the DM; a member who got it twice can only be the one in flight at the kill.
      const perChannel = new Map<string, number>();
      for (const c of dmsToTeam()) perChannel.set(c.args.channel, (perChannel.get(c.args.channel) ?? 0) + 1);
      const expected = seeded.members.map((m) => m.channel);
      expect(expected.filter((ch) => !perChannel.has(ch))).toEqual([]); // none lost
      expect([...perChannel.keys()].sort()).toEqual([...expected].sort()); // nothing to anyone else
      const twice = [...perChannel].filter(([, n]) => n > 1).map(([ch]) => ch);
      expect(twice.length).toBeLessThanOrEqual(IN_FLIGHT_SLOTS);
      expect(Math.max(...perChannel.values())).toBeLessThanOrEqual(2);
      if (killPoint === 'arrived') expect(twice).toEqual([]);
      else expect(twice).toEqual([inFlight]); // the worst case, and exactly the one the kill caught
      expect(dmsToTeam().length).toBe(MEMBERS + twice.length);
      // At the kill the outbox had recorded exactly the DMs Slack had answered, not the one in flight.
      expect(atKill.sent).toBe(KILL_AT - 1);

      // The outbox: every row sent; the rows the dead process held are marked as taken over (the repeated one among
      // them), at most the two batches it had claimed; every other row was claimed and sent once.
      const rows = await db
        .select({
          memberId: outbox.memberId,
          status: outbox.status,
          attempts: outbox.attempts,
          lastError: outbox.lastError,
        })
        .from(outbox)
        .where(eq(outbox.communityId, seeded.communityId));
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      const marked = rows.filter((r) => r.lastError?.startsWith(TAKEN_OVER));
      // at least the rest of the batch it was sending, at most that and the batch it had prefetched
      expect(marked.length).toBeGreaterThanOrEqual(2 * BATCH - (KILL_AT - 1));
      expect(marked.length).toBeLessThanOrEqual(Math.min(2 * BATCH, MEMBERS - (KILL_AT - 1)));
      expect(marked.filter((r) => r.attempts !== 2).map((r) => [r.attempts, r.lastError])).toEqual([]);
      expect(
        rows.filter((r) => !r.lastError?.startsWith(TAKEN_OVER)).every((r) => r.attempts === 1 && !r.lastError),
      ).toBe(true);
      const channelOf = new Map(seeded.members.map((m) => [m.id, m.channel]));
      const markedChannels = new Set(marked.map((r) => channelOf.get(r.memberId!)));
      for (const ch of twice) expect(markedChannels.has(ch)).toBe(true);
      if (inFlight) expect(markedChannels.has(inFlight)).toBe(true);

      // The takeover is logged, and no log line carries the bot token or the signing secret.
      expect(
        second.logged(
          'outbox messages taken over from a sender whose lease ran out: the one it had in flight may be sent twice',
        ),
      ).not.toHaveLength(0);
      for (const b of [first, second]) expect(b.leakedSecrets()).toEqual([]);

      console.info(
        `process-crash (${killPoint}): ${Date.now() - started} ms in all, killed at DM ${KILL_AT}, ` +
          `${marked.length} rows taken over, ${twice.length} DM repeated`,
      );
    }, 180_000);
  }
});

/** A Slack workspace with one group of `n` members whose DM channels are already known (a chapter that has run a while). */
async function seedChapter(database: Database, team: FakeTeam, n: number) {
  const db = database.db;
  const [community] = await db
    .insert(communities)
    .values({ platform: 'slack', platformRef: team.id, name: team.name })
    .returning();
  const [group] = await db
    .insert(groups)
    .values({
      communityId: community!.id,
      name: 'Crash Chapter',
      type: 'peer',
      homeChannelRef: 'CGROUP',
      timezone: 'UTC',
      settings: defaultSettings('peer'),
    })
    .returning();
  const users = Array.from({ length: n }, (_, i) => `U${String(i).padStart(4, '0')}`);
  const people = await db
    .insert(members)
    .values(users.map((u) => ({ communityId: community!.id, platformUserId: u, displayName: `member ${u}` })))
    .returning();
  await db
    .insert(groupMemberships)
    .values(people.map((p) => ({ groupId: group!.id, memberId: p.id, communityId: community!.id })));
  await db
    .insert(dmChannels)
    .values(users.map((u) => ({ platform: 'slack', workspaceRef: team.id, userId: u, channelId: `D${u}` })));
  return {
    communityId: community!.id,
    members: people.map((p) => ({ id: p.id, channel: `D${p.platformUserId}` })),
  };
}
