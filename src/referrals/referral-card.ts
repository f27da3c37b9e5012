import type { MemberRow } from '../communities/rows.js';
import type { Card } from '../messages.js';
import { formatLocal } from '../time/zoned.js';
import { STATUS_LABEL, type Status, TEMPERATURE_LABEL } from './lifecycle.js';
import { formatMoney } from './money.js';
import { formatContact } from './prospect-contact.js';
import type { ReferralEventRow, ReferralRow } from './referral-repo.js';

export interface CardPeople {
  giver: MemberRow | undefined;
  receiver: MemberRow | undefined;
  names: Map<number, string>;
}

const nameOf = (m: MemberRow | undefined) => m?.displayName ?? 'a former member';

/**
 * A referral as a card. Prospect details appear only when `withContact` (the viewer is the giver or the receiver,
 * or a moderator where the group allows it): every caller decides that explicitly.
 */
export function referralCard(
  r: ReferralRow,
  people: CardPeople,
  /** `timezone`: the group's, in which history times are shown (and named). */
  opts: { withContact: boolean; history?: ReferralEventRow[]; timezone?: string },
): Card {
  const fields: Card['fields'] = [
    { label: 'From', value: nameOf(people.giver), inline: true },
    { label: 'To', value: nameOf(people.receiver), inline: true },
    { label: 'Status', value: STATUS_LABEL[r.status as Status] ?? r.status, inline: true },
    { label: 'Temperature', value: `${r.temperature}/5 (${TEMPERATURE_LABEL[r.temperature] ?? ''})`, inline: true },
    { label: 'Kind', value: r.kind === 'inside' ? 'inside (the giver is the customer)' : 'outside', inline: true },
  ];
  if (opts.withContact) {
    fields.push({ label: 'Prospect', value: r.prospectName ?? '(removed)' });
    fields.push({ label: 'Contact', value: formatContact(r) ?? '(removed)' });
    fields.push({ label: 'Need', value: r.need ?? '(removed)' });
  }
  if (r.amount && r.currency)
    fields.push({ label: 'Closed business', value: formatMoney(r.amount, r.currency), inline: true });
  if (r.outcomeReason) fields.push({ label: 'Reason', value: r.outcomeReason });
  if (opts.history?.length) {
    const tz = opts.timezone ?? 'UTC';
    fields.push({
      label: `History (times in ${tz})`,
      value: opts.history
        .map(
          (e) =>
            `${formatLocal(e.at, tz)} ${STATUS_LABEL[e.toStatus as Status] ?? e.toStatus}${e.actorId ? ` by ${people.names.get(e.actorId) ?? 'a former member'}` : ''}${e.note ? ` — ${e.note}` : ''}`,
        )
        .join('\n'),
    });
  }
  return { title: `Referral #${r.number}`, fields };
}
