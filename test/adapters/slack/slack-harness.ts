import { randomBytes } from 'node:crypto';
import {
  type RunningSlack,
  type SlackConfig,
  type SlackTuning,
  startSlack,
} from '../../../adapters/slack/slack-app.js';
import { commands } from '../../../commands/index.js';
import type { Database } from '../../../db/client.js';
import { ManualClock } from '../../../src/clock.js';
import type { CommandDefinition } from '../../../src/commands/define.js';
import { Registry } from '../../../src/commands/registry.js';
import { Core } from '../../../src/core.js';
import { type Logger, silentLogger } from '../../../src/logger.js';
import { seededRandom } from '../../../src/random.js';
import { FakeSlack, type FakeTeam } from '../../fakes/slack/fake-slack.js';
import { SlackClient } from '../../fakes/slack/signed-client.js';
import { TEST_PACING } from '../../support/test-pacing.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface SlackHarness {
  fake: FakeSlack;
  bot: RunningSlack;
  core: Core;
  clock: ManualClock;
  client: SlackClient;
  close(): Promise<void>;
}

/** A fresh team id per test: tests share a database and must not see each other's communities. */
export const freshTeamId = () => `T${randomBytes(4).toString('hex').toUpperCase()}`;

/**
 * The real Bolt app against a loopback fake Slack: the fake starts first (Bolt calls auth.test while starting),
 * the receiver listens on an ephemeral port.
 */
export async function startSlackHarness(
  database: Database,
  opts: {
    mode?: 'http' | 'oauth';
    commands?: CommandDefinition[];
    team?: Partial<FakeTeam>;
    config?: Partial<SlackConfig>;
    tuning?: SlackTuning;
    log?: Logger;
  } = {},
): Promise<SlackHarness & { team: FakeTeam }> {
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ id: freshTeamId(), ...opts.team });
  const clock = new ManualClock();
  const core = new Core({
    database,
    registry: new Registry(opts.commands ?? commands),
    clock,
    random: seededRandom(42),
    log: opts.log ?? silentLogger,
    pacing: TEST_PACING,
  });
  const config = {
    PORT: 0,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...(opts.mode === 'oauth'
      ? {
          SLACK_CLIENT_ID: fake.oauthClient.id,
          SLACK_CLIENT_SECRET: fake.oauthClient.secret,
          SLACK_STATE_SECRET: 'state-secret',
          TOKEN_ENCRYPTION_KEY: ENCRYPTION_KEY,
        }
      : { SLACK_BOT_TOKEN: team.botToken }),
    ...opts.config,
  } as SlackConfig;
  let bot: RunningSlack;
  try {
    bot = await startSlack(core, config, opts.log ?? silentLogger, {
      retries: 2,
      timeoutMs: 3000,
      ...opts.tuning,
    });
  } catch (err) {
    await fake.close();
    throw err;
  }
  const client = new SlackClient(fake, `http://127.0.0.1:${bot.httpPort}`, SIGNING_SECRET);
  return {
    fake,
    bot,
    core,
    clock,
    client,
    team,
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}
