import pino, { type Logger } from 'pino';
import { safeError } from './ops/safe-error.js';

export type { Logger };

/**
 * Structured JSON logs on stderr, so the shell's stdout stays clean. Secrets and prospects' contact details are
 * redacted by key wherever they appear, as a safety net behind the rule of never logging them.
 */
export function createLogger(level = 'info', destination: pino.DestinationStream | number = 2): Logger {
  return pino(
    {
      level,
      base: { app: 'roundtable' },
      // Whatever logs `err`, a database error is logged without the statement's parameters (src/ops/safe-error.ts).
      serializers: { err: safeError },
      redact: {
        paths: [
          '*.token',
          '*.botToken',
          '*.appToken',
          '*.clientSecret',
          '*.signingSecret',
          '*.email',
          '*.phone',
          '*.contact',
          'token',
          'email',
          'phone',
          'contact',
          'options.email',
          'options.phone',
          'options.contact',
        ],
        censor: '[redacted]',
      },
    },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
