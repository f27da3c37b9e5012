import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { communities, groups, jobs, outbox, schedules } from '../../db/schema.js';
import { ANNOUNCEMENT_KIND } from '../../src/nudges/nudge-jobs.js';
import { FakeSlack, type FakeTeam } from '../fakes/slack/fake-slack.js';
import { BotProcess, eventually, killAll, processDatabase, processTestsUnavailable } from './bot-process.js';
import { askTexts } from './ops-support.js';

const FORM = 'application/x-www-form-urlencoded';
const skipReason = processTestsUnavailable();
if (skipReason) console.warn(`two-processes: skipped: ${skipReason}`);

/** Announcements scheduled with /nudge create, each brought due twice: 2 × ANNOUNCEMENTS scheduled jobs. */
const ANNOUNCEMENTS = 8;
const ROUNDS = 2;
const USERS = ['UMOD', 'UA', 'UB', 'UC', 'UD'];

/**
 * Two full bot processes (`node --import tsx adapters/main.ts`, the production entry point) side by side on one
 * PostgreSQL and one Slack fake, as two replicas behind a load balancer. Commands are sent to their HTTP receivers
 * in turn (and some twice, to both, as Slack's retry landing on the other replica); scheduled announcements fall
 * due while both tick every second. Every command must be answered once and every scheduled job run once, its DMs
 * delivered once.
 */
