import { afterEach, expect, it } from 'vitest';
import { scheduledEvents, setScheduledEventClock } from '../../fakes/discord/fake-scheduled-events.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { describeEachDatabase } from '../../support/databases.js';

describeEachDatabase('meetings as Discord scheduled events', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('publishes upcoming meetings once, updates none that did not change, and cancels one with its meeting', async () => {
    h = await DiscordHarness.start(db());
    const clock = h.clock;
    // the meetings sweep runs each minute, like the bot's ticker
    const tick = async () => {
      clock.advance(60_000);
      await h!.core.runDue(h!.bot.port, h!.guild.id);
    };
    setScheduledEventClock(h.fake, () => clock.now().getTime());
    await h.slash('alice', 'setup', {
      name: 'Chapter',
      type: 'referral',
      timezone: 'Europe/London',
      meeting_day: 'tuesday',
      meeting_time: '07:00',
    });
    await tick();
    const events = scheduledEvents(h.fake).filter((e) => e.guild_id === h!.guild.id);
    // the sweep materialises the meetings within the reminder lead; the first is Tuesday 6 Jan 07:00 London
    expect(events.length).toBeGreaterThanOrEqual(1);
    const first = events.find((e) => e.scheduled_start_time === '2026-01-06T07:00:00.000Z')!;
    expect(first).toMatchObject({
      entity_type: 3,
      privacy_level: 2,
      status: 1,
      channel_id: null,
      name: 'Chapter meeting',
    });
    expect(first.entity_metadata!.location!.length).toBeGreaterThan(0);
    const posts = () => h!.fake.callsTo('POST', /^\/guilds\/\d+\/scheduled-events$/).length;
    const before = posts();
    await tick();
    expect(posts()).toBe(before);

    await h.slash('alice', 'meeting cancel', { date: '2026-01-06', reason: 'Holiday' });
    await tick();
    expect(scheduledEvents(h.fake).find((e) => e.id === first.id)!.status).toBe(4);
    const patches = h.fake.callsTo('PATCH', new RegExp(`^/guilds/\\d+/scheduled-events/${first.id}$`));
    expect(patches.map((c) => c.status)).toEqual([200]);
  });

  it('the fake refuses what Discord refuses: a start in the past, no location, a name over 100', async () => {
    h = await DiscordHarness.start(db());
    setScheduledEventClock(h.fake, () => Date.parse('2026-01-05T09:00:00Z'));
    const post = (body: Record<string, unknown>) =>
      fetch(`${h!.fake.apiUrl}/v10/guilds/${h!.guild.id}/scheduled-events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bot ${h!.fake.token}` },
        body: JSON.stringify({
          name: 'Meeting',
          privacy_level: 2,
          entity_type: 3,
          entity_metadata: { location: 'Town Hall' },
          scheduled_start_time: '2026-01-06T07:00:00Z',
          scheduled_end_time: '2026-01-06T08:30:00Z',
          ...body,
        }),
      });
    expect((await post({})).status).toBe(200);
    for (const bad of [
      { scheduled_start_time: '2026-01-04T07:00:00Z' },
      { entity_metadata: {} },
      { name: 'x'.repeat(101) },
      { scheduled_end_time: '2026-01-06T06:00:00Z' },
      { privacy_level: 1 },
    ]) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: number }).code).toBe(50035);
    }
  });
});
