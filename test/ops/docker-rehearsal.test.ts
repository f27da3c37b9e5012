import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeTeam } from '../fakes/slack/fake-slack.js';
import { BotProcess, killAll, processDatabase, processTestsUnavailable } from './bot-process.js';

/**
 * This machine has a Docker client but no engine, so the image cannot be built here. What can be checked without
 * one is checked: the Dockerfile's runtime stage is read as Docker reads it, and its command runs with its
 * environment as an unprivileged user, answers its own HEALTHCHECK and stops cleanly on its STOPSIGNAL; the code the
 * image copies needs only production dependencies.
 */
const root = path.resolve(import.meta.dirname, '../..');
const UNPRIVILEGED = { uid: 65534, gid: 65534 }; // nobody: the image's `node` user does not exist on this host

interface Stage {
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[];
  healthcheck: { options: string; cmd: string[] } | undefined;
  stopSignal: string | undefined;
  copied: string[];
}

/** The last stage of a Dockerfile: instructions joined across `\` continuations, comments dropped. */
function runtimeStage(text: string): Stage {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const from = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const stage: Stage = { env: {}, user: undefined, cmd: [], healthcheck: undefined, stopSignal: undefined, copied: [] };
  for (const line of lines.slice(from + 1)) {
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    switch (op?.toUpperCase()) {
      case 'ENV':
        for (const pair of rest!.split(/\s+/)) {
          const [k, ...v] = pair.split('=');
          stage.env[k!] = v.join('=');
        }
        break;
      case 'USER':
        stage.user = rest!.trim();
        break;
      case 'CMD':
        stage.cmd = JSON.parse(rest!);
        break;
      case 'HEALTHCHECK': {
        const at = rest!.indexOf('CMD ');
        stage.healthcheck = { options: rest!.slice(0, at).trim(), cmd: JSON.parse(rest!.slice(at + 4)) };
        break;
      }
      case 'STOPSIGNAL':
        stage.stopSignal = rest!.trim();
        break;
      case 'COPY':
        if (!rest!.startsWith('--from')) stage.copied.push(...rest!.split(/\s+/).slice(0, -1));
        break;
    }
  }
  return stage;
}

const stage = runtimeStage(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'));

it('the runtime stage runs unprivileged, without the shell, with a health check on /healthz and a SIGTERM stop', () => {
  expect(stage.user).toBeDefined();
  expect(['root', '0']).not.toContain(stage.user);
  expect(stage.env.ROUNDTABLE_SHELL).toBe('off');
  expect(stage.env.NODE_ENV).toBe('production');
  expect(stage.healthcheck?.cmd.join(' ')).toContain('/healthz');
  expect(stage.healthcheck?.options).toMatch(/--timeout=\d+s/);
  expect(stage.stopSignal).toBe('SIGTERM');
  expect(stage.cmd[0]).toBe('node');
});

it('the code the image copies imports only production dependencies and nothing it does not copy', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const dirs = stage.copied.filter((c) => fs.statSync(path.join(root, c)).isDirectory());
  expect(dirs.sort()).toEqual(['adapters', 'commands', 'db', 'src']);
  const problems: string[] = [];
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : /\.(ts|mjs|js)$/.test(e.name) ? [p] : [];
    });
  for (const file of dirs.flatMap((d) => walk(path.join(root, d)))) {
    const text = fs.readFileSync(file, 'utf8');
    // `from 'x'`, a side-effect `import 'x'` and a dynamic `import('x')`
    for (const [, spec] of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith('node:')) continue;
      if (spec!.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(file), spec!));
        if (!dirs.includes(target.split(path.sep)[0]!)) problems.push(`${path.relative(root, file)} → ${spec}`);
        continue;
      }
      const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
      if (!(name in pkg.dependencies)) problems.push(`${path.relative(root, file)} → ${name} (not a dependency)`);
    }
  }
  // and what the command line preloads (`node --import tsx …`)
  for (const [i, arg] of stage.cmd.entries()) {
    if (arg === '--import' && !(stage.cmd[i + 1]! in pkg.dependencies)) problems.push(`CMD → ${stage.cmd[i + 1]}`);
  }
  expect(problems).toEqual([]);
});

const skipReason = processTestsUnavailable();
describe.skipIf(skipReason !== null)('the image command, run as an unprivileged user', () => {
  let pg: Awaited<ReturnType<typeof processDatabase>>;
  let fake: FakeSlack;
  let team: FakeTeam;
  let bot: BotProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    pg = await processDatabase();
    fake = await FakeSlack.start();
    team = fake.addTeam({ id: 'TDOCKER' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-data-'));
    fs.chownSync(dataDir, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  }, 60_000);

  afterAll(async () => {
    await killAll([bot]);
    await fake?.close();
    await pg?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('serves, passes its HEALTHCHECK, and exits 0 on its STOPSIGNAL within 10 s', async () => {
    const port = await freePort();
    const env = { ...stage.env, DATA_DIR: dataDir, PORT: String(port) };
    bot = await BotProcess.start({
      name: 'image command',
      databaseUrl: pg.url,
      fake,
      team,
      env,
      argv: stage.cmd,
      user: UNPRIVILEGED,
    });
    const status = fs.readFileSync(`/proc/${bot.child.pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(UNPRIVILEGED.uid));

    const check = await run(stage.healthcheck!.cmd, { PORT: String(port), PATH: process.env.PATH! });
    expect(check).toBe(0);

    const started = Date.now();
    bot.child.kill(stage.stopSignal as NodeJS.Signals);
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // and the health check now fails, as Docker would see it
    expect(await run(stage.healthcheck!.cmd, { PORT: String(port), PATH: process.env.PATH! })).toBe(1);
    expect(bot.leakedSecrets()).toEqual([]);
  }, 90_000);
});

function run(argv: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0]!, argv.slice(1), { env, stdio: 'ignore', ...UNPRIVILEGED });
    p.once('error', reject);
    p.once('exit', (code) => resolve(code));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
