import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { communities, outbox } from '../../db/schema.js';
import { rateLimited } from '../../src/delivery/delivery-error.js';
import { enqueueOutbox } from '../../src/delivery/outbox.js';
import { EXPIRED, OutboxSender } from '../../src/delivery/outbox-sender.js';
import { silentLogger } from '../../src/logger.js';
import { FULL_CAPABILITIES, type MessagePort } from '../../src/platform.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

// The clock starts on Monday 5 January 2026, 09:00 UTC (London's time in winter). The group meets on Tuesdays at
// 07:00 and reminds two hours before: the reminder falls due at 05:00, inside the default quiet hours (21:00–08:00).
const setup = `@alice /setup name:"Peers" type:peer timezone:Europe/London meeting_day:tuesday meeting_time:07:00
@alice /nudges nudge:meeting-reminder timing:2
${['bob', 'carol']
  .map((n) => `@${n} /intro business:"${n} Ltd" category:"trade ${n}" pitch:"We help" ideal_referral:"Anyone"`)
  .join('\n')}
@carol /me quiet_hours:00:00-00:00`;

describeEachDatabase('a message whose moment has passed', (database) => {
  it('a meeting reminder held by quiet hours past the meeting’s start is recorded as expired, never delivered', async () => {
    const h = shellHarness(database());
    await h.run(setup);
    // Tuesday 05:00: the reminder is decided; bob (default quiet hours) would get it at 08:00, after the 07:00 start
    await h.run(':advance 20h');
    const reminders = (who: string) =>
      h.messages.filter((m) => m.to?.includes(who) && m.text.includes('Reminder: Peers meets'));
    // carol has no quiet hours: hers goes at once
    expect(reminders('carol')).toHaveLength(1);
    expect(reminders('bob')).toEqual([]);
    // past 08:00, when bob's quiet hours end, and on through the day: it never comes
    await h.run(':advance 4h\n:advance 1d');
    expect(reminders('bob')).toEqual([]);
    expect(reminders('carol')).toHaveLength(1);
    const [community] = await database()
      .db.select()
      .from(communities)
      .where(eq(communities.platformRef, h.communityRef));
    const rows = await database().db.select().from(outbox).where(eq(outbox.communityId, community!.id));
    const bobsRow = rows.filter(
      (r) => JSON.stringify(r.content).includes('Reminder: Peers meets') && r.status !== 'sent',
    );
    // bob's and alice's (the moderator keeps the default quiet hours too)
    expect(bobsRow.length).toBeGreaterThanOrEqual(1);
    for (const r of bobsRow) {
      expect(r.status).toBe('expired');
      expect(r.lastError).toBe(EXPIRED);
      expect(r.sentAt).toBeNull();
    }
  });

  it('a reminder held by a paused platform past its validity end is dropped, not sent late', async () => {
    const h = shellHarness(database());
    await h.run(setup);
    const [community] = await database()
      .db.select()
      .from(communities)
      .where(eq(communities.platformRef, h.communityRef));
    const sends: string[] = [];
    let limited = true;
    // a platform that answers the first send with a Retry-After of ten minutes for its channel
    const port: MessagePort = {
      platform: 'shell',
      capabilities: FULL_CAPABILITIES,
      communityRefs: [h.communityRef],
      async send(_ref, _target, content) {
        sends.push(content.text);
        if (limited) {
          limited = false;
          throw rateLimited(600_000, 'route');
        }
        return { channelRef: 'c', messageRef: String(sends.length) };
      },
    };
    const now = h.clock.now();
    const { ids } = await enqueueOutbox(
      database().db,
      community!.id,
      [
        {
          target: { kind: 'channel', channelRef: 'general' },
          content: { text: 'Starting in five minutes: check in' },
          validUntil: new Date(now.getTime() + 5 * 60_000),
        },
        { target: { kind: 'channel', channelRef: 'intros' }, content: { text: 'No end to this one' } },
      ],
      { now, timezone: 'UTC' },
    );
    await h.core.outbox.sendNow(port, ids);
    // the first send was refused for ten minutes: back to the outbox until then; the other channel's went
    expect(sends).toEqual(['Starting in five minutes: check in', 'No end to this one']);
    h.clock.advance(11 * 60_000);
    await h.core.outbox.flush([port]);
    // ten minutes on, its five had run out: dropped, not sent late
    expect(sends).toEqual(['Starting in five minutes: check in', 'No end to this one']);
    const rows = await database().db.select().from(outbox).where(eq(outbox.communityId, community!.id));
    const status = Object.fromEntries(rows.map((r) => [(r.content as { text: string }).text, r.status]));
    expect(status['Starting in five minutes: check in']).toBe('expired');
    expect(status['No end to this one']).toBe('sent');
  });

  it('a running bot that comes to a message only after its end (it was down) drops it', async () => {
    const h = shellHarness(database());
    await h.run(setup);
    const [community] = await database()
      .db.select()
      .from(communities)
      .where(eq(communities.platformRef, h.communityRef));
    const now = h.clock.now();
    await enqueueOutbox(
      database().db,
      community!.id,
      [
        {
          target: { kind: 'channel', channelRef: 'general' },
          content: { text: 'The meeting has started: check in' },
          validUntil: new Date(now.getTime() + 60 * 60_000),
        },
      ],
      { now, timezone: 'UTC' },
    );
    const sends: string[] = [];
    const port: MessagePort = {
      platform: 'shell',
      capabilities: FULL_CAPABILITIES,
      communityRefs: [h.communityRef],
      async send(_ref, _target, content) {
        sends.push(content.text);
        return { channelRef: 'c', messageRef: String(sends.length) };
      },
    };
    // the production sender (late rows expire), back two hours later
    h.clock.advance(2 * 60 * 60_000);
    const sender = new OutboxSender({ db: database().db, clock: h.clock, log: silentLogger, workerId: 'late' });
    expect(await sender.flush([port])).toBe(0);
    expect(sends).toEqual([]);
    const rows = await database().db.select().from(outbox).where(eq(outbox.communityId, community!.id));
    const mine = rows.filter((r) => JSON.stringify(r.content).includes('The meeting has started'));
    expect(mine.map((r) => r.status)).toEqual(['expired']);
  });
});
