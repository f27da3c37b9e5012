import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { type OpenOptions, openDatabase } from '../../db/client.js';
import { type AdvanceableClock, ManualClock, OffsetClock } from '../../src/clock.js';
import type { Config } from '../../src/config.js';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/logger.js';
import type { ShellMessage } from './shell-message.js';
import type { ShellSession } from './shell-session.js';
import { TranscriptError } from './transcript.js';

const USAGE = `Usage: npm start [-- --script FILE | < FILE] [--json] [--data DIR] [--as NAME]
  (no options)     interactive prompt in one local community, data kept in DATA_DIR
  --script FILE    run a transcript against a fresh in-memory database ("-" reads stdin)
  --data DIR       keep the transcript's data in DIR instead of memory
  --json           one JSON object per message the bot sends
  --as NAME        act as NAME first (default: your user name)`;

/** Runs the shell adapter; resolves to the process exit code. */
export async function runShell(argv: string[], config: Config, log: Logger): Promise<number> {
  let args: { script?: string; json?: boolean; data?: string; as?: string; help?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: {
        script: { type: 'string' },
        json: { type: 'boolean', default: false },
        data: { type: 'string' },
        as: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const scripted = args.script !== undefined || !process.stdin.isTTY;
  const json = args.json === true;
  const actor = (args.as ?? process.env.USER ?? 'me').toLowerCase().replace(/[^a-z0-9._-]/g, '') || 'me';

  if (scripted) {
    const text = args.script && args.script !== '-' ? readScript(args.script) : '';
    if (text === null) return 1;
    const clock = new ManualClock();
    // A transcript's files go to a private folder of its own (or the kept data directory's), never a shared one.
    const { core, session } = await startSession(
      { brief: true, ...(args.data ? { dataDir: args.data } : {}) },
      clock,
      log,
      config,
      json,
      {
        actor,
        ...(args.data ? { exportDir: exportsBeside(args.data) } : {}),
      },
    );
    try {
      // stdin is read after the database is open, so the data directory is held while a script streams in
      await session.runScript(args.script && args.script !== '-' ? text : fs.readFileSync(0, 'utf8'));
      return 0;
    } catch (err) {
      if (err instanceof TranscriptError) {
        process.stderr.write(`${args.script ?? 'stdin'}: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await core.deps.database.close();
    }
  }

  const clock = new OffsetClock();
  const { core, session } = await startSession(
    { url: config.DATABASE_URL, dataDir: config.DATA_DIR },
    clock,
    log,
    config,
    json,
    { actor, exportDir: exportsBeside(config.DATA_DIR) },
  );
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: `${session.actor}> ` });
  process.stdout.write(
    `Roundtable shell — one local community on ${core.deps.database.kind === 'pglite' ? `PGlite in ${config.DATA_DIR}` : 'PostgreSQL'}.\n` +
      'Type /help for commands, /setup to create your group, /as NAME to act as someone else, Ctrl-D to quit.\n' +
      `Files the bot sends you (exports, charts) are written to ${exportsBeside(config.DATA_DIR)} (private to you).\n`,
  );
  rl.prompt();
  for await (const line of rl) {
    try {
      await session.runTyped(line);
    } catch (err) {
      process.stdout.write(
        `${err instanceof TranscriptError ? err.message.replace(/^line 0: /, '') : `error: ${(err as Error).message}`}\n`,
      );
    }
    rl.setPrompt(`${session.actor}> `);
    rl.prompt();
  }
  await core.deps.database.close();
  return 0;
}

/**
 * Opens the database and, beside it, loads the commands and the session: PGlite's WebAssembly start and tsx's
 * module loading (each about half a second here) overlap instead of running one after the other.
 */
async function startSession(
  database: OpenOptions,
  clock: AdvanceableClock,
  log: Logger,
  config: Config,
  json: boolean,
  sessionOptions: ConstructorParameters<typeof ShellSession>[3],
): Promise<{ core: Core; session: ShellSession }> {
  const opened = openDatabase(database);
  const [{ commands }, { buildCore }, { ShellSession }, { toJson, toReadable }] = await Promise.all([
    import('../../commands/index.js'),
    import('../../src/bootstrap.js'),
    import('./shell-session.js'),
    import('./shell-message.js'),
  ]).catch(async (err) => {
    await opened.then((d) => d.close()).catch(() => {});
    throw err;
  });
  const print = json
    ? (m: ShellMessage) => process.stdout.write(`${toJson(m)}\n`)
    : (m: ShellMessage) => process.stdout.write(`${toReadable(m)}\n\n`);
  // `:advance` and the interactive offset clock move time by hand: the bot counts as running throughout.
  const core = await buildCore({ commands, clock, log, config, database: await opened, catchUp: 'all' });
  return { core, session: new ShellSession(core, clock, print, sessionOptions) };
}

/** Files of a kept database go beside its directory (`./data` → `./data-exports`), never inside PGlite's own. */
function exportsBeside(dataDir: string): string {
  return `${path.resolve(dataDir)}-exports`;
}

function readScript(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    process.stderr.write(
      `cannot read script ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
    );
    return null;
  }
}
