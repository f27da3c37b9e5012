import { ButtonStyle, ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { expect, it } from 'vitest';
import { FormStash, readComponentId, readFormId } from '../../../adapters/discord/custom-ids.js';
import { renderContent, renderModal } from '../../../adapters/discord/render.js';
import { type Content, decodeAction } from '../../../src/messages.js';
import { checkMessage, describeRefusal } from '../../fakes/discord/validate-payload.js';

/** The JSON body Discord receives for a rendered message. */
const restBody = (r: ReturnType<typeof renderContent>) => ({
  content: r.content,
  embeds: r.embeds,
  components: r.components,
});

const buttons = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ label: `B${i}`, action: { command: 'x', action: 'press', arg: String(i) } }));

it('renders a card as an embed with fields, footer and inline hints', () => {
  const r = renderContent({
    text: 'Here',
    card: {
      title: 'Ann',
      subtitle: 'Plumber',
      fields: [{ label: 'Area', value: 'Leeds', inline: true }],
      footer: 'since 2020',
    },
  });
  expect(r.content).toBe('Here');
  expect(r.embeds).toEqual([
    {
      title: 'Ann',
      description: 'Plumber',
      fields: [{ name: 'Area', value: 'Leeds', inline: true }],
      footer: { text: 'since 2020' },
    },
  ]);
  expect(r.allowedMentions).toEqual({ parse: [] });
});

it('packs buttons five to a row, at most 25, with styles and decodable ids', () => {
  const r = renderContent({
    text: 't',
    buttons: [...buttons(11), { label: 'Stop', action: { command: 'x', action: 'stop' }, style: 'danger' }],
  });
  expect(r.components.map((row) => row.components.length)).toEqual([5, 5, 2]);
  const last = r.components[2]!.components[1]!;
  expect(last).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Stop' });
  const first = r.components[0]!.components[0]!;
  expect('custom_id' in first && decodeAction(first.custom_id)).toEqual({ command: 'x', action: 'press', arg: '0' });
  expect(renderContent({ text: 't', buttons: buttons(40) }).components.flatMap((row) => row.components)).toHaveLength(
    25,
  );
});

it('puts a select first and leaves buttons the remaining rows', () => {
  const r = renderContent({
    text: 't',
    select: {
      placeholder: 'Pick',
      action: { command: 'x', action: 'pick' },
      options: Array.from({ length: 30 }, (_, i) => ({ label: `L${i}`, value: `v${i}` })),
    },
    buttons: buttons(30),
  });
  expect(r.components[0]!.components[0]!.type).toBe(ComponentType.StringSelect);
  const select = r.components[0]!.components[0]!;
  expect('options' in select && select.options.length).toBe(25);
  expect(r.components.length).toBe(5);
});

it('pages a long list instead of overflowing: each page within 6,000 characters, Next carrying the page', () => {
  const items = Array.from({ length: 300 }, (_, i) => `member ${i} `.repeat(4));
  const content: Content = { text: '', list: { title: 'Directory', items }, more: { command: 'directory' } };
  const first = renderContent(content);
  expect(first.pages).toBeGreaterThan(1);
  expect(first.embeds[0]!.title).toBe('Directory');
  expect(checkMessage(restBody(first))).toBeNull();
  const next = first.components.flatMap((r) => r.components).find((c) => 'label' in c && c.label === 'Next');
  expect(next && 'custom_id' in next && decodeAction(next.custom_id)).toEqual({
    command: '_page',
    action: '1',
    arg: 'directory',
  });
  // Every page is accepted and together they hold every item, once.
  const shown: string[] = [];
  for (let page = 0; page < first.pages; page++) {
    const r = renderContent({ ...content, page });
    expect(describeRefusal(checkMessage(restBody(r)))).toEqual([]);
    shown.push(...r.embeds.flatMap((e) => (e.description ?? '').split('\n')));
  }
  expect(shown).toEqual(items.map((i) => `• ${i}`));
  expect(renderContent({ text: '' }).content).toBe('\u200b');
});

it('continues text over 2,000 characters in embeds rather than cutting it, and turns attachments into files', () => {
  const content: Content = {
    text: 'x'.repeat(2500),
    attachments: [
      { filename: 'report.csv', contentType: 'text/csv', data: new TextEncoder().encode('a,b'), description: 'Report' },
    ],
  };
  const r = renderContent(content);
  expect(r.content.length).toBeLessThanOrEqual(2000);
  expect(`${r.content}${r.embeds.map((e) => e.description).join('')}`.replace(/[^x]/g, '')).toHaveLength(2500);
  expect(checkMessage(restBody(r))).toBeNull();
  expect(r.files).toEqual([
    { name: 'report.csv', data: Buffer.from('a,b'), contentType: 'text/csv', description: 'Report' },
  ]);
});

it('marks components sent in a DM with their server, and reads the mark back', () => {
  const r = renderContent({ text: 't', buttons: buttons(1) }, { guildId: '123456789' });
  const b = r.components[0]!.components[0]!;
  const id = 'custom_id' in b ? b.custom_id : '';
  expect(readComponentId(id)).toEqual({ actionId: 'x:press:0', guildId: '123456789' });
  expect(readComponentId('x:press:0')).toEqual({ actionId: 'x:press:0' });
});

it('renders a form as a modal and carries hidden values, short ones in the id and long ones in the stash', () => {
  const stash = new FormStash();
  const modal = renderModal(
    {
      command: 'intro',
      title: 'Your introduction',
      fields: [{ name: 'pitch', label: 'Pitch', style: 'paragraph', required: true, value: 'We fix', maxLength: 1000 }],
      hidden: { website: 'https://a.example' },
    },
    stash,
  );
  const row = modal.components[0]!;
  expect('components' in row && row.components[0]).toMatchObject({
    custom_id: 'pitch',
    style: TextInputStyle.Paragraph,
    value: 'We fix',
    max_length: 1000,
    required: true,
  });
  expect(readFormId(modal.custom_id, stash)).toEqual({ command: 'intro', hidden: { website: 'https://a.example' } });
  const long = renderModal(
    { command: 'intro', title: 'T', fields: [], hidden: { website: `https://${'a'.repeat(150)}.example` } },
    stash,
    '42',
  );
  expect(long.custom_id.length).toBeLessThanOrEqual(100);
  expect(readFormId(long.custom_id, stash)?.hidden.website).toContain('aaaa');
  expect(readFormId(long.custom_id, stash)).toBeNull();
});
