import type { Registry } from '../../src/commands/registry.js';
import { SLACK } from './limits.js';

/** Bot scopes the adapter uses: slash commands, posts and ephemeral replies, DMs and group DMs, user names, files. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'im:write',
  'mpim:write',
  'users:read',
  'channels:read',
  'groups:read',
  'files:write',
];

export const BOT_EVENTS = ['team_join', 'member_joined_channel', 'app_uninstalled', 'tokens_revoked'];

export interface ManifestOptions {
  /** Public base URL of the HTTP receiver, e.g. https://roundtable.example.org (omit for Socket Mode). */
  baseUrl?: string;
  appName?: string;
}

/** Slack's own figures (description 2,000, usage hint 1,000), not Discord's 100. */
const upTo = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The app manifest a chamber admin pastes into api.slack.com/apps: one slash command per top-level name (a
 * command's subcommands travel in its text, so their names make the usage hint), scopes, events, interactivity.
 */
export function slackManifest(registry: Registry, opts: ManifestOptions = {}): Record<string, unknown> {
  const base = opts.baseUrl?.replace(/\/$/, '');
  const eventsUrl = base ? `${base}/slack/events` : undefined;
  if (registry.topLevel().length > SLACK.manifestCommands)
    throw new Error(`a Slack app holds at most ${SLACK.manifestCommands} slash commands`);
  const slashCommands = registry.topLevel().map((top) => {
    const subs = registry.subcommands(top);
    const plain = registry.get(top);
    const description = plain ? plain.def.description : `${subs.map((s) => s.def.name.split(' ')[1]).join(', ')}`;
    const usageHint = plain
      ? registry.usage(top).replace(`/${top}`, '').trim()
      : subs.map((s) => s.def.name.split(' ')[1]).join(' | ');
    return {
      command: `/${top}`,
      description: upTo(description, SLACK.commandDescription),
      ...(usageHint ? { usage_hint: upTo(usageHint, SLACK.usageHint) } : {}),
      // Mentions then arrive as <@U123|name>: ids, not names that may be ambiguous.
      should_escape: true,
      ...(eventsUrl ? { url: eventsUrl } : {}),
    };
  });
  return {
    display_information: {
      name: opts.appName ?? 'Roundtable',
      description: 'Introductions, referrals, 1-to-1 pairing and accountability for networking groups',
    },
    features: {
      bot_user: { display_name: opts.appName ?? 'Roundtable', always_online: true },
      slash_commands: slashCommands,
    },
    oauth_config: {
      ...(base ? { redirect_urls: [`${base}/slack/oauth_redirect`] } : {}),
      scopes: { bot: BOT_SCOPES },
    },
    settings: {
      event_subscriptions: { ...(eventsUrl ? { request_url: eventsUrl } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(eventsUrl ? { request_url: eventsUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !base,
      token_rotation_enabled: false,
    },
  };
}
