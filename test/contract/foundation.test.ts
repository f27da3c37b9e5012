import { expect } from 'vitest';
import { runContract, to } from './run-scenarios.js';

runContract('foundation commands', [
  {
    name: 'the first /setup makes its author moderator; /help lists what each may run',
    script: `
@alice /setup name:"Downtown Chapter" type:referral timezone:Europe/London meeting_day:tuesday meeting_time:07:00
@alice /help
@bob /help
`,
    check(m) {
      const [setup, aliceHelp, bobHelp] = m;
      expect(setup!.to).toEqual(['alice']);
      expect(setup!.private).toBe(true);
      expect(setup!.text).toContain('Downtown Chapter');
      expect(setup!.text).toContain('Weekly on Tuesday at 07:00 (Europe/London)');
      expect(setup!.text).toContain('One member per profession');
      expect(aliceHelp!.text).toContain('/setup');
      expect(bobHelp!.text).toContain('/help');
      expect(bobHelp!.text).not.toContain('/setup');
    },
  },
  {
    name: 'before /setup, /help lists /setup and /help setup explains it; /help AREA shows one area',
    script: `
@alice /help
@alice /help setup
@alice /setup name:"Downtown Chapter" type:referral
@alice /help referrals
@alice /help nosuch
`,
    check(m) {
      const [bare, setupHelp, , area, unknown] = to(m, 'alice');
      expect(bare!.text).toContain('no group yet: run /setup');
      expect(bare!.text).toContain('/setup');
      expect(setupHelp!.text).toContain('Help for /setup');
      expect(setupHelp!.text).toContain('name');
      expect(area!.text).toContain('Help for referrals and giving');
      expect(area!.text).toContain('/refer');
      expect(area!.text).not.toContain('/pair join');
      expect(unknown!.text).toContain('No command or area “nosuch”');
      expect(unknown!.text).toContain('pairing');
    },
  },
  {
    name: 'a member running a moderator command is refused privately',
    script: `
@alice /setup name:"Peers" type:peer
@bob /setup name:"Mine now"
@alice /help setup
`,
    check(m) {
      const refusal = to(m, 'bob')[0]!;
      expect(refusal.private).toBe(true);
      expect(refusal.text).toContain('Only moderators can use /setup');
      // the group kept its name: nothing was written by bob's attempt
      expect(m.some((x) => x.text.includes('Mine now'))).toBe(false);
    },
  },
  {
    name: 'a bad option value names the option and the fix',
    script: `
@alice /setup name:"Peers" timezone:Mars/Olympus
@alice /setup meeting_time:25:99
`,
    check(m) {
      expect(m[0]!.text).toContain('timezone');
      expect(m[0]!.text).toContain('IANA time zone');
      expect(m[1]!.text).toContain('24-hour time');
      expect(m.every((x) => x.private)).toBe(true);
    },
  },
]);
