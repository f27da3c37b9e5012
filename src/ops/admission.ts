import type { Clock } from '../clock.js';
import type { Invocation } from '../dispatch/invocation.js';
import { MemberRateLimit, type RateLimitPolicy } from '../dispatch/member-rate-limit.js';
import { UserError } from '../errors.js';
import type { WorkGate } from './work-gate.js';

/**
 * What the dispatcher asks before running anything: is the process shutting down or overloaded, and has this member
 * used up their commands for now. Each refusal is a private, plain answer and writes nothing.
 */
export function admission(
  gate: WorkGate,
  policy: RateLimitPolicy | undefined,
  clock: Clock,
): (inv: Invocation) => UserError | null {
  const limit = policy ? new MemberRateLimit(policy, clock) : undefined;
  return (inv) => {
    const refusal = gate.refusal();
    if (refusal === 'draining') {
      return new UserError(
        'unavailable',
        'The bot is restarting right now, so nothing was done.',
        'Please try again in a few seconds.',
      );
    }
    if (refusal === 'busy') {
      return new UserError(
        'unavailable',
        'The bot is very busy right now, so nothing was done.',
        'Please try again in a minute.',
      );
    }
    if (!limit) return null;
    const wait = limit.take(`${inv.platform}:${inv.community.ref}:${inv.actor.platformUserId}`);
    if (wait === 0) return null;
    return new UserError(
      'rate_limited',
      'Slow down: you have sent a lot of commands in a short time, so this one was not run.',
      `Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
    );
  };
}
