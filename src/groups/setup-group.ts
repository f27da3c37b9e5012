import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { groups } from '../../db/schema.js';
import { upsertMembership } from '../communities/community-repo.js';
import type { GroupRow, MemberRow } from '../communities/rows.js';
import { userError } from '../errors.js';
import {
  defaultSettings,
  type GroupSettings,
  type GroupType,
  type MeetingRhythm,
  meetingRhythmSchema,
  readSettings,
} from './group-settings.js';

export interface SetupInput {
  name?: string;
  type?: GroupType;
  timezone?: string;
  meetingFrequency?: MeetingRhythm['frequency'];
  meetingDay?: MeetingRhythm['day'];
  meetingTime?: string;
  place?: string;
  oneSeat?: boolean;
  approval?: boolean;
  introChannelRef?: string;
  description?: string;
}

function mergeSettings(base: GroupSettings, input: SetupInput): GroupSettings {
  const next: GroupSettings = { ...base };
  if (input.oneSeat !== undefined) next.oneSeatPerCategory = input.oneSeat;
  if (input.approval !== undefined) next.requiresApproval = input.approval;
  if (input.description !== undefined) next.description = input.description;
  const touchesMeeting =
    input.meetingDay !== undefined ||
    input.meetingTime !== undefined ||
    input.meetingFrequency !== undefined ||
    input.place !== undefined;
  if (touchesMeeting) {
    const candidate = {
      frequency: input.meetingFrequency ?? base.meeting?.frequency ?? 'weekly',
      day: input.meetingDay ?? base.meeting?.day,
      time: input.meetingTime ?? base.meeting?.time,
      place: input.place ?? base.meeting?.place,
    };
    const parsed = meetingRhythmSchema.safeParse(candidate);
    if (!parsed.success) {
      throw userError.badOption(
        'A meeting needs a day and a time (24-hour HH:MM).',
        'Example: /setup meeting_day:tuesday meeting_time:07:30 place:"Cafe Rio"',
      );
    }
    next.meeting = parsed.data;
  }
  return next;
}

/**
 * Creates the group bound to `channelRef` (its creator becomes moderator) or updates it. Changing the type
 * re-applies that type's defaults before the explicit options, so a chamber turned referral group gets seats.
 */
export async function setupGroup(
  db: Db,
  args: {
    communityId: number;
    channelRef: string;
    existing: GroupRow | null;
    actor: MemberRow;
    defaultName: string;
    defaultTimezone: string;
    defaultIntroChannel: string;
    /** The Clock's time: a new group's schedules count from its creation. */
    now?: Date;
  },
  input: SetupInput,
): Promise<{ group: GroupRow; created: boolean }> {
  if (args.existing) {
    const g = args.existing;
    const base =
      input.type && input.type !== g.type
        ? { ...readSettings(g.settings), ...defaultSettings(input.type), meeting: readSettings(g.settings).meeting }
        : readSettings(g.settings);
    const settings = mergeSettings(base, input);
    const [group] = await db
      .update(groups)
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.type ? { type: input.type } : {}),
        ...(input.timezone ? { timezone: input.timezone } : {}),
        ...(input.introChannelRef ? { introChannelRef: input.introChannelRef } : {}),
        settings,
      })
      .where(eq(groups.id, g.id))
      .returning();
    return { group: group!, created: false };
  }
  const type = input.type ?? 'peer';
  const settings = mergeSettings(defaultSettings(type), input);
  const [group] = await db
    .insert(groups)
    .values({
      communityId: args.communityId,
      name: input.name ?? args.defaultName,
      type,
      homeChannelRef: args.channelRef,
      introChannelRef: input.introChannelRef ?? args.defaultIntroChannel,
      timezone: input.timezone ?? args.defaultTimezone,
      settings,
      ...(args.now ? { createdAt: args.now } : {}),
    })
    .onConflictDoNothing()
    .returning();
  if (!group)
    throw userError.conflict(
      `A group named “${input.name ?? args.defaultName}” already exists here.`,
      'Choose another name, e.g. /setup name:"North Chapter"',
    );
  await upsertMembership(db, {
    groupId: group.id,
    memberId: args.actor.id,
    communityId: args.communityId,
    role: 'moderator',
    status: 'active',
    ...(args.now ? { joinedAt: args.now } : {}),
  });
  return { group, created: true };
}
