import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * A fresh PGlite runs initdb (a second WebAssembly Postgres) and then every migration: about 3–4 s and 730 MiB on
 * a 2-core machine. Loading a data directory that was migrated once takes under a second and about half the memory,
 * so every new embedded database (a transcript, a test, a fresh ./data) starts from such a snapshot.
 *
 * The snapshot is keyed by a hash of the migrations and the PGlite version: a changed migration or an upgraded
 * PGlite builds a new one. The file carries a SHA-256 of its own bytes in its name's sidecar, so a truncated or
 * damaged file is detected and rebuilt, never loaded; and the migrator still runs after loading, so a snapshot that
 * somehow lacks a migration is brought up to date rather than trusted.
 */

const migrationsFolder = new URL('./migrations', import.meta.url).pathname;
const projectRoot = path.dirname(path.dirname(migrationsFolder));

/** Where build outputs are cached: node_modules/.cache, the convention tools share (ROUNDTABLE_CACHE_DIR overrides). */
export function snapshotCacheDir(): string {
  return process.env.ROUNDTABLE_CACHE_DIR ?? path.join(projectRoot, 'node_modules', '.cache', 'roundtable');
}

function pgliteVersion(): string {
  // The package's exports hide its package.json: find it above the resolved entry point.
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const pkgPath = path.join(dir, 'package.json');
  return (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version;
}

let cachedKey: string | undefined;

/** The schema version: a hash over every migration file (SQL and journal) and the PGlite version. */
export function schemaKey(folder = migrationsFolder): string {
  if (folder === migrationsFolder && cachedKey) return cachedKey;
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(folder);
  for (const file of files) {
    hash.update(`${path.relative(folder, file)}\n`);
    hash.update(fs.readFileSync(file));
  }
  const key = hash.digest('hex').slice(0, 16);
  if (folder === migrationsFolder) cachedKey = key;
  return key;
}

export interface SnapshotFiles {
  tarball: string;
  checksum: string;
}

export function snapshotFiles(key = schemaKey(), dir = snapshotCacheDir()): SnapshotFiles {
  const tarball = path.join(dir, `pglite-schema-${key}.tar.gz`);
  return { tarball, checksum: `${tarball}.sha256` };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The snapshot's bytes when the file is there and matches its checksum; undefined otherwise (and the bad file gone). */
function readValid(files: SnapshotFiles): Buffer | undefined {
  let bytes: Buffer;
  let expected: string;
  try {
    bytes = fs.readFileSync(files.tarball);
    expected = fs.readFileSync(files.checksum, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (sha256(bytes) === expected) return bytes;
  fs.rmSync(files.tarball, { force: true });
  fs.rmSync(files.checksum, { force: true });
  return undefined;
}

/** Migrates a new in-memory PGlite and dumps it; written under temporary names and renamed, so readers never see half. */
async function build(files: SnapshotFiles): Promise<Buffer> {
  // Loaded here: a start that finds the snapshot cached (nearly every start) never needs the migrator's modules.
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  // 1 MiB WAL segments instead of 16: the embedded database's files live in memory, and a 16 MiB segment file
  // (mostly zeros, which the compressed snapshot hardly stores) would sit in every instance's memory.
  const client = new PGlite({ initDbStartParams: ['--wal-segsize=1'] });
  try {
    await migrate(drizzle(client) as never, { migrationsFolder });
    // template0 exists so that CREATE DATABASE can copy a pristine catalogue; an embedded single-database PGlite
    // never creates one, and its 7 MiB would sit in every instance's memory.
    await client.query("update pg_database set datistemplate = false where datname = 'template0'");
    await client.query('drop database template0');
    await client.query('checkpoint');
    const dump = await client.dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    try {
      fs.mkdirSync(path.dirname(files.tarball), { recursive: true });
      // The checksum goes first: a reader that finds the tarball then finds its checksum too.
      const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(files.checksum + suffix, sha256(bytes));
      fs.renameSync(files.checksum + suffix, files.checksum);
      fs.writeFileSync(files.tarball + suffix, bytes);
      fs.renameSync(files.tarball + suffix, files.tarball);
    } catch {
      // A read-only cache (an image, a locked-down CI) costs only the next start's time: the dump is still good.
    }
    return bytes;
  } finally {
    await client.close();
  }
}

let inProcess: Promise<Blob> | undefined;

/** The cached snapshot when it is valid, else a new one; `built` says which. */
export async function loadOrBuildSnapshot(): Promise<{ bytes: Buffer; built: boolean }> {
  const files = snapshotFiles();
  const cached = readValid(files);
  return cached ? { bytes: cached, built: false } : { bytes: await build(files), built: true };
}

/**
 * The migrated schema as an uncompressed data-directory tar: from the cache when it is valid, else built (once per
 * process however many callers ask at the same time). The file stays gzipped (3 MiB instead of 25), but PGlite gets
 * the plain tar: Node's native gunzip takes about 0.1 s where PGlite's own, in JavaScript, takes about 0.3 s of every
 * start (measured: 0.54–0.67 s to a first answer against 0.80–0.96 s).
 */
export function migratedSchemaTarball(): Promise<Blob> {
  inProcess ??= loadOrBuildSnapshot().then(({ bytes }) => new Blob([new Uint8Array(gunzipSync(bytes))]));
  inProcess.catch(() => {
    inProcess = undefined;
  });
  return inProcess;
}

/** Forgets the cached snapshot (it would not load): the next start builds it again. */
export function discardSnapshot(): void {
  inProcess = undefined;
  const files = snapshotFiles();
  fs.rmSync(files.tarball, { force: true });
  fs.rmSync(files.checksum, { force: true });
}

/** Whether a PGlite data directory already holds a database (then it is resumed, not loaded from the snapshot). */
export function dataDirHasDatabase(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}
