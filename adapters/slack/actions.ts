import type { App, BlockAction } from '@slack/bolt';
import { decodeAction } from '../../src/messages.js';
import { invocationFor, type Origin, runAndAnswer, type SlackContext } from './slack-context.js';

/**
 * Button presses and select choices: their action id is the dispatcher's encoded action, so any command's buttons
 * round-trip without adapter code per command. Acknowledged first; the reply may replace the message that carried
 * the button (response_url, replace_original).
 */
export function registerActions(app: App, ctx: SlackContext): void {
  // Commands' own actions (`intro:approve:12`), maybe led by the group they act on (`12~`, src/messages.ts
  // encodeAction), and page buttons (`_page:2:help?command=pairing`).
  app.action(/^(\d{1,9}~)?(_page|[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?):/, async ({ ack, body, respond, context }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const b = body as BlockAction;
    const action = b.actions[0];
    if (!action || !decodeAction(action.action_id)) return;
    const value = action.type === 'static_select' ? action.selected_option?.value : undefined;
    const teamId = b.team?.id ?? b.user.team_id ?? '';
    const origin: Origin = {
      teamId,
      teamName: b.team?.domain ?? teamId,
      channel: b.channel?.id ?? (b.container as { channel_id?: string }).channel_id ?? '',
      userId: b.user.id,
      userName: b.user.username ?? b.user.name ?? b.user.id,
      ...(context.botToken ? { botToken: context.botToken } : {}),
    };
    await ctx.inFlight.track(
      (async () => {
        const client = await ctx.clients.get(teamId, origin.botToken);
        const inv = await invocationFor(
          ctx,
          client,
          origin,
          { kind: 'action', actionId: action.action_id, ...(value ? { value } : {}) },
          b.trigger_id,
        );
        await runAndAnswer(
          ctx,
          inv,
          { teamId, channel: origin.channel, userId: origin.userId, client, respond },
          b.trigger_id,
        );
      })(),
    );
  });
}
