import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { bookings, groups, pairingGroups, pairingPrograms, pairingRounds } from '../../db/schema.js';
import type { OutboxMessage } from '../delivery/outbox.js';
import { afterQuietHours } from '../delivery/quiet-hours.js';
import { groupPeople } from '../pairing/check-ins.js';
import { PAIR_ACTIONS } from '../pairing/round-messages.js';
import { defineJobKind } from '../scheduler/job-kinds.js';
import { cancelJobs, scheduleJob } from '../scheduler/jobs-repo.js';
import { changeButtons } from './booking-invite.js';
import { HOLDING, memberSlotData } from './booking-repo.js';
import { dayTime } from './proposals.js';

const MIN = 60_000;
/** The reminder comes this long before the start; the check-in this long after the end. */
export const REMIND_BEFORE_MS = 60 * MIN;
export const CHECK_IN_AFTER_MS = 15 * MIN;

/** Every job of a booking has a dedupe key under this prefix, so a change cancels them all at once. */
export const jobPrefix = (bookingId: number) => `booking:${bookingId}:`;

/**
 * When a member's reminder goes: an hour before, or, when that falls in their quiet hours, at the last quarter hour
 * before the quiet hours began (the evening before an early meeting). Null when that moment has already passed.
 */
export function reminderAt(start: Date, tz: string, quiet: { start: string; end: string }, now: Date): Date | null {
  let t = start.getTime() - REMIND_BEFORE_MS;
  for (let i = 0; i < 96 && afterQuietHours(new Date(t), tz, quiet).getTime() !== t; i++) t -= 15 * MIN;
  return t > now.getTime() ? new Date(t) : null;
}

/** Replaces a booking's pending reminders and check-in with ones for its current time and sequence. */
export async function scheduleFollowUps(
  db: Db,
  b: { id: number; communityId: number; groupId: number; sequence: number; startsAt: Date; endsAt: Date },
  memberIds: number[],
  groupTz: string,
  now: Date,
): Promise<void> {
  await cancelJobs(db, jobPrefix(b.id));
  const data = await memberSlotData(db, memberIds, groupTz);
  const base = { communityId: b.communityId, groupId: b.groupId };
  for (const id of memberIds) {
    const d = data.get(id);
    const at = d && reminderAt(b.startsAt, d.tz, d.quiet, now);
    if (!at) continue;
    await scheduleJob(db, {
      ...base,
      kind: bookingReminderJob.kind,
      runAt: at,
      payload: { bookingId: b.id, sequence: b.sequence, memberId: id },
      dedupeKey: `${jobPrefix(b.id)}${b.sequence}:remind:${id}`,
    });
  }
  await scheduleJob(db, {
    ...base,
    kind: bookingCheckInJob.kind,
    runAt: new Date(b.endsAt.getTime() + CHECK_IN_AFTER_MS),
    payload: { bookingId: b.id, sequence: b.sequence },
    dedupeKey: `${jobPrefix(b.id)}${b.sequence}:check-in`,
  });
}

const payload = z.object({
  bookingId: z.number().int(),
  sequence: z.number().int(),
  memberId: z.number().int().optional(),
});

/** The booking a job is for, only while it still holds the time the job was scheduled for. */
async function current(db: Db, p: z.infer<typeof payload>) {
  const [row] = await db
    .select({ b: bookings, program: pairingPrograms, group: groups, round: pairingRounds })
    .from(bookings)
    .innerJoin(pairingGroups, eq(pairingGroups.id, bookings.pairingGroupId))
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
    .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
    .innerJoin(groups, eq(groups.id, bookings.groupId))
    .where(
      and(eq(bookings.id, p.bookingId), eq(bookings.sequence, p.sequence), inArray(bookings.status, [...HOLDING])),
    );
  return row?.b.startsAt && row.b.endsAt ? row : null;
}

/** An hour before a booked 1-to-1 (earlier when that is in the member's quiet hours): who, when, where. */
export const bookingReminderJob = defineJobKind({
  kind: 'booking.reminder',
  payload,
  async run(job, ctx) {
    const row = await current(ctx.db, job.payload);
    const memberId = job.payload.memberId;
    if (!row || memberId === undefined || row.b.startsAt! <= ctx.now) return;
    const people = await groupPeople(ctx.db, row.b.pairingGroupId);
    const tz = (await memberSlotData(ctx.db, [memberId], row.group.timezone)).get(memberId)?.tz ?? row.group.timezone;
    const others = people.filter((p) => p.member.id !== memberId).map((p) => p.member.displayName);
    const soon = row.b.startsAt!.getTime() - ctx.now.getTime() <= REMIND_BEFORE_MS + MIN;
    const message: OutboxMessage = {
      target: { kind: 'dm', memberId },
      idempotencyKey: `${jobPrefix(row.b.id)}${row.b.sequence}:remind:${memberId}`,
      // the time was chosen around the member's quiet hours already; holding it back would make it late
      quietHours: false,
      // a reminder of a 1-to-1 that has begun is late news: one held past the start (a paused platform) is dropped
      validUntil: row.b.startsAt!,
      content: {
        text: `${soon ? 'In an hour' : 'Coming up'}: your 1-to-1 with ${others.join(' and ')}, ${dayTime(row.b.startsAt!, tz)} (${tz}).${row.b.location ? ` Where: ${row.b.location}` : ''}`,
        buttons: changeButtons(row.b.id),
      },
    };
    await ctx.send([message]);
  },
});

/** Shortly after a booked 1-to-1 ends: "Did you meet?" in the pair's conversation, with the pairing's outcome buttons. */
export const bookingCheckInJob = defineJobKind({
  kind: 'booking.check-in',
  payload,
  async run(job, ctx) {
    const row = await current(ctx.db, job.payload);
    if (!row) return;
    await ctx.db.update(bookings).set({ status: 'done', updatedAt: ctx.now }).where(eq(bookings.id, row.b.id));
    const people = await groupPeople(ctx.db, row.b.pairingGroupId);
    if (people.length < 2) return;
    const arg = String(row.b.pairingGroupId);
    const names = people.map((p) => p.member.displayName);
    const message: OutboxMessage = {
      target: {
        kind: 'conversation',
        memberIds: people.map((p) => p.member.id),
        channelRef: row.program.channelRef,
        title: `${row.program.name}: ${names.join(', ')}`,
      },
      idempotencyKey: `${jobPrefix(row.b.id)}${row.b.sequence}:check-in`,
      content: {
        text: `Your 1-to-1 of ${dayTime(row.b.startsAt!, row.group.timezone)} (${row.group.timezone}) should be over: did you meet?`,
        buttons: [
          { label: 'Met', action: { command: PAIR_ACTIONS, action: 'met', arg }, style: 'primary' },
          { label: "Couldn't", action: { command: PAIR_ACTIONS, action: 'couldnt', arg } },
        ],
      },
    };
    await ctx.send([message]);
  },
});

export const bookingJobKinds = [bookingReminderJob, bookingCheckInJob];
