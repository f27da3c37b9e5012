import { shellHarness } from '../support/shell.js';
import type { Driver, DriverFactory, NormalizedMessage } from './driver.js';

export const shellDriver: DriverFactory = async (database) => {
  const h = shellHarness(database);
  const driver: Driver = {
    platform: 'shell',
    async run(script) {
      const out = await h.run(script);
      return out.map(
        ({ to, channel, private: p, text, buttons, edited }): NormalizedMessage => ({
          to,
          channel,
          private: p,
          text,
          buttons,
          ...(edited ? { edited } : {}),
        }),
      );
    },
    close: async () => {},
  };
  return driver;
};
