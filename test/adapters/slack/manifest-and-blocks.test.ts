import fc from 'fast-check';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { escapeMrkdwn, renderBlocks, renderMessage } from '../../../adapters/slack/block-kit.js';
import { slackManifest } from '../../../adapters/slack/manifest.js';
import { fieldErrors, formSubmission, formView } from '../../../adapters/slack/modals.js';
import { defineCommand } from '../../../src/commands/define.js';
import { Registry } from '../../../src/commands/registry.js';
import type { Content } from '../../../src/messages.js';
import { renderText } from '../../../src/render/text.js';
import { blocksToText } from '../../contract/slack-blocks.js';
import type { Loose } from '../../fakes/slack/fake-slack.js';
import { testCommands } from './test-commands.js';

const sub = (name: string) =>
  defineCommand({
    name,
    description: `${name} description`,
    access: 'anyone',
    options: z.object({ note: z.string().optional().describe('A note') }),
    run: async () => ({ text: 'ok' }),
  });

it('the manifest has one slash command per top-level name, with usage hints, scopes, events and interactivity', () => {
  // The real /pair subcommands are replaced by two stand-ins so the usage hint below stays a fixed, short string.
  const registry = new Registry([
    ...testCommands.filter((c) => !c.name.startsWith('pair ')),
    sub('pair join'),
    sub('pair leave'),
  ]);
  const m = slackManifest(registry, { baseUrl: 'https://rt.example.org/' }) as Record<string, Loose>;
  const cmds = m.features.slash_commands as { command: string; usage_hint?: string; url: string }[];
  expect(cmds.map((c) => c.command)).toEqual(registry.topLevel().map((n) => `/${n}`));
  expect(cmds.map((c) => c.command)).toEqual(
    expect.arrayContaining(['/help', '/setup', '/pitch', '/poll', '/poke', '/pair']),
  );
  expect(cmds.find((c) => c.command === '/pair')!.usage_hint).toBe('join | leave');
  expect(cmds.find((c) => c.command === '/poke')!.usage_hint).toContain('member:@member');
  expect(cmds.every((c) => c.url === 'https://rt.example.org/slack/events')).toBe(true);
  expect(m.settings.event_subscriptions.bot_events).toEqual([
    'team_join',
    'member_joined_channel',
    'app_uninstalled',
    'tokens_revoked',
  ]);
  expect(m.settings.interactivity.is_enabled).toBe(true);
  expect(m.oauth_config.redirect_urls).toEqual(['https://rt.example.org/slack/oauth_redirect']);
  expect(m.oauth_config.scopes.bot).toEqual(
    expect.arrayContaining(['commands', 'chat:write', 'im:write', 'mpim:write']),
  );
  expect((slackManifest(registry) as Record<string, Loose>).settings.socket_mode_enabled).toBe(true);
});

const contentArb: fc.Arbitrary<Content> = fc.record(
  {
    text: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() === s && !s.includes('\n')),
    card: fc.record({
      title: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && !/[\n*]/.test(s)),
      fields: fc.array(
        fc.record({
          label: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,15}$/),
          value: fc.string({ minLength: 1, maxLength: 40 }),
          inline: fc.boolean(),
        }),
        { maxLength: 12 },
      ),
    }),
    list: fc.record({ items: fc.array(fc.stringMatching(/^[a-z<>&!@ ]{1,20}$/), { minLength: 1, maxLength: 5 }) }),
    buttons: fc.array(
      fc.record({ label: fc.stringMatching(/^[A-Z][a-z]{0,8}$/), action: fc.constant({ command: 'x', action: 'y' }) }),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: ['text'] },
);

it('any content reads back from its blocks as the same text every platform shows', () => {
  fc.assert(
    fc.property(contentArb, (content) => {
      const buttons = (content.buttons ?? []).map((b, i) => ({ ...b, action: { ...b.action, arg: String(i) } }));
      const c = { ...content, buttons };
      expect(blocksToText(renderBlocks(c), '').text).toBe(renderText(c));
    }),
    { numRuns: 200 },
  );
});

it('escapes what would mention everyone, and keeps every part within Slack’s limits', () => {
  expect(escapeMrkdwn('<!everyone> & <@U1>')).toBe('&lt;!everyone&gt; &amp; &lt;@U1&gt;');
  const huge = renderMessage({
    text: 'line\n'.repeat(2000),
    list: { items: Array.from({ length: 200 }, (_, i) => `item ${i}`) },
    buttons: Array.from({ length: 60 }, (_, i) => ({
      label: `B${i}`,
      action: { command: 'c', action: 'a', arg: String(i) },
    })),
  });
  expect(huge.blocks.length).toBeLessThanOrEqual(50);
  for (const b of huge.blocks as { text?: { text: string } }[])
    expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  expect(huge.text.length).toBeLessThanOrEqual(4000);
});

it('a form round-trips through a modal’s metadata and state, and refusals land on the field they name', () => {
  const view = formView(
    {
      command: 'pitch',
      title: 'A title longer than Slack allows',
      fields: [{ name: 'pitch', label: 'Pitch', style: 'paragraph', required: true }],
      hidden: { audience: 'x' },
    },
    'C1',
  ) as Record<string, Loose>;
  expect(view.title.text.length).toBeLessThanOrEqual(24);
  const back = formSubmission({
    private_metadata: view.private_metadata,
    state: { values: { pitch: { value: { value: 'hi' } } } },
  });
  expect(back).toEqual({
    metadata: { command: 'pitch', hidden: { audience: 'x' }, channel: 'C1' },
    options: { audience: 'x', pitch: 'hi' },
  });
  expect(fieldErrors({ fields: ['pitch'] }, '`pitch` is too long: at most 5 characters.')).toEqual({
    pitch: '`pitch` is too long: at most 5 characters.',
  });
  expect(fieldErrors({ fields: ['pitch'] }, 'Only moderators can use /pitch.')).toBeNull();
});
