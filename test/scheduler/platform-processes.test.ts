import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type Database, openDatabase, rowsOf } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import type { Core } from '../../src/core.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { FULL_CAPABILITIES, type MessagePort, type Platform } from '../../src/platform.js';
import { opsCore } from '../ops/ops-support.js';
import { describeEachDatabase } from '../support/databases.js';

const T0 = new Date('2026-01-05T09:00:00Z'); // a Monday

interface Sent {
  communityRef: string;
  to: string;
  text: string;
}

/** A whole platform's port (no communityRefs: it serves every community of its platform), recording what it sends. */
function platformPort(platform: Platform): MessagePort & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    platform,
    capabilities: FULL_CAPABILITIES,
    sent,
    async send(communityRef, target, content) {
      const to =
        target.kind === 'dm'
          ? target.userId
          : target.kind === 'channel'
            ? target.channelRef
            : [...target.userIds].sort().join('+');
      sent.push({ communityRef, to, text: content.text });
      return { channelRef: 'C', messageRef: String(sent.length) };
    },
  };
}

/** A chapter on one platform, set up through its own process's core: meetings, a referral, a pairing program. */
async function chapter(core: Core, port: MessagePort, platform: Platform): Promise<string> {
  const ref = `${platform}-${randomBytes(4).toString('hex')}`;
  let seq = 0;
  const run = async (actor: string, name: string, options: Record<string, unknown> = {}) => {
    const inv: Invocation = {
      platform,
      community: { ref, name: `Chapter on ${platform}` },
      channelRef: 'CGROUP',
      actor: { platformUserId: actor, displayName: actor, ...(actor === 'UMOD' ? { isAdmin: true } : {}) },
      interactionId: `${ref}-${++seq}`,
      input: { kind: 'command', name, options },
    };
    const r = await core.handle(inv, port, async () => {});
    if (r.outcome !== 'ok') throw new Error(`/${name} on ${platform}: ${r.reply.text}`);
  };
  await run('UMOD', 'setup', {
    name: `${platform} chapter`,
    type: 'peer',
    timezone: 'UTC',
    meeting_day: 'tuesday',
    meeting_time: '19:00',
  });
  for (const [i, m] of ['UBOB', 'UCAROL'].entries()) {
    await run(m, 'intro', {
      business: `${m} Ltd`,
      category: `trade ${i}`,
      pitch: 'Good work',
      ideal_referral: 'Anyone',
    });
    await run(m, 'me', { quiet_hours: '00:00-00:00' });
  }
  await run('UBOB', 'refer', {
    member: 'UCAROL',
    prospect: `Prospect on ${platform}`,
    contact: 'p@example.com',
    need: 'Books',
    temperature: 3,
    consent: 'yes',
  });
  await run('UMOD', 'pair setup', { name: 'Coffee', cadence: 'weekly', day: 'monday', time: '09:00' });
  for (const m of ['UBOB', 'UCAROL']) await run(m, 'pair join');
  return ref;
}

describeEachDatabase('a Discord-only and a Slack-only process on one database', (database, kind) => {
  it('each claims and delivers its own platform’s reminders, follow-ups and pairings, once, and none of the other’s', async () => {
    // on PostgreSQL the second process has its own connection pool
    const second: Database =
      kind === 'postgres'
        ? await openDatabase({ url: (database() as Database & { url: string }).url, poolSize: 3 })
        : database();
    try {
      const clocks = { discord: new ManualClock(T0), slack: new ManualClock(T0) };
      const processes = {
        discord: { core: opsCore(database(), { clock: clocks.discord }), port: platformPort('discord') },
        slack: { core: opsCore(second, { clock: clocks.slack }), port: platformPort('slack') },
      };
      const refs = {
        discord: await chapter(processes.discord.core, processes.discord.port, 'discord'),
        slack: await chapter(processes.slack.core, processes.slack.port, 'slack'),
      };
      for (const p of Object.values(processes)) p.port.sent.length = 0;
      // a week on, Monday 20:00: Tuesday's meeting reminder, the referral's follow-up and the round are all due
      for (const c of Object.values(clocks)) c.advance(7 * 86_400_000 + 11 * 3_600_000);
      // both tick at once, each for its own platform only (the production ticker's entry point)
      await Promise.all(Object.values(processes).map((p) => p.core.runDue([p.port])));
      for (const platform of ['discord', 'slack'] as const) {
        const { sent } = processes[platform].port;
        expect(sent.every((s) => s.communityRef === refs[platform])).toBe(true);
        const count = (to: string, text: string) => sent.filter((s) => s.to === to && s.text.includes(text)).length;
        expect(count('UBOB', `Reminder: ${platform} chapter meets`)).toBe(1);
        expect(count('UCAROL', `Reminder: ${platform} chapter meets`)).toBe(1);
        expect(count('UCAROL', 'Reminder: referral #1')).toBe(1);
        expect(count('UBOB+UCAROL', 'You are meeting for Coffee')).toBe(1);
      }
      // nothing was left claimed by the wrong process, or waiting: every job and message of both went out
      const [left] = rowsOf<{ jobs: number; outbox: number }>(
        await database().db.execute(sql`select
          (select count(*) from jobs j join communities c on c.id = j.community_id
            where c.platform_ref in (${refs.discord}, ${refs.slack}) and j.status = 'pending' and j.run_at <= ${clocks.slack.now().toISOString()}::timestamptz)::int as jobs,
          (select count(*) from outbox o join communities c on c.id = o.community_id
            where c.platform_ref in (${refs.discord}, ${refs.slack}) and o.status <> 'sent')::int as outbox`),
      );
      expect(left).toEqual({ jobs: 0, outbox: 0 });
    } finally {
      if (second !== database()) await second.close();
    }
  });
});
