import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSlack } from '../../adapters/slack/slack-app.js';
import { commands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Core } from '../../src/core.js';
import { silentLogger } from '../../src/logger.js';
import { seededRandom } from '../../src/random.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { openTestDatabase } from '../support/test-database.js';
import { emit, percentile } from './bench-output.js';

/**
 * Issue 15, every message through the outbox:
 * - `/refer` (its DM to the receiver now an outbox row of the command's transaction, sent right after the commit)
 *   against the same `/refer` on the code before the change (`BENCH_BASELINE_REF`, default the commit before it),
 *   each in its own process, alternated: p50 and p95 ratio ≤ 1.15;
 * - commit → DM delivered through the real Bolt app and the fake Slack with an idle outbox: p99 < 1 s.
 * PostgreSQL when DATABASE_URL is set, else PGlite.
 */
const root = path.resolve(import.meta.dirname, '../..');
const N = Number(process.env.BENCH_REFERS ?? 200);
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? '0dd8e9c';
const RECEIVERS = 40;

function baselineTree(): string {
  const dir = `/tmp/roundtable-baseline-${BASELINE_REF}`;
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', root, 'archive', BASELINE_REF], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return dir;
}

function referRun(tree: string): number[] {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/bench/refer-path-worker.ts'), tree, String(N)],
    { cwd: tree, env: process.env, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`refer worker in ${tree} failed: ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { samples: number[] }).samples;
}

async function referRatio(): Promise<void> {
  const old = baselineTree();
  const now: number[] = [];
  const before: number[] = [];
  // alternated, so both sides meet the same machine load
  for (let round = 0; round < 2; round++) {
    before.push(...referRun(old));
    now.push(...referRun(root));
  }
  for (const q of [50, 95]) {
    emit({
      bench: 'outbox',
      metric: `refer_p${q}_ms`,
      value: percentile(now, q),
      baseline: percentile(before, q),
      target: 'ratio ≤ 1.15',
      unit: 'ms',
      n: now.length,
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

await commitToDm();
await referRatio();
