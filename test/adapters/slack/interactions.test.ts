import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { startSlackHarness } from './slack-harness.js';
import { testCommands } from './test-commands.js';

type H = Awaited<ReturnType<typeof startSlackHarness>>;

describeEachDatabase('Slack modals and buttons through Bolt', (db) => {
  let h: H;
  const alice = { user: 'U0ALICE', userName: 'alice' };
  beforeEach(async () => {
    h = await startSlackHarness(db(), { commands: testCommands });
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', teamId: h.team.id });
  });
  afterEach(async () => h.close());

  const openForm = async (text: string) => {
    await h.client.command({ team: h.team, ...alice, channel: 'C0GENERAL', command: '/pitch', text });
    await h.bot.settled();
    return h.fake.api('views.open').at(-1)!;
  };

  it('a command missing its long input opens a modal; the submission runs it with the typed and hidden values', async () => {
    const opened = await openForm('audience:"plumbers"');
    const view = opened.args.view;
    expect(opened.args.trigger_id).toBeTruthy();
    expect(view.title.text).toBe('Your pitch');
    expect(view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(['pitch', 'company']);
    expect(view.blocks[0].element.multiline).toBe(true);
    expect(view.blocks[1].optional).toBe(true);
    const submitted = await h.client.viewSubmission({
      team: h.team,
      ...alice,
      view,
      values: { pitch: 'We fix leaks fast', company: 'DripCo' },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    await h.bot.settled();
    const posted = h.fake.api('chat.postMessage').at(-1)!;
    expect(posted.args.channel).toBe('C0GENERAL');
    expect(posted.args.text).toBe('Pitch saved for alice: We fix leaks fast (DripCo) for plumbers');
    expect(h.fake.api('views.open')).toHaveLength(1);
  });

  it('a refusal naming a field keeps the modal open with the error under that field', async () => {
    const { args } = await openForm('');
    const tooLong = await h.client.viewSubmission({
      team: h.team,
      ...alice,
      view: args.view,
      values: { pitch: 'x'.repeat(250) },
    });
    expect(tooLong.body.response_action).toBe('errors');
    expect(tooLong.body.errors.pitch).toContain('at most 200 characters');
    const refused = await h.client.viewSubmission({
      team: h.team,
      ...alice,
      view: args.view,
      values: { pitch: 'forbidden words' },
    });
    expect(refused.body.errors.pitch).toContain('may not say forbidden');
    await h.bot.settled();
    expect(h.fake.api('chat.postMessage')).toHaveLength(0);
  });

  it('a button press round-trips to the command’s action and replaces the message that carried it', async () => {
    await h.client.command({
      team: h.team,
      ...alice,
      channel: 'C0GENERAL',
      command: '/poll',
      text: 'Lunch on Friday?',
    });
    await h.bot.settled();
    const poll = h.fake.calls.find((c) => c.kind === 'respond')!;
    const actions = poll.args.blocks.filter((b: { type: string }) => b.type === 'actions');
    const yes = actions
      .flatMap((b: { elements: { action_id: string; text?: { text: string } }[] }) => b.elements)
      .find((e: { text?: { text: string } }) => e.text?.text === 'Yes');
    expect(yes.action_id).toBe('poll:vote:yes');
    const pressed = await h.client.blockAction({
      team: h.team,
      ...alice,
      channel: 'C0GENERAL',
      messageTs: '1.0',
      ephemeral: true,
      actionId: yes.action_id,
      value: 'yes',
    });
    expect(pressed.status).toBe(200);
    await h.bot.settled();
    const replaced = h.fake.calls.filter((c) => c.kind === 'respond').at(-1)!;
    expect(replaced.args.replace_original).toBe(true);
    expect(replaced.args.text).toBe('alice voted yes');
    expect(h.fake.responseTargets.get(replaced.method)!.messageTs).toBe('1.0');
  });

  it('a select choice reaches the action with the chosen value', async () => {
    await h.client.blockAction({
      team: h.team,
      ...alice,
      channel: 'C0GENERAL',
      messageTs: '2.0',
      actionId: 'poll:pick:',
      selected: { text: 'Later', value: 'later' },
    });
    await h.bot.settled();
    const reply = h.fake.calls.filter((c) => c.kind === 'respond').at(-1)!;
    expect(reply.args.text).toBe('alice picked later');
    expect(reply.args.response_type).toBe('ephemeral');
  });
});
