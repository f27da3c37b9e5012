import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { inChannel, runContract, to } from './run-scenarios.js';

const SETUP = `
@alice /setup name:"Chapter" type:peer
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@dave /intro business:"Dave Design" category:designer pitch:"Logos" ideal_referral:"Founders"
`;
const REFER = (n = 'Jane Doe', c = 'jane@example.com', extra = '') =>
  `@bob /refer member:@carol prospect:"${n}" contact:"${c}" need:"A lease review" temperature:4 consent:yes${extra}`;

/** Prospect details may appear only in messages to the giver (bob) or the receiver (carol). */
function assertPrivate(m: NormalizedMessage[], secrets: string[]): void {
  for (const msg of m) {
    const forParties = msg.channel === null && (msg.to ?? []).every((n) => n === 'bob' || n === 'carol');
    if (forParties) continue;
    for (const s of secrets) expect(msg.text, `leaked to ${msg.channel ?? msg.to?.join(',')}`).not.toContain(s);
  }
}

runContract('referrals', [
  {
    name: 'a referral goes from new to won with buttons and a command; the giver hears of each step and is credited',
    script: `${SETUP}
${REFER()}
@carol :press "Accept"
@carol :press "Contacted"
@carol /referral update id:1 status:won amount:"1,200.50" currency:eur
@carol /referral update id:1 status:contacted
@bob /referral 1
@bob /balance
`,
    check(m) {
      const carol = to(m, 'carol');
      const offer = carol.find((x) => x.text.includes('passed you a referral'))!;
      expect(offer.text).toContain('jane@example.com');
      expect(offer.buttons).toEqual(['Accept', 'Not a fit']);
      const steps = to(m, 'bob').filter((x) => x.text.startsWith('Your referral #1'));
      expect(steps.map((s) => s.text)).toEqual([
        expect.stringContaining('accepted'),
        expect.stringContaining('contacted'),
        expect.stringContaining('Thank you for closed business: EUR 1,200.50 is credited to you'),
      ]);
      expect(carol.some((x) => x.text.includes('it cannot become contacted'))).toBe(true);
      const shown = to(m, 'bob').find((x) => x.text.includes('History'))!;
      expect(shown.text).toMatch(/new by bob[\s\S]*accepted by carol[\s\S]*contacted by carol[\s\S]*won by carol/);
      expect(to(m, 'bob').at(-1)!.text).toContain('EUR 1,200.50');
      expect(inChannel(m).some((x) => x.text.includes('closed EUR 1,200.50 of business'))).toBe(true);
    },
  },
  {
    name: 'contact details reach only the giver and the receiver, in every message',
    script: `${SETUP}
:moderator dave
${REFER('Jane Doe', '+44 20 7946 0958')}
@dave /referral 1
@alice /report referrals
:advance 2d
:advance 1d
:advance 1d
@carol :press "Accept"
@dave /givers
`,
    check(m) {
      assertPrivate(m, ['Jane Doe', '7946 0958', 'lease review']);
      expect(to(m, 'carol').some((x) => x.text.includes('7946 0958'))).toBe(true);
      // the moderator sees the slip without the details (the group did not allow it)
      const modView = to(m, 'dave').find((x) => x.text.includes('Referral #1'))!;
      expect(modView.text).toContain('Status');
      expect(inChannel(m).some((x) => x.text.includes('bob passed carol a hot referral'))).toBe(true);
    },
  },
  {
    name: 'overdue referrals remind the receiver, then tell the giver, then the moderators, once each',
    script: `${SETUP}
${REFER()}
:advance 47h
:advance 1h
:advance 1h
:advance 23h
:advance 1d
:advance 3d
@carol :press "Accept"
:advance 6d
:advance 1d
`,
    check(m) {
      const reminders = to(m, 'carol').filter((x) => x.text.startsWith('Reminder: referral #1'));
      expect(reminders.map((r) => r.text)).toEqual([
        expect.stringContaining('has not been accepted'),
        expect.stringContaining('no update for 7 days'),
      ]);
      expect(to(m, 'bob').filter((x) => x.text.startsWith('For your information'))).toHaveLength(1);
      expect(to(m, 'alice').filter((x) => x.text.startsWith('Accountability: referral #1'))).toHaveLength(1);
    },
  },
  {
    name: 'refuses self-referrals, non-members, missing consent and malformed contacts, writing nothing',
    script: `${SETUP}
@bob /refer member:@bob prospect:"X Y" contact:x@example.com need:"Z" temperature:3 consent:yes
@bob /refer member:@erin prospect:"X Y" contact:x@example.com need:"Z" temperature:3 consent:yes
@bob /refer member:@carol prospect:"X Y" contact:x@example.com need:"Z" temperature:3 consent:no
@bob /refer member:@carol prospect:"X Y" contact:not-a-contact need:"Z" temperature:3 consent:yes
@bob /refer member:@carol prospect:"X Y" contact:x@example.com need:"Z" temperature:9 consent:yes
@bob /referrals given
@carol /referral update id:1 status:accepted
`,
    check(m) {
      const bob = to(m, 'bob').slice(1); // after the welcome to bob's own introduction
      expect(bob[0]!.text).toContain('cannot refer a prospect to yourself');
      expect(bob[1]!.text).toMatch(/erin/);
      expect(bob[2]!.text).toContain('must agree to be contacted');
      expect(bob[3]!.text).toContain('`contact` must be an email address, a phone number, or both');
      expect(bob[4]!.text).toContain('`temperature` is too large: at most 5');
      expect(bob[5]!.text).toContain('not given any referrals yet');
      expect(to(m, 'carol').at(-1)!.text).toContain('no referral #1');
      expect(m.every((x) => x.private || !x.text.includes('X Y'))).toBe(true);
    },
  },
  {
    name: 'only the receiver moves a referral; the giver may withdraw before acceptance; a moderator corrects',
    script: `${SETUP}
${REFER()}
@bob /referral update id:1 status:accepted
@bob /referral withdraw id:1
@carol /referral update id:1 status:accepted
${REFER('Sam Smith', 'sam@example.com')}
@carol :press "Accept"
@bob /referral withdraw id:2
@alice /referral correct id:2 status:lost note:"Recorded by mistake"
@carol /referral 2
`,
    check(m) {
      const bob = to(m, 'bob');
      expect(bob.some((x) => x.text.includes('Only the receiver moves referral #1'))).toBe(true);
      expect(bob.some((x) => x.text.includes('Referral #1 is withdrawn'))).toBe(true);
      expect(to(m, 'carol').some((x) => x.text.includes('Referral #1 is withdrawn: it cannot become accepted'))).toBe(
        true,
      );
      expect(bob.some((x) => x.text.includes('can only be withdrawn before it is accepted'))).toBe(true);
      expect(to(m, 'alice').some((x) => x.text.includes('Referral #2 corrected to lost'))).toBe(true);
      expect(to(m, 'carol').at(-1)!.text).toContain('corrected by a moderator: Recorded by mistake');
      // The history names the moderator who corrected it, not "a former member".
      expect(to(m, 'carol').at(-1)!.text).toMatch(/lost by alice — corrected by a moderator/);
      expect(to(m, 'carol').some((x) => x.text.includes('alice, a moderator of Chapter, corrected referral #2'))).toBe(
        true,
      );
    },
  },
  {
    name: 'asks: “I can help” introduces helper and asker; thanks and the report credit the giver per currency',
    script: `${SETUP}
@carol /ask "the facilities manager of the new hospital"
@dave :press "I can help"
@carol /thanks member:@bob amount:300 currency:USD note:"Neighbour's roof"
@carol /thanks member:@bob amount:12.345
${REFER()}
@carol /referral update id:1 status:accepted
@carol /referral update id:1 status:won amount:1000 currency:EUR
@alice /report referrals
@carol /asks
`,
    check(m) {
      const ask = inChannel(m).find((x) => x.text.includes('carol is looking for'))!;
      expect(ask.buttons).toEqual(['I can help', 'Refer someone']);
      const intro = m.find((x) => x.to?.length === 2 && x.text.includes('dave can help'))!;
      expect([...intro.to!].sort()).toEqual(['carol', 'dave']);
      expect(to(m, 'bob').some((x) => x.text.includes('thanked you for USD 300'))).toBe(true);
      expect(to(m, 'carol').some((x) => x.text.includes('at most two decimals'))).toBe(true);
      const report = inChannel(m).find((x) => x.text.includes('Referral report'))!;
      expect(report.text).toMatch(/bob: gave 1 .*closed EUR 1,000 · USD 300/);
      expect(report.text).toMatch(/referrals-.*\.csv/);
      expect(to(m, 'carol').at(-1)!.text).toContain('facilities manager');
    },
  },
]);
