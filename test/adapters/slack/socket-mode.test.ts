import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningSlack, startSlack } from '../../../adapters/slack/slack-app.js';
import { commands } from '../../../commands/index.js';
import type { Database } from '../../../db/client.js';
import { ManualClock } from '../../../src/clock.js';
import { Registry } from '../../../src/commands/registry.js';
import { Core } from '../../../src/core.js';
import { silentLogger } from '../../../src/logger.js';
import { seededRandom } from '../../../src/random.js';
import { FakeSlack } from '../../fakes/slack/fake-slack.js';
import { openTestDatabase } from '../../support/databases.js';
import { TEST_PACING } from '../../support/test-pacing.js';
import { freshTeamId } from './slack-harness.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite');
});
afterAll(async () => database?.close());

it('starts in Socket Mode against apps.connections.open and serves a slash command over the socket', async () => {
  const fake = await FakeSlack.start();
  const team = fake.addTeam({ id: freshTeamId() });
  fake.addUser({ id: 'U0ALICE', name: 'alice', teamId: team.id });
  const core = new Core({
    pacing: TEST_PACING,
    database,
    registry: new Registry(commands),
    clock: new ManualClock(),
    random: seededRandom(1),
    log: silentLogger,
  });
  let bot: RunningSlack | undefined;
  try {
    bot = await startSlack(
      core,
      { PORT: 0, SLACK_APP_TOKEN: fake.appToken, SLACK_BOT_TOKEN: team.botToken, SLACK_API_URL: fake.apiUrl },
      silentLogger,
      { retries: 1 },
    );
    expect(bot.mode).toBe('socket');
    expect(bot.httpPort).toBeNull();
    const open = fake.api('apps.connections.open')[0]!;
    expect(open).toBeTruthy();
    expect(fake.socketCount).toBe(1);
    const responseUrl = fake.responseUrl({ teamId: team.id, channel: 'C0GENERAL', userId: 'U0ALICE' });
    const ack = await fake.socketSend('slash_commands', {
      team_id: team.id,
      team_domain: team.domain,
      channel_id: 'C0GENERAL',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/setup',
      text: 'name:"Socket Club"',
      response_url: responseUrl,
      trigger_id: `${Date.now()}.socket`,
      api_app_id: 'A1',
    });
    expect(ack).toEqual({});
    await bot.settled();
    const reply = fake.calls.find((c) => c.kind === 'respond')!;
    expect(reply.args.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.args.blocks)).toContain('Socket Club');
  } finally {
    await bot?.stop();
    await fake.close();
  }
});
