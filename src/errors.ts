import type { Reply } from './messages.js';

/**
 * A user's mistake: shown privately with what was wrong and how to fix it, never logged as a bug.
 * Thrown anywhere below the dispatcher; the transaction rolls back so nothing is written.
 */
export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    readonly hint?: string,
    /** Buttons offered with the refusal (e.g. "Ask a moderator"); the refusal itself wrote nothing. */
    readonly extra?: Pick<Reply, 'buttons'>,
  ) {
    super(message);
  }
}

export type UserErrorCode =
  | 'bad_option'
  | 'unknown_command'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'not_setup'
  | 'rate_limited'
  | 'unavailable';

export const userError = {
  badOption: (message: string, hint?: string) => new UserError('bad_option', message, hint),
  forbidden: (message: string, hint?: string) => new UserError('forbidden', message, hint),
  notFound: (message: string, hint?: string) => new UserError('not_found', message, hint),
  conflict: (message: string, hint?: string) => new UserError('conflict', message, hint),
};
