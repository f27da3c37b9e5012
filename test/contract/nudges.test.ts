import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { inChannel, runContract, to } from './run-scenarios.js';

// The clock starts on Monday 5 January 2026, 09:00 UTC.
const setup = '@alice /setup name:"Peers" type:peer timezone:Europe/London';
const intro = (name: string) =>
  `@${name} /intro business:"${name} Ltd" category:"trade ${name}" pitch:"We help" ideal_referral:"Anyone"`;
const saying = (m: NormalizedMessage[], text: string) => m.filter((x) => x.text.includes(text));
/** Posts in the group channel other than intro cards (which land there on Discord and Slack, in #intros in the shell). */
const posts = (m: NormalizedMessage[]) => inChannel(m, 'general').filter((x) => !x.text.includes('Please welcome'));

runContract('nudges', [
  {
    name: '/commit asks “Done?” at the deadline; Done closes it and /commitments lists what is open',
    script: `
${setup}
${intro('bob')}
@bob /commit what:"call 3 prospects" by:wednesday
@bob /commit what:"write a case study" by:"in 2 weeks"
@bob /commitments
:advance 2d9h
@bob :press "Done"
@bob /commitments
`,
    check(m) {
      const bob = to(m, 'bob');
      expect(bob.find((x) => x.text.startsWith('Committed (#'))!.text).toContain('Wed 7 Jan 2026 17:00');
      const listed = bob.find((x) => x.text.startsWith('Your open commitments (2)'))!;
      expect(listed.text.indexOf('call 3 prospects')).toBeLessThan(listed.text.indexOf('write a case study'));
      const ask = bob.find((x) => x.text.startsWith('Done?'))!;
      expect(ask.private).toBe(true);
      expect(ask.text).toContain('call 3 prospects');
      expect(ask.buttons).toEqual(['Done', 'Not yet', 'Drop']);
      expect(bob.find((x) => x.edited)!.text).toContain('Well done');
      expect(bob.at(-1)!.text).toContain('Your open commitments (1)');
      expect(bob.at(-1)!.text).not.toContain('call 3 prospects');
      expect(posts(m)).toHaveLength(0);
    },
  },
  {
    name: 'a “Done?” that falls in quiet hours waits until the morning',
    script: `
${setup}
${intro('bob')}
@bob /me quiet_hours:16:00-09:30
@bob /commit what:"send the invoice" by:today
:advance 12h
@bob /commitments
:advance 13h
`,
    check(m) {
      const bob = to(m, 'bob');
      const ask = bob.findIndex((x) => x.text.startsWith('Done?'));
      const listing = bob.findIndex((x) => x.text.startsWith('Your open commitments'));
      expect(ask).toBeGreaterThan(listing); // not at 17:00 nor at 21:00, only after 09:30
    },
  },
  {
    name: 'the weekly digest posts what members committed to and did, leaving private ones out',
    script: `
${setup}
${intro('bob')}
${intro('carol')}
@bob /commit what:"call 3 prospects" by:tuesday
@carol /commit what:"secret pivot" by:thursday private:true
:advance 1d9h
@bob :press "Done"
:advance 3d3h
`,
    check(m) {
      const [digest, ...more] = posts(m);
      expect(more).toHaveLength(0);
      expect(digest!.text).toContain('This week in Peers');
      expect(digest!.text).toContain('bob committed to “call 3 prospects”');
      expect(digest!.text).toContain('✓ bob did “call 3 prospects”');
      expect(digest!.text).toContain('1 private not shown');
      expect(digest!.text).not.toContain('secret pivot');
    },
  },
  {
    name: 'members without a card are reminded after 3 days, once more after 10, then never',
    script: `
${setup}
:moderator bob
${intro('carol')}
:advance 3d
:advance 7d
:advance 20d
`,
    check(m) {
      const reminders = (name: string) => saying(to(m, name), 'haven’t introduced yourself');
      // Dated, not "3 days ago": quiet hours may hold the DM. Joined Mon 5 Jan; reminded at 3 and 10 days.
      expect(
        reminders('bob').map((x) => x.text.match(/joined Peers on (.+?) and, as of (.+?), haven’t/)!.slice(1)),
      ).toEqual([
        ['Mon 5 Jan 2026', 'Thu 8 Jan 2026'],
        ['Mon 5 Jan 2026', 'Thu 15 Jan 2026'],
      ]);
      expect(reminders('bob')[1]!.text).toContain('last reminder');
      expect(reminders('alice')).toHaveLength(2);
      expect(reminders('carol')).toHaveLength(0);
    },
  },
  {
    name: '/nudges shows each nudge; a moderator turns one off or changes its timing; members cannot',
    script: `
${setup}
:moderator bob
@alice /nudges
@alice /nudges nudge:intro-reminder timing:"5"
@alice /nudges nudge:weekly-digest timing:"every monday 8:00"
@alice /nudges nudge:weekly-digest timing:"whenever"
@carol /nudges nudge:intro-reminder on:false
:advance 3d
:advance 2d
@alice /nudges nudge:intro-reminder on:false
:advance 10d
`,
    check(m) {
      const alice = to(m, 'alice');
      expect(alice[1]!.text).toContain('intro-reminder: on — after 3 and 10 days');
      expect(alice[1]!.text).toContain('weekly-digest: on — every friday 16:00 (group rule)');
      expect(alice[2]!.text).toContain('intro-reminder: on — after 5 days');
      expect(alice[3]!.text).toContain('weekly-digest: on — every monday 8:00');
      expect(alice[4]!.text).toContain('needs a time');
      expect(to(m, 'carol')[0]!.text).toContain('Only moderators can use /nudges');
      const bobReminders = saying(to(m, 'bob'), 'haven’t introduced yourself');
      expect(bobReminders.map((x) => x.text.match(/as of (.+?), haven’t/)![1])).toEqual(['Sat 10 Jan 2026']);
      expect(posts(m).every((x) => x.text.includes('This week in Peers'))).toBe(true);
      expect(posts(m).length).toBeGreaterThanOrEqual(2); // Mondays 12 and 19 January
    },
  },
  {
    name: 'moderators schedule announcements to everyone or the channel; pause, resume, list and delete them',
    script: `
${setup}
${intro('bob')}
${intro('carol')}
@alice /nudge create schedule:"every monday 9:00" message:"Who will you invite this week?" to:everyone
@alice /nudge create schedule:"first tuesday of the month 18:30" message:"Socials tonight" to:channel
@alice /nudge create schedule:"every blursday 9:00" message:"x"
@bob /nudge create schedule:"every monday 9:00" message:"spam"
@alice /nudge list
:advance 7d
@alice /nudge pause id:1
:advance 7d
@alice /nudge pause id:1 resume:true
@alice /nudge list
@alice /nudge delete id:2
@alice /nudge delete id:2
:advance 4w
# time goes on: a paced fan-out (Discord opens DMs gradually) finishes on the next ticks
:advance 1h
:advance 1h
`,
    check(m) {
      const alice = to(m, 'alice');
      expect(alice[1]!.text).toContain('Announcement #1 scheduled every monday 9:00 (Europe/London) to everyone');
      expect(alice[1]!.text).toContain('First: Mon 12 Jan 2026 09:00');
      expect(alice[3]!.text).toContain('can’t read the schedule');
      expect(to(m, 'bob').some((x) => x.text.includes('Only moderators can use /nudge create'))).toBe(true);
      expect(alice[4]!.text).toContain('#2 first tuesday of the month 18:30 → the group channel');
      const invites = (name: string) => saying(to(m, name), '📣 Peers: Who will you invite this week?');
      // 12 Jan; paused over 19 Jan (not replayed on resume); then 26 Jan, 2, 9 and 16 Feb
      expect(invites('bob')).toHaveLength(5);
      expect(invites('carol')).toHaveLength(5);
      expect(invites('alice')).toHaveLength(5);
      expect(saying(alice, 'paused')).not.toHaveLength(0);
      expect(saying(alice, 'Announcement #2 deleted')).toHaveLength(1);
      expect(saying(alice, 'no announcement #2 here')).toHaveLength(1);
      expect(saying(posts(m), 'Socials tonight')).toHaveLength(1); // 6 Jan; deleted before 3 Feb
    },
  },
  {
    name: '/me sets a time zone and quiet hours, turns a nudge off, and cannot turn off a group rule',
    script: `
${setup}
:moderator bob
@bob /me
@bob /me timezone:Mars/Olympus
@bob /me timezone:America/New_York quiet_hours:22:00-07:30
@bob /me nudge:weekly-digest receive:false
@bob /me nudge:intro-reminder receive:false
:advance 3d
:advance 9d
`,
    check(m) {
      const bob = to(m, 'bob');
      expect(bob[0]!.text).toContain('Time zone: Europe/London (the group’s)');
      expect(bob[0]!.text).toContain('Quiet hours: 21:00–08:00');
      expect(bob[1]!.text).toContain('IANA time zone');
      expect(bob[2]!.text).toContain('Time zone: America/New_York');
      expect(bob[2]!.text).toContain('Quiet hours: 22:00–07:30');
      expect(bob[3]!.text).toContain('rule of the group');
      expect(bob[4]!.text).toContain('intro-reminder: off');
      expect(saying(bob, 'haven’t introduced yourself')).toHaveLength(0);
      expect(saying(to(m, 'alice'), 'haven’t introduced yourself')).toHaveLength(2);
    },
  },
]);

