import { randomBytes } from 'node:crypto';
import type { ShellMessage } from '../../adapters/shell/shell-message.js';
import { ShellSession } from '../../adapters/shell/shell-session.js';
import { commands } from '../../commands/index.js';
import type { Database } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Core } from '../../src/core.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { seededRandom } from '../../src/random.js';
import { Changes, type Signal } from './eventually.js';
import { TEST_PACING } from './test-pacing.js';

export interface ShellHarness {
  core: Core;
  clock: ManualClock;
  session: ShellSession;
  /** Every message shown so far. */
  messages: ShellMessage[];
  /** Told after each message shown: what a test waiting for one waits on. */
  changed: Signal;
  /** Runs transcript lines and returns the messages they produced. */
  run(script: string): Promise<ShellMessage[]>;
  /** Messages someone received (private to them, or posted in a channel). */
  inbox(name: string): ShellMessage[];
  communityRef: string;
}

/**
 * A shell session on a shared test database, in a community of its own: sessions on one database never see each
 * other's data, which is also what the product promises between communities.
 */
export function shellHarness(
  database: Database,
  opts: { log?: Logger; seed?: number; start?: Date } = {},
): ShellHarness {
  const clock = new ManualClock(opts.start);
  const core = new Core({
    database,
    registry: new Registry(commands),
    clock,
    random: seededRandom(opts.seed ?? 42),
    log: opts.log ?? silentLogger,
    pacing: TEST_PACING,
  });
  const messages: ShellMessage[] = [];
  const changes = new Changes();
  const communityRef = `test-${randomBytes(5).toString('hex')}`;
  const session = new ShellSession(
    core,
    clock,
    (m) => {
      messages.push(m);
      changes.notify();
    },
    {
      actor: 'alice',
      community: { ref: communityRef, name: 'Test community' },
    },
  );
  return {
    core,
    clock,
    session,
    messages,
    changed: changes.signal,
    communityRef,
    async run(script) {
      const before = messages.length;
      await session.runScript(script);
      return messages.slice(before);
    },
    inbox: (name) => messages.filter((m) => m.channel !== null || m.to?.includes(name)),
  };
}
