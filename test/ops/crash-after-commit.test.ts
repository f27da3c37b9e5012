import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { communities, jobs, outbox } from '../../db/schema.js';
import { FakeSlack, type FakeTeam } from '../fakes/slack/fake-slack.js';
import {
  BotProcess,
  eventually,
  killAll,
  processDatabase,
  processTestsUnavailable,
  ticksPassed,
} from './bot-process.js';

const skipReason = processTestsUnavailable();
if (skipReason) console.warn(`crash-after-commit: skipped: ${skipReason}`);

/** Ticks every second; a killed process's claimed messages are taken over after 5 s (see process-crash.test.ts). */
const ENV = { TICK_SECONDS: '1', DELIVERY_LEASE_SECONDS: '5' };
const FORM = 'application/x-www-form-urlencoded';
const USERS = ['UMOD', 'UBOB', 'UCAROL', 'UDAVE'];

/**
 * The real bot process (Slack over HTTP, PostgreSQL) is SIGKILLed right after it committed a message to someone else
 * and before that message reached Slack — the moment that lost messages when they were sent from memory after the
 * commit. Three such moments, each killed through the fake at the exact call: the DM `/refer` sends the receiver
 * (with its Accept buttons), the referral accountability sweep's first reminder, and the shared conversation a
 * scheduled pairing round opens. After a restart each arrives exactly once.
 */
