import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Changes, eventually, inDirectory, sleep, within } from './eventually.js';

describe('eventually', () => {
  it('re-checks on notices only, not on a clock, and resolves with the first truthy value', async () => {
    const changes = new Changes();
    let checks = 0;
    let value: string | undefined;
    const waiting = eventually(
      () => {
        checks++;
        return value;
      },
      { on: changes.signal, what: 'a value' },
    );
    await sleep(80); // time is the evidence here: longer than the poll a check without notices gets
    expect(checks).toBe(1);
    changes.notify();
    await sleep(0);
    expect(checks).toBe(2);
    value = 'ready';
    changes.notify();
    await expect(waiting).resolves.toBe('ready');
    expect(checks).toBe(3);
  });

  it('polls a check nothing tells of', async () => {
    let n = 0;
    await expect(eventually(() => ++n >= 3 && n, { pollMs: 1, what: 'three looks' })).resolves.toBe(3);
  });

  it('names what it waited for, and the state, when it runs out', async () => {
    await expect(
      eventually(() => false, {
        timeoutMs: 20,
        what: 'the moon',
        describe: () => ({ seen: 0 }),
        context: () => 'tail',
      }),
    ).rejects.toThrow(/timed out after 20 ms waiting for the moon\nstate: \{"seen":0\}\ntail/);
  });

  it('passes on what the check throws', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('exited');
        },
        { what: 'x' },
      ),
    ).rejects.toThrow('exited');
  });

  it('sees a file created after the watch is set', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-eventually-'));
    try {
      const file = path.join(dir, 'f');
      const waiting = eventually(() => fs.existsSync(file), { on: inDirectory(dir), what: 'the file' });
      fs.writeFileSync(file, 'x');
      await expect(waiting).resolves.toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('within: the promise’s value, its rejection, or a timeout naming it', async () => {
    await expect(within(Promise.resolve(7), { what: 'seven' })).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('no')), { what: 'x' })).rejects.toThrow('no');
    await expect(within(new Promise(() => {}), { timeoutMs: 10, what: 'never' })).rejects.toThrow(/waiting for never/);
  });
});
