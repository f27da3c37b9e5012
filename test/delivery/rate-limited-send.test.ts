import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { outbox } from '../../db/schema.js';
import { ManualClock } from '../../src/clock.js';
import { DeliveryError } from '../../src/delivery/delivery-error.js';
import { enqueueOutbox } from '../../src/delivery/outbox.js';
import { OutboxSender } from '../../src/delivery/outbox-sender.js';
import { silentLogger } from '../../src/logger.js';
import { FULL_CAPABILITIES, type MessagePort } from '../../src/platform.js';
import { describeEachDatabase } from '../support/databases.js';
import { seedGroup } from '../support/nudges-fixtures.js';

const T0 = new Date('2026-01-05T23:30:00Z'); // inside default quiet hours: an awaited answer must not wait for them

describeEachDatabase('a committed message the platform rate-limits', (database) => {
  it('waits in the outbox and is sent once after the wait, the others at once', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 3, platform: 'slack' });
    const clock = new ManualClock(T0);
    const sent: string[] = [];
    const files: string[] = [];
    let limited = true;
    const port: MessagePort = {
      platform: 'slack',
      capabilities: FULL_CAPABILITIES,
      async send(_c, target, content) {
        if (target.kind === 'dm' && target.userId === 'u1' && limited) {
          limited = false;
          throw new DeliveryError('rate limited', { retryAfterMs: 30_000 });
        }
        sent.push(`${target.kind === 'dm' ? target.userId : 'channel'}: ${content.text}`);
        for (const a of content.attachments ?? []) files.push(`${a.filename}: ${new TextDecoder().decode(a.data)}`);
        return { channelRef: 'D', messageRef: String(sent.length) };
      },
    };
    // what a command queues for others (its invoker is members[0]: their own DM is an answer, never held)
    const { ids } = await enqueueOutbox(
      db,
      community.id,
      members.map((m) => ({
        target: { kind: 'dm' as const, memberId: m.id },
        quietHours: false,
        content: {
          text: `hello ${m.id}`,
          // bytes must survive the outbox's jsonb
          attachments: [{ filename: 'r.csv', contentType: 'text/csv', data: new TextEncoder().encode('a,b\r\n1,2') }],
        },
      })),
      { now: clock.now(), timezone: 'UTC', askedBy: members[0]!.id },
    );
    const sender = new OutboxSender({ db, clock, log: silentLogger, workerId: 'm' });
    // right after the commit: sent at once, the rate-limited one left waiting out its Retry-After
    expect(await sender.sendNow(port, ids)).toBe(0);
    expect(sent).toEqual([`u0: hello ${members[0]!.id}`, `u2: hello ${members[2]!.id}`]);
    const rows = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
    const [row] = rows.filter((r) => r.status !== 'sent');
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(2);
    expect(row).toMatchObject({ memberId: members[1]!.id, status: 'pending' });
    expect(row!.nextAttemptAt.getTime()).toBe(T0.getTime() + 30_000);

    expect(await sender.flush([port], [community.id])).toBe(0); // not before the wait is over
    clock.advance(31_000);
    // a tick after the wait (a fresh sender: the pacer's pause of that DM runs on real time, not the test's clock)
    const later = new OutboxSender({ db, clock, log: silentLogger, workerId: 'm' });
    expect(await later.flush([port], [community.id])).toBe(1);
    expect(await later.flush([port], [community.id])).toBe(0);
    expect(sent.filter((s) => s.startsWith('u1:'))).toEqual([`u1: hello ${members[1]!.id}`]);
    expect(files).toEqual(Array(3).fill('r.csv: a,b\r\n1,2'));
  });
});
