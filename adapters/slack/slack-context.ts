import type { Core } from '../../src/core.js';
import type { DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import type { Logger } from '../../src/logger.js';
import type { InFlight } from './in-flight.js';
import { formView } from './modals.js';
import { answerInvoker, type Invoker } from './replies.js';
import type { SlackPort } from './slack-port.js';
import type { UserDirectory } from './user-directory.js';
import type { WebClient, WorkspaceClients } from './workspace-clients.js';

/** What every Slack listener shares. */
export interface SlackContext {
  core: Core;
  port: SlackPort;
  clients: WorkspaceClients;
  users: UserDirectory;
  inFlight: InFlight;
  log: Logger;
  /** A workspace's name when known (the single workspace's, from auth.test): new communities are named by it. */
  teamName(teamId: string): string | undefined;
  /** How long a modal submission may wait for the dispatcher before the modal is closed without its verdict. */
  viewAckBudgetMs: number;
}

/** Where an interaction came from, as Slack's payloads say it. */
export interface Origin {
  teamId: string;
  teamName: string;
  channel: string;
  userId: string;
  /** Name from the payload: the fallback when users.info cannot be asked. */
  userName: string;
  botToken?: string;
}

/** The actor and mentioned members, named as the workspace shows them (users.info, cached). */
export async function invocationFor(
  ctx: SlackContext,
  client: WebClient,
  origin: Origin,
  input: Invocation['input'],
  interactionId: string | undefined,
  /** Mentioned user ids with the name Slack put in the mention, if any. */
  mentioned: Map<string, string | undefined> = new Map(),
): Promise<Invocation> {
  const actor = await ctx.users.lookup(client, origin.teamId, origin.userId);
  const users: Record<string, { displayName: string }> = {};
  for (const [id, name] of mentioned) {
    // A mention without a name (`<@U123>`): ask Slack, or the member would be stored with their id as a name.
    const displayName = name ?? (await ctx.users.lookup(client, origin.teamId, id))?.displayName;
    if (displayName) users[id] = { displayName };
  }
  return {
    platform: 'slack',
    community: { ref: origin.teamId, name: ctx.teamName(origin.teamId) ?? (origin.teamName || origin.teamId) },
    channelRef: origin.channel,
    actor: {
      platformUserId: origin.userId,
      displayName: actor?.displayName ?? origin.userName ?? origin.userId,
      ...(actor?.isAdmin ? { isAdmin: true } : {}),
    },
    ...(Object.keys(users).length ? { users } : {}),
    ...(interactionId ? { interactionId } : {}),
    input,
  };
}

/**
 * Runs an invocation through the core and answers the invoker: a modal when the dispatcher asks for a form (only
 * possible while the trigger id is fresh), otherwise the reply. A re-delivery is silent: the first one answered.
 */
export async function runAndAnswer(
  ctx: SlackContext,
  inv: Invocation,
  to: Invoker,
  triggerId: string | undefined,
  before?: (r: DispatchResult) => Promise<boolean>,
): Promise<DispatchResult> {
  return ctx.core.handle(inv, ctx.port, async (r) => {
    try {
      if (before && (await before(r))) return;
      if (r.outcome === 'duplicate') return;
      if (r.reply.form && triggerId) {
        await to.client.views.open({ trigger_id: triggerId, view: formView(r.reply.form, to.channel) as never });
        return;
      }
      await answerInvoker(ctx.port, to, r.reply, ctx.log);
    } catch (err) {
      // The work is committed; a failed answer must not stop the messages to others that follow it.
      ctx.log.error(
        { platform: 'slack', community: to.teamId, outcome: r.outcome, err: { message: (err as Error).message } },
        'could not answer the invoker',
      );
    }
  });
}
