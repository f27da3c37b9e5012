import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FormStash } from '../../adapters/discord/custom-ids.js';
import { renderContent, renderModal } from '../../adapters/discord/render.js';
import { renderMessage, renderMessages } from '../../adapters/slack/block-kit.js';
import { formView } from '../../adapters/slack/modals.js';
import type { Database } from '../../db/client.js';
import type { Content, FormRequest } from '../../src/messages.js';
import { checkMessage, checkModal, describeRefusal } from '../fakes/discord/validate-payload.js';
import { checkMessageArgs, checkView } from '../fakes/slack/validate-blocks.js';
import { openTestDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

/**
 * Big communities with every field at its maximum, every command, button and scheduled message that lists or
 * cards anything, and each message (replies, DMs, channel posts) rendered through both renderers, every page of
 * it, checked against every limit the fakes enforce. And nothing is cut: a message that needs pages can page.
 */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase(process.env.DATABASE_URL ? 'postgres' : 'pglite');
});
afterAll(async () => {
  await database?.close();
});

/**
 * Community sizes of the random runs; a 200-member community runs once besides (about 25 s on these 2-core
 * machines; LIMITS_PROPERTY_FULL=0 skips it).
 */
const SIZES = (process.env.LIMITS_PROPERTY_MEMBERS ?? '9,60').split(',').map(Number);
const FULL = process.env.LIMITS_PROPERTY_FULL !== '0';

