import { renderContent } from '../../adapters/discord/render.js';
import { renderMessage } from '../../adapters/slack/block-kit.js';
import { help } from '../../commands/help.js';
import { commands } from '../../commands/index.js';
import { Registry } from '../../src/commands/registry.js';
import type { Content } from '../../src/messages.js';
import { renderText } from '../../src/render/text.js';
import { emit, percentile } from './bench-output.js';

/**
 * Rendering and paging cost: a 200-member /directory, the moderator's /help (bare and its largest area) and a
 * 20-round /pair history of 200 members, each through the Discord and the Slack renderer, page 1 and a middle page.
 * Baseline, measured in the same run: the unpaged plain render of the same content (src/render/text.ts, one pass
 * over all of it, what the shell prints). Target: p95 ≤ 5 ms.
 */
const ITERATIONS = Number(process.env.BENCH_RENDER_ITERATIONS ?? 400);

const pitchy = (i: number) => `Member ${i} **Smith-Jones** [site](https://m${i}.example) <@${i}>`;
const directory: Content = {
  text: 'Directory: 200 members (page 1 of 1)',
  list: {
    items: Array.from(
      { length: 200 },
      (_, i) => `trade ${i} ${'x'.repeat(48)} — ${pitchy(i)} (${'Business '.repeat(8)}${i})`,
    ),
  },
  more: { command: 'directory' },
};

const registry = new Registry(commands);
async function helpReply(area?: string): Promise<Content> {
  const ctx = { commands: registry.all(), isModerator: true, group: { id: 1 }, options: { command: area } };
  return help.run(ctx as never);
}

const names = Array.from({ length: 200 }, (_, i) => `Member ${i} Smith-Jones`);
const history: Content = {
  text: 'Coffee: the last 20 rounds',
  list: {
    items: Array.from({ length: 20 }, (_, r) => {
      const pairs = Array.from(
        { length: 100 },
        (_, p) => `${names[(p * 2 + r) % 200]} + ${names[(p * 2 + 1 + r * 3) % 200]} (met)`,
      );
      return `Round ${20 - r} (Mon 5 Jan): ${pairs.join('; ')}`;
    }),
  },
  more: { command: 'pair history' },
};

function time(fn: () => unknown): number[] {
  for (let i = 0; i < 20; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main() {
  const helps = await Promise.all(
    ['', 'group', 'members', 'seats', 'referrals', 'pairing', 'nudges', 'meetings'].map((a) =>
      helpReply(a || undefined),
    ),
  );
  const size = (c: Content) => renderText(c).length;
  const bigHelp = helps.reduce((a, b) => (size(b) > size(a) ? b : a));
  const cases: [string, Content][] = [
    ['directory-200', directory],
    ['help-moderator-bare', helps[0]!],
    ['help-moderator-largest-area', { ...bigHelp, more: { command: 'help' } }],
    ['pair-history-20-rounds', history],
  ];
  for (const [name, content] of cases) {
    const baseline = percentile(
      time(() => renderText(content)),
      95,
    );
    const pages = renderContent(content).pages;
    const middle = Math.floor(pages / 2);
    const platforms: [string, () => unknown][] = [
      ['discord', () => renderContent(content)],
      ['discord-middle-page', () => renderContent({ ...content, page: middle })],
      ['slack', () => renderMessage(content)],
      ['slack-middle-page', () => renderMessage({ ...content, page: middle })],
    ];
    for (const [platform, fn] of platforms) {
      const p95 = percentile(time(fn), 95);
      emit({
        bench: 'render',
        metric: `${name}:${platform}:p95`,
        value: p95,
        baseline,
        unit: 'ms',
        target: 'p95 <= 5 ms',
        chars: size(content),
        discordPages: pages,
        ok: p95 <= 5,
      });
    }
  }
}

await main();
