import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf } from '../../db/client.js';
import { loadOrBuildSnapshot, schemaKey, snapshotFiles } from '../../db/pglite-snapshot.js';

const migrations = path.resolve(import.meta.dirname, '../../db/migrations');

describe('PGlite schema snapshot', () => {
  let cache: string;
  const previous = process.env.ROUNDTABLE_CACHE_DIR;
  beforeAll(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-snapshot-'));
    process.env.ROUNDTABLE_CACHE_DIR = cache;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.ROUNDTABLE_CACHE_DIR;
    else process.env.ROUNDTABLE_CACHE_DIR = previous;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('is keyed by the migrations: a changed migration file gives another key', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-migrations-'));
    fs.cpSync(migrations, copy, { recursive: true });
    const before = schemaKey(copy);
    expect(before).toBe(schemaKey(migrations));
    const sqlFile = fs.readdirSync(copy).find((f) => f.endsWith('.sql'));
    fs.appendFileSync(path.join(copy, sqlFile!), '\n-- changed\n');
    expect(schemaKey(copy)).not.toBe(before);
    fs.rmSync(copy, { recursive: true, force: true });
  });

  it('is built once, then read from the cache', async () => {
    expect((await loadOrBuildSnapshot()).built).toBe(true);
    const files = snapshotFiles();
    expect(fs.existsSync(files.tarball)).toBe(true);
    expect((await loadOrBuildSnapshot()).built).toBe(false);
  });

  it('leaves out what Postgres recreates (future WAL segments, free-space and visibility maps) and still works', async () => {
    const tar = gunzipSync((await loadOrBuildSnapshot()).bytes);
    const names: string[] = [];
    // ustar: a 512-byte header (name at 0, octal size at 124), then the content padded to 512 bytes
    for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
      names.push(
        tar
          .subarray(at, at + 100)
          .toString('latin1')
          .replace(/\0.*$/s, ''),
      );
      const size = Number.parseInt(
        tar
          .subarray(at + 124, at + 136)
          .toString('latin1')
          .trim() || '0',
        8,
      );
      at += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names.some((n) => n.includes('/base/'))).toBe(true);
    expect(names.filter((n) => /pg_wal\/[0-9A-F]{24}$/.test(n))).toHaveLength(1);
    expect(names.filter((n) => /_(fsm|vm)$/.test(n))).toEqual([]);

    const database = await openDatabase({});
    try {
      await database.db.execute(sql`insert into communities (platform, platform_ref, name) values ('shell', 'w', 'W')`);
      await database.db.execute(sql`delete from communities where platform_ref = 'w'`);
      await database.db.execute(sql`vacuum communities`); // builds the maps the snapshot left out
      await database.db.execute(sql`checkpoint`);
      const rows = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from communities`));
      expect(rows[0]?.n).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('detects a damaged snapshot and builds it again instead of loading it', async () => {
    const files = snapshotFiles();
    const good = fs.readFileSync(files.tarball);
    fs.writeFileSync(files.tarball, good.subarray(0, good.length >> 1)); // a truncated write
    const again = await loadOrBuildSnapshot();
    expect(again.built).toBe(true);
    expect(fs.readFileSync(files.tarball).length).toBeGreaterThan(good.length >> 1);
  });

  it('does not trust a snapshot that lacks migrations: opening migrates it', async () => {
    // a valid tarball (checksum and all) of a database with no schema, in the current key's place
    const bare = await PGlite.create();
    const dump = Buffer.from(await (await bare.dumpDataDir('gzip')).arrayBuffer());
    await bare.close();
    const files = snapshotFiles();
    fs.writeFileSync(files.tarball, dump);
    const { createHash } = await import('node:crypto');
    fs.writeFileSync(files.checksum, createHash('sha256').update(dump).digest('hex'));
    expect((await loadOrBuildSnapshot()).built).toBe(false);

    const database = await openDatabase({});
    try {
      const rows = rowsOf<{ n: number }>(
        await database.db.execute(
          sql`select count(*)::int as n from information_schema.tables where table_name = 'members'`,
        ),
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('starts a fresh data directory from the snapshot and resumes it on the next open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-data-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await first.db.execute(
        sql`insert into communities (platform, platform_ref, name) values ('shell', 'snap', 'Snap')`,
      );
      await first.close();
      expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
      const second = await openDatabase({ dataDir: dir });
      const rows = rowsOf<{ name: string }>(
        await second.db.execute(sql`select name from communities where platform_ref = 'snap'`),
      );
      await second.close();
      expect(rows.map((r) => r.name)).toEqual(['Snap']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
