import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../db/client.js';
import { nullPort, opsCore } from '../ops/ops-support.js';

/**
 * One replica for ops.bench.ts: its own process, postgres.js pool and core, sending /ask in a closed loop with
 * `concurrency` members at once until `ms` have passed; prints the count of successful commands as JSON.
 */
const [url, ref, msArg, concurrencyArg, members] = process.argv.slice(2);
const database = await openDatabase({ url: url!, poolSize: 5 });
const core = opsCore(database);
const users = members!.split(',');
const until = performance.now() + Number(msArg);
let ok = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: Number(concurrencyArg) }, async (_, lane) => {
    while (performance.now() < until) {
      const user = users[lane % users.length]!;
      const r = await core.handle(
        {
          platform: 'slack',
          community: { ref: ref!, name: `Community ${ref}` },
          channelRef: 'CGROUP',
          actor: { platformUserId: user, displayName: user },
          interactionId: `${ref}-${process.pid}-${randomBytes(6).toString('hex')}`,
          input: { kind: 'command', name: 'ask', options: { text: `bench ask from ${user} lane ${lane}` } },
        },
        nullPort,
        async () => {},
      );
      if (r.outcome === 'ok') ok++;
      else failed++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ ok, failed, seconds: Number(msArg) / 1000 })}\n`);
await database.close();
