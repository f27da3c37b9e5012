import { type Client, Events } from 'discord.js';
import { communityJoined, communityLeft, memberJoined } from '../../src/communities/community-events.js';
import type { Core } from '../../src/core.js';
import type { DiscordMessagePort } from './message-port.js';

/**
 * Server lifecycle: joining a server creates (or reactivates) its community, leaving marks it inactive (its data
 * stays until a moderator deletes it), a new member gets the group's welcome by DM. `settled` tells tests (and
 * nothing else) when an event's work is done. Resolves once the servers present at start are synced.
 */
export function listenToGuildEvents(
  client: Client,
  core: Core,
  port: DiscordMessagePort,
  settled: (key: string) => void,
): Promise<void> {
  const log = core.log;
  const guarded = (key: string, work: () => Promise<unknown>) => {
    work()
      .catch((err: Error) =>
        log.error({ event: key.split(':')[0], err: { message: err.message } }, 'discord event failed'),
      )
      .finally(() => settled(key));
  };

  // Servers the bot was added to while it was offline arrive with READY, not as guildCreate.
  const initialSync = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (c) => {
      guarded('ready', async () => {
        try {
          for (const guild of c.guilds.cache.values()) await communityJoined(core, 'discord', guild.id, guild.name);
        } finally {
          resolve();
        }
      });
    });
  });
  client.on(Events.GuildCreate, (guild) => {
    guarded(`guildCreate:${guild.id}`, () => communityJoined(core, 'discord', guild.id, guild.name));
  });
  // An outage makes a server unavailable (guildUnavailable), not deleted: only a real removal lands here.
  client.on(Events.GuildDelete, (guild) => {
    guarded(`guildDelete:${guild.id}`, () => communityLeft(core, 'discord', guild.id));
  });
  client.on(Events.GuildMemberAdd, (member) => {
    guarded(`memberAdd:${member.guild.id}:${member.id}`, () =>
      memberJoined(core, port, {
        platform: 'discord',
        communityRef: member.guild.id,
        communityName: member.guild.name,
        userId: member.id,
        displayName: member.displayName,
        isBot: member.user.bot,
      }),
    );
  });
  return initialSync;
}
