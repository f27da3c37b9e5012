import type { Config } from '../src/config.js';

export type PlatformName = 'discord' | 'slack';

/** The platforms whose credentials are set (kept apart from serve.ts so the shell's start never loads the clients). */
export function startablePlatforms(config: Config): PlatformName[] {
  const out: PlatformName[] = [];
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) out.push('discord');
  if (config.SLACK_BOT_TOKEN || config.SLACK_CLIENT_ID) out.push('slack');
  return out;
}
