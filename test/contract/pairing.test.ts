import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { inChannel, runContract, to } from './run-scenarios.js';

const intro = (name: string, business: string, category: string, pitch = 'We do good work') =>
  `@${name} /intro business:"${business}" category:"${category}" pitch:"${pitch}" ideal_referral:"Small businesses"`;

/** A peer group (moderator alice, no card, so never paired) with introduced members who joined "Coffee". */
const group = (...names: string[]) => `
@alice /setup name:"Peers" type:peer
${names.map((n, i) => intro(n, `${n} & Co`, `trade ${String.fromCharCode(97 + i)}`, `${n} pitch`)).join('\n')}
@alice /pair setup name:Coffee cadence:weekly day:monday time:09:00
${names.map((n) => `@${n} /pair join`).join('\n')}
`;

/** Shared conversations (two or more members) that introduce a round's group. */
const meetings = (m: NormalizedMessage[]) =>
  m.filter((x) => (x.to?.length ?? 0) > 1 && x.text.includes('You are meeting'));
const rematches = (m: NormalizedMessage[]) =>
  m.filter((x) => (x.to?.length ?? 0) > 1 && x.text.includes('A new match'));
const checkIns = (m: NormalizedMessage[]) =>
  m.filter((x) => (x.to?.length ?? 0) > 1 && x.text.includes('did you meet?'));
const sorted = (names: string[] | null) => [...(names ?? [])].sort();

