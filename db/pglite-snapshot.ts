import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

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

/** How build() makes a snapshot: a change to it (what is dropped, which settings) must not reuse older files. */
const RECIPE = 3;

let cachedKey: string | undefined;

/** The schema version: a hash over every migration file (SQL and journal), the PGlite version and the recipe. */
export function schemaKey(folder = migrationsFolder): string {
  if (folder === migrationsFolder && cachedKey) return cachedKey;
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\nrecipe ${RECIPE}\n`);
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
async function readValid(files: SnapshotFiles): Promise<Buffer | undefined> {
  let bytes: Buffer;
  let expected: string;
  try {
    [bytes, expected] = await Promise.all([
      fs.promises.readFile(files.tarball),
      fs.promises.readFile(files.checksum, 'utf8').then((text) => text.trim()),
    ]);
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
  // Every file of the snapshot is unpacked by PGlite's JavaScript untar into memory at each start, so what is not
  // needed costs every instance time and memory (25 MiB of files became 15 MiB: a bare start from it took about
  // 0.15 s less CPU and 45 MiB less memory, measured). 1 MiB WAL segments instead of 16, and old segments removed
  // rather than kept for reuse: mostly zeros, which the gzip hardly stores but the untar writes out.
  const client = new PGlite({
    initDbStartParams: ['--wal-segsize=1'],
    startParams: [
      ...PGlite.defaultStartParams,
      '-c',
      'min_wal_size=2MB',
      '-c',
      'max_wal_size=4MB',
      '-c',
      'wal_recycle=off',
    ],
  });
  try {
    await migrate(drizzle(client) as never, { migrationsFolder });
    // template0 and template1 exist so that CREATE DATABASE can copy a catalogue; an embedded PGlite serves its one
    // database (postgres) and never creates another, and each template is 7 MiB in every instance's memory.
    for (const template of ['template0', 'template1']) {
      await client.query(`update pg_database set datistemplate = false where datname = '${template}'`);
      await client.query(`drop database ${template}`);
    }
    await client.query('checkpoint');
    await dropOptionalFiles(client);
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

/**
 * Removes from the stopped-in-time data directory what Postgres recreates on demand, 4.6 of its 15 MiB and 90 of
 * its 670 files (every file costs PGlite's untar time at each start, measured 20–30 ms for these):
 * - WAL segments after the one holding the last checkpoint's redo point: empty ones pre-allocated for future
 *   writes (min_wal_size), which Postgres creates again when it needs them; recovery reads only from the redo point;
 * - free-space maps and visibility maps (`_fsm`, `_vm` forks): optional forks that Postgres treats as empty when
 *   absent and rebuilds as tables are written and vacuumed; nothing needs them to read a catalogue correctly.
 */
async function dropOptionalFiles(client: import('@electric-sql/pglite').PGlite): Promise<void> {
  const {
    rows: [where],
  } = await client.query<{ redo: string; dir: string }>(
    "select pg_walfile_name(redo_lsn) as redo, current_setting('data_directory') as dir from pg_control_checkpoint()",
  );
  if (!where) return;
  const pgfs = client.Module.FS;
  const files = (dir: string) => pgfs.readdir(dir).filter((name: string) => name !== '.' && name !== '..');
  const segment = /^[0-9A-F]{24}$/;
  for (const name of files(`${where.dir}/pg_wal`)) {
    if (segment.test(name) && name > where.redo) pgfs.unlink(`${where.dir}/pg_wal/${name}`);
  }
  const forkDirs = [
    `${where.dir}/global`,
    ...files(`${where.dir}/base`).map((db: string) => `${where.dir}/base/${db}`),
  ];
  for (const dir of forkDirs) {
    for (const name of files(dir)) if (/_(fsm|vm)$/.test(name)) pgfs.unlink(`${dir}/${name}`);
  }
}

let inProcess: Promise<Blob> | undefined;

/** The cached snapshot when it is valid, else a new one; `built` says which. */
export async function loadOrBuildSnapshot(): Promise<{ bytes: Buffer; built: boolean }> {
  const files = snapshotFiles();
  const cached = await readValid(files);
  return cached ? { bytes: cached, built: false } : { bytes: await build(files), built: true };
}

const gunzipAsync = promisify(gunzip);
/** zlib's default 16 KiB output chunks make a thousand main-thread callbacks for 15 MiB: 70 ms against 20 ms. */
const GUNZIP_CHUNK = 1 << 20;

/**
 * The migrated schema as an uncompressed data-directory tar: from the cache when it is valid, else built (once per
 * process however many callers ask at the same time). The file stays gzipped (2 MiB instead of 15), but PGlite gets
 * the plain tar: Node's native gunzip takes about 0.1 s where PGlite's own, in JavaScript, takes about 0.3 s of every
 * start (measured: 0.54–0.67 s to a first answer against 0.80–0.96 s). Read and unzipped asynchronously (libuv's
 * thread pool), so that it leaves the main thread to the module loading it runs beside at start.
 */
export function migratedSchemaTarball(): Promise<Blob> {
  inProcess ??= loadOrBuildSnapshot().then(
    async ({ bytes }) => new Blob([new Uint8Array(await gunzipAsync(bytes, { chunkSize: GUNZIP_CHUNK }))]),
  );
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
