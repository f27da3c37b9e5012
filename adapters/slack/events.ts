import type { App } from '@slack/bolt';
import type { Db } from '../../db/client.js';
import { processedInteractions } from '../../db/schema.js';
import { communityLeft, memberJoined } from '../../src/communities/community-events.js';
import type { SlackContext } from './slack-context.js';

/**
 * Claims an event id so a re-delivery (Slack retries after 3 s without a 200, X-Slack-Retry-Num) is processed
 * once. Events do not go through the dispatcher, so they are claimed here in the same table it uses.
 */
export async function claimEvent(db: Db, eventId: string | undefined): Promise<boolean> {
  if (!eventId) return true;
  const fresh = await db
    .insert(processedInteractions)
    .values({ platform: 'slack', interactionId: `event:${eventId}` })
    .onConflictDoNothing()
    .returning({ id: processedInteractions.interactionId });
  return fresh.length > 0;
}

interface EventEnvelope {
  event_id?: string;
  team_id?: string;
}

export interface EventHooks {
  /** The app was uninstalled or its bot token revoked in a workspace: forget its installation. */
  uninstalled(teamId: string, enterpriseId: string | undefined): Promise<void>;
}

/** Workspace and membership events: welcomes for newcomers, and the community marked left on uninstall. */
export function registerEvents(app: App, ctx: SlackContext, hooks: EventHooks): void {
  const once = async (body: unknown, work: () => Promise<void>) => {
    const envelope = body as EventEnvelope;
    await ctx.inFlight.track(
      (async () => {
        if (!(await claimEvent(ctx.core.db, envelope.event_id))) {
          ctx.log.info({ platform: 'slack', eventId: envelope.event_id }, 'duplicate event delivery ignored');
          return;
        }
        await work();
      })(),
    );
  };

  app.event('team_join', async ({ event, body }) => {
    const teamId = (body as EventEnvelope).team_id ?? '';
    const u = event.user as {
      id: string;
      name?: string;
      real_name?: string;
      is_bot?: boolean;
      profile?: { display_name?: string };
    };
    await once(body, async () => {
      const displayName = u.profile?.display_name || u.real_name || u.name || u.id;
      ctx.users.remember(teamId, u.id, { displayName, isAdmin: false, isBot: Boolean(u.is_bot) });
      await memberJoined(ctx.core, ctx.port, {
        platform: 'slack',
        communityRef: teamId,
        communityName: ctx.teamName(teamId) ?? teamId,
        userId: u.id,
        displayName,
        isBot: Boolean(u.is_bot),
      });
    });
  });

  app.event('member_joined_channel', async ({ event, body, context }) => {
    const teamId = (body as EventEnvelope).team_id ?? event.team ?? '';
    // Bolt's ignoreSelf keeps this event type even for the bot's own joins: the bot needs no welcome.
    if (event.user === context.botUserId) return;
    await once(body, async () => {
      const client = await ctx.clients.get(teamId, context.botToken);
      const user = await ctx.users.lookup(client, teamId, event.user);
      await memberJoined(ctx.core, ctx.port, {
        platform: 'slack',
        communityRef: teamId,
        communityName: ctx.teamName(teamId) ?? teamId,
        userId: event.user,
        displayName: user?.displayName ?? event.user,
        channelRef: event.channel,
        isBot: user?.isBot ?? false,
      });
    });
  });

  const leave = async (body: unknown) => {
    const b = body as EventEnvelope & { enterprise_id?: string };
    const teamId = b.team_id ?? '';
    await once(body, async () => {
      await hooks.uninstalled(teamId, b.enterprise_id);
      await communityLeft(ctx.core, 'slack', teamId);
    });
  };
  app.event('app_uninstalled', async ({ body }) => leave(body));
  app.event('tokens_revoked', async ({ event, body }) => {
    // Revoking only user tokens leaves the bot working; the bot's own token gone is an uninstall for us.
    if ((event.tokens as { bot?: string[] }).bot?.length) await leave(body);
  });
}
