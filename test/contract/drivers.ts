import { discordDriver } from './discord-driver.js';
import type { DriverFactory } from './driver.js';
import { shellDriver } from './shell-driver.js';
import { slackDriver } from './slack-driver.js';

/** Every adapter's driver: each contract scenario runs on all of them. */
export const drivers: Record<string, DriverFactory> = {
  shell: shellDriver,
  discord: discordDriver,
  slack: slackDriver,
};
