import type { App, ViewSubmitAction } from '@slack/bolt';
import { FORM_CALLBACK_ID, fieldErrors, formSubmission } from './modals.js';
import { invocationFor, type Origin, runAndAnswer, type SlackContext } from './slack-context.js';

/**
 * A submitted modal runs its command with `fromForm`. Unlike commands, the acknowledgement waits for the
 * dispatcher (within a budget under Slack's 3 s): a refusal naming a field keeps the modal open with the error
 * under that field (`response_action: errors`), so the member does not lose what they typed.
 */
export function registerViews(app: App, ctx: SlackContext): void {
  app.view(FORM_CALLBACK_ID, async ({ ack, body, context }) => {
    const b = body as ViewSubmitAction;
    const submitted = formSubmission(b.view);
    if (!submitted) {
      await ack();
      ctx.log.warn({ platform: 'slack' }, 'modal submission without readable metadata ignored');
      return;
    }
    const teamId = b.team?.id ?? b.user.team_id ?? '';
    const origin: Origin = {
      teamId,
      teamName: b.team?.domain ?? teamId,
      channel: submitted.metadata.channel,
      userId: b.user.id,
      userName: b.user.name ?? b.user.id,
      ...(context.botToken ? { botToken: context.botToken } : {}),
    };
    const fields = Object.keys(b.view.state?.values ?? {});
    let acked = false;
    const acknowledge = async (response?: { response_action: 'errors'; errors: Record<string, string> }) => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      await (response ? ack(response) : ack());
    };
    const timer = setTimeout(() => void acknowledge().catch(() => {}), ctx.viewAckBudgetMs);
    await ctx.inFlight.track(
      (async () => {
        try {
          const client = await ctx.clients.get(teamId, origin.botToken);
          const inv = await invocationFor(
            ctx,
            client,
            origin,
            { kind: 'command', name: submitted.metadata.command, options: submitted.options, fromForm: true },
            (b as { trigger_id?: string }).trigger_id,
          );
          await runAndAnswer(
            ctx,
            inv,
            { teamId, channel: origin.channel, userId: origin.userId, client },
            undefined,
            async (r) => {
              if (acked || r.outcome !== 'user_error') {
                await acknowledge();
                return false;
              }
              const errors = fieldErrors({ fields }, r.reply.text);
              await acknowledge(errors ? { response_action: 'errors', errors } : undefined);
              return errors !== null;
            },
          );
        } finally {
          await acknowledge();
        }
      })(),
    );
  });
}
