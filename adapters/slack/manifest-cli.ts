import { commands } from '../../commands/index.js';
import { Registry } from '../../src/commands/registry.js';
import { slackManifest } from './manifest.js';

/**
 * `npm run slack:manifest [-- https://your.host]`: prints the app manifest (JSON) to paste at api.slack.com/apps.
 * With a base URL the app uses HTTP (events, interactivity, OAuth redirect); without one, Socket Mode.
 */
const baseUrl = process.argv[2];
process.stdout.write(`${JSON.stringify(slackManifest(new Registry(commands), baseUrl ? { baseUrl } : {}), null, 2)}\n`);
