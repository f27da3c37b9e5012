import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { type Database, openDatabase } from '../../db/client.js';
import { communities, schedules } from '../../db/schema.js';
import { PRUNE_KIND } from '../../src/scheduler/pruning.js';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { FakeSlack, FakeTeam } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { Changes, type Signal, type WaitOptions, eventually as waitUntil } from '../support/eventually.js';
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
  private readonly changes = new Changes();
  /** Told of each line the process writes and of its exit: what a wait on its logs or its death waits on. */
  readonly changed: Signal = this.changes.signal;
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
        this.changes.notify();
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
    this.changes.notify();
  }

  /**
   * Until the process has logged that everything is started ('ops endpoints listening', its last start-up line;
   * the port is in it, or for Slack over HTTP in 'slack adapter started') and its /readyz answers 200.
   */
  private async untilReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    const fail = (why: string) => new Error(`${this.name} did not become ready: ${why}\n${this.tail()}`);
    const alive = () => {
      if (!this.running) throw fail(`exited (${this.child.exitCode ?? this.child.signalCode})`);
    };
    const started = await waitUntil(
      () => {
        alive();
        const listening = this.logged('ops endpoints listening')[0];
        if (!listening) return undefined;
        // Slack over HTTP serves the ops endpoints on its receiver; Discord alone on a server of their own
        const port = [this.logged('slack adapter started')[0]?.port, listening.port].find(
          (p): p is number => typeof p === 'number' && p > 0,
        );
        if (port === undefined) throw fail('started without logging the port it listens on');
        return port;
      },
      { on: this.changed, timeoutMs, what: `${this.name} to log that it has started`, context: () => this.tail() },
    );
    this.port = started;
    // readiness is the health checks (database, migrations, each platform), asked over HTTP: polled
    await waitUntil(
      async () => {
        alive();
        return fetch(`http://127.0.0.1:${this.port}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      {
        timeoutMs: Math.max(1, until - Date.now()),
        pollMs: 100,
        what: `${this.name}'s /readyz to answer 200`,
        context: () => this.tail(),
      },
    );
  }
}

/** Kills every bot still running (afterAll / finally), whatever state the test left them in. */
export async function killAll(bots: readonly (BotProcess | undefined)[]): Promise<void> {
  await Promise.all(bots.map((b) => b?.kill()));
}

/**
 * `eventually` (test/support/eventually.ts) with the bots' last lines in the timeout message: re-checked on each
 * occurrence of `on` (a fake's or a bot's `changed`), polled without (the database).
 */
export function eventually<T>(
  check: () => T,
  o: Omit<WaitOptions, 'context'> & { timeoutMs: number; bots?: readonly (BotProcess | undefined)[] },
) {
  const { bots, ...rest } = o;
  return waitUntil(check, {
    ...rest,
    context: () => (bots ?? []).flatMap((b) => (b ? [b.tail()] : [])).join('\n'),
  });
}

/**
 * Resolves once `n` whole ticks of the bot have run after the call: the positive evidence that whatever a tick does
 * (run due jobs, send what is due) has had its chance. The marker is the tick hook that gives every community its
 * nightly pruning schedule, first thing in each tick: a probe community inserted now has one once a tick has begun
 * after it; a second probe, inserted then, once a later tick has begun, so the first has ended (a process never runs
 * two ticks at once). For one bot on the database: another's ticks would count too.
 */
export async function ticksPassed(
  database: Database,
  n: number,
  o: { timeoutMs: number; bots?: readonly (BotProcess | undefined)[] },
): Promise<void> {
  const db = database.db;
  const probes: number[] = [];
  try {
    for (let i = 0; i <= n; i++) {
      const ref = `tick-probe-${randomBytes(4).toString('hex')}`;
      const [probe] = await db
        .insert(communities)
        .values({ platform: 'tick-probe', platformRef: ref, name: ref })
        .returning({ id: communities.id });
      probes.push(probe!.id);
      await eventually(
        async () =>
          (
            await db
              .select({ id: schedules.id })
              .from(schedules)
              .where(and(eq(schedules.communityId, probe!.id), eq(schedules.kind, PRUNE_KIND)))
          ).length > 0,
        { ...o, pollMs: 100, what: `tick ${i} of ${n} after the call to begin (its hook to see ${ref})` },
      );
    }
  } finally {
    if (probes.length) await db.delete(communities).where(inArray(communities.id, probes));
  }
}
