import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIInteractionDataResolved,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import type { OptionKind } from '../../src/commands/options.js';
import { Registry } from '../../src/commands/registry.js';
import type { FakeDiscord, FakeGuild } from '../fakes/discord/fake-discord.js';
import type { FakeUser } from '../fakes/discord/fake-state.js';
import { slashCommandPayload } from '../fakes/discord/payloads.js';
import { type BotProcess, eventually } from './bot-process.js';

const TYPE: Partial<Record<OptionKind, ApplicationCommandOptionType>> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  member: ApplicationCommandOptionType.User,
  boolean: ApplicationCommandOptionType.Boolean,
};

/**
 * A member's Discord client for a bot running in another process: slash commands go over the fake's gateway, and a
 * command is done once the fake has its answer (a reply, or a deferred one edited in). Options are strings, integers
 * booleans and members (a member option takes a user name), typed by the command's own definition.
 */
export class DiscordProcessClient {
  private readonly registry = new Registry(commands);
  private readonly users = new Map<string, FakeUser>();

  constructor(
    readonly fake: FakeDiscord,
    readonly guild: FakeGuild,
    private readonly bot: BotProcess,
  ) {}

  user(name: string): FakeUser {
    let u = this.users.get(name);
    if (!u) {
      u = this.fake.addUser(name);
      this.users.set(name, u);
    }
    return u;
  }

  async slash(userName: string, name: string, options: Record<string, string | number | boolean> = {}): Promise<void> {
    const infos = this.registry.get(name)?.options ?? [];
    const resolved: APIInteractionDataResolved = {};
    const opts: APIApplicationCommandInteractionDataBasicOption[] = [];
    for (const [key, raw] of Object.entries(options)) {
      const kind = infos.find((o) => o.name === key)?.kind ?? 'string';
      let value: unknown = raw;
      if (kind === 'member') {
        const u = this.user(String(raw));
        value = u.id;
        resolved.users = {
          ...resolved.users,
          [u.id]: { id: u.id, username: u.username, global_name: u.username, discriminator: '0', avatar: null },
        };
      }
      const type = TYPE[kind];
      if (type === undefined) throw new Error(`option kind ${kind} is not supported here`);
      opts.push({ name: key, type, value } as APIApplicationCommandInteractionDataBasicOption);
    }
    const [top, sub] = name.split(' ');
    const data: APIApplicationCommandInteractionDataOption[] = sub
      ? [{ type: ApplicationCommandOptionType.Subcommand, name: sub, options: opts }]
      : opts;
    const channel = this.fake.channelByName(this.guild.id, 'general')!;
    const site = {
      f: this.fake,
      id: this.fake.ids.next(),
      token: `tok-${randomBytes(8).toString('hex')}`,
      user: this.user(userName),
      channel,
      // the server's owner runs /setup: Administrator
      ...(name === 'setup' ? { permissions: '8' } : {}),
    };
    this.fake.interact(
      slashCommandPayload(site, {
        name: top!,
        options: data,
        ...(Object.keys(resolved).length ? { resolved } : {}),
      }),
    );
    await eventually(
      () => {
        const i = this.fake.interactions.get(site.id);
        const original = i?.originalId ? this.fake.messages.get(i.originalId) : undefined;
        return original !== undefined && !original.deferred;
      },
      { on: this.fake.changed, timeoutMs: 30_000, what: `the answer to /${name} on Discord`, bots: [this.bot] },
    );
  }
}
