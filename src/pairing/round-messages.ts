import type { GroupRow } from '../communities/rows.js';
import type { Content, OutgoingMessage } from '../messages.js';
import { formatDay, formatLocal, suggestedTimes } from './cadence.js';
import type { ProgramRow } from './program-repo.js';
import type { Person } from './round-plan.js';

/** The command whose actions carry every pairing button (check-ins, outcomes, rematch, join). */
export const PAIR_ACTIONS = 'pair status';

export type CheckInStage = 'midpoint' | 'final';

/** "1 group", "3 groups". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const names = (people: Person[]) => people.map((p) => p.member.displayName);

/**
 * The shared conversation of one group: everyone's card (name, business, category, pitch), one conversation starter
 * and a suggested next step with two concrete times in the group's zone.
 */
/** The conversation a program opens for its pair or trio (a group DM, or a thread in the program's channel). */
export function programConversation(program: ProgramRow, people: Person[]): OutgoingMessage['target'] {
  return {
    kind: 'conversation',
    memberIds: people.map((p) => p.member.id),
    channelRef: program.channelRef,
    title: `${program.name}: ${people.map((p) => p.member.displayName).join(', ')}`,
  };
}

export function pairingMessage(
  program: ProgramRow,
  group: GroupRow,
  people: Person[],
  round: { number: number; endsAt: Date; startedAt: Date },
  starter: string | null,
  rematch = false,
): OutgoingMessage {
  const [first, second] = suggestedTimes(group.timezone, round.startedAt);
  const who = names(people);
  const intro = rematch
    ? `A new match for ${program.name}: ${who.join(', ')}, your first meeting could not happen, so here is someone else.`
    : `You are meeting for ${program.name} (round ${round.number}, until ${formatDay(round.endsAt, group.timezone)}): ${who.join(', ')}.`;
  return {
    target: programConversation(program, people),
    content: {
      text: intro,
      card: {
        title: `${program.name} — round ${round.number}${rematch ? ' (rematch)' : ''}`,
        fields: [
          ...people.map((p) => ({
            label: `${p.member.displayName} — ${p.profile.business} (${p.profile.category})`,
            value: p.profile.pitch,
          })),
          ...(starter ? [{ label: 'Conversation starter', value: starter }] : []),
          {
            label: 'Next step',
            value: `${who[0]}, propose two times, for example ${formatLocal(first!, group.timezone)} or ${formatLocal(second!, group.timezone)} (${group.timezone}), and reply here with what works.`,
          },
        ],
        footer: 'I will check in halfway through the round.',
      },
    },
  };
}

/** "Did you meet?" with Met / Scheduled / Couldn't, sent to a group's conversation. */
export function checkInMessage(
  program: ProgramRow,
  group: GroupRow,
  people: Person[] | { id: number; name: string }[],
  pairingGroupId: number,
  round: { number: number; endsAt: Date },
  stage: CheckInStage,
): OutgoingMessage {
  const ids = people.map((p) => ('member' in p ? p.member.id : p.id));
  const who = people.map((p) => ('member' in p ? p.member.displayName : p.name));
  const arg = String(pairingGroupId);
  const text =
    stage === 'midpoint'
      ? `Halfway through round ${round.number} of ${program.name}: did you meet?`
      : `Round ${round.number} of ${program.name} ends ${formatDay(round.endsAt, group.timezone)}: did you meet?`;
  const content: Content = {
    text,
    buttons: [
      { label: 'Met', action: { command: PAIR_ACTIONS, action: 'met', arg }, style: 'primary' },
      { label: 'Scheduled', action: { command: PAIR_ACTIONS, action: 'scheduled', arg } },
      { label: "Couldn't", action: { command: PAIR_ACTIONS, action: 'couldnt', arg } },
    ],
  };
  return {
    target: {
      kind: 'conversation',
      memberIds: ids,
      channelRef: program.channelRef,
      title: `${program.name}: ${who.join(', ')}`,
    },
    content,
  };
}

/** The matcher's reasons speak of the member ("paired with them"); the member reads them addressed to themselves. */
export const addressed = (reason: string): string =>
  reason
    .replace(/\bthey are\b/g, 'you are')
    .replace(/\bthey\b/g, 'you')
    .replace(/\bthem\b/g, 'you');

/** The private note to someone the matcher could not place, with its reason (which never reveals an exclusion). */
export function unplacedMessage(
  program: ProgramRow,
  memberId: number,
  number: number,
  reason: string,
): OutgoingMessage {
  return {
    target: { kind: 'dm', memberId },
    content: {
      text: `No ${program.name} match for you in round ${number}: ${addressed(reason)} You stay in the program, and if someone's meeting falls through this round you may be matched with them.`,
    },
  };
}