// Without forms the shell asks for the new date as a command; Discord and Slack open a form instead (tested
// with each adapter), so this scenario is the shell's.
runContract(
  'nudges without forms',
  [
    {
      name: 'Not yet asks for a new date (no forms in the shell: /commit id:…); Drop closes it; past and unreadable dates are refused',
      script: `
${setup}
${intro('bob')}
@bob /commit what:"call 3 prospects" by:tuesday
@bob /commit what:"old news" by:2025-12-01
@bob /commit what:"vague" by:someday
:advance 1d9h
@bob :press "Not yet"
@bob /commit id:1 by:"in 3 days"
:advance 3d
@bob :press "Drop"
@bob /commitments
`,
      check(m) {
        const bob = to(m, 'bob');
        expect(saying(bob, 'has already passed')).toHaveLength(1);
        expect(saying(bob, 'can’t read the date “someday”')).toHaveLength(1);
        expect(saying(bob, 'Give it a new date with /commit id:1')).toHaveLength(1);
        expect(saying(bob, 'New date for “call 3 prospects”: Fri 9 Jan 2026 17:00')).toHaveLength(1);
        expect(saying(bob, 'Done? You committed to “call 3 prospects”')).toHaveLength(2);
        expect(saying(bob, 'Dropped “call 3 prospects”')).toHaveLength(1);
        expect(bob.at(-1)!.text).toContain('no open commitments');
      },
    },
  ],
  ['shell'],
);

