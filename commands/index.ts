import type { CommandDefinition } from '../src/commands/define.js';
import { help } from './help.js';
import { setup } from './setup.js';

/** Every command the bot serves, registered explicitly (no file scanning): the order is /help's order. */
export const commands: CommandDefinition[] = [help, setup] as CommandDefinition[];
