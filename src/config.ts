import { z } from 'zod';
import { isTimezone } from './time/timezones.js';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const url = (protocols: string[], example: string) =>
  optionalText.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL such as ${example}` },
  );

/** The whole environment the bot reads, validated once at start. */
export const configSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db').describe(
    'PostgreSQL connection URL; when unset the embedded PGlite database in DATA_DIR is used',
  ),
  DATA_DIR: z.string().trim().min(1).default('./data').describe('PGlite data directory (when DATABASE_URL is unset)'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  DEFAULT_TIMEZONE: z
    .string()
    .default('UTC')
    .refine(isTimezone, { message: 'expected an IANA time zone such as Europe/Berlin or America/New_York' })
    .describe('time zone of new groups until /setup sets one'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port (Slack receiver, health)'),
  PUBLIC_URL: url(['http:', 'https:'], 'https://bot.example.org').describe(
    'the address members reach the bot at: calendar feed links (/meeting calendar) start with it',
  ),
  // Not SHELL: every login shell already sets that to /bin/bash.
  ROUNDTABLE_SHELL: z
    .enum(['auto', 'off'])
    .default('auto')
    .describe(
      'off: never fall back to the local shell (containers); with no platform configured the bot refuses to start',
    ),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .positive()
    .default(30)
    .describe('commands a member may run per minute on Discord/Slack'),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(10).describe('commands a member may run at once'),
  TICK_SECONDS: z.coerce
    .number()
    .int()
    .refine((n) => n >= 1 && n <= 60 && 60 % n === 0, {
      message: 'expected a whole number of seconds that divides a minute: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60',
    })
    .default(15)
    .describe('how often the scheduler and the due sweeps run (and the outbox is delivered)'),
  DELIVERY_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(5, { message: 'expected a whole number of seconds from 5 to 3600' })
    .max(3600, { message: 'expected a whole number of seconds from 5 to 3600' })
    .default(120)
    .describe(
      'how long a replica owns the messages it claimed from the outbox: a killed replica’s are sent by another after this',
    ),
  OUTBOX_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1, { message: 'expected a whole number of days from 1 to 3650' })
    .max(3650, { message: 'expected a whole number of days from 1 to 3650' })
    .default(30)
    .describe('how long sent outbox messages (their text names members and prospects) are kept before pruning'),
  DISCORD_TOKEN: optionalText.describe('Discord bot token; with DISCORD_APPLICATION_ID starts the Discord adapter'),
  DISCORD_APPLICATION_ID: optionalText
    .refine((v) => v === undefined || /^\d{5,25}$/.test(v), { message: 'expected a numeric Discord application id' })
    .describe('Discord application id'),
  DISCORD_API_URL: url(['http:', 'https:'], 'https://discord.com/api').describe(
    "Discord REST base (tests point it at a fake); default Discord's",
  ),
  DISCORD_GUILD_ID: optionalText.describe('deploy slash commands to this one guild (fast, for testing)'),
  SLACK_SIGNING_SECRET: optionalText.describe('Slack signing secret (HTTP mode)'),
  SLACK_BOT_TOKEN: optionalText
    .refine((v) => v === undefined || v.startsWith('xoxb-'), { message: 'expected a bot token starting with xoxb-' })
    .describe('Slack bot token for one workspace'),
  SLACK_APP_TOKEN: optionalText
    .refine((v) => v === undefined || v.startsWith('xapp-'), { message: 'expected an app token starting with xapp-' })
    .describe('Slack app-level token: enables Socket Mode'),
  SLACK_CLIENT_ID: optionalText.describe('Slack OAuth client id (multi-workspace installs)'),
  SLACK_CLIENT_SECRET: optionalText.describe('Slack OAuth client secret'),
  SLACK_STATE_SECRET: optionalText.describe('secret for the OAuth state parameter'),
  SLACK_API_URL: url(['http:', 'https:'], 'https://slack.com/api/').describe(
    "Slack Web API base (tests point it at a fake); default Slack's",
  ),
  TOKEN_ENCRYPTION_KEY: optionalText
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
      message: 'expected 32 bytes in base64 (openssl rand -base64 32)',
    })
    .describe('key that encrypts stored platform tokens'),
});

export type Config = z.infer<typeof configSchema>;

/** A configuration that cannot start the bot; the message names every bad variable and its expected form. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const given = env[name];
    return `  ${name}=${given === undefined ? '(unset)' : JSON.stringify(given)}: ${issue.message}`;
  });
  throw new ConfigError(`Roundtable cannot start: bad configuration.\n${lines.join('\n')}`);
}