/** Text with what members really type: markdown, links, mentions, emoji, non-Latin scripts. */
const wordArb = fc.constantFrom(
  'roof',
  '**bold**',
  '[site](https://x.example)',
  '<@123>',
  '@everyone',
  'زهور',
  '🙂',
  '# h',
  '_it_',
  'a&b',
  'ok',
);
const textOf = (max: number) =>
  fc.array(wordArb, { minLength: 40, maxLength: 200 }).map((ws) => {
    let s = '';
    for (const w of ws) if (s.length + w.length + 1 <= max) s = s ? `${s} ${w}` : w;
    return s.replace(/"/g, '');
  });

const q = (s: string) => `"${s.replace(/"/g, '')}"`;

interface Community {
  members: number;
  pitch: string;
  ideal: string;
  ask: string;
}

function script(c: Community): string {
  const lines = [`@mod /setup name:${q('Chamber of very long names '.repeat(3).slice(0, 80).trim())} type:chamber`];
  const pitch = c.pitch.split(' ').slice(0, 150).join(' ');
  for (let i = 0; i < c.members; i++) {
    const name = `m${i}`;
    lines.push(
      `@${name} /intro business:${q(`${'Business '.repeat(9).slice(0, 70)}${i}`)} category:${q(`trade ${i} ${'x'.repeat(40)}`.slice(0, 60))} pitch:${q(pitch)} ideal_referral:${q(c.ideal)} area:${q('North county and all the villages around it, '.repeat(3).slice(0, 100))} website:https://m${i}.example email:m${i}@example.com phone:+44207946${String(1000 + i).slice(-4)}`,
    );
  }
  // Open for 30 days: still open after the two pairing rounds below (16 days), so /asks lists all 25.
  for (let i = 0; i < Math.min(25, c.members); i++) lines.push(`@m${i} /ask text:${q(c.ask)} days:30`);
  for (let i = 1; i < Math.min(12, c.members); i++) {
    lines.push(
      `@m${i} /refer member:@m0 prospect:${q(`Prospect ${'with a long name '.repeat(6)}`.slice(0, 120))} contact:prospect${i}@example.com need:${q(c.ask.slice(0, 200))} temperature:4 consent:yes`,
    );
  }
  lines.push(
    '@mod /pair setup name:Coffee cadence:weekly who:everyone',
    '@mod /pair start',
    ':advance 8d',
    '@mod /pair start',
  );
  lines.push(':advance 8d');
  const reads = [
    '/help',
    ...['group', 'members', 'seats', 'referrals', 'pairing', 'nudges', 'meetings', 'leaving'].map((a) => `/help ${a}`),
    '/directory',
    '/directory page:2',
    '/find words:roof',
    '/asks',
    '/seats',
    '/group',
    '/profile member:@m1',
    '/referrals',
    '/referral show id:1',
    '/pair history',
    '/pair stats',
    '/pair status',
    '/pair settings',
    '/commitments',
    '/balance',
    '/givers',
    '/report referrals',
    '/meeting next',
    '/visitor list',
    '/scorecard show',
  ];
  for (const r of reads) lines.push(`@mod ${r}`);
  lines.push('@m0 /referrals', '@m0 /referral show id:2', '@m3 /directory', '@m3 /pair history');
  return lines.join('\n');
}

/**
 * Every refusal either platform would answer for this content, every page and part rendered: a private reply
 * pages by its buttons, a post too long shows Show all, and content no command can re-run goes out in parts.
 */
function refusals(content: Content, post: boolean): string[] {
  const out: string[] = [];
  const d0 = renderContent(content, { post });
  const pagesD = post && d0.parts === 1 ? 1 : d0.pages;
  for (let page = 0; page < pagesD; page++) {
    const d = page === 0 ? d0 : renderContent({ ...content, page }, { post });
    for (const e of describeRefusal(checkMessage({ content: d.content, embeds: d.embeds, components: d.components })))
      out.push(`discord page ${page}: ${e}`);
  }
  renderMessages(content, { post }).forEach((s, part) => {
    const bad = checkMessageArgs(s);
    if (bad) out.push(`slack part ${part}: ${bad.error} ${(bad.errors ?? []).join('; ')}`);
  });
  if (!post && content.more) {
    for (let page = 1; page < 30; page++) {
      const s = renderMessage({ ...content, page });
      const bad = checkMessageArgs(s);
      if (bad) out.push(`slack page ${page}: ${bad.error}`);
      if (!s.blocks.some((b) => b.block_id === 'rt-buttons-page:0' && JSON.stringify(b).includes('"Next"'))) break;
    }
  }
  return out;
}

const communityArb = (members: fc.Arbitrary<number>) =>
  fc.record({ members, pitch: textOf(1000), ideal: textOf(500), ask: textOf(300) });

async function checkCommunity(c: Community): Promise<void> {
  const h = shellHarness(database);
  await h.run(script(c));
  const problems: string[] = [];
  for (const m of h.messages) {
    for (const p of refusals(m.content, m.channel !== null))
      problems.push(`${m.text.split('\n')[0]!.slice(0, 60)} → ${p}`);
  }
  expect(problems).toEqual([]);
  // The data is there (every card was accepted, rounds ran) and, from 30 members, some reply needed pages.
  const says = (s: string) => h.messages.some((m) => m.text.includes(s));
  const missing = [`Directory: ${c.members} members`, 'Round 2', 'Commands you can use'].filter((s) => !says(s));
  if (c.members >= 30 && !h.messages.some((m) => renderContent(m.content).pages > 1)) missing.push('a paged reply');
  expect(
    missing,
    h.messages
      .filter((m) => m.private && /not|can’t|cannot/i.test(m.text))
      .slice(0, 3)
      .map((m) => m.text.slice(0, 120))
      .join(' | '),
  ).toEqual([]);
}

it('every message of a community with maximal fields fits Discord and Slack, on every page', async () => {
  await fc.assert(fc.asyncProperty(communityArb(fc.constantFrom(...SIZES)), checkCommunity), {
    numRuns: 2,
    // A run takes seconds: report the first failing community rather than shrinking it for minutes.
    endOnFailure: true,
  });
}, 600_000);

it.runIf(FULL)(
  'and so for a 200-member community',
  async () => {
    const [c] = fc.sample(communityArb(fc.constant(200)), { numRuns: 1, seed: 14 });
    await checkCommunity(c!);
  },
  900_000,
);

it('every command form renders as a Discord modal and a Slack view the platforms accept', async () => {
  const h = shellHarness(database);
  const problems: string[] = [];
  for (const cmd of h.core.registry.all()) {
    if (!cmd.def.form) continue;
    const form: FormRequest = {
      command: cmd.def.name,
      title: cmd.def.form.title,
      fields: cmd.def.form.fields.map((name) => {
        const info = cmd.options.find((o) => o.name === name)!;
        return {
          name,
          label: info.description,
          style: info.long ? 'paragraph' : 'short',
          required: info.required,
          value: 'v'.repeat(info.maxLength ?? 100),
          ...(info.maxLength ? { maxLength: info.maxLength } : {}),
        };
      }),
    };
    for (const e of describeRefusal(checkModal(renderModal(form, new FormStash()))))
      problems.push(`${cmd.def.name} discord ${e}`);
    const view = checkView(formView(form, 'C1'));
    if (view) problems.push(`${cmd.def.name} slack ${view.error} ${view.errors?.join('; ')}`);
  }
  expect(problems).toEqual([]);
});
