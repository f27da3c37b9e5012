import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type Database, openDatabase } from '../../db/client.js';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { FakeSlack, FakeTeam } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { ThrowawayPostgres } from '../support/throwaway-postgres.js';
import { sharedPostgres } from './replica-support.js';

/**
 * The real bot in child processes, as `npm start` runs it (`node --import tsx adapters/main.ts`), Slack over HTTP
 * against a FakeSlack of the test's (or Discord only, against a FakeDiscord), on one PostgreSQL. Nothing in the child is replaced: what these tests see is
 * what a deployment does when a replica is killed or runs beside another.
 */

const root = path.resolve(import.meta.dirname, '../..');
export const BOT_SIGNING_SECRET = 'bot-process-signing-secret';

/** Why process tests cannot run here (no DATABASE_URL and no throwaway cluster possible), or null. */
export function processTestsUnavailable(): string | null {
  return process.env.DATABASE_URL ? null : ThrowawayPostgres.unavailable();
}

/** A fresh database the children share (on DATABASE_URL's server, else a throwaway cluster), open for the test too. */
export async function processDatabase(): Promise<{ url: string; database: Database; close(): Promise<void> }> {
  const pg = await sharedPostgres();
  // migrated here, once: children starting side by side then find nothing to apply
  const database = await openDatabase({ url: pg.url, poolSize: 3 });
  return {
    url: pg.url,
    database,
    async close() {
      await database.close();
      await pg.close();
    },
  };
}

interface CommonOptions {
  /** Shown in failure messages ("first", "replica b"). */
  name: string;
  databaseUrl: string;
  /** More environment: TICK_SECONDS, DELIVERY_LEASE_SECONDS … */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** The command line (default: what `npm start` runs); `node` is found on PATH. */
  argv?: readonly string[];
  /** Run as this user (the tests run as root; an image runs unprivileged). */
  user?: { uid: number; gid: number };
}

/** Slack over HTTP against a FakeSlack's team, or Discord only against a FakeDiscord. */
export type BotProcessOptions = CommonOptions &
  (
    | { fake: FakeSlack; team: FakeTeam; discord?: undefined }
    | { discord: FakeDiscord; fake?: undefined; team?: undefined }
  );

type LogLine = Record<string, unknown>;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** One bot process: its logs (parsed JSON lines), its HTTP receiver, and ways to stop or kill it. */
export class BotProcess {
  readonly logs: LogLine[] = [];
  private readonly raw: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port = 0;
  /** Signs requests to its Slack receiver (a Slack bot only). */
  client!: SlackClient;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    /** Tokens and secrets that must never appear in the output. */
    private readonly secrets: readonly string[],
  ) {
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) this.line(line);
      });
      stream.on('end', () => buffered && this.line(buffered));
    }
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      }),
    );
  }

  /** Spawns the bot and resolves once its /readyz answers 200 (database, migrations, Slack all up). */
  static async start(o: BotProcessOptions): Promise<BotProcess> {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // a test worker that dies must not leave bots running against the shared database
      process.once('exit', () => {
        for (const c of live) c.kill('SIGKILL');
      });
    }
    const [command, ...args] = o.argv ?? [process.execPath, '--import', 'tsx', 'adapters/main.ts'];
    const child = spawn(command!, args, {
      cwd: root,
      ...(o.user ?? {}),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: o.databaseUrl,
        ...(o.discord
          ? {
              DISCORD_TOKEN: o.discord.token,
              DISCORD_APPLICATION_ID: o.discord.applicationId,
              DISCORD_API_URL: o.discord.apiUrl,
            }
          : {
              SLACK_BOT_TOKEN: o.team.botToken,
              SLACK_SIGNING_SECRET: BOT_SIGNING_SECRET,
              SLACK_API_URL: o.fake.apiUrl,
            }),
        PORT: '0',
        ROUNDTABLE_SHELL: 'off',
        LOG_LEVEL: 'info',
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const bot = new BotProcess(o.name, child, o.discord ? [o.discord.token] : [o.team.botToken, BOT_SIGNING_SECRET]);
    try {
      await bot.untilReady(o.readyTimeoutMs ?? 60_000);
    } catch (err) {
      await bot.kill();
      throw err;
    }
    if (o.fake) bot.client = new SlackClient(o.fake, `http://127.0.0.1:${bot.port}`, BOT_SIGNING_SECRET);
    return bot;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * SIGKILL, sent synchronously: when this returns the process can run no more code, so a fake calling it before
   * answering a request knows the bot never saw the answer.
   */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it has not exited within `ms`. */
  async stop(ms = 12_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.killNow(), ms);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last lines the process wrote, for failure messages. */
  tail(n = 30): string {
    return `--- ${this.name} (pid ${this.child.pid}), last ${n} lines ---\n${this.raw.slice(-n).join('\n')}`;
  }

  /** Log lines with this message. */
  logged(msg: string): LogLine[] {
    return this.logs.filter((l) => l.msg === msg);
  }

  /** Secrets found in the output: the bot token or the signing secret must never be logged. */
  leakedSecrets(): string[] {
    const all = this.raw.join('\n');
    return this.secrets.filter((s) => all.includes(s));
  }

  private line(line: string): void {
    if (!line) return;
    this.raw.push(line);
    try {
      this.logs.push(JSON.parse(line) as LogLine);
    } catch {
      this.logs.push({ msg: line });
    }
  }

  private async untilReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    const fail = (why: string) => new Error(`${this.name} did not become ready: ${why}\n${this.tail()}`);
    for (;;) {
      if (!this.running) throw fail(`exited (${this.child.exitCode ?? this.child.signalCode})`);
      if (Date.now() > until) throw fail(`not ready within ${timeoutMs} ms`);
      if (!this.port) {
        // Slack over HTTP serves the ops endpoints on its receiver; Discord alone on a server of their own
        const started = this.logged('slack adapter started')[0] ?? this.logged('ops endpoints listening')[0];
        if (typeof started?.port === 'number' && started.port > 0) this.port = started.port;
      }
      if (this.port) {
        const ready = await fetch(`http://127.0.0.1:${this.port}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ready) return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Kills every bot still running (afterAll / finally), whatever state the test left them in. */
export async function killAll(bots: readonly (BotProcess | undefined)[]): Promise<void> {
  await Promise.all(bots.map((b) => b?.kill()));
}

/** Polls `check` until it returns a truthy value; on timeout throws with `describe()` and the bots' output. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  o: { timeoutMs: number; what: string; bots?: readonly (BotProcess | undefined)[]; describe?: () => unknown },
): Promise<T> {
  const until = Date.now() + o.timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) {
      const state = o.describe ? `\nstate: ${JSON.stringify(await o.describe())}` : '';
      const tails = (o.bots ?? []).flatMap((b) => (b ? [b.tail()] : [])).join('\n');
      throw new Error(`timed out after ${o.timeoutMs} ms waiting for ${o.what}${state}\n${tails}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
