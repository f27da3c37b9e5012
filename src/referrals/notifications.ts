import type { OutgoingMessage } from '../messages.js';
import { nextSteps, type Status } from './lifecycle.js';
import { type CardPeople, referralCard } from './referral-card.js';
import type { ReferralRow } from './referral-repo.js';

/** The receiver's DM for a referral, with the next steps as buttons; kept up to date under one key. */
export function receiverMessage(r: ReferralRow, people: CardPeople, text: string): OutgoingMessage {
  return {
    target: { kind: 'dm', memberId: r.receiverId! },
    key: `referral:${r.id}:receiver`,
    content: {
      text,
      card: referralCard(r, people, { withContact: true }),
      buttons: nextSteps(r.status as Status).map((s) => ({
        label: s.label,
        action: { command: 'referral update', action: 'move', arg: `${r.id}|${s.to}` },
        style:
          s.to === 'accepted' || s.to === 'won'
            ? ('primary' as const)
            : s.to === 'not_a_fit' || s.to === 'lost'
              ? ('danger' as const)
              : ('secondary' as const),
      })),
    },
  };
}
