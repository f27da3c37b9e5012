import { expect } from 'vitest';
import { runContract, to } from './run-scenarios.js';

// Slack refuses a message whose blocks hold more than about 12,000 characters together (msg_blocks_too_long). A slip
// corrected forty times, each with a 300-character note, has a history longer than that: its card pages there.
const note = (i: number) =>
  `Correction ${i}: ${'the prospect asked to move the survey again because the site manager was away, '.repeat(4)}`.slice(
    0,
    300,
  );

runContract(
  'paging on Slack',
  [
    {
      name: 'a card too long for one Slack message pages through Bolt: Next and Previous serve the other page afresh',
      script: `
@alice /setup name:"Chamber" type:chamber
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"Pat Prospect" contact:"pat@example.com" need:"A lease review" temperature:4 consent:yes
${Array.from({ length: 40 }, (_, i) => `@alice /referral correct id:1 status:${i % 2 ? 'accepted' : 'contacted'} note:"${note(i)}"`).join('\n')}
@bob /referral show id:1
@bob :press "Next"
@bob :press "Previous"
`,
      check(m) {
        const pages = to(m, 'bob').filter((p) => /^Page \d+ of \d+$/m.test(p.text));
        expect(pages).toHaveLength(3);
        const [first, second, again] = pages as [(typeof pages)[0], (typeof pages)[0], (typeof pages)[0]];
        expect(first.text).toMatch(/^Page 1 of 2$/m);
        expect(first.buttons).toEqual(['Next']);
        expect(second.text).toMatch(/^Page 2 of 2$/m);
        expect(second.buttons).toEqual(['Previous']);
        expect(again.text).toBe(first.text);
        // Nothing the moderator wrote is cut: between them the two pages hold every one of the forty notes whole.
        const both = `${first.text}\n${second.text}`;
        for (let i = 0; i < 40; i++) expect(both).toContain(note(i).slice(0, 120));
        expect(both).toContain(note(39).slice(-60));
      },
    },
  ],
  ['slack'],
);
