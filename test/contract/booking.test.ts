import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { runContract, to } from './run-scenarios.js';

/**
 * Booking the 1-to-1 (issue 18). The clock starts Monday 5 Jan 2026 09:00 UTC. Bob (London) can meet
 * Tue–Thu 08:00–14:00 and Fri 14:00–17:00; Carol (New York, 12:00–16:00 London) weekdays 07:00–11:00, and her
 * quiet hours end at 08:00 New York: so Tue–Thu offer 13:00 London only, and Friday 14:00, 14:30 and 15:00.
 */
const setup = `
@alice /setup name:"Peers" type:peer timezone:Europe/London
@bob /intro business:"Bobs Pipes" category:plumber pitch:"We fix leaks fast. And more." ideal_referral:"Homeowners"
@carol /intro business:"Carol Cakes" category:baker pitch:"Cakes for every party." ideal_referral:"Event planners"
@alice /pair setup name:Coffee cadence:weekly day:monday time:09:00
@bob /pair join
@carol /pair join
@bob /me availability:"tue-thu 08:00-14:00, fri 14:00-17:00" format:video
@carol /me timezone:America/New_York availability:"weekdays 07:00-11:00"
@alice /booking settings video:template link:https://meet.jit.si/roundtable-{random}
@alice /pair start
`;

const conversations = (m: NormalizedMessage[]) =>
  m.filter((x) => (x.to?.length ?? 0) > 1 && x.to!.includes('bob') && x.to!.includes('carol'));
const latest = (m: NormalizedMessage[]) => conversations(m).at(-1)!;

