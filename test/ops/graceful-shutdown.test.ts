import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { Changes, eventually, onEvents } from '../support/eventually.js';

const root = path.resolve(import.meta.dirname, '../..');
const SECRET = 'shutdown-signing-secret';

let child: ChildProcess | undefined;
let fake: FakeSlack | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The real entry point in a child process, Slack over HTTP against the fake, on PGlite in a temp directory. */
async function startBot(fakeSlack: FakeSlack, botToken: string) {
  dataDir = mkdtempSync(path.join(tmpdir(), 'rt-shutdown-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fakeSlack.apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const logs: Record<string, unknown>[] = [];
  /** Told of each log line. */
  const logged = new Changes();
  let buffered = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) {
      try {
        logs.push(JSON.parse(l));
      } catch {
        logs.push({ msg: l });
      }
      logged.notify();
    }
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    proc.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  /** The first line logged with this message, once there is one (an exit before it fails the wait). */
  const untilLogged = (msg: string, timeoutMs = 10_000) =>
    eventually(
      () => {
        const line = logs.find((l) => l.msg === msg);
        if (line || (proc.exitCode === null && proc.signalCode === null)) return line;
        throw new Error(
          `bot exited (${proc.exitCode ?? proc.signalCode}) before logging '${msg}': ${JSON.stringify(logs)}`,
        );
      },
      {
        on: [logged.signal, onEvents(proc, 'exit')],
        timeoutMs,
        what: `the bot to log '${msg}'`,
        describe: () => logs,
      },
    );
  const port = (await untilLogged('slack adapter started', 40_000)).port as number;
  return { proc, logs, exited, port, untilLogged };
}

it('on SIGTERM: readiness turns off, in-flight answers are delivered, new work is told to retry, exit 0 within 10 s', async () => {
  fake = await FakeSlack.start();
  const team = fake.addTeam({ id: 'TSHUTDOWN' });
  fake.addUser({ id: 'UANN', name: 'ann', teamId: team.id });
  const bot = await startBot(fake, team.botToken);
  const base = `http://127.0.0.1:${bot.port}`;

  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({
    ready: true,
    checks: { database: { ok: true }, migrations: { ok: true } },
  });

  const client = new SlackClient(fake, base, SECRET);
  const help = (text = '') =>
    client.command({ team, user: 'UANN', userName: 'ann', channel: 'CGEN', command: '/help', text });
  // The first answer hangs at Slack for 2 s: it is in flight when the signal arrives.
  fake.stall('respond', 2_000);
  expect((await help()).status).toBe(200);
  // the fake records the answer as it starts holding it
  await eventually(() => fake!.calls.some((c) => c.kind === 'api' && c.method === 'respond' && c.args.stalledMs), {
    on: fake.changed,
    what: 'the first answer to reach Slack and be held there',
  });
  const signalled = Date.now();
  bot.proc.kill('SIGTERM');
  // the bot logs the signal as it starts draining: wait for that, not for a guessed time
  await bot.untilLogged('signal received');

  // Still serving while it drains: probes say "not ready", a new command is acknowledged and told to retry.
  expect((await fetch(`${base}/readyz`)).status).toBe(503);
  expect((await help()).status).toBe(200);

  const { code, at } = await bot.exited;
  expect(code).toBe(0);
  expect(at - signalled).toBeLessThan(10_000);
  const responds = fake.calls.filter((c) => c.kind === 'respond');
  expect(responds).toHaveLength(2);
  const texts = responds.map((r) => String(r.args.text));
  expect(texts.some((t) => /restarting/.test(t))).toBe(true);
  expect(texts.some((t) => /\/help|commands/i.test(t) && !/restarting/.test(t))).toBe(true);
  expect(bot.logs.some((l) => l.msg === 'stopped')).toBe(true);
  // Logs never carry the bot token or the signing secret.
  const raw = JSON.stringify(bot.logs);
  expect(raw).not.toContain(team.botToken);
  expect(raw).not.toContain(SECRET);
}, 60_000);

it('refuses to start with no platform configured when ROUNDTABLE_SHELL=off', async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, ROUNDTABLE_SHELL: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((r) => proc.on('exit', r));
  expect(code).toBe(2);
  expect(err).toContain('no platform is configured');
}, 30_000);