describe.skipIf(skipReason !== null)('the bot killed right after committing a message to someone else', () => {
  let pg: Awaited<ReturnType<typeof processDatabase>>;
  let fake: FakeSlack;
  let team: FakeTeam;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    pg = await processDatabase();
    fake = await FakeSlack.start();
    team = fake.addTeam({ id: 'TKILLCOMMIT' });
    for (const u of USERS) fake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await killAll(bots);
    await fake?.close();
    await pg?.close();
  }, 30_000);

  it('delivers the /refer DM, the accountability reminder and the pairing conversation once each after a restart', async () => {
    const db = pg.database.db;
    const start = async (name: string) => {
      const b = await BotProcess.start({ name, databaseUrl: pg.url, fake, team, env: ENV });
      bots.push(b);
      return b;
    };
    let bot = await start('first');
    const command = async (user: string, text: string) => {
      const [name, ...rest] = text.split(' ');
      const c = bot.client.commandBody({
        team,
        user,
        userName: user.toLowerCase(),
        channel: 'CGROUP',
        command: `/${name}`,
        text: rest.join(' '),
      });
      const before = fake.calls.filter((x) => x.kind === 'respond').length;
      expect((await bot.client.post(c.body, FORM)).status).toBe(200);
      await eventually(() => fake.calls.filter((x) => x.kind === 'respond').length > before, {
        on: fake.changed,
        timeoutMs: 60_000,
        what: `the answer to /${text}`,
        bots: [bot],
      });
    };
    /** Kills `victim` when the bot posts to `channel` a message whose text has `text`, before Slack takes it. */
    const killOn = (victim: BotProcess, channel: string, text: string) => {
      let killed = false;
      fake.onApiCall = (phase, call) => {
        if (phase !== 'arrived' || call.method !== 'chat.postMessage') return undefined;
        if (call.args.channel !== channel || !String(call.args.text ?? '').includes(text)) return undefined;
        killed = true;
        victim.killNow();
        fake.onApiCall = undefined;
        return 'drop';
      };
      return () => killed;
    };
    const posted = (channel: string, text: string) =>
      fake
        .api('chat.postMessage', team.id)
        .filter((c) => c.args.channel === channel && String(c.args.text ?? '').includes(text));
    /** The group's sweeps run each minute: this one is brought forward to the next tick instead of waited for. */
    const sweepNow = (kind: string) =>
      db.execute(sql`update schedules set next_run_at = now() where kind = ${kind}
        and community_id = (select id from communities where platform_ref = ${team.id})`);
    const restartAfterKill = async (victim: BotProcess, killed: () => boolean, what: string) => {
      // set before the kill, so the exit's notice finds it set
      await eventually(() => killed() && !victim.running, {
        on: victim.changed,
        timeoutMs: 90_000,
        what,
        bots: [victim],
      });
      expect((await victim.exited).signal).toBe('SIGKILL');
      return start(`after ${what}`);
    };

    await command('UMOD', 'setup name:"Crash Chapter" type:peer timezone:UTC');
    for (const [i, u] of USERS.slice(1).entries()) {
      await command(u, `intro business:"${u} Ltd" category:"trade ${i}" pitch:"Good work" ideal_referral:"Anyone"`);
    }
    // whatever the hour the test runs at, nothing waits for quiet hours
    for (const u of USERS) await command(u, 'me quiet_hours:00:00-00:00');
    const carolDm = fake.conversation(team.id, ['UCAROL']);

    // 1. /refer: the command commits the referral and its DM to carol; the process dies before Slack gets the DM
    let killed = killOn(bot, carolDm, 'passed you a referral');
    const refer = bot.client.commandBody({
      team,
      user: 'UBOB',
      userName: 'ubob',
      channel: 'CGROUP',
      command: '/refer',
      text: 'member:<@UCAROL|ucarol> prospect:"Jane Doe" contact:"jane@example.com" need:"A lease review" temperature:4 consent:yes',
    });
    await bot.client.post(refer.body, FORM).catch(() => undefined); // the answer may die with the process
    bot = await restartAfterKill(bot, killed, 'the /refer DM to carol');
    await eventually(() => posted(carolDm, 'passed you a referral').length > 0, {
      on: fake.changed,
      timeoutMs: 60_000,
      what: 'the referral DM after the restart',
      bots: [bot],
    });
    const referralDms = posted(carolDm, 'passed you a referral');
    expect(referralDms).toHaveLength(1);
    expect(JSON.stringify(referralDms[0]!.args.blocks)).toContain('Accept');
    const [referral] = rowsOf<{ number: number; status: string }>(
      await db.execute(sql`select number, status from referrals where prospect_name = 'Jane Doe'`),
    );
    expect(referral).toEqual({ number: 1, status: 'new' });

    // 2. the accountability sweep: the referral is three days old; its first reminder is recorded and queued in the
    // job's transaction, and the process dies before Slack gets it
    killed = killOn(bot, carolDm, 'Reminder: referral #1');
    await db.execute(sql`update referrals set created_at = now() - interval '3 days', updated_at = now() - interval '3 days'
      where prospect_name = 'Jane Doe'`);
    await sweepNow('referrals.accountability');
    bot = await restartAfterKill(bot, killed, 'the accountability reminder to carol');
    await eventually(() => posted(carolDm, 'Reminder: referral #1').length > 0, {
      on: fake.changed,
      timeoutMs: 90_000,
      what: 'the accountability reminder after the restart',
      bots: [bot],
    });

    // 3. a scheduled pairing round: the round and its conversations commit in the job; the first conversation's
    // post is where the process dies
    await command('UMOD', 'pair setup name:Coffee cadence:weekly day:monday time:09:00');
    for (const u of ['UBOB', 'UCAROL']) await command(u, 'pair join');
    const pairDm = fake.conversation(team.id, ['UBOB', 'UCAROL']);
    killed = killOn(bot, pairDm, 'Coffee');
    await db.execute(sql`update pairing_programs set next_run_at = now() where name = 'Coffee'`);
    await sweepNow('pairing.due');
    bot = await restartAfterKill(bot, killed, 'the pairing conversation');
    await eventually(() => posted(pairDm, 'Coffee').length > 0, {
      on: fake.changed,
      timeoutMs: 90_000,
      what: 'the pairing conversation after the restart',
      bots: [bot],
    });
    // Nothing arrives twice, though the sweeps the kills interrupted run once more (in the first of two whole ticks
    // after this point: their jobs done, what they queued sent) and the outbox is flushed at each tick.
    const [now] = rowsOf<{ at: string }>(await db.execute(sql`select now()::text as at`));
    const rerunFrom = new Date(now!.at);
    await sweepNow('referrals.accountability');
    await sweepNow('pairing.due');
    await ticksPassed(pg.database, 2, { timeoutMs: 60_000, bots: [bot] });
    const sweepsRun = () =>
      db
        .select({ kind: jobs.kind, finishedAt: jobs.finishedAt })
        .from(jobs)
        .innerJoin(communities, eq(communities.id, jobs.communityId))
        .where(
          and(
            eq(communities.platformRef, team.id),
            inArray(jobs.kind, ['referrals.accountability', 'pairing.due']),
            eq(jobs.status, 'done'),
            gte(jobs.finishedAt, rerunFrom),
          ),
        );
    await eventually(async () => new Set((await sweepsRun()).map((j) => j.kind)).size === 2, {
      timeoutMs: 30_000,
      what: 'both sweeps to have run again',
      bots: [bot],
      describe: sweepsRun,
    });
    expect(posted(carolDm, 'passed you a referral')).toHaveLength(1);
    expect(posted(carolDm, 'Reminder: referral #1')).toHaveLength(1);
    expect(posted(pairDm, 'Coffee')).toHaveLength(1);
    // the giver was not told of a reminder that never went out: it went, once, before theirs is due
    const [community] = await db.select().from(communities).where(eq(communities.platformRef, team.id));
    const rows = await db.select().from(outbox).where(eq(outbox.communityId, community!.id));
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    for (const b of bots) expect(b.leakedSecrets()).toEqual([]);
  }, 420_000);
});
