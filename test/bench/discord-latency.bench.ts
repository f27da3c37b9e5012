import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { openDatabase } from '../../db/client.js';
import { type CommandDefinition, defineCommand } from '../../src/commands/define.js';
import { DiscordHarness } from '../fakes/discord/harness.js';
import { emit, percentile } from './bench-output.js';

/**
 * Interaction → first callback latency through the real discord.js client against the loopback fake: 500
 * interactions, 50 in flight, for a no-op command (the baseline: gateway, client, dispatcher transaction and
 * callback), /profile (reads a card) and /setup (writes the group), all in one run on embedded PGlite.
 */
const TOTAL = Number(process.env.BENCH_INTERACTIONS ?? 500);
const CONCURRENCY = 50;

const noop = defineCommand({
  name: 'noop',
  description: 'Does nothing',
  access: 'anyone',
  options: z.object({}),
  async run() {
    return { text: 'ok' };
  },
});

async function measure(
  h: DiscordHarness,
  user: string,
  name: string,
  options: (i: number) => Record<string, unknown>,
  total = TOTAL,
) {
  // PGlite runs in this thread: a long stall would block the defer timer too, so it is reported with the figures.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const ids: string[] = [];
  const sentAt = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const id = h.fake.ids.next();
      ids.push(id);
      sentAt.set(id, performance.now());
      await h.slash(user, name, options(i), { id });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wall = performance.now() - started;
  loop.disable();
  const answeredAt = new Map<string, number>();
  for (const c of h.fake.calls) {
    const m = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(c.path);
    if (m && sentAt.has(m[1]!) && !answeredAt.has(m[1]!)) answeredAt.set(m[1]!, c.at);
  }
  const latencies = ids.map((id) => (answeredAt.get(id) ?? Number.POSITIVE_INFINITY) - sentAt.get(id)!);
  const deferred = ids.filter((id) => h.fake.interactions.get(id)!.callbacks[0] === 5).length;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    late: latencies.filter((l) => l > 3000).length,
    deferred,
    perSecond: total / (wall / 1000),
    loopMaxMs: loop.max / 1e6,
  };
}

async function main(): Promise<void> {
  const database = await openDatabase({});
  const h = await DiscordHarness.start(database, {
    commands: [...commands, noop] as CommandDefinition[],
    settleTimeoutMs: 60_000,
  });
  try {
    await h.slash('alice', 'setup', { name: 'Bench Chapter', type: 'peer' });
    await h.slash('alice', 'intro', {
      business: 'Alice Accounts',
      category: 'accountant',
      pitch: 'Books kept tidy every month',
      ideal_referral: 'Small shops with messy receipts',
    });
    // Warm up the client, the JIT and the database before measuring.
    for (let i = 0; i < 50; i++) await h.slash('alice', 'noop');
    // The first concurrent burst pays one-off costs (PGlite memory growth, lazy code paths): measured, not reported.
    await measure(h, 'bob', 'noop', () => ({}), 200);
    const base = await measure(h, 'bob', 'noop', () => ({}));
    const read = await measure(h, 'bob', 'profile', () => ({ member: 'alice' }));
    const write = await measure(h, 'alice', 'setup', (i) => ({ place: `Room ${i}` }));
    const line = (command: string, r: typeof base, kind: string) => {
      for (const [metric, value, baseline] of [
        ['p50_ms', r.p50, base.p50],
        ['p99_ms', r.p99, base.p99],
      ] as const) {
        emit({
          bench: 'discord-latency',
          metric: `${command} ${metric}`,
          value,
          baseline: command === 'noop' ? null : baseline,
          unit: 'ms',
          kind,
          interactions: TOTAL,
          concurrency: CONCURRENCY,
          late_over_3s: r.late,
          deferred: r.deferred,
          per_second: Math.round(r.perSecond),
          event_loop_max_ms: Math.round(r.loopMaxMs),
          ...(metric === 'p99_ms' && command !== 'noop' ? { target: 'p99 <= 2x noop p99 + own db time; 0 late' } : {}),
        });
      }
    };
    line('noop', base, 'baseline');
    line('profile', read, 'read');
    line('setup', write, 'write');
  } finally {
    await h.close();
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