runContract('pairing', [
  {
    name: 'a program is set up and announced; members join with the command or the button; settings and status',
    script: `
@alice /setup name:"Peers" type:peer
${intro('bob', 'Bobs Pipes', 'plumber')}
${intro('carol', 'Carol Cakes', 'baker')}
@alice /pair setup name:Coffee cadence:weekly day:tuesday time:08:30
@bob /pair join
@carol :press "Join"
@alice /pair settings
@bob /pair status
@bob /pair leave
@bob /pair status
@bob /pair skip
@carol /pair snooze until:2026-02-01
@carol /pair setup cadence:monthly
`,
    check(m) {
      const setup = to(m, 'alice')[1]!;
      expect(setup.text).toContain('Pairing program “Coffee” is set up');
      expect(setup.text).toContain('weekly on Tuesday at 08:30');
      const announcement = inChannel(m).find((x) => x.text.includes('New in Peers: Coffee'))!;
      expect(announcement.buttons).toEqual(['Join']);
      expect(to(m, 'bob').some((x) => x.text.includes('You are in Coffee'))).toBe(true);
      expect(to(m, 'carol').some((x) => x.text.includes('You are in Coffee'))).toBe(true);
      expect(to(m, 'alice').at(-1)!.text).toContain('members who join with /pair join (2 so far)');
      expect(to(m, 'alice').at(-1)!.text).toContain('Conversation starters (6)');
      const statuses = to(m, 'bob').filter((x) => x.text.startsWith('Your pairing'));
      expect(statuses[0]!.text).toContain('Coffee: in');
      expect(statuses[1]!.text).toContain('Coffee: not taking part');
      expect(to(m, 'bob').at(-1)!.text).toContain('You are not taking part in Coffee');
      expect(to(m, 'carol').at(-2)!.text).toContain('no Coffee rounds for you until 1 Feb');
      expect(to(m, 'carol').at(-1)!.text).toContain('Only moderators can use /pair setup');
    },
  },
  {
    name: 'a cron cadence is validated; starters are added, listed and removed',
    script: `
@alice /setup name:"Peers" type:peer
@alice /pair setup name:Coffee cadence:"*/5 * * * *"
@alice /pair setup name:Coffee cadence:"0 8 * * 2" size:3
@alice /pair starters add:"What is your dream client?"
@alice /pair starters remove:1
@alice /pair starters remove:40
`,
    check(m) {
      const [, refused, created, added, removed, missing] = to(m, 'alice');
      expect(refused!.text).toContain('one time of day');
      expect(created!.text).toContain('“0 8 * * 2”');
      expect(created!.text).toContain('groups of 3');
      expect(added!.text).toContain('7. What is your dream client?');
      expect(removed!.text).toContain('Removed “What kind of client would you love to meet this month?”');
      expect(removed!.text).toContain('(6)');
      expect(missing!.text).toContain('no starter number 40');
    },
  },
  {
    name: 'preview shows the groups to the moderator only and records nothing; start delivers each pair its conversation',
    script: `
${group('bob', 'carol', 'dave', 'erin')}
@alice /pair preview
@alice /pair history
@alice /pair start
@alice /pair history
`,
    check(m) {
      const [preview, before, started, after] = to(m, 'alice').slice(-4);
      expect(preview!.text).toContain('Preview of round 1 of Coffee');
      expect(preview!.text).toContain('2 groups');
      expect(before!.text).toContain('No rounds yet.');
      expect(started!.text).toContain('Round 1 of Coffee started: 2 groups, 0 unplaced');
      expect(after!.text).toContain('Round 1');
      const convs = meetings(m);
      expect(convs).toHaveLength(2);
      expect(convs.flatMap((c) => c.to).sort()).toEqual(['bob', 'carol', 'dave', 'erin']);
      for (const c of convs) {
        for (const name of c.to!) expect(c.text).toContain(`${name} & Co`);
        expect(c.text).toContain('Conversation starter');
        // the suggestion to propose times became bookable times (issue 18)
        expect(c.text).toContain('Book your 1-to-1: Times that suit you all');
        expect(c.buttons.filter((b) => b.startsWith('Book '))).toHaveLength(3);
      }
      // The preview's pairs are the ones the round made (same seed).
      for (const c of convs) expect(preview!.text).toContain(c.to!.join(' + '));
    },
  },
  {
    name: 'cross-category mode never pairs two members of one profession',
    script: `
@alice /setup name:"Peers" type:peer
${intro('bob', 'Bobs Pipes', 'plumber')}
${intro('carl', 'Carl Pipes', 'plumber')}
${intro('dina', 'Dina Bakes', 'baker')}
${intro('emma', 'Emma Bakes', 'baker')}
@alice /pair setup name:Coffee mode:cross-category who:everyone
@alice /pair start
`,
    check(m) {
      const convs = meetings(m);
      expect(convs).toHaveLength(2);
      for (const c of convs) {
        expect(c.text).toContain('(plumber)');
        expect(c.text).toContain('(baker)');
      }
    },
  },
  {
    name: 'an odd count makes a trio, never a leftover',
    script: `
${group('bob', 'carol', 'dave')}
@alice /pair start
`,
    check(m) {
      const convs = meetings(m);
      expect(convs).toHaveLength(1);
      expect(sorted(convs[0]!.to)).toEqual(['bob', 'carol', 'dave']);
      expect(to(m, 'alice').at(-1)!.text).toContain('1 group, 0 unplaced');
    },
  },
  {
    name: 'an exclusion is honoured and stays confidential; the member left over is told why',
    script: `
${group('bob', 'carol', 'dave')}
@carol /pair exclude member:@dave
@alice /pair start
`,
    check(m) {
      const reply = to(m, 'carol').find((x) => x.text.includes('never be paired with dave'))!;
      expect(reply.private).toBe(true);
      const convs = meetings(m);
      expect(convs).toHaveLength(1);
      expect(convs[0]!.to).toContain('bob');
      expect(sorted(convs[0]!.to)).not.toEqual(['carol', 'dave']);
      const left = ['carol', 'dave'].find((n) => !convs[0]!.to!.includes(n))!;
      const why = to(m, left).find((x) => x.text.includes('No Coffee match for you'))!;
      expect(why.private).toBe(true);
      // Their only possible partner, bob, was taken: the reason says so, addressed to them, and names nobody.
      expect(why.text).toContain(
        'No Coffee match for you in round 1: Everyone you could meet this round was already placed in another group.',
      );
      // Nobody but carol, in nothing but her own reply, hears of the exclusion.
      const others = m.filter((x) => x !== reply);
      expect(others.some((x) => /exclu|never be paired/i.test(x.text))).toBe(false);
    },
  },
  {
    name: 'snoozed and skipping members sit out; the skip covers one round and the scheduled round brings them back',
    script: `
${group('bob', 'carol', 'dave', 'erin')}
@carol /pair snooze weeks:2
@dave /pair skip
@alice /pair start
:advance 7d
@carol /pair status
`,
    check(m) {
      expect(to(m, 'carol').some((x) => x.text.includes('Snoozed: no Coffee rounds for you until 19 Jan'))).toBe(true);
      expect(to(m, 'dave').some((x) => x.text.includes('sit out the next round'))).toBe(true);
      const [first, second] = meetings(m);
      expect(sorted(first!.to)).toEqual(['bob', 'erin']);
      expect(first!.text).toContain('round 1');
      expect(sorted(second!.to)).toEqual(['bob', 'dave', 'erin']);
      expect(second!.text).toContain('round 2');
      expect(meetings(m)).toHaveLength(2);
      expect(to(m, 'carol').at(-1)!.text).toContain('snoozed until 19 Jan');
    },
  },
  {
    name: 'a check-in halfway: "Met" offers to record what it led to, and stats show the met rate',
    script: `
${group('bob', 'carol')}
@alice /pair start
:advance 4d
@carol :press "Met"
@carol :press "A connection"
:advance 2d
@alice /pair stats
@bob /pair status
`,
    check(m) {
      const checks = checkIns(m);
      // The halfway check-in only: a group that met gets no second one.
      expect(checks).toHaveLength(1);
      expect(checks[0]!.text).toContain('Halfway through round 1 of Coffee');
      expect(checks[0]!.buttons).toEqual(['Met', 'Scheduled', "Couldn't"]);
      const asked = to(m, 'carol').find((x) => x.text.includes('Did it lead to a referral or a connection?'))!;
      expect(asked.buttons).toEqual(['A referral', 'A connection', 'Not this time']);
      expect(to(m, 'carol').some((x) => x.text.includes('led to a connection'))).toBe(true);
      const stats = to(m, 'alice').at(-1)!.text;
      expect(stats).toContain('1 group, 1 met (100%), 1/2 answered');
      expect(stats).toContain('bob (1 round)');
    },
  },
  {
    name: '"Couldn\'t" offers a rematch with the member left unplaced this round',
    script: `
${group('bob', 'carol', 'dave')}
@carol /pair exclude member:@dave
@alice /pair start
:advance 4d
@bob :press "Couldn't"
@bob :press "Rematch me"
@alice /pair history member:@bob
`,
    check(m) {
      const [first] = meetings(m);
      const partner = first!.to!.find((n) => n !== 'bob')!;
      const free = ['carol', 'dave'].find((n) => n !== partner)!;
      expect(to(m, 'bob').some((x) => x.buttons.includes('Rematch me'))).toBe(true);
      const [again] = rematches(m);
      expect(sorted(again!.to)).toEqual(sorted(['bob', free]));
      expect(again!.text).toContain(`${free} & Co`);
      expect(to(m, 'bob').some((x) => x.text.includes(`Rematched: you are meeting ${free} instead`))).toBe(true);
      const history = to(m, 'alice').at(-1)!.text;
      expect(history).toContain(`with ${partner} — could not meet`);
      expect(history).toContain(`rematch: with ${free} — no answer`);
    },
  },
  {
    name: 'members who ignore three rounds in a row are paused and the moderators told',
    script: `
${group('bob', 'carol')}
@alice /pair start
:advance 4d
@carol :press "Scheduled"
:advance 3d
:advance 4d
@carol :press "Scheduled"
:advance 3d
:advance 4d
@carol :press "Scheduled"
:advance 3d
@bob /pair status
`,
    check(m) {
      expect(meetings(m)).toHaveLength(3);
      const told = to(m, 'alice').find((x) => x.text.includes('Paused in Coffee'))!;
      expect(told.text).toContain('bob');
      expect(told.text).not.toContain('carol');
      const paused = to(m, 'bob').find((x) => x.text.includes('paused your pairing'))!;
      expect(paused.buttons).toEqual(['Rejoin']);
      expect(to(m, 'carol').some((x) => x.text.includes('paused your pairing'))).toBe(false);
      // Round 4 ran without bob, so carol had nobody and was told why.
      expect(to(m, 'carol').some((x) => x.text.includes('No Coffee match for you in round 4'))).toBe(true);
      expect(to(m, 'bob').at(-1)!.text).toContain('Coffee: paused');
    },
  },
  {
    name: 'a scheduled round fires once when its slot comes, however often the clock is looked at',
    script: `
${group('bob', 'carol')}
:advance 6d
:advance 1d
:advance 1m
:advance 1m
`,
    check(m) {
      const convs = meetings(m);
      expect(convs).toHaveLength(1);
      expect(convs[0]!.text).toContain('round 1');
      expect(inChannel(m).filter((x) => x.text.startsWith('Round 1 of Coffee'))).toHaveLength(1);
    },
  },
]);
