import type { PlatformLimits } from '../../src/delivery/pacer.js';

/**
 * The core pacer's limits for tests against the loopback fakes: fast enough for tests that send a handful of messages
 * to one channel, still paced (the production limits are checked in test/delivery/outbox.test.ts and the benches).
 */
export const TEST_PACING: Record<string, PlatformLimits> = {
  discord: { global: { limit: 45, windowMs: 1000 } },
  slack: { perRoute: { limit: 50, windowMs: 1000 }, dmOpen: { limit: 50, windowMs: 1000 }, conversationOpensDm: true },
  shell: {},
};
