import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench [name…]`: runs each test/bench/*.bench.ts in its own process (so one bench's memory and JIT state
 * do not colour the next), with gc() exposed for memory figures. Each prints JSON lines {"bench","metric","value","baseline","ratio"} on stdout.
 */
const dir = path.dirname(new URL(import.meta.url).pathname);
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const f of files) {
  process.stderr.write(`== ${f}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(dir, f)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`${f} exited with ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
