import { expect } from 'vitest';
import { inChannel, runContract, to } from './run-scenarios.js';

const SETUP = `
@alice /setup name:"Chapter" type:peer timezone:UTC meeting_frequency:weekly meeting_day:tuesday meeting_time:07:00
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
`;

runContract('meetings', [
  {
    name: 'the day-before reminder carries RSVP buttons; members check in when the meeting starts',
    // the reminder falls due at 21:00, inside the default quiet hours (21:00–08:00): bob's start later
    script: `${SETUP}
@bob /me quiet_hours:23:00-07:00
:advance 12h
@bob :press "Attending"
:advance 10h
@bob :press "Check in"
`,
    check(m) {
      const reminder = to(m, 'bob').find((x) => x.text.includes('Reminder: Chapter meets'))!;
      expect(reminder.buttons).toEqual(['Attending', 'Absent', 'Sending a substitute']);
      expect(to(m, 'bob').some((x) => x.text.includes('Thanks: you are attending'))).toBe(true);
      expect(inChannel(m).find((x) => x.text.includes('meeting has started'))!.buttons).toEqual(['Check in']);
      expect(to(m, 'bob').some((x) => x.text.includes('Checked in'))).toBe(true);
    },
  },
  {
    name: 'the chart is uploaded as a PNG and an export as a CSV file',
    script: `${SETUP}
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease" temperature:4 consent:yes
@alice /report chart period:week
@alice /export what:referrals period:week
`,
    check(m) {
      const chart = inChannel(m).find((x) => x.text.startsWith('Chapter, the last week'))!;
      expect(chart.text).toMatch(/report-week-2026-01-05\.png/);
      expect(chart.text).toContain('1 referral given');
      const csv = to(m, 'alice').find((x) => x.text.startsWith('referrals of Chapter'))!;
      expect(csv.text).toMatch(/referrals-2026-01-05\.csv/);
      expect(
        m.every((x) => x.to?.includes('carol') || x.to?.includes('bob') || !x.text.includes('jane@example.com')),
      ).toBe(true);
    },
  },
]);
