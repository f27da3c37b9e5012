import { randomBytes } from 'node:crypto';
import type { Button, Content, OutgoingMessage } from '../messages.js';
import type { Person } from '../pairing/round-plan.js';
import { FORMAT_WORDS, type MeetingFormat } from './availability.js';
import type { BookingRow, BookingSettings, MemberSlotData } from './booking-repo.js';
import { googleCalendarLink, type InviteEvent, inviteAttachment, outlookLink } from './invite.js';
import { BOOKING_ACTIONS, dayTime } from './proposals.js';

/** The first sentence of a pitch, cut to one line: what a calendar's description shows of each partner. */
export function oneLine(pitch: string, max = 120): string {
  const first = pitch.trim().split(/(?<=[.!?])\s/)[0] ?? '';
  return first.length <= max ? first : `${first.slice(0, max - 1)}…`;
}

const FORMAT_ORDER: Exclude<MeetingFormat, 'any'>[] = ['video', 'phone', 'in-person'];

/**
 * How and where a booked 1-to-1 happens: the first format every member accepts (video, then phone, then in person),
 * and its place: the group's video link (a fixed one, or a fresh room from the template), else a member's own video
 * link or place, the organiser's first.
 */
export function meetingPlace(
  settings: BookingSettings,
  ids: number[],
  data: Map<number, MemberSlotData>,
): { format: MeetingFormat; location: string | null } {
  const formats = ids.map((id) => data.get(id)?.format ?? 'any');
  const format = FORMAT_ORDER.find((f) => formats.every((x) => x === f || x === 'any')) ?? 'video';
  const own = (key: 'videoLink' | 'place') =>
    ids.map((id) => data.get(id)?.[key]).find((v): v is string => Boolean(v)) ?? null;
  if (format === 'video') {
    if (settings.video === 'fixed' && settings.videoLink) return { format, location: settings.videoLink };
    if (settings.video === 'template' && settings.videoLink) {
      // crypto, not the seedable source: the room must be unguessable (72 random bits)
      return { format, location: settings.videoLink.replace('{random}', randomBytes(9).toString('base64url')) };
    }
    return { format, location: own('videoLink') };
  }
  if (format === 'in-person') return { format, location: own('place') };
  return { format, location: 'Phone call' };
}

export interface BookingInviteInput {
  booking: BookingRow;
  people: Person[];
  programName: string;
  groupName: string;
  organiserTz: string;
  stamp: Date;
}

/** The booking as a calendar event: stable UID, its sequence, UTC times, partners and pitches, the place. */
export function bookingEvent(i: BookingInviteInput): InviteEvent {
  const names = i.people.map((p) => p.member.displayName);
  const lines = i.people.map((p) => `${p.member.displayName} (${p.profile.business}): ${oneLine(p.profile.pitch)}`);
  const format = (i.booking.format ?? 'any') as MeetingFormat;
  return {
    uid: i.booking.uid,
    sequence: i.booking.sequence,
    start: i.booking.startsAt!,
    end: i.booking.endsAt!,
    title: `1-to-1: ${names.join(' & ')}`,
    description: [
      `${i.programName} 1-to-1 in ${i.groupName}, ${FORMAT_WORDS[format]}.`,
      ...lines,
      'Booked with Roundtable: reschedule or cancel with the buttons in your chat.',
    ].join('\n'),
    location: i.booking.location,
    organiser: person(i.people[0]!),
    attendees: i.people.map(person),
    timezone: i.organiserTz,
    stamp: i.stamp,
  };
}

const person = (p: Person) => ({ name: p.member.displayName, email: p.profile.email, memberId: p.member.id });

/** Reschedule and Cancel: on every confirmation and reminder until the meeting starts. */
export const changeButtons = (bookingId: number): Button[] => [
  { label: 'Reschedule', action: { command: BOOKING_ACTIONS, action: 'reschedule', arg: String(bookingId) } },
  { label: 'Cancel', action: { command: BOOKING_ACTIONS, action: 'cancel', arg: String(bookingId) }, style: 'danger' },
];

export type ConfirmKind = 'booked' | 'moved' | 'cancelled';

/** Each member's private confirmation, in their own zone, with the invite (or its cancellation) attached. */
export function confirmations(
  event: InviteEvent,
  people: Person[],
  zoneOf: (memberId: number) => string,
  kind: ConfirmKind,
  by: { id: number; name: string },
  bookingId: number,
  previousStart?: Date,
): OutgoingMessage[] {
  const minutes = Math.round((event.end.getTime() - event.start.getTime()) / 60_000);
  const details = `${minutes}-minute 1-to-1 booked with Roundtable.`;
  return people.map((p) => {
    const tz = zoneOf(p.member.id);
    const others = people.filter((o) => o.member.id !== p.member.id).map((o) => o.member.displayName);
    const when = `${dayTime(event.start, tz)} (${minutes} min, ${tz})`;
    const who = by.id === p.member.id ? 'you' : by.name;
    const text =
      kind === 'booked'
        ? `Booked by ${who}: your 1-to-1 with ${others.join(' and ')}, ${when}. The invite is attached: open it to add it to your calendar.`
        : kind === 'moved'
          ? `Rescheduled by ${who}: your 1-to-1 with ${others.join(' and ')} moves from ${dayTime(previousStart!, tz)} to ${when}. The updated invite is attached.`
          : `Cancelled by ${who}: your 1-to-1 with ${others.join(' and ')} on ${dayTime(event.start, tz)} is off. The attached cancellation removes it from your calendar.`;
    const content: Content = {
      text,
      attachments: [inviteAttachment(event, kind === 'cancelled' ? 'CANCEL' : 'REQUEST')],
      ...(kind === 'cancelled'
        ? {}
        : {
            card: {
              title: event.title,
              fields: [
                { label: 'Where', value: event.location ?? 'Agree the place or link in your conversation.' },
                { label: 'Add to Google Calendar', value: googleCalendarLink(event, details) },
                { label: 'Add to Outlook', value: outlookLink(event, details) },
              ],
            },
            buttons: changeButtons(bookingId),
          }),
    };
    return { target: { kind: 'dm', memberId: p.member.id }, content };
  });
}
