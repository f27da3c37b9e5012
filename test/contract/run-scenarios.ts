import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { openTestDatabase } from '../support/databases.js';
import type { Driver, NormalizedMessage } from './driver.js';
import { drivers } from './drivers.js';

export interface Scenario {
  name: string;
  /** Transcript lines, as in the shell's --script. */
  script: string;
  /** Assertions on what the bot said (throws on failure). */
  check(messages: NormalizedMessage[]): void;
}

/**
 * Runs scenarios on every adapter driver. Each scenario gets a fresh driver (a fresh community), so all drivers of a
 * file share one database, opened once: PostgreSQL when DATABASE_URL is set (the real thing), else PGlite.
 */
export function runContract(title: string, scenarios: Scenario[], only: string[] = Object.keys(drivers)): void {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });
  afterAll(async () => {
    await database?.close();
  });
  for (const name of only) {
    const factory = drivers[name];
    if (!factory) continue;
    describe(`${title} on ${name}`, () => {
      for (const s of scenarios) {
        it(s.name, async () => {
          const driver: Driver = await factory(database);
          try {
            s.check(await driver.run(s.script));
          } finally {
            await driver.close();
          }
        });
      }
    });
  }
}

/** Finds messages addressed to a member (private) or posted to a channel. */
export const to = (messages: NormalizedMessage[], name: string) => messages.filter((m) => m.to?.includes(name));
export const inChannel = (messages: NormalizedMessage[], channel?: string) =>
  messages.filter((m) => m.channel !== null && (channel === undefined || m.channel === channel));
