import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { FakeDiscord, type FakeGuild } from '../fakes/discord/fake-discord.js';
import type { FakeMessage } from '../fakes/discord/fake-state.js';
import { FakeSlack, type FakeTeam } from '../fakes/slack/fake-slack.js';
import { BotProcess, eventually, killAll, processDatabase, processTestsUnavailable } from './bot-process.js';
import { DiscordProcessClient } from './discord-process-client.js';

const skipReason = processTestsUnavailable();
if (skipReason) console.warn(`discord-slack-processes: skipped: ${skipReason}`);

const ENV = { TICK_SECONDS: '1' };
const FORM = 'application/x-www-form-urlencoded';
const MEMBERS = ['bob', 'carol'] as const;

/** The meeting three hours from now, as `/meeting add` takes it in a UTC group: inside the 24-hour reminder lead. */
function soon(): { date: string; time: string } {
  const at = new Date(Math.ceil((Date.now() + 3 * 3_600_000) / 300_000) * 300_000);
  return { date: at.toISOString().slice(0, 10), time: at.toISOString().slice(11, 16) };
}

/**
 * Issue 15: a Discord-only and a Slack-only bot process (the real `adapters/main.ts`) on one PostgreSQL, each
 * against its loopback fake, with a group on each platform. Each group has a meeting coming up, a referral left
 * unaccepted for three days and a pairing round due; both processes tick every second. Every meeting reminder,
 * accountability reminder and pairing message reaches its own platform exactly once, and nothing of one group
 * reaches the other platform (before the one scheduler, each process claimed the other's meeting reminders and
 * could not deliver them).
 */
