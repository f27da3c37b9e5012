import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startSlack } from '../../adapters/slack/slack-app.js';
import { commands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Core } from '../../src/core.js';
import { silentLogger } from '../../src/logger.js';
import { seededRandom } from '../../src/random.js';
import { DiscordHarness } from '../fakes/discord/harness.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { openTestDatabase } from '../support/test-database.js';
import { BASELINE_REF, baselineTree } from './baseline-tree.js';
import { emit, percentile } from './bench-output.js';

/**
 * Issue 15, every message through the outbox:
 * - `/refer` (its DM to the receiver now an outbox row of the command's transaction, sent right after the commit)
 *   against the same `/refer` on the code before the change (`BENCH_BASELINE_REF`, default the commit before it),
 *   each tree in its own process, alternated command by command: p50 and p95 ratio ≤ 1.15;
 * - commit → DM delivered with an idle outbox, through the real Bolt app and the fake Slack, and through the real
 *   discord.js client and the fake Discord: p99 < 1 s (measured from the command's arrival, an upper bound).
 * `BENCH_ONLY=slack|discord|refer` runs one part.
 * PostgreSQL when DATABASE_URL is set, else PGlite.
 */
const root = path.resolve(import.meta.dirname, '../..');
const N = Number(process.env.BENCH_REFERS ?? 200);
const RECEIVERS = 40;
/** A worker process on one code tree, answering one timed /refer per request. */
async function referWorker(tree: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/bench/refer-path-worker.ts'), tree], {
    cwd: tree,
    env: process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(`refer worker in ${tree} stopped`);
    return r.value;
  };
  if ((await next()) !== 'ready') throw new Error(`refer worker in ${tree} did not start`);
  return {
    async refer(): Promise<number> {
      child.stdin!.write('go\n');
      return Number(await next());
    },
    stop: () => {
      child.stdin!.end();
      return new Promise((r) => child.once('exit', r));
    },
  };
}

