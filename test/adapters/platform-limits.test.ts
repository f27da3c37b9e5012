import { describe, expect, it } from 'vitest';
import { FormStash, readComponentId } from '../../adapters/discord/custom-ids.js';
import { escapeMarkdown, unescapeMarkdown } from '../../adapters/discord/markdown.js';
import { renderContent, renderModal } from '../../adapters/discord/render.js';
import { renderMessage } from '../../adapters/slack/block-kit.js';
import { slackManifest } from '../../adapters/slack/manifest.js';
import { formView } from '../../adapters/slack/modals.js';
import { escapeMrkdwn, unescapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { commands } from '../../commands/index.js';
import { Registry } from '../../src/commands/registry.js';
import type { Content, FormRequest } from '../../src/messages.js';
import { checkMessage, checkModal, describeRefusal } from '../fakes/discord/validate-payload.js';
import { checkManifestCommands, checkMessageArgs, checkView } from '../fakes/slack/validate-blocks.js';

/** Both platforms' verdicts on one content: [] each when Discord and Slack would both take it. */
function verdicts(content: Content, opts: { post?: boolean } = {}) {
  const d = renderContent(content, opts);
  const discord = describeRefusal(checkMessage({ content: d.content, embeds: d.embeds, components: d.components }));
  const slack = checkMessageArgs(renderMessage(content, opts));
  return { discord, slack: slack ? [slack.error, ...(slack.errors ?? [])] : [], d, s: renderMessage(content, opts) };
}

const press = (command: string, action: string, arg?: string) => ({ command, action, ...(arg ? { arg } : {}) });

describe('the fakes refuse what the platforms refuse, in their shapes', () => {
  it('Discord: 400 / 50035 with the failing path, for the 6,000 across embeds and a duplicate custom_id', () => {
    const embeds = [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2500) }];
    const tooBig = checkMessage({ embeds });
    expect(tooBig).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    expect(describeRefusal(tooBig)).toEqual(['embeds: MAX_EMBED_SIZE_EXCEEDED']);
    const button = { type: 2, style: 2, label: 'A', custom_id: 'same' };
    const dup = checkMessage({ content: 'x', components: [{ type: 1, components: [button, button] }] });
    expect(describeRefusal(dup)).toEqual(['components.0.components.1.custom_id: COMPONENT_CUSTOM_ID_DUPLICATED']);
    expect(describeRefusal(checkMessage({ content: 'x'.repeat(2001) }))).toEqual(['content: BASE_TYPE_MAX_LENGTH']);
    const modal = checkModal({ title: 'x'.repeat(46), custom_id: 'f', components: [] });
    expect(describeRefusal(modal)).toEqual([
      'data.title: BASE_TYPE_MAX_LENGTH',
      'data.components: BASE_TYPE_BAD_LENGTH',
    ]);
  });

  it('Slack: invalid_blocks with a json-pointer, msg_too_long, msg_blocks_too_long, invalid_arguments', () => {
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(n) } });
    expect(checkMessageArgs({ blocks: [section(3001)] })).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
    expect(checkMessageArgs({ text: 'x'.repeat(40_001) })).toEqual({ ok: false, error: 'msg_too_long' });
    expect(checkMessageArgs({ blocks: Array.from({ length: 5 }, () => section(3000)) })).toEqual({
      ok: false,
      error: 'msg_blocks_too_long',
    });
    expect(checkView({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] })?.error).toBe(
      'invalid_arguments',
    );
  });
});

