import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const FORBIDDEN =
  /from\s+['"](discord\.js|@discordjs\/[^'"]*|@slack\/[^'"]*|[^'"]*adapters\/[^'"]*)['"]|import\(\s*['"](discord\.js|@slack\/[^'"]*|[^'"]*adapters\/[^'"]*)['"]/;

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('import boundary', () => {
  it('keeps src/ and commands/ free of platform libraries and adapters', () => {
    const files = [...sources('src'), ...sources('commands')];
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
      .filter((f) => FORBIDDEN.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('would catch a platform import (the check itself works)', () => {
    expect(FORBIDDEN.test("import { Client } from 'discord.js';")).toBe(true);
    expect(FORBIDDEN.test("import { App } from '@slack/bolt';")).toBe(true);
    expect(FORBIDDEN.test("import { x } from '../adapters/shell/shell-session.js';")).toBe(true);
    expect(FORBIDDEN.test("import { z } from 'zod';")).toBe(false);
  });
});
