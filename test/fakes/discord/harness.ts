import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIInteractionDataResolved,
  ApplicationCommandOptionType,
  ChannelType,
} from 'discord-api-types/v10';
import { createDiscordBot, type DiscordBot, type DiscordBotOptions } from '../../../adapters/discord/discord-bot.js';
import { commands as allCommands } from '../../../commands/index.js';
import type { Database } from '../../../db/client.js';
import { ManualClock } from '../../../src/clock.js';
import type { CommandDefinition } from '../../../src/commands/define.js';
import type { OptionKind } from '../../../src/commands/options.js';
import { Registry } from '../../../src/commands/registry.js';
import { Core } from '../../../src/core.js';
import { type Logger, silentLogger } from '../../../src/logger.js';
import { seededRandom } from '../../../src/random.js';
import { TEST_PACING } from '../../support/test-pacing.js';
import { FakeDiscord, type FakeGuild } from './fake-discord.js';
import type { FakeChannel, FakeMessage, FakeUser, ShownModal } from './fake-state.js';
import { apiMessage } from './fake-state.js';
import {
  buttonPayload,
  type InteractionSite,
  memberAddPayload,
  modalSubmitPayload,
  selectPayload,
  slashCommandPayload,
} from './payloads.js';

const OPTION_TYPE: Record<OptionKind, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
  member: ApplicationCommandOptionType.User,
  channel: ApplicationCommandOptionType.Channel,
};

export interface HarnessOptions {
  commands?: CommandDefinition[];
  log?: Logger;
  bot?: Partial<DiscordBotOptions>;
  channels?: string[];
  settleTimeoutMs?: number;
  /** Gateway heartbeat interval the fake asks for (Discord's is ~41 s). */
  heartbeatMs?: number;
}

export interface Acting {
  channel?: string;
  permissions?: string;
  /** Reuse an interaction id (a re-delivered interaction). */
  id?: string;
}

/**
 * One fake Discord, one server in it, a core on the given database and the real bot connected to the fake. The
 * helpers play a member's client: slash commands with typed options, button presses, select choices, modal
 * submissions, joining the server. Each resolves when the bot has finished with it.
 */
export class DiscordHarness {
  private constructor(
    readonly fake: FakeDiscord,
    readonly core: Core,
    readonly clock: ManualClock,
    readonly bot: DiscordBot,
    readonly guild: FakeGuild,
    private readonly settleTimeoutMs: number,
  ) {}

  static async start(database: Database, opts: HarnessOptions = {}): Promise<DiscordHarness> {
    const fake = await FakeDiscord.start(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {});
    const guild = fake.addGuild(
      `Test server ${randomBytes(3).toString('hex')}`,
      opts.channels ?? ['general', 'intros'],
    );
    const clock = new ManualClock();
    const core = new Core({
      pacing: TEST_PACING,
      database,
      registry: new Registry(opts.commands ?? allCommands),
      clock,
      random: seededRandom(42),
      log: opts.log ?? silentLogger,
    });
    let bot: DiscordBot;
    try {
      bot = await createDiscordBot(core, {
        token: fake.token,
        applicationId: fake.applicationId,
        apiUrl: fake.apiUrl,
        guildId: guild.id,
        rest: { retries: 0, timeout: 2000 },
        shardCount: 1,
        ...opts.bot,
      });
    } catch (err) {
      await fake.close();
      throw err;
    }
    return new DiscordHarness(fake, core, clock, bot, guild, opts.settleTimeoutMs ?? 15_000);
  }

  user(name: string): FakeUser {
    return this.fake.addUser(name);
  }

  channel(name: string): FakeChannel {
    return this.fake.channelByName(this.guild.id, name) ?? this.fake.addChannel(this.guild, name);
  }

