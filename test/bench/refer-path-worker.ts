/**
 * One side of the /refer comparison in outbox.bench.ts, run in its own process against the code tree given as the
 * first argument (this branch, or the commit before the outbox carried commands' messages): a group of three on a
 * fresh database, then a `/refer` for each line on stdin, timed from the command to its DM handed to the port
 * (Core.handle awaits both), the time (ms) written back as a line. Prints `ready` once set up.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';

const [root = '.'] = process.argv.slice(2);
const { shellHarness } = await import(path.resolve(root, 'test/support/shell.ts'));
const { openTestDatabase } = await import(path.resolve(root, 'test/support/test-database.ts'));
const database = await openTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite', { poolSize: 5 });
const h = shellHarness(database);
await h.run(`@alice /setup name:"Bench" type:peer timezone:UTC
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@carol /me quiet_hours:00:00-00:00`);
process.stdout.write('ready\n');
// one /refer per line read from stdin, its time (ms) written back: the parent alternates between the two trees
// command by command, so both meet the same machine load
let i = 0;
for await (const _line of createInterface({ input: process.stdin })) {
  const before = h.messages.length;
  const t0 = performance.now();
  await h.run(
    `@bob /refer member:@carol prospect:"Prospect ${i}" contact:"p${i}@example.com" need:"A lease review" temperature:4 consent:yes`,
  );
  const ms = performance.now() - t0;
  i++;
  const dm = h.messages.slice(before).some((m: { to: string[] | null }) => m.to?.includes('carol'));
  if (!dm) throw new Error('the /refer DM did not reach carol within the command');
  process.stdout.write(`${ms}\n`);
}
await database.close();