runContract('booking 1-to-1s', [
  {
    name: 'availability is shown back in plain words; impossible dates and windows are refused',
    script: `
@alice /setup name:"Peers" type:peer timezone:Europe/London
@bob /intro business:"Bobs Pipes" category:plumber pitch:"We fix leaks." ideal_referral:"Homeowners"
@bob /me availability:"tue-thu 08:00-12:00, fri 14:00-17:00" format:in-person place:"Cafe Nero, High St" away:2026-12-20..2027-01-05
@bob /me away:2026-02-30..2026-03-02
@bob /me availability:"fri 17:00-09:00"
@bob /me availability:"funday 9-17"
`,
    check(m) {
      const [shown, badDate, backwards, badDay] = to(m, 'bob').slice(-4);
      expect(shown!.text).toContain(
        '1-to-1 availability: Tuesday to Thursday 08:00–12:00; Friday 14:00–17:00 (Europe/London)',
      );
      expect(shown!.text).toContain('1-to-1 format: in person (place: Cafe Nero, High St)');
      expect(shown!.text).toContain('Away: 2026-12-20 to 2027-01-05 inclusive');
      expect(badDate!.text).toContain('2026-02-30 does not exist');
      expect(backwards!.text).toContain('ends before it starts');
      expect(badDay!.text).toContain('“funday” is not a day');
    },
  },
  {
    name: 'the pairing offers three times in each member’s zone; one click books it for both with an invite',
    script: `${setup}
@carol :press "Book Wed 13:00"
@bob /booking list
`,
    check(m) {
      const offer = conversations(m)[0]!;
      expect(offer.text).toContain(
        'bob: Tue 6 Jan 13:00–13:45 Europe/London · carol: Tue 6 Jan 08:00–08:45 America/New_York',
      );
      expect(offer.text).toContain('Thu 8 Jan 13:00');
      expect(offer.buttons).toEqual([
        'Book Tue 13:00',
        'Book Wed 13:00',
        'Book Thu 13:00',
        'None of these',
        'We’ll arrange it ourselves',
      ]);
      const booked = latest(m);
      expect(booked.text).toContain('Booked: bob: Wed 7 Jan 13:00–13:45 Europe/London');
      expect(booked.text).toMatch(/Where: https:\/\/meet\.jit\.si\/roundtable-[\w-]{12}/);
      expect(booked.buttons).toEqual(['Reschedule', 'Cancel']);
      const bobConfirm = to(m, 'bob').find((x) => x.text.startsWith('Booked by carol'))!;
      expect(bobConfirm.text).toContain('Wed 7 Jan 13:00 (45 min, Europe/London)');
      expect(bobConfirm.text).toContain('invite.ics');
      expect(bobConfirm.text).toContain('https://calendar.google.com/calendar/render?action=TEMPLATE');
      expect(bobConfirm.text).toContain('https://outlook.live.com/calendar/0/deeplink/compose?');
      const carolConfirm = to(m, 'carol').find((x) => x.text.startsWith('Booked by you'))!;
      expect(carolConfirm.text).toContain('Wed 7 Jan 08:00 (45 min, America/New_York)');
      expect(to(m, 'bob').at(-1)!.text).toContain('Wed 7 Jan 13:00 (Europe/London) with carol');
    },
  },
  {
    name: '"None of these" offers the next three; "We’ll arrange it ourselves" stops proposing',
    script: `${setup}
@bob :press "None of these"
@bob :press "None of these"
@carol :press "We’ll arrange it ourselves"
`,
    check(m) {
      const convs = conversations(m);
      const second = convs[1]!;
      expect(second.text).toContain('bob: Fri 9 Jan 14:00–14:45 Europe/London');
      expect(second.buttons).toContain('Book Fri 9 Jan 14:30');
      const third = convs[2]!;
      expect(third.text).toContain('No more times fit this round');
      expect(third.buttons).toEqual(['We’ll arrange it ourselves']);
      expect(latest(m).text).toContain('carol said you will agree a time between you');
    },
  },
  {
    name: 'rescheduling offers new times and sends an updated invite; cancelling sends a cancellation',
    script: `${setup}
@carol :press "Book Tue 13:00"
@bob :press "Reschedule"
@carol :press "Book Thu 13:00"
@bob :press "Cancel"
@bob /booking list
:advance 4h
`,
    check(m) {
      const move = conversations(m).find((x) => x.text.includes('bob would like to move your 1-to-1'))!;
      expect(move.text).toContain('New times instead of Tue 6 Jan 13:00');
      expect(move.buttons).toContain('Keep the booked time');
      expect(move.buttons).not.toContain('Book Tue 13:00');
      const moved = to(m, 'bob').find((x) => x.text.startsWith('Rescheduled by carol'))!;
      expect(moved.text).toContain('moves from Tue 6 Jan 13:00 to Thu 8 Jan 13:00');
      expect(moved.text).toMatch(/invite(-\d+)?\.ics/); // the shell numbers a second file of one name
      // 09:00 UTC is 04:00 in New York: Carol's cancellation waits out her quiet hours, then arrives
      const cancelled = to(m, 'carol').find((x) => x.text.startsWith('Cancelled by bob'))!;
      expect(cancelled.text).toContain('on Thu 8 Jan 08:00 is off');
      expect(cancelled.text).toMatch(/invite(-\d+)?\.ics/);
      expect(latest(m).buttons).toEqual(['Find new times', 'We’ll arrange it ourselves']);
      expect(to(m, 'bob').find((x) => x.text.includes('You have no 1-to-1 booked'))).toBeDefined();
    },
  },
  {
    name: 'a reminder an hour before and "Did you meet?" after the booked end; then Reschedule is refused',
    script: `${setup}
@carol :press "Book Tue 13:00"
:advance 1d
:advance 3h
:advance 2h
@bob :press "Met"
@bob :press "Reschedule"
`,
    check(m) {
      const reminder = to(m, 'bob').find((x) => x.text.startsWith('In an hour: your 1-to-1 with carol'))!;
      expect(reminder.text).toContain('Tue 6 Jan 13:00 (Europe/London)');
      expect(reminder.buttons).toEqual(['Reschedule', 'Cancel']);
      // an hour before is 07:00 in New York, inside Carol's quiet hours: hers comes the evening before instead
      expect(
        to(m, 'carol').some(
          (x) =>
            x.text.startsWith('Coming up: your 1-to-1 with bob') &&
            x.text.includes('Tue 6 Jan 08:00 (America/New_York)'),
        ),
      ).toBe(true);
      const check = conversations(m).find((x) => x.text.includes('should be over: did you meet?'))!;
      expect(check.buttons).toEqual(['Met', "Couldn't"]);
      expect(to(m, 'bob').at(-2)!.text).toContain('Did it lead to a referral or a connection?');
      expect(to(m, 'bob').at(-1)!.text).toContain('has started or is over: it can no longer be moved');
    },
  },
  {
    name: 'rolling 1-to-1s: once a pair met, each is proposed a next 1-to-1 with someone free; settings are validated',
    script: `
@alice /setup name:"Peers" type:peer timezone:Europe/London
@bob /intro business:"Bobs Pipes" category:plumber pitch:"We fix leaks." ideal_referral:"Homeowners"
@carol /intro business:"Carol Cakes" category:baker pitch:"Cakes." ideal_referral:"Planners"
@dave /intro business:"Dave Decor" category:decorator pitch:"Walls." ideal_referral:"Landlords"
@erin /intro business:"Erin Energy" category:electrician pitch:"Sparks." ideal_referral:"Builders"
@alice /pair setup name:Coffee cadence:weekly day:monday time:09:00 who:everyone
@alice /booking settings video:template link:https://meet.jit.si/no-room-here
@alice /booking settings program:Coffee rolling:true
@bob /pair exclude member:@carol
@bob /pair exclude member:@dave
@alice /pair start
@bob /pair exclude member:@carol undo:true
@bob /pair exclude member:@dave undo:true
@bob :press "Book Mon 12:00"
@carol :press "Book Mon 12:00"
:advance 4h
@carol :press "Met"
`,
    check(m) {
      const [refused, saved] = to(m, 'alice').filter((x) => x.text.includes('template') || x.text.includes('Rolling'));
      expect(refused!.text).toContain('needs {random}');
      expect(saved!.text).toContain('Rolling 1-to-1s (one always booked ahead): 1 program(s)');
      const answered = to(m, 'carol').find((x) => x.text.includes('Did it lead to a referral'))!;
      expect(answered.text).toContain('Your next 1-to-1 is proposed in a new conversation');
      // the round paired bob with erin and carol with dave (bob's exclusions, lifted after the round started)
      const next = m.filter((x) => (x.to?.length ?? 0) === 2 && x.text.includes('so one is always in the diary'));
      // carol and dave each get a new partner among bob and erin, never the one they just met
      expect(next).toHaveLength(2);
      for (const n of next) {
        expect(n.buttons.filter((b) => b.startsWith('Book '))).toHaveLength(3);
        expect([...n.to!].sort()).not.toEqual(['carol', 'dave']);
      }
      expect(new Set(next.flatMap((n) => n.to!))).toEqual(new Set(['bob', 'carol', 'dave', 'erin']));
    },
  },
]);
