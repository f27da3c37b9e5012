import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migratedSchemaTarball } from '../../db/pglite-snapshot.js';
import { emit, percentile } from './bench-output.js';

/**
 * Start-up as a newcomer meets it, each figure against a bare PGlite start plus one query in the same run:
 * - a one-command transcript through `npm start -- --script FILE` (wall time and peak memory);
 * - the interactive prompt's readiness (time until the prompt is printed, on a pseudo-terminal) with an existing
 *   ./data and with an empty one.
 * Runs alternate between the measured command and the baseline so that a busy machine colours both alike.
 * STARTUP_RUNS (default 5) sets how many of each; the figure is the median.
 */

const root = path.resolve(import.meta.dirname, '../..');
const runs = Number(process.env.STARTUP_RUNS ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-startup-'));
const script = path.join(work, 'one.txt');
fs.writeFileSync(script, '@alice /setup name:"Downtown Chapter" type:referral\n');
const env = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '' };

// Every child reports its own peak resident set size on exit (kilobytes, from getrusage).
const maxRssHook = `data:text/javascript,${encodeURIComponent(
  "import fs from 'node:fs'; process.on('exit', () => { try { fs.writeSync(2, '\\nMAXRSS ' + process.resourceUsage().maxRSS + '\\n'); } catch {} });",
)}`;
const withHook = { ...env, NODE_OPTIONS: `--import=${maxRssHook}` };

interface Run {
  ms: number;
  maxRssMiB: number;
}

function timed(cmd: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, env: withHook, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  // npm runs node as a child: the largest figure is the bot's (npm's own is far smaller)
  const rss = [...r.stderr.matchAll(/MAXRSS (\d+)/g)].map((m) => Number(m[1]));
  return { ms, maxRssMiB: Math.max(...rss) / 1024 };
}

const baselineSource = path.join(work, 'bare-pglite.mjs');
fs.writeFileSync(
  baselineSource,
  `import { PGlite } from ${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))};\n` +
    "const db = new PGlite(); await db.query('select 1'); await db.close();\n",
);
const bare = () => timed(process.execPath, [baselineSource]);

/** Milliseconds until the interactive shell prints its prompt, run on a pseudo-terminal by util-linux `script`. */
function promptReady(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const cmd = `DATA_DIR=${dataDir} ${process.execPath} --import tsx adapters/main.ts --as me`;
    const child = spawn('script', ['-qfc', cmd, '/dev/null'], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let ready = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!ready && out.includes('me> ')) {
        ready = performance.now() - t0;
        child.stdin.write('\x04');
        child.stdin.end();
      }
    });
    child.on('exit', () => (ready ? resolve(ready) : reject(new Error(`no prompt: ${out}`))));
  });
}

const median = (xs: number[]) => percentile(xs, 50);

await migratedSchemaTarball(); // the cached snapshot, as after any earlier start
const transcript: Run[] = [];
const baseline: Run[] = [];
const readyExisting: number[] = [];
const readyFirst: number[] = [];
const existing = path.join(work, 'data-existing');
timed('npm', ['start', '--silent', '--', '--script', script, '--data', existing]);
for (let i = 0; i < runs; i++) {
  baseline.push(bare());
  transcript.push(timed('npm', ['start', '--silent', '--', '--script', script]));
  readyExisting.push(await promptReady(existing));
  readyFirst.push(await promptReady(path.join(work, `data-first-${i}`)));
}

const bareMs = median(baseline.map((r) => r.ms));
emit({
  bench: 'startup',
  metric: 'transcript_wall_ms',
  value: median(transcript.map((r) => r.ms)),
  baseline: bareMs,
  unit: 'ms',
  target: '≤ 2000 ms and ratio ≤ 0.6',
  command: 'npm start -- --script FILE (one command)',
});
emit({
  bench: 'startup',
  metric: 'transcript_peak_rss_mib',
  value: Math.max(...transcript.map((r) => r.maxRssMiB)),
  baseline: Math.max(...baseline.map((r) => r.maxRssMiB)),
  unit: 'MiB',
  target: '≤ 500 MiB',
});
emit({
  bench: 'startup',
  metric: 'prompt_ready_existing_data_ms',
  value: median(readyExisting),
  baseline: bareMs,
  unit: 'ms',
  target: '≤ 2000 ms',
});
emit({
  bench: 'startup',
  metric: 'prompt_ready_first_time_ms',
  value: median(readyFirst),
  baseline: bareMs,
  unit: 'ms',
  target: '≤ 3000 ms',
});
fs.rmSync(work, { recursive: true, force: true });
