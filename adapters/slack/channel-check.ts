import type { Invocation } from '../../src/dispatch/invocation.js';
import type { WebClient } from './workspace-clients.js';

/**
 * What Slack says about the channels a command's options name. conversations.info answers channel_not_found for a
 * channel of another workspace (and for a private one the bot is not in); the bot posts in a public channel without
 * joining it (chat:write.public), in a private one only as a member, and never in an archived one.
 */
export async function checkSlackChannels(
  client: WebClient,
  ids: readonly string[],
): Promise<NonNullable<Invocation['channels']>> {
  const out: NonNullable<Invocation['channels']> = {};
  for (const id of new Set(ids)) {
    try {
      const r = (await client.conversations.info({ channel: id })) as {
        ok?: boolean;
        channel?: { is_private?: boolean; is_member?: boolean; is_archived?: boolean; is_im?: boolean };
      };
      const c = r.ok ? r.channel : undefined;
      out[id] = c
        ? { found: !c.is_im, canPost: !c.is_im && !c.is_archived && (Boolean(c.is_member) || !c.is_private) }
        : { found: false, canPost: false };
    } catch {
      // channel_not_found and friends arrive as thrown platform errors.
      out[id] = { found: false, canPost: false };
    }
  }
  return out;
}
