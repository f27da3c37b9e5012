import {
  type BaseInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type GuildMember,
  type Interaction,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  type User,
} from 'discord.js';
import {
  type APIInteractionDataResolvedGuildMember,
  ApplicationCommandOptionType,
  Routes,
} from 'discord-api-types/v10';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { type FormStash, readComponentId, readFormId } from './custom-ids.js';

type Users = NonNullable<Invocation['users']>;

const userName = (u: User | null | undefined) => u?.globalName ?? u?.username;

function memberName(m: GuildMember | APIInteractionDataResolvedGuildMember | null | undefined): string | undefined {
  if (!m) return undefined;
  if ('displayName' in m) return m.displayName;
  return m.nick ?? undefined;
}

/** Server owners' delegates: Administrator or Manage Server count as moderators everywhere in the community. */
function isAdmin(i: BaseInteraction): boolean {
  return Boolean(i.memberPermissions?.any([PermissionFlagsBits.Administrator, PermissionFlagsBits.ManageGuild]));
}

function base(i: BaseInteraction, guildId: string): Omit<Invocation, 'input'> {
  const member = i.member && 'displayName' in i.member ? i.member : null;
  return {
    platform: 'discord',
    community: { ref: guildId, name: i.guild?.name ?? guildId },
    channelRef: i.channelId ?? '',
    actor: {
      platformUserId: i.user.id,
      displayName: member?.displayName ?? userName(i.user) ?? i.user.id,
      isAdmin: isAdmin(i),
    },
    interactionId: i.id,
  };
}

/**
 * A channel option's channel, from the guild's own cache (filled by GUILD_CREATE and channel events): one of another
 * server is not there. The bot must be able to view and send there; when its member is not cached the permission
 * cannot be computed and the post's own error (the outbox's) is left to tell.
 */
function channelCheck(i: ChatInputCommandInteraction, id: string): { found: boolean; canPost: boolean } {
  const channel = i.guild?.channels.cache.get(id);
  if (!channel || !channel.isTextBased()) return { found: false, canPost: false };
  const me = i.guild?.members.me;
  const perms = me ? channel.permissionsFor(me) : null;
  const canPost = perms ? perms.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]) : true;
  return { found: true, canPost };
}

/**
 * The channel options' channels as Discord's REST API has them: the interaction's resolved data is put in this
 * guild's cache whatever server the id belongs to, so only Get Channel's `guild_id` tells another server's channel.
 */
export async function verifyChannels(i: Interaction, inv: Invocation): Promise<Invocation> {
  if (!inv.channels) return inv;
  const checked: NonNullable<Invocation['channels']> = {};
  for (const [id, seen] of Object.entries(inv.channels)) {
    try {
      const raw = (await i.client.rest.get(Routes.channel(id))) as { guild_id?: string };
      checked[id] = raw.guild_id === i.guildId ? seen : { found: false, canPost: false };
    } catch {
      // Unknown Channel, Missing Access: not a channel of this server the bot can use.
      checked[id] = { found: false, canPost: false };
    }
  }
  return { ...inv, channels: checked };
}

/** `/pair join x:1` arrives as /pair with a subcommand option; the registry knows it as `pair join`. */
function flatten(i: ChatInputCommandInteraction): { name: string; options: readonly CommandInteractionOption[] } {
  const [first] = i.options.data;
  if (first?.type === ApplicationCommandOptionType.Subcommand) {
    return { name: `${i.commandName} ${first.name}`, options: first.options ?? [] };
  }
  return { name: i.commandName, options: i.options.data };
}

function commandInvocation(i: ChatInputCommandInteraction, guildId: string): Invocation {
  const { name, options } = flatten(i);
  const values: Record<string, unknown> = {};
  const users: Users = {};
  const channels: NonNullable<Invocation['channels']> = {};
  for (const o of options) {
    // Raw values as Discord typed them (user and channel options are ids); the command's schema validates them.
    values[o.name] = o.value;
    if (o.type === ApplicationCommandOptionType.User && typeof o.value === 'string') {
      const displayName = memberName(o.member) ?? userName(o.user);
      if (displayName) users[o.value] = { displayName };
    }
    if (o.type === ApplicationCommandOptionType.Channel && typeof o.value === 'string') {
      channels[o.value] = channelCheck(i, o.value);
    }
  }
  return {
    ...base(i, guildId),
    ...(Object.keys(users).length ? { users } : {}),
    ...(Object.keys(channels).length ? { channels } : {}),
    input: { kind: 'command', name, options: values },
  };
}

function componentInvocation(i: MessageComponentInteraction, guildId: string, actionId: string): Invocation {
  const value = i.isStringSelectMenu() ? i.values[0] : undefined;
  return { ...base(i, guildId), input: { kind: 'action', actionId, ...(value !== undefined ? { value } : {}) } };
}

function formInvocation(
  i: ModalSubmitInteraction,
  guildId: string,
  form: { command: string; hidden: Record<string, string> },
): Invocation {
  const options: Record<string, unknown> = { ...form.hidden };
  for (const [id, field] of i.fields.fields) {
    if ('value' in field && typeof field.value === 'string') options[id] = field.value;
  }
  return { ...base(i, guildId), input: { kind: 'command', name: form.command, options, fromForm: true } };
}

export type Translation =
  | { ok: true; invocation: Invocation }
  /** An interaction the bot cannot place (a stale form, a DM without its server): say so instead of guessing. */
  | { ok: false; reason: string };

/** Turns a Discord interaction into the platform-neutral Invocation the dispatcher runs. */
export function toInvocation(i: Interaction, stash: FormStash): Translation | null {
  if (i.isChatInputCommand()) {
    if (!i.guildId) return { ok: false, reason: 'Roundtable’s commands work inside a server, not in DMs.' };
    return { ok: true, invocation: commandInvocation(i, i.guildId) };
  }
  if (i.isButton() || i.isStringSelectMenu()) {
    const ref = readComponentId(i.customId);
    const guildId = i.guildId ?? ref.guildId;
    if (!guildId) return { ok: false, reason: 'That button no longer does anything. Run the command again.' };
    return { ok: true, invocation: componentInvocation(i, guildId, ref.actionId) };
  }
  if (i.isModalSubmit()) {
    const form = readFormId(i.customId, stash);
    const guildId = i.guildId ?? form?.guildId;
    if (!form || !guildId) return { ok: false, reason: 'That form has expired. Run the command again.' };
    return { ok: true, invocation: formInvocation(i, guildId, form) };
  }
  return null;
}
