import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { inChannel, runContract, to } from './run-scenarios.js';

const intro = (name: string, business: string, category: string) =>
  `@${name} /intro business:"${business}" category:"${category}" pitch:"We do good work" ideal_referral:"Small businesses" email:${name}@firm.example`;
const last = (m: NormalizedMessage[], name: string) => to(m, name).at(-1)!;
const said = (m: NormalizedMessage[], name: string, text: string) => to(m, name).some((x) => x.text.includes(text));

const SETUP = `
@alice /setup name:"Peers" type:peer meeting_day:thursday meeting_time:08:00
${intro('bob', 'Bobs Roofs', 'roofer')}
${intro('carol', 'Carol Law', 'lawyer')}
${intro('dave', 'Dave Design', 'designer')}
`;

runContract('access and input', [
  {
    name: 'a removed member and someone who never joined are refused members’ commands, and told why',
    script: `${SETUP}
@alice /remove member:@dave
@dave /profile @carol
@dave /thanks member:@carol amount:999999999999 currency:USD
@dave /directory
@erin /find roofer
@erin /profile @carol
@erin /connect member_a:@bob member_b:@carol reason:"You two should talk"
${intro('dave', 'Dave Design', 'designer')}
@bob /balance
`,
    check(m) {
      const dave = to(m, 'dave');
      expect(dave.filter((x) => x.text.includes('no longer a member of Peers, so'))).toHaveLength(3);
      expect(to(m, 'erin').filter((x) => x.text.includes('Only members of Peers can use'))).toHaveLength(3);
      for (const x of [...dave, ...to(m, 'erin')]) expect(x.text).not.toContain('carol@firm.example');
      // Coming back after a removal goes through the moderators, whatever the group's rule.
      expect(said(m, 'alice', 'application to Peers from dave')).toBe(true);
      expect(last(m, 'bob').text).not.toContain('999,999,999,999');
    },
  },
  {
    name: 'a double press changes nothing the second time and says so: I can help, RSVP',
    script: `${SETUP}
@carol /ask "the facilities manager of the new hospital"
@bob :press "I can help"
@bob :press "I can help"
@bob /balance
@bob /meeting next
@bob :press "Attending"
@bob :press "Attending"
`,
    check(m) {
      const meets = m.filter((x) => (x.to ?? []).length === 2 && x.text.includes('bob can help'));
      expect(meets).toHaveLength(1);
      expect(said(m, 'bob', 'You already offered to help with ask #')).toBe(true);
      const balance = to(m, 'bob').find((x) => x.text.includes('Connections given'))!;
      expect(balance.text).toMatch(/Connections given\W+1\b/);
      expect(said(m, 'bob', 'You already answered: you are attending')).toBe(true);
    },
  },
  {
    name: '/referral update by a third member answers exactly like /referral show: no such referral',
    script: `${SETUP}
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease" temperature:4 consent:yes
@dave /referral update id:1 status:accepted
@dave /referral show id:1
@dave /referral withdraw id:1
@dave /referral update id:77 status:accepted
`,
    check(m) {
      const [update, show, withdraw, missing] = to(m, 'dave').slice(-4);
      expect(update!.text).toContain('There is no referral #1 of yours');
      expect(update!.text).toBe(show!.text);
      expect(withdraw!.text).toBe(show!.text);
      expect(missing!.text).toBe(show!.text.replace('#1', '#77'));
      for (const x of to(m, 'dave')) expect(x.text).not.toContain('Jane');
    },
  },
  {
    name: 'amounts: a decimal comma is read, an ambiguous amount refused with both readings, a made-up currency refused',
    script: `${SETUP}
@carol /thanks member:@bob amount:"12,50" currency:EUR
@carol /thanks member:@bob amount:"1.234,50" currency:EUR
@carol /thanks member:@bob amount:"1,2,3,4,5,6,7,8,9,0,1,2" currency:EUR
@carol /thanks member:@bob amount:"12.500" currency:EUR
@carol /thanks member:@bob amount:100 currency:XYZ
`,
    check(m) {
      expect(said(m, 'bob', 'EUR 12.50')).toBe(true);
      expect(said(m, 'bob', 'EUR 1,234.50')).toBe(true);
      expect(said(m, 'bob', '1,250')).toBe(false);
      const carol = to(m, 'carol').slice(-3);
      expect(carol[0]!.text).toContain('is not a number I can read');
      expect(carol[1]!.text).toContain('is ambiguous');
      expect(carol[1]!.text).toContain('12500');
      expect(carol[1]!.text).toContain('12.50');
      expect(carol[2]!.text).toContain('not an ISO 4217 currency code');
      expect(to(m, 'bob').filter((x) => x.text.includes('thanked you'))).toHaveLength(2);
    },
  },
  {
    name: 'a date that does not exist is refused, never rolled over',
    script: `${SETUP}
@alice /pair setup name:Coffee who:everyone
@bob /pair snooze until:2026-02-31
@bob /pair snooze until:2026-13-45
`,
    check(m) {
      const [feb, thirteenth] = to(m, 'bob').slice(-2);
      expect(feb!.text).toContain('`until` is not a day of the calendar');
      expect(thirteenth!.text).toContain('`until` is not a day of the calendar');
      expect(said(m, 'bob', 'Snoozed')).toBe(false);
    },
  },
  {
    name: 'seats: a look-alike letter or a zero-width space is the same seat; other scripts are seats of their own',
    script: `
@alice /setup name:"Chapter" type:peer one_seat:true
${intro('bob', 'Bobs Pipes', 'Plumber')}
${intro('carol', 'Carol Pipes', 'Plumbеr')}
${intro('dave', 'Dave Pipes', 'Plum\u200bbers')}
${intro('erin', 'Erin Santekh', 'Сантехник')}
${intro('fay', 'Fay Law', 'Юрист')}
${intro('gus', 'Gus Law', 'محامي')}
`,
    check(m) {
      expect(to(m, 'carol')[0]!.text).toContain('already held by bob');
      expect(to(m, 'dave')[0]!.text).toContain('already held by bob');
      for (const name of ['erin', 'fay', 'gus']) expect(to(m, name)[0]!.text).not.toContain('already held');
      expect(inChannel(m).filter((x) => /Santekh|Fay Law|Gus Law/.test(x.text))).toHaveLength(3);
      for (const x of m) expect(x.text).not.toContain('The  seat');
    },
  },
]);
