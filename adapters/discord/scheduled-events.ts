import type { REST } from 'discord.js';
import {
  type APIGuildScheduledEvent,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  Routes,
} from 'discord-api-types/v10';
import type { CalendarEventContent } from '../../src/messages.js';

/** Discord's limits (discord-api-docs, resources/guild-scheduled-event): name 1–100, description 1–1000, location 1–100. */
const LIMIT = { name: 100, description: 1000, location: 100 } as const;
const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/**
 * A meeting as the server's scheduled event: EXTERNAL (it happens outside Discord's voice channels), so it needs a
 * location and an end time and no channel. A cancellation sets status CANCELED (4), which Discord allows only from
 * SCHEDULED; an event that never existed is not created just to be cancelled.
 */
export async function publishScheduledEvent(
  rest: REST,
  guildId: string,
  e: CalendarEventContent,
  existingRef?: string,
): Promise<string | null> {
  if (e.cancelled) {
    if (!existingRef) return null;
    await rest.patch(Routes.guildScheduledEvent(guildId, existingRef), {
      body: { status: GuildScheduledEventStatus.Canceled },
    });
    return existingRef;
  }
  const body = {
    name: cut(e.name, LIMIT.name),
    description: cut(e.description, LIMIT.description),
    scheduled_start_time: e.start,
    scheduled_end_time: e.end,
    entity_metadata: { location: cut(e.location, LIMIT.location) },
  };
  if (existingRef) {
    await rest.patch(Routes.guildScheduledEvent(guildId, existingRef), { body });
    return existingRef;
  }
  const created = (await rest.post(Routes.guildScheduledEvents(guildId), {
    body: {
      ...body,
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
      entity_type: GuildScheduledEventEntityType.External,
    },
  })) as APIGuildScheduledEvent;
  return created.id;
}
