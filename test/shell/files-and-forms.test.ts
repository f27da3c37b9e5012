import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ShellSession } from '../../adapters/shell/shell-session.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const SETUP = `
@alice /setup name:"Chapter" type:peer timezone:UTC
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease" temperature:4 consent:yes
`;
const written = (text: string) => /\(file written to (.+)\)/.exec(text)?.[1];

describeEachDatabase('shell files and forms', (db) => {
  it('writes files to a private folder of the session, never overwriting one of the same name', async () => {
    const h = shellHarness(db());
    const out = await h.run(`${SETUP}
@alice /export what:referrals period:week
@alice /export what:referrals period:week
`);
    const files = out.map((m) => written(m.text)).filter((f): f is string => Boolean(f));
    expect(files).toHaveLength(2);
    expect(new Set(files).size).toBe(2);
    expect(path.basename(files[0]!)).toBe('referrals-2026-01-05.csv');
    expect(path.basename(files[1]!)).toBe('referrals-2026-01-05-2.csv');
    const dir = path.dirname(files[0]!);
    expect(dir.startsWith(path.join(os.tmpdir(), 'roundtable-files-'))).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of files) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    // A second session (another run) gets a folder of its own.
    const other = shellHarness(db());
    const again = await other.run(`${SETUP}\n@alice /export what:referrals period:week`);
    const file = again.map((m) => written(m.text)).find(Boolean)!;
    expect(path.dirname(file)).not.toBe(dir);
    fs.rmSync(dir, { recursive: true });
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('a given folder is made private even when it existed open to all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-files-'));
    fs.chmodSync(dir, 0o777);
    const h = shellHarness(db());
    const session = new ShellSession(h.core, h.clock, () => {}, { exportDir: dir });
    expect(session.filesDir()).toBe(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    fs.rmSync(dir, { recursive: true });
  });

  it('a form is a prompt answered with :fill; a field the form lacks or no form at all stops the script', async () => {
    const h = shellHarness(db());
    const out = await h.run(`${SETUP}
@carol :press "Accept"
@carol :press "Lost"
`);
    const prompt = out.at(-1)!.text;
    expect(prompt).toContain('Referral #1: lost. Why was it lost?');
    expect(prompt).toContain('Form: Referral #1: lost');
    expect(prompt).toContain('reason: Why was it lost?');
    await expect(h.run('@carol :fill amount:3')).rejects.toThrow('the form has no field amount (fields: reason)');
    const done = await h.run('@carol :fill reason:"Went with a cousin"');
    expect(done[0]!.text).toContain('Referral #1 is now lost');
    expect(done[0]!.text).toContain('Reason: Went with a cousin');
    await expect(h.run('@carol :fill reason:again')).rejects.toThrow('carol has no form to fill in');
  });
});
