import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, inDirectory, onEvents, within } from '../support/eventually.js';

const root = path.resolve(import.meta.dirname, '../..');
const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info' };

function runCli(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'adapters/main.ts', ...args], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
    timeout: 90_000,
  });
}

function tmpFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-'));
  const file = path.join(dir, 'script.txt');
  fs.writeFileSync(file, text);
  return file;
}

const SCRIPT = `# a group and a member
@alice /setup name:"Downtown Chapter" type:peer
@bob /intro business:"Bob's Pipes" category:plumber pitch:"Leaks fixed today" ideal_referral:"Homeowners"
@bob /help
`;

describe('shell --script', () => {
  it('prints one JSON object per message, with logs kept out of stdout', () => {
    const r = runCli(['--script', tmpFile(SCRIPT), '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ to: ['alice'], channel: null, private: true, buttons: [] });
    expect(lines[0].text).toContain('Downtown Chapter');
    const card = lines.find((l) => l.channel === 'intros');
    expect(card).toMatchObject({ to: null, private: false });
    expect(card.text).toContain("Bob's Pipes");
    expect(lines.at(-1).text).toContain('/intro');
    // info logs were requested, and went to stderr only
    expect(r.stderr).toContain('"msg":"command"');
  });

  it('reads a script piped on stdin and prints readable text', () => {
    const r = runCli([], SCRIPT);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('── private → alice');
    expect(r.stdout).toContain('── #intros');
  });

  it('stops at an unparsable line with its number and exit code 1', () => {
    const r = runCli(['--script', tmpFile('@alice /help\n:frobnicate\n@alice /help\n')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('line 2: unknown directive :frobnicate');
    expect(r.stdout.match(/Commands you can use/g)).toHaveLength(1);
  });

  it('keeps data with --data, and refuses a second process on the same directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-data-'));
    expect(runCli(['--script', tmpFile(SCRIPT), '--data', dir]).status).toBe(0);
    const again = runCli(['--script', tmpFile('@alice /profile bob\n'), '--data', dir, '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout.trim()).text).toContain("Bob's Pipes");

    // an interactive session holds the directory; a second process is refused, not allowed to corrupt it
    const holder = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts', '--script', '-', '--data', dir], {
      cwd: root,
      env,
    });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    try {
      // held once the lock file names the holder (it is created empty, then written)
      const lock = path.join(dir, 'roundtable.lock');
      await eventually(
        () => {
          if (holder.exitCode !== null || holder.signalCode !== null)
            throw new Error(`the holder exited (${holder.exitCode ?? holder.signalCode}) before locking ${dir}`);
          try {
            return fs.readFileSync(lock, 'utf8') === String(holder.pid);
          } catch {
            return false; // not there yet
          }
        },
        { on: [inDirectory(dir), onEvents(holder, 'exit')], timeoutMs: 30_000, what: `the holder to lock ${dir}` },
      );
      const second = runCli(['--script', tmpFile('@carol /help\n'), '--data', dir]);
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('is in use by another Roundtable process');
    } finally {
      holder.stdin.end();
      await within(exited, { timeoutMs: 30_000, what: 'the holder to exit at the end of its input' });
    }
    expect(fs.existsSync(path.join(dir, 'roundtable.lock'))).toBe(false);
  });
});
