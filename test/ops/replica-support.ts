import { type RunningSlack, startSlack } from '../../adapters/slack/slack-app.js';
import { type Database, openDatabase } from '../../db/client.js';
import type { Core } from '../../src/core.js';
import { silentLogger } from '../../src/logger.js';
import type { FakeSlack, FakeTeam } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { openTestDatabase } from '../support/test-database.js';
import { ThrowawayPostgres } from '../support/throwaway-postgres.js';
import { opsCore } from './ops-support.js';

export const SIGNING_SECRET = 'replica-signing-secret';

/** A PostgreSQL URL for replica tests: a fresh database on DATABASE_URL's server, else a throwaway cluster. */
export async function sharedPostgres(): Promise<{ url: string; close(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = (await openTestDatabase('postgres')) as Database & { url: string };
    return { url: db.url, close: () => db.close() };
  }
  const pg = await ThrowawayPostgres.create();
  return { url: pg.url, close: async () => pg.destroy() };
}

export interface Replica {
  database: Database;
  core: Core;
  slack: RunningSlack;
  client: SlackClient;
  close(): Promise<void>;
}

/** One bot process's worth: its own postgres.js pool, core and Bolt receiver, against the shared fake Slack. */
export async function startReplica(url: string, fake: FakeSlack, team: FakeTeam): Promise<Replica> {
  const database = await openDatabase({ url, poolSize: 5 });
  const core = opsCore(database);
  const slack = await startSlack(
    core,
    { PORT: 0, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: team.botToken },
    silentLogger,
    { retries: 2, timeoutMs: 3000 },
  );
  const client = new SlackClient(fake, `http://127.0.0.1:${slack.httpPort}`, SIGNING_SECRET);
  return {
    database,
    core,
    slack,
    client,
    async close() {
      await slack.stop();
      await database.close();
    },
  };
}
