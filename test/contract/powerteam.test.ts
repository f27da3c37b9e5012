import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { runContract, to } from './run-scenarios.js';

const intro = (name: string, business: string, category: string) =>
  `@${name} /intro business:"${business}" category:"${category}" pitch:"${business} pitch" ideal_referral:"Home buyers"`;

const SETUP = `
@alice /setup name:"Chapter" type:peer timezone:UTC meeting_frequency:weekly meeting_day:tuesday meeting_time:07:00
${intro('bob', 'Bob Homes', 'realtor')}
${intro('carol', 'Carol Loans', 'mortgage brokers')}
${intro('dan', 'Dan Inspect', 'home inspector')}
${intro('erin', 'Erin Pipes', 'plumber')}
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A mortgage" temperature:4 consent:yes
@carol /refer member:@bob prospect:"Jim Roe" contact:"jim@example.com" need:"A house" temperature:3 consent:yes
`;

const last = (m: NormalizedMessage[], name: string, starts: string) =>
  to(m, name)
    .filter((x) => x.text.includes(starts))
    .at(-1)!;

runContract('power teams', [
  {
    name: '/powerteam show: spheres, partners, flows both ways; "Ask … for a 1-to-1" opens one conversation, once',
    script: `${SETUP}
@bob /powerteam show
@bob :press "Ask dan for a 1-to-1"
@bob :press "Ask dan for a 1-to-1"
@erin /powerteam show member:@bob
`,
    check(m) {
      const card = last(m, 'bob', 'Your power team in Chapter');
      expect(card.text).toContain('Home and property');
      expect(card.text).toContain('carol (mortgage brokers): no 1-to-1 yet');
      expect(card.text).toMatch(/Refer to you \(1\)[\s\S]*carol \(mortgage brokers\): 1 slip/);
      expect(card.text).toMatch(/You refer to \(1\)[\s\S]*carol \(mortgage brokers\): 1 slip/);
      expect(card.buttons).toEqual(['Ask carol for a 1-to-1', 'Ask dan for a 1-to-1']);
      const shared = m.filter((x) => x.text.includes('bob would like a 1-to-1 with dan'));
      expect(shared).toHaveLength(1);
      expect(shared[0]!.text).toContain('you both serve home buyers and owners');
      expect(sortedNames(shared[0]!.to)).toEqual(['bob', 'dan']);
      expect(to(m, 'bob').some((x) => x.text.includes('You already asked dan for a 1-to-1'))).toBe(true);
      expect(to(m, 'erin').at(-1)!.text).toContain('Only moderators can see another member’s power team');
    },
  },
  {
    name: 'with a pairing program, "Ask … for a 1-to-1" proposes times to both, once; one click books it with invites',
    script: `${SETUP}
@alice /pair setup name:Coffee cadence:weekly
@bob /pair join
@carol /pair join
@alice /pair start
@bob /powerteam show
@bob :press "Ask dan for a 1-to-1"
@bob :press "Ask dan for a 1-to-1"
@dan :press "Book Tue 09:00"
:advance 26h
`,
    check(m) {
      const pair = m.filter((x) => sortedNames(x.to).join() === 'bob,dan');
      const offers = pair.filter((x) => x.text.includes('Times that suit you all'));
      expect(offers).toHaveLength(1); // the second press proposed nothing new
      expect(offers[0]!.text).toContain('bob would like a 1-to-1 with dan: you both serve home buyers and owners');
      expect(offers[0]!.text).toContain('Tue 6 Jan 09:00–09:45 UTC');
      expect(offers[0]!.buttons).toEqual([
        'Book Mon 12:00',
        'Book Tue 09:00',
        'Book Wed 09:00',
        'None of these',
        'We’ll arrange it ourselves',
      ]);
      expect(to(m, 'bob').some((x) => x.text.includes('I proposed times to you both'))).toBe(true);
      expect(to(m, 'bob').some((x) => x.text.includes('You and dan already have a 1-to-1 asked for'))).toBe(true);
      // booked through the program, not a connection
      expect(m.some((x) => x.text.includes('shared conversation with each other’s card'))).toBe(false);
      expect(pair.some((x) => x.text.includes('Booked: Tue 6 Jan 09:00–09:45 UTC, by dan'))).toBe(true);
      const confirm = to(m, 'bob').filter((x) => x.text.startsWith('Booked by dan'));
      expect(confirm).toHaveLength(1);
      expect(confirm[0]!.text).toContain('invite.ics');
      expect(pair.filter((x) => x.text.includes('should be over: did you meet?'))).toHaveLength(1);
    },
  },
  {
    name: '/powerteam report: coverage, thin spheres, givers in waiting and the network PNG, to the moderator only',
    script: `${SETUP}
@alice /powerteam report period:month
@bob /powerteam report
`,
    check(m) {
      const report = last(m, 'alice', 'Power teams of Chapter');
      expect(report.private).toBe(true);
      expect(report.text).toMatch(/power-teams-month-\d{4}-\d{2}-\d{2}\.png/);
      expect(report.text).toContain('2 slips');
      expect(report.text).toMatch(/Home and property: bob, carol, dan/);
      expect(report.text).toMatch(/Givers in waiting \(3\)[\s\S]*dan \(home inspector\)[\s\S]*erin \(plumber\)/);
      expect(to(m, 'bob').at(-1)!.text).toContain('Only moderators');
    },
  },
  {
    name: 'spheres per group; the wanted board on /seats and /group; "I know someone" reaches the moderators privately',
    script: `${SETUP}
@alice /powerteam sphere add name:"Home and property" categories:"plumber, locksmith"
@alice /powerteam sphere list
@bob /powerteam sphere add name:"Pet care" categories:vet
@bob /seats
@carol /group
@bob /powerteam know seat:"conveyancing lawyer" name:"Sam Lee" contact:sam@example.com
@bob /powerteam know seat:"conveyancing lawyer" name:"Sam Lee" contact:sam@example.com
@bob /powerteam know seat:"astronaut" name:"Al Ray" contact:al@example.com
@alice /visitor list
`,
    check(m) {
      expect(last(m, 'alice', 'Sphere “Home and property”').text).toContain('added plumber, locksmith');
      expect(last(m, 'alice', 'Contact spheres of Chapter').text).toContain('+ added here: plumber, locksmith');
      expect(to(m, 'bob').some((x) => x.text.includes('Only moderators'))).toBe(true);
      const seats = last(m, 'bob', 'Seats in Chapter');
      expect(seats.text).toMatch(/Wanted professions \(\d+\)[\s\S]*conveyancing lawyer \(completes Home and property/);
      expect(seats.buttons).toContain('I know a conveyancing lawyer');
      expect(last(m, 'carol', 'About Chapter').text).toContain('Wanted professions');
      expect(to(m, 'bob').some((x) => x.text.includes('Sam Lee is invited to'))).toBe(true);
      expect(to(m, 'bob').some((x) => x.text.includes('You already passed on Sam Lee'))).toBe(true);
      expect(
        to(m, 'bob').some((x) => x.text.includes('“astronaut” is not on Chapter’s wanted-professions board')),
      ).toBe(true);
      const told = to(m, 'alice').filter((x) => x.text.includes('knows a conveyancing lawyer'));
      expect(told).toHaveLength(1);
      expect(told[0]!.private).toBe(true);
      expect(told[0]!.text).toContain('sam@example.com');
      expect(last(m, 'alice', 'Visitors of Chapter').text).toContain('Sam Lee (sam@example.com), invited by bob');
      // the contact reaches bob (who gave it) and the moderators, nobody else
      expect(
        m
          .filter((x) => x.text.includes('sam@example.com'))
          .every((x) => x.to?.every((n) => n === 'alice' || n === 'bob')),
      ).toBe(true);
    },
  },
  {
    name: 'a power-team pairing program pairs sphere partners first and its preview says why',
    script: `${SETUP}
@alice /pair setup name:Coffee cadence:weekly mode:power-team
@bob /pair join
@carol /pair join
@dan /pair join
@erin /pair join
@alice /pair preview
`,
    check(m) {
      const preview = last(m, 'alice', 'Preview of round 1 of Coffee');
      expect(preview.text).toMatch(/both serve home buyers and owners; no 1-to-1 yet/);
      expect(last(m, 'alice', 'Pairing program “Coffee”').text).toContain('power team');
    },
  },
]);

function sortedNames(names: string[] | null): string[] {
  return [...(names ?? [])].sort();
}
