import { expect } from 'vitest';
import type { NormalizedMessage } from './driver.js';
import { inChannel, runContract, to } from './run-scenarios.js';

const intro = (
  name: string,
  business: string,
  category: string,
  pitch = 'We do good work',
  ideal = 'Small businesses',
) => `@${name} /intro business:"${business}" category:"${category}" pitch:"${pitch}" ideal_referral:"${ideal}"`;
const last = (m: NormalizedMessage[], name: string) => to(m, name).at(-1)!;

runContract('members', [
  {
    name: 'an introduction in an open group posts the card; running /intro again edits it in place',
    script: `
@alice /setup name:"Peers" type:peer
${intro('bob', 'Bobs Pipes', 'Plumbers', 'Same-day leak repair', 'Homeowners with old houses')}
@bob /intro pitch:"Same-day leak repair and boilers"
`,
    check(m) {
      const posts = inChannel(m);
      expect(posts).toHaveLength(2);
      expect(posts[0]!.text).toContain('Bobs Pipes');
      expect(posts[0]!.text).toContain('Same-day leak repair');
      expect(posts[1]!.edited).toBe(true);
      expect(posts[1]!.text).toContain('boilers');
      expect(to(m, 'bob').every((x) => x.private)).toBe(true);
    },
  },
  {
    name: 'refuses a second plumber in a one-seat group, names the holder, and lets a moderator allow sharing',
    script: `
@alice /setup name:"Chapter" type:peer one_seat:true
${intro('bob', 'Bobs Pipes', 'plumber')}
${intro('carol', 'Carol Drains', 'Plumbers')}
@carol :press "Ask a moderator"
@alice :press "Allow"
${intro('carol', 'Carol Drains', 'Plumbers')}
`,
    check(m) {
      const refusal = to(m, 'carol')[0]!;
      expect(refusal.private).toBe(true);
      expect(refusal.text).toContain('plumber seat');
      expect(refusal.text).toContain('bob');
      expect(refusal.buttons).toContain('Ask a moderator');
      expect(to(m, 'alice').some((x) => x.text.includes('carol asks to share'))).toBe(true);
      expect(to(m, 'carol').some((x) => x.text.includes('allowed you to share'))).toBe(true);
      expect(inChannel(m).filter((x) => x.text.includes('Carol Drains'))).toHaveLength(1);
    },
  },
  {
    name: 'a newcomer to a referral group applies; a moderator approves with the button, another is declined with a reason',
    script: `
@alice /setup name:"Referral Chapter" type:referral
${intro('bob', 'Bobs Books', 'bookkeeper')}
@alice :press "Approve"
${intro('carol', 'Carol Cakes', 'baker')}
@alice /decline member:@carol reason:"We already have a caterer covering cakes"
@alice /directory
`,
    check(m) {
      expect(to(m, 'bob')[0]!.text).toContain('by application');
      const application = to(m, 'alice').find((x) => x.text.includes('New application') && x.text.includes('bob'))!;
      expect(application.buttons).toEqual(['Approve', 'Decline']);
      expect(to(m, 'bob').some((x) => x.text.includes('was approved'))).toBe(true);
      expect(inChannel(m).filter((x) => x.text.includes('Bobs Books'))).toHaveLength(1);
      expect(inChannel(m).some((x) => x.text.includes('Carol Cakes'))).toBe(false);
      expect(last(m, 'carol').text).toContain('We already have a caterer covering cakes');
      const dir = last(m, 'alice').text;
      expect(dir).toContain('Bobs Books');
      expect(dir).not.toContain('Carol Cakes');
    },
  },
  {
    name: 'approving twice tells the second moderator it was already decided',
    script: `
@alice /setup name:"Referral Chapter" type:referral
:moderator mo
${intro('bob', 'Bobs Books', 'bookkeeper')}
@alice /approve member:@bob
@mo /approve member:@bob
`,
    check(m) {
      expect(last(m, 'alice').text).toContain('Approved bob');
      expect(last(m, 'mo').text).toContain('already approved');
    },
  },
  {
    name: '/find ranks who serves a need; /profile @and /group show cards',
    script: `
@alice /setup name:"Peers" type:peer
${intro('rita', 'Rita Roofing', 'roofer', 'Roof repair and leaking roofs fixed within a day', 'Property managers')}
${intro('paul', 'Paul Plumbing', 'plumber', 'Leaking taps and pipes', 'Landlords')}
${intro('anna', 'Anna Accounts', 'accountant', 'Tax returns for freelancers', 'Freelancers')}
@alice /find leaking roof
@alice /profile @rita
@alice /group
`,
    check(m) {
      const [found, profile, group] = to(m, 'alice').slice(-3);
      const text = found!.text;
      expect(text.indexOf('rita')).toBeGreaterThan(-1);
      expect(text.indexOf('rita')).toBeLessThan(text.indexOf('paul'));
      expect(text).not.toContain('anna');
      expect(profile!.text).toContain('Rita Roofing');
      expect(profile!.text).toContain('Property managers');
      expect(group!.text).toContain('Peers');
      expect(group!.text).toMatch(/Members\W+4/); // three introduced members and the moderator
    },
  },
  {
    name: '/directory pages with Next and Previous buttons',
    script: `
@alice /setup name:"Chamber" type:chamber
${Array.from({ length: 12 }, (_, i) => intro(`m${String(i).padStart(2, '0')}`, `Firm ${i}`, `trade ${String.fromCharCode(97 + i)}`)).join('\n')}
@m03 /directory
@m03 :press "Next"
@m03 :press "Previous"
`,
    check(m) {
      const pages = to(m, 'm03').filter((p) => p.text.includes('(page'));
      expect(pages[0]!.text).toContain('12 members (page 1 of 2)');
      expect(pages[0]!.buttons).toEqual(['Next']);
      const second = pages.find((p) => p.text.includes('page 2 of 2'))!;
      expect(second.buttons).toEqual(['Previous']);
      expect(second.text).toContain('Firm 10');
      expect(pages.at(-1)!.text).toContain('page 1 of 2');
    },
  },
  {
    name: '/directory past its last page shows the last page and says so, with no button to an empty page',
    script: `
@alice /setup name:"Chamber" type:chamber
${Array.from({ length: 8 }, (_, i) => intro(`p${i}`, `Shop ${i}`, `craft ${String.fromCharCode(97 + i)}`)).join('\n')}
@p3 /directory page:2
`,
    check(m) {
      const [page] = to(m, 'p3').slice(-1);
      expect(page!.text).toContain('There is no page 2: the directory has 1 page.');
      expect(page!.text).toContain('8 members (page 1 of 1)');
      expect(page!.text).not.toContain('page 2 of 1');
      expect(page!.buttons).toEqual([]);
    },
  },
  {
    name: '/connect introduces two members in one shared conversation',
    script: `
@alice /setup name:"Peers" type:peer
${intro('bob', 'Bobs Books', 'bookkeeper', 'Books for cafes', 'Cafe owners')}
${intro('carol', 'Carol Cafe', 'cafe owner', 'Coffee and cake', 'Offices')}
@dave /intro business:"Dave Design" category:designer pitch:"Logos" ideal_referral:"Startups"
@dave /connect member_a:@bob member_b:@carol reason:"Carol needs a bookkeeper for her cafe"
`,
    check(m) {
      const shared = m.find((x) => x.to && x.to.length === 3)!;
      expect([...shared.to!].sort()).toEqual(['bob', 'carol', 'dave']);
      expect(shared.text).toContain('Carol needs a bookkeeper for her cafe');
      expect(shared.text).toContain('Bobs Books');
      expect(shared.text).toContain('Carol Cafe');
      expect(to(m, 'dave').some((x) => x.private && x.text.includes('Thank you for giving'))).toBe(true);
    },
  },
  {
    name: 'leaving, removal and forget-me replace the posted cards',
    script: `
@alice /setup name:"Peers" type:peer
${intro('bob', 'Bobs Books', 'bookkeeper')}
${intro('carol', 'Carol Cafe', 'cafe owner')}
${intro('erin', 'Erin Events', 'event planner')}
@bob /leave
@alice /remove member:@carol reason:"Membership lapsed"
@erin /forget-me
@erin :press "Delete my data"
@alice /profile @erin
@alice /directory
`,
    check(m) {
      const edits = inChannel(m).filter((x) => x.edited);
      expect(edits.map((e) => e.text)).toEqual([
        expect.stringContaining('bob has left Peers'),
        expect.stringContaining('carol is no longer a member'),
        expect.stringContaining('removed at the member’s request'),
      ]);
      expect(last(m, 'carol').text).toContain('Membership lapsed');
      expect(to(m, 'erin').some((x) => x.text.includes('personal data here is deleted'))).toBe(true);
      const [profile, directory] = to(m, 'alice').slice(-2);
      expect(profile!.text).toMatch(/don’t know a member|not introduced/);
      expect(directory!.text).toContain('Nobody has introduced themselves yet');
    },
  },
  {
    name: 'bad input gets a clear private message and writes nothing',
    script: `
@alice /setup name:"Peers" type:peer
@bob /intro business:"Bobs Books" category:bookkeeper
@bob /intro business:"Bobs Books" category:bookkeeper pitch:"${'word '.repeat(151).trim()}" ideal_referral:"Cafes"
@bob /intro business:"Bobs Books" category:bookkeeper pitch:"Books" ideal_referral:"Cafes" email:not-an-email website:ftp://x
@bob /profile @alice
@bob /approve member:@alice
@bob /profile
@alice /profile @nobody
`,
    check(m) {
      const [missing, tooLong, malformed, notMember, forbidden, mine] = to(m, 'bob');
      const unknown = last(m, 'alice');
      expect(missing!.text).toContain('`pitch`');
      expect(missing!.text).toContain('`ideal_referral`');
      expect(tooLong!.text).toContain('at most 150 words');
      expect(malformed!.text).toContain('`email` must be an email address');
      expect(malformed!.text).toContain('`website` must be a web address');
      expect(unknown!.text).toContain('nobody');
      expect(forbidden!.text).toContain('Only moderators can use /approve');
      // Cards are for members: someone who has not joined is told so, and how to join.
      expect(notMember!.text).toContain('Only members of Peers can use /profile');
      expect(notMember!.text).toContain('/intro');
      expect(mine!.text).toContain('Only members of Peers can use /profile');
      expect(inChannel(m)).toHaveLength(0);
      expect(to(m, 'bob').every((x) => x.private)).toBe(true);
    },
  },
]);
