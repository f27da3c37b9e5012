import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { inChannel, runContract, to } from './run-scenarios.js';

/**
 * Issue 17, "the moderator's week": the routines a chapter runs every week, on every adapter. A roll call pressed
 * right after it arrives is preceded by `:advance 1m`, as a moderator reads it a minute later: Discord's paced DM
 * opening may still be finishing the fan-out of the tick before. The clock starts on
 * Monday 2026-01-05 09:00 UTC; the group meets weekly on Tuesdays at 07:00 UTC for 90 minutes.
 */
const SETUP = `
@alice /setup name:"Chapter" type:peer timezone:UTC meeting_frequency:weekly meeting_day:tuesday meeting_time:07:00
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
`;
const REFER = (contact = 'jane@example.com') =>
  `@bob /refer member:@carol prospect:"Jane Doe" contact:"${contact}" need:"A lease" temperature:4 consent:yes`;

const saying = (m: NormalizedMessage[], name: string, text: string) => to(m, name).filter((x) => x.text.includes(text));

runContract('the moderator’s week', [
  {
    name: 'nobody is marked absent by the clock; the roll call marks who came, check-ins are present',
    script: `${SETUP}
:advance 22h
@bob :press "Check in"
:advance 2h
:advance 1m
@alice :press "carol: Absent"
@alice :press "All present"
:advance 1d
`,
    check(m) {
      expect(m.some((x) => x.text.includes('You were marked absent'))).toBe(false);
      const roll = saying(m, 'alice', 'Roll call for Chapter')[0]!;
      expect(roll.text).toContain('bob: present (checked in)');
      expect(roll.text).toContain('carol: not marked');
      expect(roll.text).toContain('Nobody is marked absent unless you mark them');
      for (const label of ['bob: Present', 'carol: Absent', 'alice: Late', 'carol: Substitute', 'All present'])
        expect(roll.buttons).toContain(label);
      expect(roll.buttons).toContain('Meeting not held');
      const edits = to(m, 'alice').filter((x) => x.edited && x.text.includes('Roll call'));
      expect(edits[0]!.text).toContain('carol: absent');
      expect(edits[1]!.text).toContain('Marked present: alice');
      expect(edits[1]!.text).toContain('Attendance is taken for everyone');
      expect(edits[1]!.buttons).not.toContain('All present');
      // Everyone is marked, so no reminder to take attendance follows.
      expect(saying(m, 'alice', 'Reminder: attendance')).toEqual([]);
    },
  },
  {
    name: 'a roll call longer than one message pages: four members a page, Next and Previous carry the page',
    script: `${SETUP}
@dora /intro business:"Dora Dent" category:dentist pitch:"Teeth" ideal_referral:"Families"
@eve /intro business:"Eve Ink" category:printer pitch:"Print" ideal_referral:"Shops"
:advance 12h
:advance 12h
:advance 1m
@alice :press "Next"
@alice :press "eve: Late"
@alice :press "Previous"
`,
    check(m) {
      const roll = to(m, 'alice').find((x) => x.text.startsWith('Roll call for Chapter'))!;
      expect(roll.text).toContain('Members (page 1 of 2)');
      expect(roll.buttons).toHaveLength(4 * 5 + 3);
      expect(roll.buttons.slice(-3)).toEqual(['All present', 'Meeting not held', 'Next']);
      const pages = to(m, 'alice').filter((x) => x.edited);
      expect(pages[0]!.text).toContain('Members (page 2 of 2)');
      expect(pages[0]!.buttons).toEqual([
        'eve: Present',
        'eve: Absent',
        'eve: Late',
        'eve: Substitute',
        'eve: Medical',
        'All present',
        'Meeting not held',
        'Previous',
      ]);
      expect(pages[1]!.text).toContain('eve: late');
      expect(pages[2]!.text).toContain('Members (page 1 of 2)');
    },
  },
  {
    name: 'an untaken roll call is reminded a day later; "Meeting not held" leaves it out of every count',
    script: `${SETUP}
:advance 12h
:advance 12h
:advance 1d
:advance 1m
@alice :press "Meeting not held"
@alice /scorecard show member:@bob period:week
`,
    check(m) {
      expect(to(m, 'alice').filter((x) => x.text.startsWith('Roll call for Chapter'))).toHaveLength(1);
      const reminder = saying(
        m,
        'alice',
        'Reminder: attendance for Tue, 6 Jan 2026, 07:00 is not taken for 3 members',
      )[0]!;
      expect(reminder.buttons).toContain('Meeting not held');
      expect(saying(m, 'alice', 'was not held. Nobody is counted present or absent')).toHaveLength(1);
      expect(to(m, 'alice').at(-1)!.text).toMatch(/Attendance: — · ⚪ no data/);
      expect(m.some((x) => x.text.includes('You were marked absent'))).toBe(false);
    },
  },
  {
    name: 'the RSVP tally shows on /meeting next and in the reminder',
    script: `${SETUP}
@bob /meeting next
@bob :press "Attending"
@carol /meeting next
@carol :press "Sending a substitute"
@alice /meeting next
:advance 6h
`,
    check(m) {
      expect(saying(m, 'bob', 'Chapter meets next')[0]!.text).toContain(
        'So far: 0 coming · 0 not coming · 3 no answer',
      );
      expect(saying(m, 'carol', 'Chapter meets next')[0]!.text).toContain(
        'So far: 1 coming · 0 not coming · 2 no answer',
      );
      expect(saying(m, 'alice', 'Chapter meets next')[0]!.text).toContain(
        'So far: 1 coming · 1 not coming (1 sending a substitute) · 1 no answer',
      );
      expect(saying(m, 'alice', 'Reminder: Chapter meets')[0]!.text).toContain('So far: 1 coming · 1 not coming');
    },
  },
  {
    name: 'co-moderators: /moderator add and remove, /moderators; the last moderator cannot leave and is told how',
    script: `${SETUP}
@alice /leave
@alice /moderator add member:@bob
@carol /moderators
@bob /moderator remove member:@alice
@bob /moderator remove member:@bob
@bob /remove member:@bob
@carol /moderator add member:@carol
`,
    check(m) {
      const refused = saying(m, 'alice', 'You are the only moderator of Chapter')[0]!;
      expect(refused.text).toContain('Appoint another moderator first with /moderator add member:@name, then leave.');
      expect(saying(m, 'bob', 'alice made you a moderator of Chapter')).toHaveLength(1);
      expect(saying(m, 'carol', 'Moderators of Chapter: alice, bob.')).toHaveLength(1);
      expect(saying(m, 'alice', 'handed your moderator role in Chapter back')).toHaveLength(1);
      expect(saying(m, 'bob', 'You are the only moderator of Chapter')[0]!.text).toContain('then step down');
      expect(saying(m, 'bob', 'You cannot remove yourself')).toHaveLength(1);
      expect(saying(m, 'carol', 'Only moderators can use /moderator add')).toHaveLength(1);
    },
  },
  {
    name: 'two applicants for one seat: warned when applying, the list flags it, approval answers the moderator',
    script: `
@alice /setup name:"Chapter" type:referral timezone:UTC
@paul /intro business:"Paul Pipes" category:plumber pitch:"Pipes" ideal_referral:"Homes"
@pete /intro business:"Pete Pipes" category:plumber pitch:"Pipes" ideal_referral:"Homes"
@alice /applications
@alice :press "Approve paul"
@alice :press "Approve"
@alice :press "Let pete share"
@alice /applications
`,
    check(m) {
      expect(saying(m, 'pete', 'another applicant is also waiting for the “plumber” seat')).toHaveLength(1);
      expect(saying(m, 'alice', '⚠ Seat conflict: paul also applied for the “plumber” seat')).toHaveLength(1);
      const list = saying(m, 'alice', 'Pending applications to Chapter: 2 (⚠ 2 with a seat conflict)')[0]!;
      expect(list.text).toContain('pete also applies for this seat');
      expect(list.buttons).toEqual([
        'Approve paul',
        'Let paul share',
        'Decline paul',
        'Approve pete',
        'Let pete share',
        'Decline pete',
      ]);
      expect(saying(m, 'paul', 'your application to Chapter was approved')).toHaveLength(1);
      expect(saying(m, 'pete', 'The “plumber” seat in Chapter was filled while your application waited')).toHaveLength(
        1,
      );
      const refusal = saying(m, 'alice', 'pete cannot be approved into the “plumber” seat: paul holds it')[0]!;
      expect(refusal.buttons).toEqual(['Let pete share', 'Decline pete']);
      expect(refusal.text).not.toContain('ask a moderator');
      expect(saying(m, 'pete', 'your application to Chapter was approved')).toHaveLength(1);
      expect(to(m, 'alice').at(-1)!.text).toContain('Chapter has no pending applications');
    },
  },
  {
    name: 'group nudges have a minimum interval: DMs at most daily, channel posts at most hourly',
    script: `${SETUP}
@alice /nudge create schedule:"* * * * *" message:"spam" to:everyone
@alice /nudge create schedule:"*/30 * * * *" message:"spam" to:channel
@alice /nudge create schedule:"0 * * * *" message:"Hourly" to:channel
@alice /nudge create schedule:"every monday 9:00" message:"Weekly" to:everyone
`,
    check(m) {
      const a = to(m, 'alice');
      expect(a.some((x) => x.text.includes('would send a DM to every recipient every minute'))).toBe(true);
      expect(a.some((x) => x.text.includes('at most once a day'))).toBe(true);
      expect(a.some((x) => x.text.includes('would post in the channel every 30 minutes'))).toBe(true);
      expect(a.filter((x) => x.text.startsWith('Announcement #')).map((x) => x.text.slice(0, 15))).toEqual([
        'Announcement #1',
        'Announcement #2',
      ]);
    },
  },
  {
    name: 'a value of the wrong type is told so, not called missing; an amount too large is too large',
    script: `${SETUP}
@bob /refer member:@carol prospect:"Jane Doe" contact:jane@example.com need:"A lease" temperature:hot consent:yes
@bob /refer member:@carol prospect:"Jane Doe" contact:jane@example.com need:"A lease" temperature:3.5 consent:yes
@bob /refer member:@carol prospect:"Jane Doe" contact:jane@example.com need:"A lease" temperature:3 consent:maybe
@bob /directory page:abc
@bob /referral show id:abc
@bob /thanks member:@carol amount:99999999999999999
`,
    check(m) {
      const b = to(m, 'bob').map((x) => x.text);
      expect(b.some((t) => t.includes('`temperature` must be a whole number from 1 to 5 (you gave “hot”)'))).toBe(true);
      expect(b.some((t) => t.includes('`temperature` must be a whole number from 1 to 5 (you gave “3.5”)'))).toBe(true);
      expect(b.some((t) => t.includes('`consent` must be yes or no (you gave “maybe”)'))).toBe(true);
      expect(b.some((t) => t.includes('`page` must be a whole number'))).toBe(true);
      expect(b.some((t) => t.includes('`id` must be a whole number'))).toBe(true);
      expect(b.some((t) => t.includes('`amount` is too large'))).toBe(true);
      expect(b.some((t) => t.includes('is missing'))).toBe(false);
    },
  },
  {
    name: 'times name their zone: history in the group’s, deadlines in the member’s own, the digest’s',
    script: `
@alice /setup name:"Chapter" type:peer timezone:America/New_York meeting_frequency:weekly meeting_day:tuesday meeting_time:07:00
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
${REFER()}
@bob /referral 1
@carol /me timezone:America/Los_Angeles
@carol /commit what:"call Jane" by:"2026-01-12 17:00"
:moderator dave
:advance 12h
:advance 3d
:advance 1d1h
`,
    check(m) {
      expect(saying(m, 'bob', 'History')[0]!.text).toContain(
        'History (times in America/New_York): Mon 5 Jan 2026 04:00 new by bob',
      );
      expect(saying(m, 'carol', 'Committed (#1)')[0]!.text).toContain('Mon 12 Jan 2026 17:00 PST');
      // (Found by its content: until issue 15 scopes the meetings sweep, another community's reminder may pass by.)
      const reminder = saying(m, 'carol', 'call Jane (by Mon 12 Jan 2026 17:00 PST)')[0]!;
      expect(reminder.text).toMatch(/^Reminder: Chapter meets Tue, 6 Jan 2026, 07:00/);
      const digest = inChannel(m).find((x) => x.text.startsWith('This week in Chapter'))!;
      expect(digest.text).toContain('carol committed to “call Jane” by Mon 12 Jan 2026 20:00 EST');
      // Held by quiet hours or not, the reminder says when dave joined, not "3 days ago".
      expect(
        saying(
          m,
          'dave',
          'You joined Chapter on Mon 5 Jan 2026 and, as of Thu 8 Jan 2026, haven’t introduced yourself yet',
        ),
      ).toHaveLength(1);
      expect(m.some((x) => x.text.includes('days ago') || x.text.includes('yesterday'))).toBe(false);
    },
  },
  {
    name: 'removing a member returns the slips they received and tells the givers',
    script: `${SETUP}
${REFER()}
@alice /remove member:@carol
`,
    check(m) {
      expect(
        saying(m, 'bob', 'Your referral #1 (Jane Doe) is returned to you: carol is no longer a member'),
      ).toHaveLength(1);
      const dm = to(m, 'carol').find((x) => x.edited && x.text.includes('Referral #1 is closed: returned'))!;
      expect(dm.buttons).toEqual([]);
    },
  },
  {
    name: 'a late "Couldn\'t" on a round that is over says so and offers no rematch',
    script: `
@alice /setup name:"Peers" type:peer
@bob /intro business:"Bob & Co" category:"trade a" pitch:"Bob" ideal_referral:"Small businesses"
@carol /intro business:"Carol & Co" category:"trade b" pitch:"Carol" ideal_referral:"Small businesses"
@alice /pair setup name:Coffee cadence:weekly day:monday time:09:00
@bob /pair join
@carol /pair join
@alice /pair start
:advance 4d
:advance 3d
@bob :press "Couldn't"
`,
    check(m) {
      const answer = to(m, 'bob').at(-1)!;
      expect(answer.text).toContain('Thanks, noted for round 1 of Coffee. That round is over, so there is no rematch');
      expect(answer.buttons).toEqual([]);
      expect(m.some((x) => x.text.includes('Would you like a rematch'))).toBe(false);
    },
  },
  {
    name: '"Won" asks for the amount instead of making one up; the report credits the giver and shows the win',
    script: `${SETUP}
${REFER('jane@example.com +1 555 0100')}
@carol :press "Accept"
@carol :press "Won"
@carol :fill amount:4500
@alice /report referrals period:week
`,
    check(m) {
      const offer = saying(m, 'carol', 'passed you a referral')[0]!;
      expect(offer.text).toContain('jane@example.com · +1 555 0100');
      expect(m.some((x) => x.text.includes('status:won amount:1200'))).toBe(false);
      expect(saying(m, 'carol', 'Referral #1 is now won. Closed business USD 4,500 is credited to bob')).toHaveLength(
        1,
      );
      const report = inChannel(m).find((x) => x.text.startsWith('Referral report for Chapter'))!;
      expect(report.text).toContain(
        'carol: gave 0 (0 in/0 out), received 1, connections 0, closed none from referrals given, won USD 4,500',
      );
      expect(report.text).toContain(
        'bob: gave 1 (0 in/1 out), received 0, connections 0, closed USD 4,500 from referrals given, won none',
      );
    },
  },
  {
    name: 'small untruths: the chart caption, /visitor list, /meeting add at the regular time',
    script: `${SETUP}
@bob /visitor invite name:"Sam Lee" contact:sam@example.com meeting:2026-01-06
@carol /visitor list
@alice /report chart period:week
@alice /meeting add title:"Visitors day" date:2026-01-13 time:07:00
`,
    check(m) {
      expect(saying(m, 'carol', 'You have invited no visitors')[0]!.text).toContain('members see only their own');
      const chart = inChannel(m).find((x) => x.text.startsWith('Chapter, the last week'))!;
      expect(chart.text.split('\n')[0]!.match(/Chapter/g)).toHaveLength(1);
      const refusal = to(m, 'alice').at(-1)!.text;
      expect(refusal).toContain("Tue, 13 Jan 2026, 07:00 is Chapter's regular meeting");
      expect(refusal).toContain('/meeting cancel date:2026-01-13');
    },
  },
  {
    name: 'a mentor program’s card says how its groups form, as its preview does',
    script: `
@alice /setup name:"Peers" type:peer
@alice /pair setup name:Mentors cadence:monthly day:monday time:09:00 mode:mentor-mentee
`,
    check(m) {
      const card = to(m, 'alice').at(-1)!.text;
      expect(card).toContain('members left without a free mentor wait for the next round');
      expect(card).not.toContain('a trio when the count is odd');
    },
  },
  {
    name: '/find finds Arabic and other non-Latin words on cards',
    script: `
@alice /setup name:"Chapter" type:peer
@bob /intro business:"زهور دبي" category:florist pitch:"زهور للأعراس" ideal_referral:"Weddings"
@carol /intro business:"Сантехника" category:plumber pitch:"Ремонт труб" ideal_referral:"Дома"
@alice /find words:"زهور"
@alice /find words:труб
`,
    check(m) {
      const found = to(m, 'alice').filter((x) => x.text.startsWith('Members who may help'));
      expect(found[0]!.text).toContain('bob — florist, زهور دبي');
      expect(found[1]!.text).toContain('carol — plumber, Сантехника');
    },
  },
]);