runContract('nudges joined to referrals and meetings', [
  {
    name: 'the weekly give prompt reaches members who gave nothing, with the asks that match their trade',
    script: `
${setup}
@alice /nudges nudge:give-prompt on:true
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roof repairs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Cafe" category:"cafe owner" pitch:"Coffee" ideal_referral:"Offices"
@carol /ask text:"a roofer for the cafe roof" days:60
:advance 4w1d
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"Office coffee" temperature:3 consent:yes
:advance 1w
`,
    check(m) {
      const prompts = (name: string) => saying(to(m, name), 'Givers gain: you have not passed a referral');
      expect(prompts('bob')).toHaveLength(1); // 2 Feb; after his referral on 3 Feb, no prompt on 9 Feb
      expect(prompts('bob')[0]!.text).toContain('carol is looking for: a roofer for the cafe roof');
      expect(prompts('carol')).toHaveLength(2);
      expect(prompts('carol')[0]!.text).not.toContain('carol is looking for');
    },
  },
  {
    name: 'turning referral follow-up off in /nudges stops its reminders',
    script: `
${setup}
@alice /nudges nudge:referral-accountability on:false
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roof repairs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Cafe" category:"cafe owner" pitch:"Coffee" ideal_referral:"Offices"
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"Office coffee" temperature:3 consent:yes
:advance 5d
`,
    check(m) {
      expect(saying(m, 'Reminder: referral #1')).toHaveLength(0);
      expect(saying(m, 'Accountability: referral #1')).toHaveLength(0);
    },
  },
  {
    name: 'the day-before meeting reminder carries RSVP buttons and the member’s open commitments',
    script: `
@alice /setup name:"Peers" type:peer timezone:Europe/London meeting_day:tuesday meeting_time:07:00
${intro('bob')}
@bob /commit what:"call 3 prospects" by:"in 3 weeks"
# Monday 12 January 09:00: Tuesday's 07:00 meeting is less than a day away
:advance 7d
`,
    check(m) {
      const reminder = to(m, 'bob').find((x) => x.buttons.includes('Attending'))!;
      expect(reminder.buttons).toEqual(expect.arrayContaining(['Attending', 'Absent']));
      expect(reminder.text).toContain('Your open commitments');
      expect(reminder.text).toContain('call 3 prospects');
    },
  },
]);
