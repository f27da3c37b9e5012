import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startSlack } from '../../adapters/slack/slack-app.js';
import { openDatabase } from '../../db/client.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { startTicker } from '../../src/ticker.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { groupWithMembers, opsCore } from '../ops/ops-support.js';
import { openTestDatabase } from '../support/test-database.js';
import { emit } from './bench-output.js';
import { benchDatabaseKinds } from './bench-support.js';

/**
 * Issue 10's figures. (1) Throughput of a writing command (/ask) with one replica and with two, each replica a
 * separate process with its own pool, against one PostgreSQL: the ratio is what scaling out buys on this machine.
 * (2) A soak at 20 commands/s through Bolt and the fake Slack for SOAK_SECONDS (default 120; the issue's 30 minutes
 * is SOAK_SECONDS=1800): resident memory growth after warm-up, event-loop delay p99, idle RSS.
 */
const REPLICA_MS = Number(process.env.REPLICA_SECONDS ?? 10) * 1000;
const LANES = 8;
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const RATE = 20;
const worker = path.join(path.dirname(new URL(import.meta.url).pathname), 'ops-replica-worker.ts');

/** The machine's CPU counters (/proc/stat): busySince() is the busy fraction of all cores since this reading. */
function machineCpu(): { busySince(earlier: { idle: number; total: number }): number; idle: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + fields[4]!; // idle + iowait
  const total = fields.reduce((a, b) => a + b, 0);
  return {
    idle,
    total,
    busySince: (e) => Math.round((1 - (idle - e.idle) / (total - e.total)) * 100) / 100,
  };
}

function runReplica(url: string, ref: string, members: string[]): Promise<{ ok: number; failed: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', worker, url, ref, String(REPLICA_MS), String(LANES), members.join(',')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`replica exited ${code}`))));
  });
}

async function replicas(): Promise<void> {
  const kinds = await benchDatabaseKinds();
  if (!kinds.includes('postgres')) {
    process.stderr.write('ops.bench: no PostgreSQL: replica throughput skipped\n');
    return;
  }
  const db = (await openTestDatabase('postgres')) as Awaited<ReturnType<typeof openTestDatabase>> & { url: string };
  try {
    const members = Array.from({ length: LANES }, (_, i) => `UM${i}`);
    const c = await groupWithMembers(opsCore(db), members);
    let cpu = machineCpu();
    const one = await runReplica(db.url, c.ref, members);
    const busyOne = machineCpu().busySince(cpu);
    cpu = machineCpu();
    const two = await Promise.all([runReplica(db.url, c.ref, members), runReplica(db.url, c.ref, members)]);
    const busyTwo = machineCpu().busySince(cpu);
    const perSecond = (n: number) => n / (REPLICA_MS / 1000);
    const single = perSecond(one.ok);
    const double = perSecond(two[0].ok + two[1].ok);
    emit({
      bench: 'ops',
      metric: 'ask_throughput_two_replicas',
      value: double,
      baseline: single,
      unit: 'commands/s',
      target: 'ratio >= 1.7',
      failed: one.failed + two[0].failed + two[1].failed,
      lanesPerReplica: LANES,
      seconds: REPLICA_MS / 1000,
      // Replicas, PostgreSQL and the driver share this machine's cores: the ratio means little on a loaded box.
      cpus: os.cpus().length,
      // How busy the whole machine was (all cores, 0–1) while one replica ran, and while two did: a machine already
      // near 1 with one replica has no room for a second to add throughput.
      machineBusyOneReplica: busyOne,
      machineBusyTwoReplicas: busyTwo,
      loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    });
  } finally {
    await db.close();
  }
}

