import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { pairingEnrollments, pairingPrograms } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import type { WEEKDAYS } from '../groups/group-settings.js';
import type { Card } from '../messages.js';
import { type Cadence, CadenceError, describeCadence, formatLocal, nextSlot, parseCadence } from './cadence.js';
import { cadenceOf, findProgram, listPrograms, type ProgramRow, seedStarters } from './program-repo.js';

export const MODES = ['standard', 'cross-category', 'mentor-mentee', 'power-team'] as const;
export const ENROLLMENTS = ['opt-in', 'everyone'] as const;

export interface ProgramInput {
  name?: string;
  cadence?: string;
  day?: (typeof WEEKDAYS)[number];
  time?: string;
  size?: 2 | 3 | 4;
  mode?: (typeof MODES)[number];
  mentorCapacity?: number;
  enrollment?: (typeof ENROLLMENTS)[number];
  channelRef?: string;
  active?: boolean;
}

const DEFAULT_NAME = '1-to-1s';
const CRON_DAYS: (typeof WEEKDAYS)[number][] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

/** The cadence after a change: a new cadence, or the same named cadence on another day or at another time. */
function nextCadence(existing: ProgramRow | null, input: ProgramInput): Cadence | null {
  if (input.cadence === undefined && input.day === undefined && input.time === undefined) return null;
  const old = existing ? cadenceOf(existing) : null;
  const kind = input.cadence ?? old?.kind ?? 'weekly';
  if (kind === 'cron' && input.cadence === undefined) {
    throw new UserError(
      'bad_option',
      'This program runs on a cron schedule: give the whole cadence, e.g. cadence:"0 9 * * 1".',
    );
  }
  const [m, h, , , dow] = (old && old.kind !== 'cron' ? old.cron : '0 9 * * 1').split(' ') as string[];
  const day = input.day ?? CRON_DAYS[Number(dow!.split('#')[0])] ?? 'monday';
  const time = input.time ?? `${h!.padStart(2, '0')}:${m!.padStart(2, '0')}`;
  try {
    return parseCadence(kind, day, time);
  } catch (err) {
    if (err instanceof CadenceError) {
      throw new UserError(
        'bad_option',
        err.message,
        'Use weekly, biweekly, monthly or a cron such as cadence:"0 9 * * 1".',
      );
    }
    throw err;
  }
}

/**
 * /pair setup: creates a program (the group's first one also gets the default conversation starters) or changes
 * one. The next slot is recomputed whenever the cadence changes or the program is switched back on.
 */
export async function setupProgram(
  db: Db,
  group: GroupRow,
  input: ProgramInput,
  now: Date,
): Promise<{ program: ProgramRow; created: boolean }> {
  let existing = input.name ? await findProgram(db, group.id, input.name) : null;
  if (!existing && !input.name) {
    const all = await listPrograms(db, group.id);
    if (all.length > 1) {
      throw new UserError(
        'bad_option',
        'Which program? Give its name with name:.',
        `Programs: ${all.map((p) => p.name).join(', ')}`,
      );
    }
    existing = all[0] ?? null;
  }
  const cadence = nextCadence(existing, input) ?? (existing ? cadenceOf(existing) : parseCadence('weekly'));
  const fields = {
    ...(input.size !== undefined ? { groupSize: input.size } : {}),
    ...(input.mode ? { mode: input.mode } : {}),
    ...(input.mentorCapacity !== undefined ? { mentorCapacity: input.mentorCapacity } : {}),
    ...(input.enrollment ? { enrollment: input.enrollment } : {}),
    ...(input.channelRef ? { channelRef: input.channelRef } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  if (existing) {
    const reschedule = nextCadence(existing, input) !== null || (input.active === true && !existing.active);
    const [program] = await db
      .update(pairingPrograms)
      .set({
        ...fields,
        cadence: cadence.kind,
        cron: cadence.cron,
        ...(reschedule ? { nextRunAt: nextSlot(cadence, group.timezone, now, existing.createdAt) } : {}),
      })
      .where(eq(pairingPrograms.id, existing.id))
      .returning();
    return { program: program!, created: false };
  }
  const [program] = await db
    .insert(pairingPrograms)
    .values({
      communityId: group.communityId,
      groupId: group.id,
      name: input.name ?? DEFAULT_NAME,
      cadence: cadence.kind,
      cron: cadence.cron,
      channelRef: group.homeChannelRef,
      ...fields,
      nextRunAt: nextSlot(cadence, group.timezone, now, now),
      createdAt: now,
    })
    .returning();
  await seedStarters(db, group.id);
  return { program: program!, created: true };
}

/** How many members a program counts as in (enrolled, or everyone not opted out). */
async function enrolledCount(db: Db, program: ProgramRow): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(pairingEnrollments)
    .where(
      and(
        eq(pairingEnrollments.programId, program.id),
        program.enrollment === 'everyone'
          ? sql`${pairingEnrollments.status} <> 'in'`
          : eq(pairingEnrollments.status, 'in'),
      ),
    );
  return row?.n ?? 0;
}

const MODE_TEXT: Record<string, string> = {
  standard: 'standard (anyone with anyone, new pairs first)',
  'cross-category': 'cross-category (never two members of one profession)',
  'mentor-mentee': 'mentor-mentee (mentors with members seeking one)',
  'power-team': 'power team (contact-sphere partners and seats that refer each other first)',
};

/** The card /pair setup and /pair settings show. */
export async function programCard(db: Db, program: ProgramRow, group: GroupRow): Promise<Card> {
  const n = await enrolledCount(db, program);
  // Mentor rounds put each mentor with their mentees; nobody is made into a trio, and a member without a free
  // mentor waits (the preview shows them unplaced), so the card must not promise pairs with a trio.
  const size =
    program.mode === 'mentor-mentee'
      ? `a mentor with up to ${program.mentorCapacity} mentee${program.mentorCapacity === 1 ? '' : 's'}; members left without a free mentor wait for the next round`
      : program.groupSize === 2
        ? 'pairs (a trio when the count is odd)'
        : `groups of ${program.groupSize}`;
  return {
    title: `${program.name} — pairing in ${group.name}`,
    fields: [
      { label: 'Cadence', value: `${describeCadence(cadenceOf(program))} (${group.timezone})` },
      {
        label: 'Next round',
        value:
          program.active && program.nextRunAt
            ? formatLocal(program.nextRunAt, group.timezone)
            : 'paused: only /pair start runs a round',
      },
      { label: 'Groups', value: size, inline: true },
      { label: 'Mode', value: MODE_TEXT[program.mode] ?? program.mode, inline: true },
      ...(program.mode === 'mentor-mentee'
        ? [{ label: 'Mentees per mentor', value: String(program.mentorCapacity), inline: true }]
        : []),
      {
        label: 'Who takes part',
        value:
          program.enrollment === 'everyone'
            ? `every introduced member (${n} opted out or paused)`
            : `members who join with /pair join (${n} so far)`,
      },
    ],
  };
}
