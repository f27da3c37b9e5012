import type { App, SlashCommand } from '@slack/bolt';
import { parseCommandText } from '../../src/commands/parse-text.js';
import { UserError } from '../../src/errors.js';
import { renderMessage } from './block-kit.js';
import { checkSlackChannels } from './channel-check.js';
import { parseChannelMention, parseMention } from './mentions.js';
import { invocationFor, type Origin, runAndAnswer, type SlackContext } from './slack-context.js';

/** A slash command's text read into a command name and raw options, or the private explanation of why not. */
export function readCommand(
  ctx: SlackContext,
  command: Pick<SlashCommand, 'command' | 'text'>,
): { name: string; options: Record<string, string>; mentioned: Map<string, string | undefined> } | { error: string } {
  const mentioned = new Map<string, string | undefined>();
  const loose: string[] = [];
  try {
    const top = command.command.replace(/^\//, '');
    const parsed = parseCommandText(`/${top} ${command.text ?? ''}`, ctx.core.registry, (raw) => {
      const m = parseMention(raw);
      if (!m) {
        loose.push(raw);
        return raw;
      }
      mentioned.set(m.id, m.name ?? mentioned.get(m.id));
      return m.id;
    });
    const registered = ctx.core.registry.get(parsed.name)!;
    if (loose.length) {
      const names = registered.options.filter((o) => o.kind === 'member').map((o) => `\`${o.name}\``);
      return {
        error: `Mention the member with @ (for ${names.join(', ')}), so Slack tells me who you mean.\nUsage: ${ctx.core.registry.usage(parsed.name)}`,
      };
    }
    for (const o of registered.options) {
      const v = parsed.options[o.name];
      if (o.kind === 'channel' && v) parsed.options[o.name] = parseChannelMention(v) ?? v;
    }
    return { ...parsed, mentioned };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { error: err.hint ? `${err.message}\n${err.hint}` : err.message };
  }
}

/**
 * Every slash command: read the text, acknowledge at once (a parse error is the acknowledgement's own ephemeral
 * body), then dispatch and answer through response_url. Nothing slow happens before ack(), so Slack's 3-second limit
 * holds whatever the database is doing.
 */
export function registerCommands(app: App, ctx: SlackContext): void {
  app.command(/^\/[a-z][a-z0-9-]*$/, async ({ command, ack, respond, context }) => {
    const read = readCommand(ctx, command);
    if ('error' in read) {
      await ack({ response_type: 'ephemeral', ...renderMessage({ text: read.error }) });
      return;
    }
    await ack();
    const origin: Origin = {
      teamId: command.team_id,
      teamName: command.team_domain,
      channel: command.channel_id,
      userId: command.user_id,
      userName: command.user_name,
      ...(context.botToken ? { botToken: context.botToken } : {}),
    };
    await ctx.inFlight.track(
      (async () => {
        const client = await ctx.clients.get(origin.teamId, origin.botToken);
        const asked = await invocationFor(
          ctx,
          client,
          origin,
          { kind: 'command', name: read.name, options: read.options },
          command.trigger_id,
          read.mentioned,
        );
        const channelIds = (ctx.core.registry.get(read.name)?.options ?? [])
          .filter((o) => o.kind === 'channel' && read.options[o.name])
          .map((o) => read.options[o.name]!);
        const inv = channelIds.length ? { ...asked, channels: await checkSlackChannels(client, channelIds) } : asked;
        await runAndAnswer(
          ctx,
          inv,
          { teamId: origin.teamId, channel: origin.channel, userId: origin.userId, client, respond },
          command.trigger_id,
        );
      })(),
    );
  });
}
