import type { RespondFn } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { Reply } from '../../src/messages.js';
import { type renderMessage, renderMessages } from './block-kit.js';
import type { SlackPort } from './slack-port.js';
import type { WebClient } from './workspace-clients.js';

/** Where the answer to one interaction goes. */
export interface Invoker {
  teamId: string;
  channel: string;
  userId: string;
  client: WebClient;
  /** The interaction's response_url (commands, buttons); absent for modal submissions. */
  respond?: RespondFn;
}

/**
 * Gives the invoker their reply: through response_url when there is one (private replies ephemeral, public ones in
 * the channel, a button's replaceOriginal replacing the message that carried it), else chat.postEphemeral /
 * chat.postMessage. Attachments are files: in the channel when public, in the member's DM when private.
 */
export async function answerInvoker(port: SlackPort, to: Invoker, reply: Reply, log: Logger): Promise<void> {
  const isPublic = reply.visibility === 'public';
  const [body, ...parts] = renderMessages(reply, { post: isPublic }) as [
    ReturnType<typeof renderMessage>,
    ...ReturnType<typeof renderMessage>[],
  ];
  if (to.respond) {
    if (reply.replaceOriginal) await to.respond({ ...body, replace_original: true });
    else await to.respond({ ...body, response_type: isPublic ? 'in_channel' : 'ephemeral', replace_original: false });
    // A long answer no command can page goes on in further messages, in order.
    for (const part of parts)
      await to.respond({ ...part, response_type: isPublic ? 'in_channel' : 'ephemeral', replace_original: false });
  } else if (isPublic) {
    await port.post(to.client, to.teamId, to.channel, { ...reply, attachments: [] });
  } else {
    try {
      await to.client.chat.postEphemeral({ channel: to.channel, user: to.userId, ...body });
      for (const part of parts) await to.client.chat.postEphemeral({ channel: to.channel, user: to.userId, ...part });
    } catch (err) {
      // The bot is not in that channel (a modal opened from elsewhere): the DM always works.
      log.info({ platform: 'slack', err: { message: (err as Error).message } }, 'ephemeral reply fell back to a DM');
      const dm = await port.dmChannel(to.client, to.teamId, to.userId);
      if (dm) await port.post(to.client, to.teamId, dm, { ...reply, attachments: [] });
      else log.info({ platform: 'slack', community: to.teamId }, 'member cannot be sent a DM: private reply dropped');
    }
  }
  if (reply.attachments?.length) {
    const channel = isPublic ? to.channel : await port.dmChannel(to.client, to.teamId, to.userId);
    // the reply is already shown: a long 429 on its files is waited out, a failure logged, never the reply failed
    if (channel) await port.uploadAfterPost(to.client, to.teamId, channel, reply.attachments);
  }
}
