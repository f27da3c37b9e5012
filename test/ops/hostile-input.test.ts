import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { renderContent } from '../../adapters/discord/render.js';
import { renderMessage } from '../../adapters/slack/block-kit.js';
import { commands } from '../../commands/index.js';
import type { Core } from '../../src/core.js';
import type { Content } from '../../src/messages.js';
import { describeEachDatabase } from '../support/databases.js';
import { type community, groupWithMembers, nullPort, opsCore, writeFingerprint } from './ops-support.js';

/** What members have typed at bots to break them: mass mentions, markup, SQL, control bytes, absurd sizes. */
const HOSTILE = [
  '@everyone',
  '@here',
  '<@&123456789012345678>',
  '<@123456789012345678>',
  '<!channel>',
  '<!everyone>',
  '<!here>',
  '<!subteam^S123|@team>',
  '<#C123|general>',
  '<https://evil.example|click me>',
  "'; drop table members; --",
  "' or '1'='1",
  '$1',
  '\u0000\u0001\u0007\u001b[31m\u007f',
  '\u202egnp.exe',
  '\uD800',
  '𝕳𝖊𝖑𝖑𝖔 👋🏽',
  ' ',
  '',
  '2024-02-30',
  '31/31/2031',
  'tomorrow-ish',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '99999999999999999999999999',
  '0x1F',
  '€1,000.000,00',
  'a'.repeat(5_000),
  'b '.repeat(70_000),
];

const value = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE).map((h) => `Acme ${h} Plumbing`) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.constantFrom({}, [], { toString: 'x' }, ['@everyone']) },
);

const MASS_MENTION_SLACK = /<!(channel|everyone|here|subteam)/;

/** Slack: no mass mention in any mrkdwn or fallback text. Discord: nothing may ping, whatever the text says. */
function assertNoMassMention(content: Content): void {
  const slack = JSON.stringify(renderMessage(content));
  expect(slack).not.toMatch(MASS_MENTION_SLACK);
  const discord = renderContent(content);
  expect(discord.allowedMentions).toEqual({ parse: [] });
}

describeEachDatabase('hostile option values, to every command', (db) => {
  let core: Core;
  let c: ReturnType<typeof community>;
  beforeAll(async () => {
    core = opsCore(db());
    c = await groupWithMembers(core, ['UA', 'UB']);
  });

  it.each(commands.map((d) => d.name))('/%s: no crash, no write on refusal, no mass mention', async (name) => {
    const registered = core.registry.get(name)!;
    const names = registered.options.map((o) => o.name);
    const options = fc.dictionary(
      fc.oneof(fc.constantFrom(...(names.length ? names : ['x'])), fc.constantFrom('__proto__', 'constructor', 'zz')),
      value,
      { maxKeys: names.length + 1 },
    );
    await fc.assert(
      fc.asyncProperty(options, fc.constantFrom('UMOD', 'UA'), async (opts, actor) => {
        const before = await writeFingerprint(db().db);
        const r = await core.handle(c.inv(actor, name, opts, actor === 'UMOD'), nullPort, async () => {});
        expect(r.outcome, `${r.reply.text}`).not.toBe('error');
        if (r.outcome === 'user_error') expect(await writeFingerprint(db().db)).toBe(before);
        assertNoMassMention(r.reply);
        for (const m of r.outgoing) assertNoMassMention(m.content);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 8), ...(process.env.FUZZ_RUNS ? {} : { seed: 20250303 }) },
    );
  });
});
