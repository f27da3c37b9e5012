import type { REST } from 'discord.js';
import {
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from 'discord-api-types/v10';
import type { OptionInfo, OptionKind } from '../../src/commands/options.js';
import type { RegisteredCommand, Registry } from '../../src/commands/registry.js';
import type { Logger } from '../../src/logger.js';
import { cut } from './render.js';

type CommandJson = RESTPutAPIApplicationCommandsJSONBody[number];

const _OPTION_TYPE: Record<OptionKind, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
  member: ApplicationCommandOptionType.User,
  channel: ApplicationCommandOptionType.Channel,
};

/** Moderator commands are hidden from members by default; server admins may widen that, the dispatcher still checks. */
const MODERATOR_PERMISSIONS = PermissionFlagsBits.ManageGuild.toString();

function optionJson(o: OptionInfo): APIApplicationCommandBasicOption {
  const base = { name: o.name, description: o.description, required: o.required };
  switch (o.kind) {
    case 'string':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(o.choices ? { choices: o.choices.slice(0, 25).map((c) => ({ name: c, value: c })) } : {}),
        ...(o.maxLength !== undefined && !o.choices ? { max_length: Math.min(o.maxLength, 6000) } : {}),
        ...(o.minLength !== undefined && o.minLength > 0 && !o.choices
          ? { min_length: Math.min(o.minLength, 6000) }
          : {}),
      };
    case 'channel':
      return {
        ...base,
        type: ApplicationCommandOptionType.Channel,
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      };
    case 'integer':
      return { ...base, type: ApplicationCommandOptionType.Integer };
    case 'number':
      return { ...base, type: ApplicationCommandOptionType.Number };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'member':
      return { ...base, type: ApplicationCommandOptionType.User };
  }
}

/** Discord wants required options before optional ones; the order otherwise follows the command's schema. */
const options = (cmd: RegisteredCommand) =>
  [...cmd.options.filter((o) => o.required), ...cmd.options.filter((o) => !o.required)].map(optionJson);

/**
 * The application commands of a registry: `intro` becomes /intro; `pair join` and `pair leave` become /pair with
 * two subcommands. Commands are for servers only (our commands need a community), installed by servers.
 */
export function commandPayloads(registry: Registry): CommandJson[] {
  return registry.topLevel().map((top): CommandJson => {
    const subs = registry.subcommands(top);
    const common = {
      type: ApplicationCommandType.ChatInput as const,
      name: top,
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    };
    if (subs.length === 0) {
      const cmd = registry.get(top)!;
      return {
        ...common,
        description: cmd.def.description,
        default_member_permissions: cmd.def.access === 'moderator' ? MODERATOR_PERMISSIONS : null,
        options: options(cmd),
      };
    }
    const allModerator = subs.every((s) => s.def.access === 'moderator');
    return {
      ...common,
      description: cut(`${top}: ${subs.map((s) => s.def.name.split(' ')[1]).join(', ')}`, 100),
      default_member_permissions: allModerator ? MODERATOR_PERMISSIONS : null,
      options: subs.map(
        (s): APIApplicationCommandSubcommandOption => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: s.def.name.split(' ')[1]!,
          description: s.def.description,
          options: options(s),
        }),
      ),
    };
  });
}

type Loose = Record<string, unknown>;

/** What Discord keeps of an option or command, with its defaults made explicit, so both sides compare equal. */
function canonicalOption(o: Loose): Loose {
  return {
    type: o.type,
    name: o.name,
    description: o.description,
    required: Boolean(o.required),
    choices: (o.choices as Loose[] | undefined)?.map((c) => ({ name: c.name, value: c.value })) ?? [],
    min_length: o.min_length ?? null,
    max_length: o.max_length ?? null,
    channel_types: [...((o.channel_types as number[] | undefined) ?? [])].sort(),
    options: ((o.options as Loose[] | undefined) ?? []).map(canonicalOption),
  };
}

function canonicalCommand(c: Loose): Loose {
  return {
    type: c.type ?? ApplicationCommandType.ChatInput,
    name: c.name,
    description: c.description,
    default_member_permissions: c.default_member_permissions ?? null,
    contexts: [...((c.contexts as number[] | null | undefined) ?? [])].sort(),
    integration_types: [...((c.integration_types as number[] | undefined) ?? [])].sort(),
    options: ((c.options as Loose[] | undefined) ?? []).map(canonicalOption),
  };
}

const canonical = (list: readonly Loose[]) =>
  JSON.stringify([...list].map(canonicalCommand).sort((a, b) => String(a.name).localeCompare(String(b.name))));

/** True when what Discord has differs from what the registry describes. */
export function commandsDiffer(existing: readonly APIApplicationCommand[], wanted: readonly CommandJson[]): boolean {
  return canonical(existing as unknown as Loose[]) !== canonical(wanted as unknown as Loose[]);
}

export interface DeployResult {
  changed: boolean;
  count: number;
  scope: 'global' | 'guild';
}

/**
 * Makes Discord's commands match the registry: reads what is there and bulk-overwrites only when it differs, so a
 * restart with unchanged commands costs one GET (each overwrite counts against a daily creation limit).
 */
export async function deployCommands(
  rest: REST,
  applicationId: string,
  registry: Registry,
  opts: { guildId?: string; log: Logger },
): Promise<DeployResult> {
  const route = opts.guildId
    ? Routes.applicationGuildCommands(applicationId, opts.guildId)
    : Routes.applicationCommands(applicationId);
  const scope = opts.guildId ? 'guild' : 'global';
  const wanted = commandPayloads(registry);
  const existing = (await rest.get(route)) as APIApplicationCommand[];
  if (!commandsDiffer(existing, wanted)) {
    opts.log.info({ scope, count: wanted.length }, 'discord commands up to date');
    return { changed: false, count: wanted.length, scope };
  }
  await rest.put(route, { body: wanted });
  opts.log.info({ scope, count: wanted.length }, 'discord commands deployed');
  return { changed: true, count: wanted.length, scope };
}
