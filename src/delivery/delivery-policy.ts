import { afterQuietHours, DEFAULT_QUIET } from './quiet-hours.js';

/**
 * Who gets what, when: the one policy every message to a member passes before it is queued (enqueueOutbox calls it;
 * nothing else decides). It applies to scheduled and unsolicited messages alike:
 * - a nudge the member turned off in /me (`nudge` names it) is not queued;
 * - a member on record as refusing the bot's DMs gets no scheduled DM (their one failure was logged when it was
 *   found); a message that may reach them elsewhere (`fallback`: a referral, a welcome) still goes, to their group's
 *   channel;
 * - a DM waits out the member's quiet hours, read in their time zone (else the group's).
 * A message the member asked for (the answer to their own command or button, `asked`) is never held or dropped.
 */
export interface PolicyInput {
  /** The recipient's settings; null when they are no longer a member (the message is dropped). */
  recipient: Recipient | null;
  /** The nudge this message is (`meeting-reminder`), which the member may have muted; unset for group rules. */
  nudge?: string;
  /** The member asked for it (their own command's or button's answer). */
  asked: boolean;
  /** Delivered elsewhere when DMs are refused (so a refusal on record does not drop it). */
  fallback: boolean;
  /** Held through quiet hours (false: an answer someone is waiting for). */
  quietHours: boolean;
  /** When it is due. */
  at: Date;
  /** The group's time zone, for members who set none. */
  timezone: string;
}

export interface Recipient {
  id: number;
  timezone: string | null;
  quietStart: string | null;
  quietEnd: string | null;
  muted: readonly string[];
  blocked: boolean;
}

export type PolicyDecision = { send: true; at: Date } | { send: false; reason: 'gone' | 'muted' | 'blocked' };

/** The policy for one DM (channel posts and shared conversations have no recipient of their own and are never held). */
export function decideDm(p: PolicyInput): PolicyDecision {
  const r = p.recipient;
  if (!r) return { send: false, reason: 'gone' };
  if (p.asked) return { send: true, at: p.at };
  if (p.nudge && r.muted.includes(p.nudge)) return { send: false, reason: 'muted' };
  if (r.blocked && !p.fallback) return { send: false, reason: 'blocked' };
  if (!p.quietHours) return { send: true, at: p.at };
  return {
    send: true,
    at: afterQuietHours(p.at, r.timezone ?? p.timezone, {
      start: r.quietStart ?? DEFAULT_QUIET.start,
      end: r.quietEnd ?? DEFAULT_QUIET.end,
    }),
  };
}
