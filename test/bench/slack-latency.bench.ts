import { z } from 'zod';
import { startSlack } from '../../adapters/slack/slack-app.js';
import { commands } from '../../commands/index.js';
import { openDatabase } from '../../db/client.js';
import { systemClock } from '../../src/clock.js';
import { defineCommand } from '../../src/commands/define.js';
import { Registry } from '../../src/commands/registry.js';
import { Core } from '../../src/core.js';
import { silentLogger } from '../../src/logger.js';
import { seededRandom } from '../../src/random.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { emit, percentile } from './bench-output.js';

/**
 * Signed slash command → acknowledgement, and → the reply's post to response_url, through the real Bolt app and
 * the loopback fake: 500 requests, 50 in flight, for a no-op command (the baseline), a reading one (/help) and a
 * writing one (/setup by the group's moderator). Postgres when DATABASE_URL is set, else PGlite.
 */
const N = 500;
const CONCURRENCY = 50;
const SECRET = 'bench-secret';

const noop = defineCommand({
  name: 'noop',
  description: 'Does nothing (benchmark baseline)',
  access: 'anyone',
  options: z.object({}),
  run: async () => ({ text: 'ok' }),
});

const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, poolSize: 10 } : {});
const fake = await FakeSlack.start();
const team = fake.addTeam({ id: `TBENCH${Date.now().toString(36).toUpperCase()}`, name: 'Bench' });
const users = Array.from({ length: CONCURRENCY }, (_, i) => `U${String(i).padStart(8, '0')}`);
for (const u of users) fake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
const core = new Core({
  // the latency of one command, not the pacing: limits far above what it sends
  pacing: { slack: { perRoute: { limit: 1000, windowMs: 1000 } } },
  database,
  registry: new Registry([...commands, noop]),
  clock: systemClock,
  random: seededRandom(7),
  log: silentLogger,
});
const bot = await startSlack(
  core,
  { PORT: 0, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: team.botToken, SLACK_API_URL: fake.apiUrl },
  silentLogger,
  { retries: 1 },
);
const client = new SlackClient(fake, `http://127.0.0.1:${bot.httpPort}`, SECRET);
const channel = 'CBENCH0001';

interface Sample {
  ack: number;
  api: number;
}

async function load(command: string, text: string, userOf: (i: number) => string, n = N): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const user = userOf(i);
      const { body, responseUrl } = client.commandBody({
        team,
        user,
        userName: user.toLowerCase(),
        channel,
        command,
        text,
      });
      const id = responseUrl.split('/').pop()!;
      const t0 = Date.now();
      const res = await client.post(body, 'application/x-www-form-urlencoded');
      if (res.status !== 200) throw new Error(`${command}: status ${res.status}`);
      const call = await fake.waitFor(() => fake.calls.find((c) => c.kind === 'respond' && c.method === id), 30_000);
      samples.push({ ack: res.ms, api: call.at - t0 });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return samples;
}

/** The command's own time in the dispatcher (database included), one at a time: the allowance on top of 2× no-op. */
async function ownTime(name: string, options: Record<string, unknown>, user: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await core.dispatcher.dispatch(
      {
        platform: 'slack',
        community: { ref: team.id, name: team.name },
        channelRef: channel,
        actor: { platformUserId: user, displayName: user.toLowerCase() },
        input: { kind: 'command', name, options },
      },
      bot.port.capabilities,
    );
    times.push(performance.now() - started);
  }
  return percentile(times, 99);
}

try {
  const moderator = users[0]!;
  await load('/setup', 'name:"Bench Chapter"', () => moderator, 1);
  await load('/noop', '', (i) => users[i % users.length]!, 100); // warm-up: JIT, users.info cache, connections
  const runs = {
    noop: await load('/noop', '', (i) => users[i % users.length]!),
    help: await load('/help', '', (i) => users[i % users.length]!),
    setup: await load('/setup', 'description:"We meet weekly"', () => moderator),
  };
  const own = {
    noop: await ownTime('noop', {}, users[1]!),
    help: await ownTime('help', {}, users[1]!),
    setup: await ownTime('setup', { description: 'We meet weekly' }, moderator),
  };
  const base = runs.noop;
  const p = (s: Sample[], k: keyof Sample, q: number) =>
    percentile(
      s.map((x) => x[k]),
      q,
    );
  for (const [name, s] of Object.entries(runs) as [keyof typeof runs, Sample[]][]) {
    const kind = name === 'noop' ? 'no-op' : name === 'help' ? 'read' : 'write';
    for (const k of ['ack', 'api'] as const) {
      for (const q of [50, 99]) {
        emit({
          bench: 'slack-latency',
          metric: `${k}_p${q}`,
          command: `/${name}`,
          kind,
          value: p(s, k, q),
          baseline: p(base, k, q),
          unit: 'ms',
          n: s.length,
          concurrency: CONCURRENCY,
        });
      }
    }
    const allowance = 2 * p(base, 'api', 99) + own[name];
    emit({
      bench: 'slack-latency',
      metric: 'late_acks',
      command: `/${name}`,
      kind,
      value: s.filter((x) => x.ack > 3000).length,
      baseline: 0,
      ratio: null,
      target: '0 acks later than 3 s',
    });
    emit({
      bench: 'slack-latency',
      metric: 'api_p99_within_target',
      command: `/${name}`,
      kind,
      value: p(s, 'api', 99),
      baseline: allowance,
      unit: 'ms',
      own_p99_ms: Math.round(own[name] * 10) / 10,
      target: 'p99 ≤ 2× no-op p99 + own dispatch p99',
      met: p(s, 'api', 99) <= allowance,
    });
  }
} finally {
  await bot.stop();
  await fake.close();
  await database.close();
}
