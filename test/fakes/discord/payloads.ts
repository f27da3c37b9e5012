import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIGuildMember,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  type APIRole,
  type APITextChannel,
  ApplicationCommandType,
  type ApplicationFlags,
  ApplicationIntegrationType,
  ComponentType,
  type GatewayGuildCreateDispatchData,
  type GatewayGuildMemberAddDispatchData,
  type GatewayReadyDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionType,
  Locale,
  PermissionFlagsBits,
  type RoleFlags,
} from 'discord-api-types/v10';
import type { FakeDiscord, FakeGuild } from './fake-discord.js';
import { apiUser, ChannelType, type FakeChannel, type FakeUser } from './fake-state.js';

/** What an ordinary member may do: read and write, nothing that makes them an admin. */
export const MEMBER_PERMISSIONS = (
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.UseApplicationCommands
).toString();
export const ADMIN_PERMISSIONS = (BigInt(MEMBER_PERMISSIONS) | PermissionFlagsBits.ManageGuild).toString();
const ALL_PERMISSIONS = (PermissionFlagsBits.Administrator | BigInt(MEMBER_PERMISSIONS)).toString();

export function readyPayload(f: FakeDiscord): GatewayReadyDispatchData {
  return {
    v: 10,
    user: apiUser(f.botUser),
    guilds: [...f.guilds.values()].map((g) => ({ id: g.id, unavailable: true })),
    session_id: f.gateway.sessionInfo().sessionId,
    resume_gateway_url: f.gateway.sessionInfo().resumeUrl,
    shard: [0, 1],
    application: { id: f.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
  };
}

function everyone(g: FakeGuild): APIRole {
  return {
    id: g.id,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: MEMBER_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function textChannel(ch: FakeChannel): APITextChannel {
  return {
    id: ch.id,
    type: ChannelType.GuildText,
    name: ch.name,
    guild_id: ch.guildId!,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 10080,
    default_thread_rate_limit_per_user: 0,
  } satisfies APITextChannel;
}

function guildMember(u: FakeUser, joinedAt = new Date().toISOString()): APIGuildMember {
  return {
    user: apiUser(u),
    roles: [],
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    nick: null,
    avatar: null,
  };
}

export function guildCreatePayload(f: FakeDiscord, g: FakeGuild): GatewayGuildCreateDispatchData {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: f.ids.next(),
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [everyone(g)],
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
    region: 'us-east',
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 1,
    voice_states: [],
    members: [guildMember(f.botUser)],
    channels: g.channels.map((id) => textChannel(f.channels.get(id)!)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  } satisfies GatewayGuildCreateDispatchData;
}

export function memberAddPayload(g: FakeGuild, u: FakeUser): GatewayGuildMemberAddDispatchData {
  return { ...guildMember(u), guild_id: g.id } satisfies GatewayGuildMemberAddDispatchData;
}

/** Where an interaction happens and who makes it. */
export interface InteractionSite {
  f: FakeDiscord;
  id: string;
  token: string;
  user: FakeUser;
  channel: FakeChannel;
  /** Guild member permissions (bitfield string); ignored in a DM. */
  permissions?: string;
}

function common(s: InteractionSite) {
  const inGuild = s.channel.guildId !== undefined;
  const channel =
    s.channel.type === ChannelType.DM
      ? { id: s.channel.id, type: ChannelType.DM as const, recipients: [apiUser(s.user)] }
      : { id: s.channel.id, type: s.channel.type, name: s.channel.name, guild_id: s.channel.guildId };
  const base = {
    id: s.id,
    application_id: s.f.applicationId,
    token: s.token,
    version: 1 as const,
    app_permissions: ALL_PERMISSIONS,
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: s.channel.guildId ?? '0' },
    attachment_size_limit: 8 * 1024 * 1024,
    channel,
    channel_id: s.channel.id,
  };
  if (!inGuild) return { ...base, user: apiUser(s.user), context: InteractionContextType.BotDM };
  const member: APIInteractionGuildMember = {
    ...guildMember(s.user),
    permissions: s.permissions ?? MEMBER_PERMISSIONS,
  };
  return {
    ...base,
    guild_id: s.channel.guildId!,
    guild: { id: s.channel.guildId!, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    member,
    context: InteractionContextType.Guild,
  };
}

export function slashCommandPayload(
  s: InteractionSite,
  command: {
    name: string;
    options: APIApplicationCommandInteractionDataOption[];
    resolved?: APIInteractionDataResolved;
  },
): APIChatInputApplicationCommandInteraction {
  return {
    ...common(s),
    type: InteractionType.ApplicationCommand,
    data: {
      id: s.f.ids.next(),
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      options: command.options,
      ...(command.resolved ? { resolved: command.resolved } : {}),
      ...(s.channel.guildId ? { guild_id: s.channel.guildId } : {}),
    },
  } satisfies APIChatInputApplicationCommandInteraction;
}

export function buttonPayload(
  s: InteractionSite,
  message: APIMessage,
  customId: string,
): APIMessageComponentInteraction {
  return {
    ...common(s),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  } satisfies APIMessageComponentInteraction;
}

export function selectPayload(
  s: InteractionSite,
  message: APIMessage,
  customId: string,
  values: string[],
): APIMessageComponentInteraction {
  return {
    ...common(s),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.StringSelect, values },
  } satisfies APIMessageComponentInteraction;
}

export function modalSubmitPayload(
  s: InteractionSite,
  customId: string,
  values: Record<string, string>,
): APIModalSubmitInteraction {
  return {
    ...common(s),
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: customId,
      components: Object.entries(values).map(([id, value]) => ({
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.TextInput, custom_id: id, value }],
      })),
    },
  } satisfies APIModalSubmitInteraction;
}