  /** Resolves when the bot reports the work for `key` done (an interaction id, `memberAdd:guild:user`, …). */
  settled(key: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.bot.events.off('settled', on);
        reject(new Error(`the bot did not finish ${key} within ${this.settleTimeoutMs} ms`));
      }, this.settleTimeoutMs);
      const on = (k: string) => {
        if (k !== key) return;
        clearTimeout(timer);
        this.bot.events.off('settled', on);
        resolve();
      };
      this.bot.events.on('settled', on);
    });
  }

  private site(user: FakeUser, channel: FakeChannel, acting: Acting): InteractionSite {
    return {
      f: this.fake,
      id: acting.id ?? this.fake.ids.next(),
      token: `tok-${randomBytes(8).toString('hex')}`,
      user,
      channel,
      ...(acting.permissions ? { permissions: acting.permissions } : {}),
    };
  }

  private async send(payload: Parameters<FakeDiscord['interact']>[0]): Promise<string> {
    const done = this.settled(payload.id);
    this.fake.interact(payload);
    await done;
    return payload.id;
  }

  /**
   * A slash command as Discord's client sends it: `name` may hold a subcommand (`pair join`); values are typed by
   * the command's options (a member option takes a user name; a channel option a channel name).
   */
  async slash(
    userName: string,
    name: string,
    options: Record<string, unknown> = {},
    acting: Acting = {},
  ): Promise<string> {
    const user = this.user(userName);
    const channel = this.channel(acting.channel ?? 'general');
    const infos = this.core.registry.get(name)?.options ?? [];
    const resolved: APIInteractionDataResolved = {};
    const opts: APIApplicationCommandInteractionDataBasicOption[] = [];
    for (const [key, raw] of Object.entries(options)) {
      const kind = infos.find((o) => o.name === key)?.kind ?? 'string';
      let value: unknown = raw;
      if (kind === 'member' && typeof raw === 'string') {
        const u = this.user(raw.replace(/^@/, '').toLowerCase());
        value = u.id;
        resolved.users = {
          ...resolved.users,
          [u.id]: { id: u.id, username: u.username, global_name: u.username, discriminator: '0', avatar: null },
        };
      } else if (kind === 'channel' && typeof raw === 'string') {
        // A bare id names any channel, another server's too (what a forged or stale option would carry).
        const ch = /^\d+$/.test(raw)
          ? (this.fake.channels.get(raw) ?? { id: raw, name: 'unknown' })
          : this.channel(raw.replace(/^#/, ''));
        value = ch.id;
        resolved.channels = {
          ...resolved.channels,
          [ch.id]: { id: ch.id, name: ch.name, type: ChannelType.GuildText, permissions: '0' },
        };
      } else if ((kind === 'integer' || kind === 'number') && typeof raw === 'string' && Number.isFinite(Number(raw))) {
        value = Number(raw);
      } else if (kind === 'boolean' && typeof raw === 'string' && /^(true|false)$/i.test(raw)) {
        value = raw.toLowerCase() === 'true';
      }
      opts.push({ name: key, type: OPTION_TYPE[kind], value } as APIApplicationCommandInteractionDataBasicOption);
    }
    const [top, sub] = name.split(' ');
    const data: APIApplicationCommandInteractionDataOption[] = sub
      ? [{ type: ApplicationCommandOptionType.Subcommand, name: sub, options: opts }]
      : opts;
    const payload = slashCommandPayload(this.site(user, channel, acting), {
      name: top!,
      options: data,
      ...(Object.keys(resolved).length ? { resolved } : {}),
    });
    return this.send(payload);
  }

  /** Presses the button with this label on a message the bot sent. */
  async press(userName: string, message: FakeMessage, label: string, acting: Acting = {}): Promise<string> {
    const button = message.components
      .flatMap((r) => r.components)
      .find((c) => 'label' in c && c.label?.toLowerCase() === label.toLowerCase() && 'custom_id' in c);
    if (!button || !('custom_id' in button)) throw new Error(`no button “${label}” on message ${message.id}`);
    const site = this.site(this.user(userName), this.fake.channels.get(message.channelId)!, acting);
    return this.send(buttonPayload(site, apiMessage(message, this.fake.botUser), button.custom_id));
  }

  /** Chooses the option with this label in the message's select menu. */
  async choose(userName: string, message: FakeMessage, label: string, acting: Acting = {}): Promise<string> {
    const select = message.components.flatMap((r) => r.components).find((c) => 'options' in c);
    const option =
      select && 'options' in select
        ? select.options?.find((o) => o.label.toLowerCase() === label.toLowerCase())
        : undefined;
    if (!select || !option || !('custom_id' in select))
      throw new Error(`no choice “${label}” on message ${message.id}`);
    const site = this.site(this.user(userName), this.fake.channels.get(message.channelId)!, acting);
    return this.send(selectPayload(site, apiMessage(message, this.fake.botUser), select.custom_id, [option.value]));
  }

  /** Submits a modal the bot showed, with these values (fields left out keep the value the bot prefilled). */
  async submit(modal: ShownModal, values: Record<string, string> = {}, acting: Acting = {}): Promise<string> {
    const filled: Record<string, string> = {};
    for (const row of modal.data.components) {
      const input = 'components' in row ? row.components[0] : undefined;
      if (input && 'custom_id' in input)
        filled[input.custom_id] = values[input.custom_id] ?? ('value' in input ? (input.value ?? '') : '');
    }
    const user = this.fake.users.get(modal.userId)!;
    const site = this.site(user, this.fake.channels.get(modal.channelId)!, acting);
    return this.send(modalSubmitPayload(site, modal.data.custom_id, filled));
  }

  /** A new member joins the server (GUILD_MEMBER_ADD). */
  async join(userName: string): Promise<FakeUser> {
    const user = this.user(userName);
    const done = this.settled(`memberAdd:${this.guild.id}:${user.id}`);
    this.fake.gateway.dispatch('GUILD_MEMBER_ADD', memberAddPayload(this.guild, user));
    await done;
    return user;
  }

  /** Messages created (or edited) since `from` (an index into fake.events). */
  latest(filter: (m: FakeMessage) => boolean): FakeMessage | undefined {
    return [...this.fake.messages.values()].filter((m) => !m.deleted && filter(m)).at(-1);
  }

  async close(): Promise<void> {
    await this.bot.stop();
    await this.fake.close();
  }
}
