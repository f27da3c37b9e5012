import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../../db/data-dir-lock.js';

describe('PGlite data directory lock', () => {
  it('refuses a directory held by a live process and releases it after', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-lock-'));
    const release = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    release();
    const again = acquireDataDirLock(dir);
    again();
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-lock-'));
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    fs.writeFileSync(path.join(dir, 'roundtable.lock'), String(pid));
    const release = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, 'roundtable.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