describe.skipIf(skipReason !== null)('two bot processes on one database and one Slack', () => {
  let pg: Awaited<ReturnType<typeof processDatabase>>;
  let fake: FakeSlack;
  let team: FakeTeam;
  let bots: BotProcess[] = [];

  beforeAll(async () => {
    pg = await processDatabase();
    fake = await FakeSlack.start();
    team = fake.addTeam({ id: 'TTWOPROC' });
    for (const u of USERS) fake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
    // ticks every second (15 in production) so several fall within the test; everything else is the default
    bots = await Promise.all(
      ['replica a', 'replica b'].map((name) =>
        BotProcess.start({ name, databaseUrl: pg.url, fake, team, env: { TICK_SECONDS: '1' } }),
      ),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await killAll(bots);
    await fake?.close();
    await pg?.close();
  }, 30_000);

  it('answers every command once and runs every scheduled job once, over several ticks of both', async () => {
    const started = Date.now();
    const a = bots[0]!; // builds signed bodies; which process gets each is decided per command
    const db = pg.database.db;
    const sent: { what: string; responseUrl: string }[] = [];
    let turn = 0;
    /** Sends a command to the next process in turn (and to the other too when `both`: Slack's retry landing there). */
    const command = async (user: string, text: string, both = false) => {
      const [name, ...rest] = text.split(' ');
      const c = a.client.commandBody({
        team,
        user,
        userName: user.toLowerCase(),
        channel: 'CGROUP',
        command: `/${name}`,
        text: rest.join(' '),
      });
      sent.push({ what: `${user} /${text}`, responseUrl: c.responseUrl });
      const first = bots[turn++ % 2]!;
      const deliveries = [first.client.post(c.body, FORM)];
      if (both) deliveries.push(bots[turn % 2]!.client.post(c.body, FORM, { retryNum: 1 }));
      for (const d of await Promise.all(deliveries)) expect(d.status).toBe(200);
      return c.responseUrl;
    };
    const responds = () => fake.calls.filter((c) => c.kind === 'respond');
    const answered = (url: string) => responds().filter((r) => `${fake.url}/respond/${r.method}` === url);
    const untilAnswered = (urls: string[]) =>
      eventually(() => urls.every((u) => answered(u).length > 0), {
        on: fake.changed,
        timeoutMs: 60_000,
        what: `answers to ${urls.length} commands`,
        bots,
      });

    await untilAnswered([await command('UMOD', 'setup name:"Replica Chapter" type:peer')]);
    const members = USERS.slice(1);
    await untilAnswered(
      await Promise.all(
        members.map((u, i) =>
          command(u, `intro business:"${u} Ltd" category:"trade ${i}" pitch:"Good work" ideal_referral:"Anyone"`),
        ),
      ),
    );
    // No quiet hours for anyone: the announcements' DMs go out whatever the hour the test runs at.
    await untilAnswered(await Promise.all(USERS.map((u) => command(u, 'me quiet_hours:00:00-00:00'))));
    // One at a time: an announcement's number is the group's next.
    for (let i = 1; i <= ANNOUNCEMENTS; i++) {
      await untilAnswered([
        await command(
          'UMOD',
          `nudge create schedule:"every monday 9:00" message:"Replica announcement ${i}" to:everyone`,
          i % 3 === 0,
        ),
      ]);
    }
    const asks: string[] = [];
    for (let i = 0; i < 12; i++)
      asks.push(await command(members[i % members.length]!, `ask "replica ask ${i}"`, i % 3 === 0));
    await untilAnswered(asks);
    // … and stored once each, though four of them reached both processes
    expect((await askTexts(db, team.id)).sort()).toEqual(asks.map((_, i) => `replica ask ${i}`).sort());

    const [community] = await db.select().from(communities).where(eq(communities.platformRef, team.id));
    const [group] = await db.select().from(groups).where(eq(groups.communityId, community!.id));
    const announcements = await db
      .select()
      .from(schedules)
      .where(and(eq(schedules.groupId, group!.id), eq(schedules.kind, ANNOUNCEMENT_KIND)));
    expect(announcements).toHaveLength(ANNOUNCEMENTS);
    const recipients = rowsOf<{ user: string }>(
      await db.execute(sql`select m.platform_user_id as user from group_memberships gm join members m on m.id = gm.member_id
        where gm.group_id = ${group!.id} and gm.status = 'active'`),
    ).map((r) => r.user);
    expect(recipients.sort()).toEqual([...USERS].sort());

    // Each round brings every announcement's next slot into the coming seconds, staggered so they fall due over
    // several ticks of both processes. (The real clock of a child process cannot be moved: the slots are moved to it,
    // as if "every monday 9:00" had come round.)
    const announcementJobs = () =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.groupId, group!.id), eq(jobs.kind, ANNOUNCEMENT_KIND)));
    const unsent = async () =>
      rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from outbox where community_id = ${community!.id}
          and status in ('pending', 'sending')`),
      )[0]!.n;
    for (let round = 1; round <= ROUNDS; round++) {
      const base = Date.now() + 1_500;
      for (const [i, s] of announcements.entries()) {
        await db
          .update(schedules)
          .set({ nextRunAt: new Date(base + i * 700) })
          .where(eq(schedules.id, s.id));
      }
      await eventually(
        async () => {
          const js = await announcementJobs();
          return (
            js.length >= round * ANNOUNCEMENTS && js.every((j) => j.status !== 'pending') && (await unsent()) === 0
          );
        },
        {
          timeoutMs: 60_000,
          what: `round ${round}: every announcement run and its DMs sent`,
          bots,
          describe: async () => ({
            jobs: (await announcementJobs()).map((j) => [j.scheduleId, j.status, j.attempts]),
            unsent: await unsent(),
          }),
        },
      );
    }

    // Every command answered exactly once, never with an error, whichever process got it and however often.
    const counts = sent.map((s) => ({ what: s.what, answers: answered(s.responseUrl).length }));
    expect(counts.filter((c) => c.answers !== 1)).toEqual([]);
    expect(responds()).toHaveLength(sent.length);
    for (const r of responds()) expect(String(r.args.text)).not.toMatch(/went wrong|not reachable|busy|slow down/i);

    // Every scheduled job run exactly once: one job per schedule and slot, each claimed and done once …
    const ran = await announcementJobs();
    expect(ran.filter((j) => j.status !== 'done' || j.attempts !== 1)).toEqual([]);
    const perSchedule = new Map<number, number>();
    for (const j of ran) perSchedule.set(j.scheduleId!, (perSchedule.get(j.scheduleId!) ?? 0) + 1);
    for (const s of announcements) expect(perSchedule.get(s.id)).toBeGreaterThanOrEqual(ROUNDS);
    // … each of its DMs queued once and posted once to each member.
    const channelUser = new Map([...fake.conversations].map(([ch, c]) => [ch, c.users.join(',')]));
    const got = new Map<string, number>();
    for (const c of fake.api('chat.postMessage', team.id)) {
      const text = String(c.args.text ?? '');
      const m = /Replica announcement (\d+)/.exec(text);
      if (!m) continue;
      const key = `${channelUser.get(c.args.channel) ?? c.args.channel} #${m[1]}`;
      got.set(key, (got.get(key) ?? 0) + 1);
    }
    const expected = new Map<string, number>();
    for (const s of announcements) {
      const tag = /Replica announcement (\d+)/.exec((s.payload as { message: string }).message)![1];
      for (const u of recipients) expected.set(`${u} #${tag}`, perSchedule.get(s.id)!);
    }
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
    const rows = await db
      .select({ status: outbox.status, attempts: outbox.attempts })
      .from(outbox)
      .where(and(eq(outbox.communityId, community!.id), sql`${outbox.idempotencyKey} like 'announcement:%'`));
    expect(rows).toHaveLength(ran.length * recipients.length);
    expect(rows.filter((r) => r.status !== 'sent' || r.attempts !== 1)).toEqual([]);

    // Both replicas ticked all along: the group's built-in schedules exist once, whichever made them.
    const builtIn = await db
      .select({ key: schedules.systemKey })
      .from(schedules)
      .where(and(eq(schedules.groupId, group!.id), sql`${schedules.systemKey} is not null`));
    // (the nudges' and the per-minute sweeps': referral accountability, pairing, meetings)
    expect(builtIn.map((s) => s.key).sort()).toEqual([
      'give-prompt',
      'intro-reminder',
      'meetings',
      'pairing',
      'referral-accountability',
      'weekly-digest',
    ]);

    for (const bot of bots) {
      expect(bot.running).toBe(true);
      expect(bot.leakedSecrets()).toEqual([]);
    }
    console.info(
      `two-processes: ${sent.length} commands, ${ran.length} scheduled jobs, ${rows.length} DMs in ${Date.now() - started} ms`,
    );
  }, 180_000);
});
