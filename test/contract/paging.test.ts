import { expect } from 'vitest';
import { runContract, to } from './run-scenarios.js';

const ask = (i: number) =>
  `@m${i} /ask text:"Looking for a facilities manager at a hospital or a large school, ${'someone who signs off on maintenance contracts, '.repeat(4).slice(0, 200)} #${i}"`;

// Discord holds 6,000 characters of embeds a message, so 25 long asks take pages there; Slack (about 12,000)
// and the shell (no limit) show them at once, so this scenario runs on Discord, through the real client.
runContract(
  'paging',
  [
    {
      name: 'a reply too long for one Discord message pages with Next / Previous, each page served afresh',
      script: `
@alice /setup name:"Chamber" type:chamber
${Array.from({ length: 25 }, (_, i) => `@m${i} /intro business:"Firm ${i}" category:"trade ${i}" pitch:"We help" ideal_referral:"Anyone"\n${ask(i)}`).join('\n')}
@bob /intro business:"Bobs Books" category:"bookkeeper" pitch:"We help" ideal_referral:"Anyone"
@bob /asks
@bob :press "Next"
@bob :press "Previous"
`,
      check(m) {
        // Asks are for members: bob joined first; his pages are what follows.
        const pages = to(m, 'bob').filter((p) => p.text.includes('Page '));
        expect(pages[0]!.text).toContain('Page 1 of 2');
        expect(pages[0]!.buttons).toContain('Next');
        const second = pages.find((p) => p.text.includes('Page 2 of 2'))!;
        expect(second.buttons).toContain('Previous');
        expect(second.buttons).not.toContain('Next');
        // Between them, both pages show all 25 asks, as typed.
        const shown = new Set(
          [...`${pages[0]!.text}\n${second.text}`.matchAll(/contracts, [^#]*#(\d+)/g)].map((x) => x[1]),
        );
        expect(shown.size).toBe(25);
        expect(pages.at(-1)!.text).toContain('Page 1 of 2');
      },
    },
  ],
  ['discord'],
);