describe('synthetic cases the renderers used to get wrong', () => {
  it('two buttons with the same action become one (no duplicate custom_id / action_id)', () => {
    const { discord, slack, d } = verdicts({
      text: 'Pick',
      buttons: [
        { label: 'Accept', action: press('referral', 'accept', '7') },
        { label: 'Accept again', action: press('referral', 'accept', '7') },
      ],
    });
    expect(discord).toEqual([]);
    expect(slack).toEqual([]);
    expect(d.components.flatMap((r) => r.components)).toHaveLength(1);
  });

  it('a select with no options is shown as text, not sent as an empty menu', () => {
    const { discord, slack, d } = verdicts({
      text: 'Choose',
      select: { placeholder: 'Pick a seat', action: press('seats', 'pick'), options: [] },
    });
    expect(discord).toEqual([]);
    expect(slack).toEqual([]);
    expect(d.components).toEqual([]);
    expect(d.content).toContain('Pick a seat: (nothing to choose from)');
  });

  it('a select over 25 (Discord) and 100 (Slack) options keeps every option with its exact value', () => {
    const options = Array.from({ length: 130 }, (_, i) => ({ label: `Seat ${i}`, value: `seat-value-${i}` }));
    const { discord, slack, d, s } = verdicts({
      text: 'Choose',
      select: { placeholder: 'Seat', action: press('x', 'pick'), options },
    });
    expect(discord).toEqual([]);
    expect(slack).toEqual([]);
    const values = d.components.flatMap((r) =>
      r.components.flatMap((c) => ('options' in c ? c.options.map((o) => o.value) : [])),
    );
    // Discord: 4 rows of 25 hold 100; the ids of all selects read back as the same action.
    expect(values).toEqual(options.slice(0, 100).map((o) => o.value));
    const ids = d.components.map((r) => readComponentId((r.components[0] as { custom_id: string }).custom_id).actionId);
    expect(new Set(ids)).toEqual(new Set(['x:pick:']));
    const select = (
      s.blocks.find((b) => b.block_id === 'rt-select') as {
        elements: { option_groups: { options: { value: string }[] }[] }[];
      }
    ).elements[0]!;
    expect(select.option_groups.flatMap((g) => g.options.map((o) => o.value))).toEqual(options.map((o) => o.value));
  });

  it('a form field whose maximum is over 4,000 (Discord) / 3,000 (Slack) gets each platform’s own maximum', () => {
    const form: FormRequest = {
      command: 'intro',
      title: 'Referral #38: not a fit (returned)',
      fields: [
        {
          name: 'pitch',
          label: 'Your 60-second pitch, as you would say it at the meeting',
          style: 'paragraph',
          required: true,
          maxLength: 5000,
        },
      ],
    };
    const modal = renderModal(form, new FormStash());
    expect(describeRefusal(checkModal(modal))).toEqual([]);
    const input = (modal.components[0] as { components: { max_length: number; label: string }[] }).components[0]!;
    expect(input.max_length).toBe(4000);
    expect(input.label).toHaveLength(45);
    const view = formView(form, 'C1') as {
      title: { text: string };
      blocks: { label: { text: string }; element: { max_length: number } }[];
    };
    expect(checkView(view)).toBeNull();
    expect(view.blocks[0]!.element.max_length).toBe(3000);
    // Slack's label holds 2,000: the whole label, not Discord's 45.
    expect(view.blocks[0]!.label.text).toBe(form.fields[0]!.label);
    expect(view.title.text).toHaveLength(24);
  });

  it('a card footer over 3,000 characters continues on Slack and Discord, nothing cut', () => {
    const footer = `${'note '.repeat(700)}END`;
    const { discord, slack, d, s } = verdicts({ text: 't', card: { title: 'Card', fields: [], footer } });
    expect(discord).toEqual([]);
    expect(slack).toEqual([]);
    const discordText = [
      ...d.embeds.map((e) => e.description ?? ''),
      ...d.embeds.map((e) => e.footer?.text ?? ''),
    ].join(' ');
    expect(discordText).toContain('END');
    expect(JSON.stringify(s.blocks)).toContain('END');
  });

  it('a card field over 1,024 / 3,000 characters continues in the next field, nothing a member wrote lost', () => {
    const history = Array.from(
      { length: 160 },
      (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')} moved to step ${i}`,
    ).join('\n');
    const { discord, slack, d, s } = verdicts({
      text: 'Referral #12',
      card: { title: 'Referral #12', fields: [{ label: 'History', value: history }] },
    });
    expect(discord).toEqual([]);
    expect(slack).toEqual([]);
    const fields = d.embeds.flatMap((e) => e.fields ?? []);
    expect(fields.length).toBeGreaterThan(1);
    expect(fields.slice(1).every((f) => f.name === 'History (continued)')).toBe(true);
    expect(unescapeMarkdown(fields.map((f) => f.value).join('\n'))).toBe(history);
    const sections = s.blocks.filter((b) => String(b.block_id).startsWith('rt-card-field:0'));
    expect(sections.length).toBeGreaterThan(1);
    expect(JSON.stringify(s.blocks)).toContain('moved to step 159');
  });

  it('a channel post too long for one message shows its first page with Show all; a private reply pages', () => {
    const items = Array.from({ length: 60 }, (_, i) => `member ${i}: ${'pitch words '.repeat(20)}`);
    const content: Content = { text: 'Weekly digest', list: { items }, more: { command: 'commitments' } };
    const post = verdicts(content, { post: true });
    expect(post.discord).toEqual([]);
    expect(post.slack).toEqual([]);
    const labels = post.d.components.flatMap((r) => r.components.map((c) => ('label' in c ? c.label : '')));
    expect(labels).toEqual(['Show all']);
    expect(post.d.content).toContain('Show all to read the rest');
    const reply = verdicts({ ...content, page: 1 });
    expect(reply.d.components.flatMap((r) => r.components.map((c) => ('label' in c ? c.label : '')))).toEqual([
      'Previous',
      'Next',
    ]);
  });

  it('the Slack manifest keeps descriptions and usage hints whole, within Slack’s own limits', () => {
    const registry = new Registry(commands);
    const m = slackManifest(registry) as { features: { slash_commands: { command: string; usage_hint?: string }[] } };
    expect(checkManifestCommands(m.features.slash_commands)).toBeNull();
    const refer = m.features.slash_commands.find((c) => c.command === '/refer')!;
    expect(refer.usage_hint).toBe(registry.usage('refer').replace('/refer', '').trim());
    expect(refer.usage_hint!.length).toBeGreaterThan(100);
  });
});

describe('member text is shown as text', () => {
  const ask =
    'Need [discord.com/verify](https://evil.example/steal) **now** # urgent\n> quoted <@123> _x_ ~y~ ||spoiler||';

  it('Discord: no masked link, bold, heading, quote, mention pill or spoiler from a member', () => {
    const r = renderContent({ text: `Ask from Ann: ${ask}\nRun \`/asks\` to answer.` });
    expect(r.content).not.toMatch(/(^|[^\\])\[discord\.com/);
    expect(r.content).toContain('\\[discord.com/verify\\](https://evil.example/steal)');
    expect(r.content).toContain('\\*\\*now\\*\\*');
    expect(r.content).toContain('\\> quoted \\<@123\\>');
    expect(r.content).toContain('\\|\\|spoiler\\|\\|');
    // The bot's own formatting (inline code) stays, and a member reads exactly what was typed.
    expect(r.content).toContain('`/asks`');
    expect(unescapeMarkdown(escapeMarkdown(ask))).toBe(ask);
    expect(escapeMarkdown('# Title\n- item\n1. first')).toBe('\\# Title\n\\- item\n1\\. first');
  });

  it('Slack: no disguised link, mention or formatting from a member', () => {
    const s = escapeMrkdwn('<https://evil.example|slack.com> *bold* _it_ ~s~ <!channel>\n> quote `code *kept*`');
    expect(s).not.toMatch(/<|>/);
    expect(s).not.toMatch(/(^|\s)\*bold\*/);
    expect(s).toContain('`code *kept*`');
    expect(unescapeMrkdwn(s)).toBe(
      '<https://evil.example|slack.com> *bold* _it_ ~s~ <!channel>\n> quote `code *kept*`',
    );
  });
});
