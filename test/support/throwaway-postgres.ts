import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own, on a free loopback port, that the test may stop and start: the shared
 * server on 5432 serves other suites and must never be restarted. Runs as the `postgres` OS user (initdb refuses
 * root). `unavailable()` says why it cannot run here (missing binaries or user), the one allowed reason to skip.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static unavailable(): string | null {
    for (const b of ['initdb', 'pg_ctl', 'postgres']) {
      if (!existsSync(path.join(BIN, b))) return `PostgreSQL binary ${path.join(BIN, b)} not found`;
    }
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'no postgres OS user to run initdb as';
    }
    if (process.getuid?.() !== 0) {
      return 'tests must run as root to start a cluster as the postgres user';
    }
    return null;
  }

  static async create(): Promise<ThrowawayPostgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'rt-pg-'));
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    const pg = new ThrowawayPostgres(dir, await freePort());
    await pg.asPostgres(`${BIN}/initdb`, [
      '-D',
      pg.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    await pg.start();
    return pg;
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Asynchronous, so the bot under test keeps running (and failing) while the server starts or stops. */
  async start(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
    await this.asPostgres(`${BIN}/pg_ctl`, [
      '-D',
      this.dataDir,
      '-l',
      path.join(this.dir, 'log'),
      '-o',
      opts,
      '-w',
      'start',
    ]);
  }

  /** A fast shutdown: open connections are cut and their transactions rolled back, as in a real restart. */
  async stop(): Promise<void> {
    await this.asPostgres(`${BIN}/pg_ctl`, ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    try {
      execFileSync(
        'runuser',
        ['-u', 'postgres', '--', `${BIN}/pg_ctl`, '-D', this.dataDir, '-m', 'immediate', 'stop'],
        {
          stdio: 'ignore',
        },
      );
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(bin: string, args: string[]): Promise<void> {
    await promisify(execFile)('runuser', ['-u', 'postgres', '--', bin, ...args], { timeout: 30_000 });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
