// postgres.js 3.4.x defers small writes with setImmediate(nextWrite); when the connection closes first (a database
// restart under load), nextWrite dereferences the nulled socket and throws from the immediate, where no caller can
// catch it: the whole bot process dies, and the connection keeps a stale write timer. Upstream: porsager/postgres
// issues #1154 and #1208, open fix PR #1168. Until a release carries the fix, npm's postinstall applies the same
// guard. Idempotent; a driver whose code differs (a fixed release) is left alone with a note.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* roundtable: null-socket guard */';
const FROM = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const TO = `  function nextWrite(fn) {
    ${MARK}
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      return false
    }
    const x = socket.write(chunk, fn)`;

const root = fileURLToPath(new URL('../node_modules/postgres/', import.meta.url));
if (!existsSync(root)) process.exit(0); // not installed: nothing to patch
for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js']) {
  const full = path.join(root, file);
  let text;
  try {
    text = readFileSync(full, 'utf8');
  } catch {
    continue;
  }
  if (text.includes(MARK)) continue;
  if (!text.includes(FROM)) {
    process.stderr.write(`patch-postgres: ${file} differs from 3.4.x; guard not applied (check it is fixed)\n`);
    continue;
  }
  writeFileSync(full, text.replace(FROM, TO));
}
