import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The code as it was at `ref`, unpacked once into /tmp (git archive) with this checkout's node_modules linked in,
 * so a benchmark can run the same bench on "today's" code and on the code before a change, in the same run.
 * The default is the commit the open issues were measured against (the last landing before they were worked).
 */
export const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? '0dd8e9c';

export function baselineTree(root: string, ref = BASELINE_REF): string {
  const dir = `/tmp/roundtable-baseline-${ref}`;
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', root, 'archive', ref], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return dir;
}
