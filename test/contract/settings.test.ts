import { expect } from 'vitest';
import { runContract, to } from './run-scenarios.js';

runContract('group settings', [
  {
    name: 'moderators change referral and meeting rules; members are refused; bad values are explained',
    script: `
@alice /setup name:"Chapter" type:referral meeting_day:tuesday meeting_time:07:00
@alice /referral settings accept_hours:24 currency:eur public_notices:no
@alice /meeting settings absence_limit:4 late_after_minutes:5
@alice /meeting settings
@bob /meeting settings absence_limit:10
@alice /referral settings currency:EURO
@alice /meeting settings absence_limit:0
`,
    check(m) {
      const alice = to(m, 'alice');
      const referral = alice.find((x) => x.text.includes('Referral rules'))!;
      expect(referral.text).toContain('24 h');
      expect(referral.text).toContain('EUR');
      expect(referral.text).toMatch(/Public notices\W+no/);
      const shown = alice.filter((x) => x.text.includes('Meeting rules'));
      expect(shown).toHaveLength(2);
      expect(shown[1]!.text).toContain('4 per 6 months');
      expect(shown[1]!.text).toContain('5 min');
      expect(to(m, 'bob')[0]!.text).toContain('Only moderators can use /meeting settings');
      expect(alice.at(-2)!.text).toContain('three-letter currency code');
      expect(alice.at(-1)!.text).toContain('`absence_limit` is too small: at least 1');
    },
  },
]);
