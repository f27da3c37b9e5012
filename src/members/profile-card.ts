import type { MemberRow } from '../communities/rows.js';
import type { Card } from '../messages.js';
import type { ProfileRow } from './profile-repo.js';

const MENTOR: Record<string, string> = { can: 'Can mentor', seeks: 'Looking for a mentor' };

/** A member's introduction card, as posted in the intro channel and shown by /profile. */
export function profileCard(member: MemberRow, p: ProfileRow): Card {
  const contact = [p.website, p.email, p.phone].filter(Boolean).join(' · ');
  return {
    title: `${member.displayName} — ${p.business}`,
    subtitle: p.category,
    fields: [
      { label: 'What I do', value: p.pitch },
      { label: 'Ideal referral', value: p.idealReferral },
      ...(p.area ? [{ label: 'Area served', value: p.area, inline: true }] : []),
      ...(contact ? [{ label: 'Contact', value: contact, inline: true }] : []),
      ...(p.mentor && MENTOR[p.mentor] ? [{ label: 'Mentoring', value: MENTOR[p.mentor]!, inline: true }] : []),
    ],
  };
}

/** The key under which a member's card in a group's intro channel is kept (and edited). */
export const introKey = (groupId: number, memberId: number) => `intro:${groupId}:${memberId}`;
