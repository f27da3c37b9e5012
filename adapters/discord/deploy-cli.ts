import { REST } from 'discord.js';
import { commands } from '../../commands/index.js';
import { Registry } from '../../src/commands/registry.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { deployCommands } from './command-deploy.js';

/**
 * `npm run discord:deploy`: makes Discord's slash commands match the registry, globally or (DISCORD_GUILD_ID) in
 * one server, which applies at once and suits testing. Nothing is sent when they already match.
 */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    process.stderr.write('discord:deploy needs DISCORD_TOKEN and DISCORD_APPLICATION_ID.\n');
    return 2;
  }
  const log = createLogger(config.LOG_LEVEL);
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  const result = await deployCommands(rest, config.DISCORD_APPLICATION_ID, new Registry(commands), {
    ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
    log,
  });
  process.stdout.write(
    `${result.changed ? 'Deployed' : 'Already up to date:'} ${result.count} commands (${result.scope}${config.DISCORD_GUILD_ID ? ` ${config.DISCORD_GUILD_ID}` : ''}).\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`discord:deploy failed: ${err.message}\n`);
    process.exit(1);
  },
);