async function referRatio(): Promise<void> {
  const [before, now] = [await referWorker(baselineTree(root)), await referWorker(root)];
  const samples = { before: [] as number[], now: [] as number[] };
  try {
    // alternated command by command (which goes first alternates too), so both meet the same machine load
    for (let i = 0; i < N + 20; i++) {
      const order =
        i % 2
          ? ([
              ['now', now],
              ['before', before],
            ] as const)
          : ([
              ['before', before],
              ['now', now],
            ] as const);
      for (const [side, w] of order) {
        const ms = await w.refer();
        if (i >= 20) samples[side].push(ms); // the first 20 warm up JIT and connections
      }
    }
  } finally {
    await Promise.all([before.stop(), now.stop()]);
  }
  for (const q of [50, 95]) {
    emit({
      bench: 'outbox',
      metric: `refer_p${q}_ms`,
      value: percentile(samples.now, q),
      baseline: percentile(samples.before, q),
      target: 'ratio ≤ 1.15',
      unit: 'ms',
      n: samples.now.length,
      baselineRef: BASELINE_REF,
      db: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  }
}

async function commitToDm(): Promise<void> {
  const database = await openTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite', { poolSize: 10 });
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ id: `TOUTBOX${Date.now().toString(36).toUpperCase()}`, name: 'Bench' });
  // receivers in turn: Slack takes about one message a second per channel, which the pacer keeps to, so a DM to the
  // same member right after the last would wait for the channel, not for the outbox
  const receivers = Array.from({ length: RECEIVERS }, (_, i) => `UR${String(i).padStart(3, '0')}`);
  for (const u of ['UMOD', 'UBOB', ...receivers]) fake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
  const core = new Core({
    database,
    registry: new Registry(commands),
    clock: systemClock,
    random: seededRandom(7),
    log: silentLogger,
  });
  const bot = await startSlack(
    core,
    { PORT: 0, SLACK_SIGNING_SECRET: 'bench', SLACK_BOT_TOKEN: team.botToken, SLACK_API_URL: fake.apiUrl },
    silentLogger,
    { retries: 1 },
  );
  const client = new SlackClient(fake, `http://127.0.0.1:${bot.httpPort}`, 'bench');
  const send = async (user: string, command: string, text: string) => {
    const c = client.commandBody({ team, user, userName: user.toLowerCase(), channel: 'CGROUP', command, text });
    const id = c.responseUrl.split('/').pop()!;
    const res = await client.post(c.body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) throw new Error(`${command}: ${res.status}`);
    await fake.waitFor(() => fake.calls.find((x) => x.kind === 'respond' && x.method === id), 30_000);
  };
  try {
    await send('UMOD', '/setup', 'name:"Bench" type:peer timezone:UTC');
    await send('UBOB', '/intro', 'business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"');
    for (const [i, u] of receivers.entries()) {
      await send(u, '/intro', `business:"${u} Ltd" category:"trade ${i}" pitch:"Good work" ideal_referral:"Anyone"`);
      await send(u, '/me', 'quiet_hours:00:00-00:00');
    }
    const delivered: number[] = [];
    for (let i = 0; i < N + 20; i++) {
      const receiver = receivers[i % receivers.length]!;
      const dm = fake.conversation(team.id, [receiver]);
      const seen = fake.api('chat.postMessage', team.id).filter((c) => c.args.channel === dm).length;
      const c = client.commandBody({
        team,
        user: 'UBOB',
        userName: 'ubob',
        channel: 'CGROUP',
        command: '/refer',
        text: `member:<@${receiver}|${receiver.toLowerCase()}> prospect:"P ${i}" contact:"p${i}@example.com" need:"Books" temperature:3 consent:yes`,
      });
      const t0 = Date.now();
      const res = await client.post(c.body, 'application/x-www-form-urlencoded');
      if (res.status !== 200) throw new Error(`/refer: ${res.status}`);
      const call = await fake.waitFor(
        () => fake.api('chat.postMessage', team.id).filter((x) => x.args.channel === dm)[seen],
        30_000,
      );
      // from the command's arrival (before its commit) to the DM reaching Slack: an upper bound of commit → DM
      if (i >= 20) delivered.push(call.at - t0);
    }
    emit({
      bench: 'outbox',
      metric: 'commit_to_dm_p99_ms',
      platform: 'slack',
      value: percentile(delivered, 99),
      baseline: null,
      target: '< 1000',
      unit: 'ms',
      p50: percentile(delivered, 50),
      max: Math.max(...delivered),
      n: delivered.length,
      db: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  } finally {
    await bot.stop();
    await fake.close();
    await database.close();
  }
}

/** The same through the real discord.js client and the fake Discord (gateway interaction → DM created). */
async function commitToDmDiscord(): Promise<void> {
  const database = await openTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite', { poolSize: 10 });
  const h = await DiscordHarness.start(database);
  try {
    const receivers = Array.from({ length: RECEIVERS }, (_, i) => `r${i}`);
    await h.slash('mod', 'setup', { name: 'Bench', type: 'peer', timezone: 'UTC' }, { permissions: '8' });
    for (const [i, u] of ['bob', ...receivers].entries()) {
      await h.slash(u, 'intro', { business: `${u} Ltd`, category: `trade ${i}`, pitch: 'Good', ideal_referral: 'Any' });
      await h.slash(u, 'me', { quiet_hours: '00:00-00:00' });
    }
    const dms = () => [...h.fake.messages.values()].filter((m) => m.content.includes('passed you a referral')).length;
    const delivered: number[] = [];
    for (let i = 0; i < N + 20; i++) {
      const seen = dms();
      const t0 = Date.now();
      void h.slash('bob', 'refer', {
        member: receivers[i % receivers.length]!,
        prospect: `P ${i}`,
        contact: `p${i}@example.com`,
        need: 'Books',
        temperature: 3,
        consent: 'yes',
      });
      for (const until = Date.now() + 30_000; dms() === seen; ) {
        if (Date.now() > until) throw new Error('the /refer DM did not arrive');
        await new Promise((r) => setTimeout(r, 2));
      }
      if (i >= 20) delivered.push(Date.now() - t0);
    }
    emit({
      bench: 'outbox',
      metric: 'commit_to_dm_p99_ms',
      platform: 'discord',
      value: percentile(delivered, 99),
      baseline: null,
      target: '< 1000',
      unit: 'ms',
      p50: percentile(delivered, 50),
      max: Math.max(...delivered),
      n: delivered.length,
      db: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  } finally {
    await h.close();
    await database.close();
  }
}

const only = process.env.BENCH_ONLY;
if (!only || only === 'slack') await commitToDm();
if (!only || only === 'discord') await commitToDmDiscord();
if (!only || only === 'refer') await referRatio();
