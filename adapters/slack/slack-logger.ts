import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

/**
 * Bolt and the WebClient log through this, into our pino logger. Their debug output includes request bodies, so
 * it is never passed below warn unless LOG_LEVEL asks for debug; tokens are redacted by the WebClient itself.
 */
export function boltLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'bolt' });
  let level = child.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.WARN;
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...m) => {
      if (level === LogLevel.DEBUG) child.debug(text(m));
    },
    info: (...m) => {
      if (level === LogLevel.DEBUG || level === LogLevel.INFO) child.info(text(m));
    },
    warn: (...m) => child.warn(text(m)),
    error: (...m) => child.error(text(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