/** A fixed-offset zone where it is now early afternoon, so members' quiet hours never hold the soak's DMs back. */
function daytimeZone(): string {
  const offset = 13 - new Date().getUTCHours(); // -10 … +13
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

async function soak(): Promise<void> {
  const kinds = await benchDatabaseKinds();
  const database = kinds.includes('postgres')
    ? await openTestDatabase('postgres', { poolSize: 10 })
    : await openDatabase({});
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ id: 'TSOAK' });
  const users = Array.from({ length: 20 }, (_, i) => `US${i}`);
  for (const u of [...users, 'UMOD']) fake.addUser({ id: u, name: u.toLowerCase(), teamId: team.id });
  // Nudges run on the real clock through the production ticker, so the soak carries scheduled fan-out too.
  const core = opsCore(database, { clock: systemClock });
  const bot = await startSlack(
    core,
    { PORT: 0, SLACK_SIGNING_SECRET: 'soak', SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: team.botToken },
    silentLogger,
    { retries: 1, timeoutMs: 3000 },
  );
  const client = new SlackClient(fake, `http://127.0.0.1:${bot.httpPort}`, 'soak');
  const send = (user: string, command: string, text: string) =>
    client.command({ team, user, userName: user.toLowerCase(), channel: 'CGROUP', command, text });
  await send('UMOD', '/setup', `name:"Soak Club" timezone:${daytimeZone()}`);
  await bot.settled();
  for (const [i, u] of users.entries()) {
    await send(u, '/intro', `business:"${u} Ltd" category:"trade ${i}" pitch:"Good" ideal_referral:"Anyone"`);
  }
  await bot.settled();
  // an announcement to every member each minute: 20 DMs a minute through the outbox, besides the ticker's sweeps
  await send('UMOD', '/nudge', 'create schedule:"* * * * *" message:"Soak nudge: who will you invite?" to:everyone');
  await bot.settled();
  const ticker = startTicker(core, [bot.port]);
  let nudgesDelivered = 0;

  const loop = monitorEventLoopDelay({ resolution: 10 });
  const rss: { t: number; mb: number }[] = [];
  // live heap after a full collection, every 30 s: what a leak grows (RSS also holds freed pages V8 keeps)
  const heap: { t: number; mb: number }[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const warmup = Math.max(10, SOAK_SECONDS * 0.2);
  const started = performance.now();
  let sent = 0;
  let errors = 0;
  const sampler = setInterval(() => {
    const t = (performance.now() - started) / 1000;
    rss.push({ t, mb: process.memoryUsage().rss / 2 ** 20 });
    if (gc && rss.length % 30 === 0) {
      gc();
      heap.push({ t, mb: process.memoryUsage().heapUsed / 2 ** 20 });
    }
    nudgesDelivered += fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && String(c.args.text ?? '').includes('Soak nudge'),
    ).length;
    // The fake keeps every call for tests; a soak must not measure the fake's memory.
    fake.calls.length = 0;
    fake.responseTargets.clear();
  }, 1000);
  loop.enable();
  const commands = ['/ask', '/help', '/asks', '/profile'];
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      if (performance.now() - started >= SOAK_SECONDS * 1000) {
        clearInterval(tick);
        resolve();
        return;
      }
      const cmd = commands[sent % commands.length]!;
      const user = users[sent % users.length]!;
      sent++;
      send(user, cmd, cmd === '/ask' ? `"soak ask ${sent}"` : '').then(
        (d) => {
          if (d.status !== 200) errors++;
        },
        () => errors++,
      );
    }, 1000 / RATE);
  });
  await bot.settled();
  await ticker.stop();
  loop.disable();
  clearInterval(sampler);
  const afterWarmup = rss.filter((s) => s.t >= warmup);
  const first = afterWarmup.slice(0, 5).reduce((a, s) => a + s.mb, 0) / Math.min(5, afterWarmup.length);
  const last = afterWarmup.slice(-5).reduce((a, s) => a + s.mb, 0) / Math.min(5, afterWarmup.length);
  emit({
    bench: 'ops',
    metric: 'soak_rss_growth_after_warmup',
    value: (last - first) / first,
    baseline: null,
    unit: 'fraction',
    target: '< 0.10',
    rssAfterWarmupMb: Math.round(first),
    rssEndMb: Math.round(last),
    seconds: SOAK_SECONDS,
    commandsPerSecond: RATE,
    sent,
    errors,
    nudgesDelivered,
    database: database.kind,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  });
  const heapAfterWarmup = heap.filter((s) => s.t >= warmup);
  if (heapAfterWarmup.length >= 2) {
    const h0 = heapAfterWarmup[0]!.mb;
    const h1 = heapAfterWarmup.at(-1)!.mb;
    emit({
      bench: 'ops',
      metric: 'soak_heap_after_gc_growth_after_warmup',
      value: (h1 - h0) / h0,
      baseline: null,
      unit: 'fraction',
      heapAfterWarmupMb: Math.round(h0),
      heapEndMb: Math.round(h1),
      samples: heapAfterWarmup.map((s) => Math.round(s.mb)),
    });
  }
  emit({
    bench: 'ops',
    metric: 'soak_event_loop_delay_p99',
    value: loop.percentile(99) / 1e6,
    baseline: null,
    unit: 'ms',
    target: '< 50',
    maxMs: Math.round(loop.max / 1e6),
  });
  await new Promise((r) => setTimeout(r, 5000));
  (globalThis as { gc?: () => void }).gc?.();
  emit({
    bench: 'ops',
    metric: 'idle_rss',
    value: process.memoryUsage().rss / 2 ** 20,
    baseline: null,
    unit: 'MiB',
    note: 'bot, fake Slack and benchmark driver in one process',
  });
  await bot.stop();
  await fake.close();
  await database.close();
}

// BENCH_PARTS=replicas,soak runs some of them (both by default)
const parts = (process.env.BENCH_PARTS ?? 'replicas,soak').split(',');
if (parts.includes('replicas')) await replicas();
if (parts.includes('soak')) await soak();
