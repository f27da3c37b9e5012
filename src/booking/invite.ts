import type { ICalCalendar, ICalCalendarMethod } from 'ical-generator';
import { lazyRequire } from '../lazy-require.js';
import type { Attachment } from '../messages.js';

export interface InvitePerson {
  name: string;
  /** From their card; calendars need an address, so one on the reserved `.invalid` domain stands in (RFC 2606). */
  email?: string | null;
  memberId: number;
}

export interface InviteEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  title: string;
  description: string;
  location?: string | null;
  organiser: InvitePerson;
  attendees: InvitePerson[];
  /** The organiser's IANA zone, named in X-WR-TIMEZONE; the times themselves are UTC. */
  timezone: string;
  /** When the invite was made (DTSTAMP): the clock's time, so tests and replays are exact. */
  stamp: Date;
}

const icalGenerator = lazyRequire<typeof import('ical-generator')>('ical-generator');

const address = (p: InvitePerson) => p.email || `member-${p.memberId}@roundtable.invalid`;

function calendar(method: ICalCalendarMethod, name: string, timezone: string) {
  const cal = icalGenerator().default({
    name,
    method,
    prodId: { company: 'Roundtable', product: 'Roundtable', language: 'EN' },
  });
  // The zone is named without a VTIMEZONE: every time is UTC ("Z"), which every calendar reads the same way.
  cal.x([['X-WR-TIMEZONE', timezone]]);
  return cal;
}

function addEvent(cal: ICalCalendar, e: InviteEvent, cancelled: boolean) {
  cal.createEvent({
    id: e.uid,
    sequence: e.sequence,
    stamp: e.stamp,
    start: e.start,
    end: e.end,
    summary: e.title,
    description: e.description,
    location: e.location ?? null,
    status: cancelled ? icalGenerator().ICalEventStatus.CANCELLED : icalGenerator().ICalEventStatus.CONFIRMED,
    organizer: { name: e.organiser.name, email: address(e.organiser) },
    attendees: e.attendees.map((p) => ({ name: p.name, email: address(p), rsvp: false })),
  });
}

/** An RFC 5545 invitation (METHOD:REQUEST), or its cancellation (METHOD:CANCEL, STATUS:CANCELLED), as text. */
export function inviteText(e: InviteEvent, method: 'REQUEST' | 'CANCEL'): string {
  const cal = calendar(icalGenerator().ICalCalendarMethod[method], e.title, e.timezone);
  addEvent(cal, e, method === 'CANCEL');
  return cal.toString();
}

/** The invite as a file for a message; `text/calendar` with its method, as mail clients expect (RFC 6047 §2.4). */
export function inviteAttachment(e: InviteEvent, method: 'REQUEST' | 'CANCEL', filename = 'invite.ics'): Attachment {
  return {
    filename,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    data: new TextEncoder().encode(inviteText(e, method)),
    description: method === 'REQUEST' ? 'Calendar invite' : 'Calendar cancellation',
  };
}

/** A subscription feed of several events (METHOD:PUBLISH, the form calendar subscriptions read). */
export function feedText(name: string, timezone: string, events: (InviteEvent & { cancelled?: boolean })[]): string {
  const cal = calendar(icalGenerator().ICalCalendarMethod.PUBLISH, name, timezone);
  for (const e of events) addEvent(cal, e, Boolean(e.cancelled));
  return cal.toString();
}

const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
/** Calendar links carry little (a URL must stay short): the title, times, place and a short line. */
const short = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** "Add to Google Calendar": the event-template URL Google documents for adding an event. */
export function googleCalendarLink(e: Pick<InviteEvent, 'title' | 'start' | 'end' | 'location'>, details: string) {
  const q = new URLSearchParams({
    action: 'TEMPLATE',
    text: short(e.title, 80),
    dates: `${compact(e.start)}/${compact(e.end)}`,
    details: short(details, 160),
    ...(e.location ? { location: short(e.location, 200) } : {}),
  });
  return `https://calendar.google.com/calendar/render?${q}`;
}

/** "Add to Outlook": Outlook on the web's compose deep link. */
export function outlookLink(e: Pick<InviteEvent, 'title' | 'start' | 'end' | 'location'>, details: string) {
  const q = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: short(e.title, 80),
    startdt: e.start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    enddt: e.end.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    body: short(details, 160),
    ...(e.location ? { location: short(e.location, 200) } : {}),
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${q}`;
}