describe.skipIf(skipReason !== null)('a Discord-only and a Slack-only bot process on one database', () => {
  let pg: Awaited<ReturnType<typeof processDatabase>>;
  let slackFake: FakeSlack;
  let team: FakeTeam;
  let discordFake: FakeDiscord;
  let guild: FakeGuild;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    pg = await processDatabase();
    slackFake = await FakeSlack.start();
    team = slackFake.addTeam({ id: 'TPLATFORMS' });
    for (const u of ['UMOD', 'UBOB', 'UCAROL']) slackFake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
    discordFake = await FakeDiscord.start();
    guild = discordFake.addGuild('Discord chapter server', ['general']);
    // both start side by side: the database is migrated already (processDatabase)
    bots.push(
      ...(await Promise.all([
        BotProcess.start({ name: 'slack only', databaseUrl: pg.url, fake: slackFake, team, env: ENV }),
        BotProcess.start({ name: 'discord only', databaseUrl: pg.url, discord: discordFake, env: ENV }),
      ])),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await killAll(bots);
    await slackFake?.close();
    await discordFake?.close();
    await pg?.close();
  }, 30_000);

  it('delivers each platform’s meeting reminders, accountability reminders and pairing messages there, once', async () => {
    const [slackBot, discordBot] = bots as [BotProcess, BotProcess];
    const db = pg.database.db;

    const slack = async (user: string, text: string) => {
      const [name, ...rest] = text.split(' ');
      const c = slackBot.client.commandBody({
        team,
        user,
        userName: user.toLowerCase(),
        channel: 'CGROUP',
        command: `/${name}`,
        text: rest.join(' '),
      });
      const id = c.responseUrl.split('/').pop()!;
      expect((await slackBot.client.post(c.body, FORM)).status).toBe(200);
      await eventually(() => slackFake.calls.some((x) => x.kind === 'respond' && x.method === id), {
        on: slackFake.changed,
        timeoutMs: 30_000,
        what: `the answer to /${text} on Slack`,
        bots: [slackBot],
      });
    };
    const discord = new DiscordProcessClient(discordFake, guild, discordBot);
    const meeting = soon();

    // the same chapter on both platforms
    await slack('UMOD', 'setup name:"Slack chapter" type:peer timezone:UTC');
    await discord.slash('mod', 'setup', { name: 'Discord chapter', type: 'peer', timezone: 'UTC' });
    for (const [i, m] of MEMBERS.entries()) {
      const intro = { business: `${m} Ltd`, category: `trade ${i}`, pitch: 'Good work', ideal_referral: 'Anyone' };
      await slack(
        `U${m.toUpperCase()}`,
        `intro ${Object.entries(intro)
          .map(([k, v]) => `${k}:"${v}"`)
          .join(' ')}`,
      );
      await discord.slash(m, 'intro', intro);
    }
    // whatever the hour the test runs at, nothing waits for quiet hours
    for (const u of ['UMOD', 'UBOB', 'UCAROL']) await slack(u, 'me quiet_hours:00:00-00:00');
    for (const u of ['mod', ...MEMBERS]) await discord.slash(u, 'me', { quiet_hours: '00:00-00:00' });
    const refer = { prospect: 'Jane Doe', contact: 'jane@example.com', need: 'Books', temperature: 3, consent: true };
    await slack(
      'UBOB',
      `refer member:<@UCAROL|ucarol> prospect:"Jane Doe" contact:"jane@example.com" need:Books temperature:3 consent:yes`,
    );
    await discord.slash('bob', 'refer', { member: 'carol', ...refer });
    await slack('UMOD', 'pair setup name:Coffee cadence:weekly day:monday time:09:00');
    await discord.slash('mod', 'pair setup', { name: 'Coffee', cadence: 'weekly', day: 'monday', time: '09:00' });
    for (const m of MEMBERS) {
      await slack(`U${m.toUpperCase()}`, 'pair join');
      await discord.slash(m, 'pair join');
    }
    // everyone is in: the meeting is added, the referral is three days old, the round is due, and each group's
    // sweeps are brought forward to the next tick (they run each minute)
    await slack('UMOD', `meeting add title:"Chapter night" date:${meeting.date} time:${meeting.time}`);
    await discord.slash('mod', 'meeting add', { title: 'Chapter night', ...meeting });
    const ours = sql`(select id from communities where platform_ref in (${team.id}, ${guild.id}))`;
    const sweeps = sql`community_id in ${ours} and kind in ('meetings.sweep', 'referrals.accountability', 'pairing.due')`;
    // a group's sweeps are made by the first tick after its /setup: with commands answered this fast it may not have
    // come yet, and a sweep not made yet cannot be brought forward (it would wait for its minute)
    const made = async () =>
      rowsOf<{ kind: string }>(await db.execute(sql`select kind from schedules where ${sweeps}`));
    await eventually(async () => (await made()).length === 6, {
      timeoutMs: 30_000,
      what: "both groups' three sweeps to be made",
      bots,
      describe: made,
    });
    await db.execute(sql`update referrals set created_at = now() - interval '3 days', updated_at = now() - interval '3 days'
      where community_id in ${ours}`);
    await db.execute(sql`update pairing_programs set next_run_at = now() where community_id in ${ours}`);
    await db.execute(sql`update schedules set next_run_at = now() where ${sweeps}`);

    // what each platform shows: Slack's posts by conversation, Discord's messages by channel (a DM, or the
    // pair's private thread)
    const onSlack = (members: string[], text: string) => {
      const channel = slackFake.conversation(team.id, members);
      return slackFake
        .api('chat.postMessage', team.id)
        .filter((c) => c.args.channel === channel && String(c.args.text ?? '').includes(text)).length;
    };
    const discordText = (m: FakeMessage) => JSON.stringify([m.content, m.embeds]);
    const onDiscord = (where: (m: FakeMessage) => boolean, text: string) =>
      [...discordFake.messages.values()].filter((m) => where(m) && discordText(m).includes(text)).length;
    const dmOf = (name: string) => (m: FakeMessage) => m.channelId === discordFake.dmChannel(discord.user(name).id).id;
    const inThread = (m: FakeMessage) => discordFake.channels.get(m.channelId)?.parentId !== undefined;
    const expected = {
      slack: () => [
        ...MEMBERS.map((m) => onSlack([`U${m.toUpperCase()}`], 'Reminder: Slack chapter meets')),
        onSlack(['UCAROL'], 'Reminder: referral #1'),
        onSlack(['UBOB', 'UCAROL'], 'You are meeting for Coffee'),
      ],
      discord: () => [
        ...MEMBERS.map((m) => onDiscord(dmOf(m), 'Reminder: Discord chapter meets')),
        onDiscord(dmOf('carol'), 'Reminder: referral #1'),
        onDiscord(inThread, 'You are meeting for Coffee'),
      ],
    };
    const describe = () => ({ slack: expected.slack(), discord: expected.discord() });
    await eventually(() => [...expected.slack(), ...expected.discord()].every((n) => n > 0), {
      on: [slackFake.changed, discordFake.changed],
      timeoutMs: 90_000,
      what: 'every reminder and pairing message on its platform',
      bots,
      describe,
    });
    // and nothing left to send anywhere: no later send can add a copy. (Not only the rows due now: one being sent
    // has its lease's end as next attempt, and one paced a second later is due then; on a loaded machine either
    // may still be there when the last expected message is seen.)
    await eventually(
      async () => {
        const [left] = rowsOf<{ n: number }>(
          await db.execute(sql`select count(*)::int as n from outbox where community_id in ${ours}
            and status in ('pending', 'sending')`),
        );
        return Number(left!.n) === 0;
      },
      { timeoutMs: 30_000, what: 'both outboxes drained', bots },
    );
    expect(expected.slack()).toEqual([1, 1, 1, 1]);
    expect(expected.discord()).toEqual([1, 1, 1, 1]);
    // neither group's messages reached the other platform
    expect(onDiscord(() => true, 'Slack chapter')).toBe(0);
    expect(
      slackFake.api('chat.postMessage', team.id).filter((c) => String(c.args.text ?? '').includes('Discord chapter')),
    ).toEqual([]);
    // every message of both groups went out (none stuck with a process that cannot deliver it)
    const stuck = rowsOf<{ platform: string; status: string }>(
      await db.execute(sql`select o.platform, o.status from outbox o where o.community_id in ${ours}
        and o.status <> 'sent'`),
    );
    expect(stuck).toEqual([]);
    for (const b of bots) expect(b.leakedSecrets()).toEqual([]);
  }, 240_000);
});
