import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { expect, it } from 'vitest';
import type { ShellMessage } from '../../adapters/shell/shell-message.js';
import { bookings, jobs } from '../../db/schema.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const script = `
@alice /setup name:"Peers" type:peer timezone:Europe/London
@bob /intro business:"Bobs Pipes" category:plumber pitch:"We fix leaks fast. And more besides." ideal_referral:"Homeowners"
@carol /intro business:"Carol Cakes" category:baker pitch:"Cakes for every party." ideal_referral:"Event planners"
@alice /pair setup name:Coffee cadence:weekly day:monday time:09:00
@bob /pair join
@carol /pair join
@bob /me availability:"tue-thu 08:00-14:00" format:in-person place:"Cafe Nero, High St"
@carol /me timezone:America/New_York availability:"weekdays 07:00-11:00" format:any
@alice /pair start
`;

/** The invite file a message says it wrote (the shell writes attachments where exports go). */
function inviteOf(m: ShellMessage): ICAL.Component {
  const text = JSON.stringify(m);
  const path = /file written to ([^)"\\]+invite(?:-\d+)?\.ics)/.exec(text)?.[1]; // a second file of one name is numbered
  if (!path) throw new Error(`no invite in: ${m.content.text}`);
  return new ICAL.Component(ICAL.parse(fs.readFileSync(path, 'utf8')));
}

describeEachDatabase('calendar invites', (db) => {
  it('each member’s invite parses back to the booking: UID, sequence, UTC times, place, partners; a move raises the sequence and a cancel sends METHOD:CANCEL', async () => {
    const h = shellHarness(db());
    await h.run(script);
    await h.run('@carol :press "Book Wed 13:00"');
    const [booked] = await h.core.db.select().from(bookings).where(eq(bookings.status, 'booked'));
    const confirms = h.messages.filter((m) => m.content.text.includes('Booked by'));
    expect(confirms.map((m) => m.to)).toEqual([['bob'], ['carol']]);
    for (const m of confirms) {
      const cal = inviteOf(m);
      expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
      expect(cal.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/London');
      const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
      expect(ev.uid).toBe(booked!.uid);
      expect(ev.sequence).toBe(0);
      expect(ev.startDate.toJSDate().toISOString()).toBe(booked!.startsAt!.toISOString());
      expect(ev.endDate.toJSDate().toISOString()).toBe(booked!.endsAt!.toISOString());
      expect(ev.startDate.zone?.tzid).toBe('UTC');
      expect(ev.location).toBe('Cafe Nero, High St');
      expect(ev.description).toContain('bob (Bobs Pipes): We fix leaks fast.');
      expect(ev.description).not.toContain('And more besides');
      expect(ev.description).toContain('carol (Carol Cakes): Cakes for every party.');
      // no address on their cards: a stand-in on the reserved .invalid domain (calendars require one)
      expect(ev.organizer).toMatch(/^mailto:member-\d+@roundtable\.invalid$/);
      expect(ev.attendees.map((a) => a.getParameter('cn'))).toEqual(['bob', 'carol']);
    }
    // three jobs: a reminder for each member and the check-in
    const pending = await h.core.db.select().from(jobs).where(eq(jobs.status, 'pending'));
    expect(
      pending
        .filter((j) => j.dedupeKey?.startsWith(`booking:${booked!.id}:0:`))
        .map((j) => j.kind)
        .sort(),
    ).toEqual(['booking.check-in', 'booking.reminder', 'booking.reminder']);

    await h.run('@bob :press "Reschedule"\n@bob :press "Book Thu 13:00"');
    const moved = h.messages.filter((m) => m.content.text.includes('Rescheduled by')).at(-1)!;
    const ev2 = new ICAL.Event(inviteOf(moved).getFirstSubcomponent('vevent')!);
    const [after] = await h.core.db.select().from(bookings).where(eq(bookings.id, booked!.id));
    expect(ev2.uid).toBe(booked!.uid);
    expect(ev2.sequence).toBe(1);
    expect(ev2.startDate.toJSDate().toISOString()).toBe(after!.startsAt!.toISOString());
    expect(after!.startsAt!.toISOString()).toBe('2026-01-08T13:00:00.000Z');
    const stillPending = await h.core.db.select().from(jobs).where(eq(jobs.status, 'pending'));
    expect(
      stillPending
        .filter((j) => j.dedupeKey?.startsWith(`booking:${booked!.id}:`))
        .every((j) => j.dedupeKey!.includes(':1:')),
    ).toBe(true);

    await h.run('@carol :press "Cancel"');
    const cancel = h.messages.filter((m) => m.content.text.includes('Cancelled by')).at(-1)!;
    const cal3 = inviteOf(cancel);
    expect(cal3.getFirstPropertyValue('method')).toBe('CANCEL');
    const ev3 = new ICAL.Event(cal3.getFirstSubcomponent('vevent')!);
    expect(ev3.uid).toBe(booked!.uid);
    expect(ev3.sequence).toBe(2);
    expect(cal3.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
    const none = await h.core.db.select().from(jobs).where(eq(jobs.status, 'pending'));
    expect(none.filter((j) => j.dedupeKey?.startsWith(`booking:${booked!.id}:`))).toEqual([]);
  });
});
