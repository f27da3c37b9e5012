import { z } from 'zod';
import { defineCommand, type HandlerContext } from '../src/commands/define.js';
import { pairingScope, programScope } from '../src/commands/object-scopes.js';
import { memberOption } from '../src/commands/options.js';
import { getMembership } from '../src/communities/community-repo.js';
import { UserError } from '../src/errors.js';
import { parseLocalDate } from '../src/meetings/calendar.js';
import type { Reply } from '../src/messages.js';
import { formatDay, formatLocal, zonedTime } from '../src/pairing/cadence.js';
import { answerCheckIn, memberGroup, recordOutcome } from '../src/pairing/check-ins.js';
import { currentPairings } from '../src/pairing/pairing-reports.js';
import {
  addExclusion,
  getEnrollment,
  getProgram,
  listPrograms,
  type ProgramRow,
  programGroup,
  removeExclusion,
  resolveProgram,
  setEnrollment,
} from '../src/pairing/program-repo.js';
import { requestRematch } from '../src/pairing/rematch.js';

const program = z.string().trim().min(1).max(60).optional().describe('Pairing program, when the group runs several');

/** True when the member is in the program's next round unless they snooze or skip. */
async function isIn(ctx: HandlerContext, p: ProgramRow): Promise<boolean> {
  const e = await getEnrollment(ctx.db, p.id, ctx.actor.id);
  return p.enrollment === 'everyone' ? !e || e.status === 'in' : e?.status === 'in';
}

async function requireIn(ctx: HandlerContext, p: ProgramRow): Promise<void> {
  if (!(await isIn(ctx, p))) {
    throw new UserError('bad_option', `You are not taking part in ${p.name}.`, 'Join with /pair join');
  }
}

/** Joins (or rejoins) a program; a button may come from a DM, so the program's own group is checked, not the channel's. */
async function join(ctx: HandlerContext, p: ProgramRow): Promise<Reply> {
  const group = await programGroup(ctx.db, p);
  const membership = await getMembership(ctx.db, p.groupId, ctx.actor.id);
  if (!group || membership?.status !== 'active') {
    throw new UserError(
      'forbidden',
      `Only members of ${group?.name ?? 'the group'} take part in its pairing.`,
      'Introduce yourself with /intro first.',
    );
  }
  await setEnrollment(
    ctx.db,
    p.id,
    ctx.actor.id,
    { status: 'in', snoozedUntil: null, skipNext: false },
    ctx.clock.now(),
  );
  const next = p.active && p.nextRunAt ? ` The next round starts ${formatLocal(p.nextRunAt, group.timezone)}.` : '';
  return {
    text: `You are in ${p.name}: I will pair you with another member each round.${next}`,
    visibility: 'private',
  };
}

export const pairJoin = defineCommand({
  name: 'pair join',
  description: 'Take part in 1-to-1 pairing rounds (also ends a pause or snooze)',
  access: 'member',
  options: z.object({ program }),
  run: async (ctx) => join(ctx, await resolveProgram(ctx.db, ctx.requireGroup(), ctx.options.program)),
});

export const pairLeave = defineCommand({
  name: 'pair leave',
  description: 'Stop taking part in pairing rounds',
  access: 'member',
  options: z.object({ program }),
  async run(ctx) {
    const p = await resolveProgram(ctx.db, ctx.requireGroup(), ctx.options.program);
    await setEnrollment(ctx.db, p.id, ctx.actor.id, { status: 'out', skipNext: false }, ctx.clock.now());
    return { text: `You have left ${p.name}. Come back any time with /pair join.`, visibility: 'private' };
  },
});

export const pairSnooze = defineCommand({
  name: 'pair snooze',
  description: 'Pause pairing for a few weeks or until a date',
  access: 'member',
  options: z.object({
    weeks: z.number().int().min(1).max(52).optional().describe('How many weeks to pause'),
    until: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date such as 2026-03-01' })
      // 2026-02-31 is refused, never rolled over into March.
      .refine((v) => parseLocalDate(v) !== null, {
        message: 'is not a day of the calendar: that month has no such day',
      })
      .optional()
      .describe('Pause until this date, YYYY-MM-DD'),
    program,
  }),
  examples: ['/pair snooze weeks:2', '/pair snooze until:2026-03-01'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const p = await resolveProgram(ctx.db, group, ctx.options.program);
    const { weeks, until } = ctx.options;
    if ((weeks === undefined) === (until === undefined)) {
      throw new UserError(
        'bad_option',
        'Give either weeks or until.',
        'Example: /pair snooze weeks:2 or /pair snooze until:2026-03-01',
      );
    }
    await requireIn(ctx, p);
    const now = ctx.clock.now();
    let end: Date;
    if (weeks !== undefined) end = new Date(now.getTime() + weeks * 7 * 86_400_000);
    else {
      const [y, mo, d] = until!.split('-').map(Number) as [number, number, number];
      end = zonedTime({ y, mo, d, h: 0, mi: 0 }, group.timezone);
      if (Number.isNaN(end.getTime()) || end <= now)
        throw new UserError('bad_option', 'The date must be in the future.');
    }
    await setEnrollment(ctx.db, p.id, ctx.actor.id, { snoozedUntil: end }, now);
    return {
      text: `Snoozed: no ${p.name} rounds for you until ${formatDay(end, group.timezone)}. /pair join ends the snooze early.`,
      visibility: 'private',
    };
  },
});

export const pairSkip = defineCommand({
  name: 'pair skip',
  description: 'Sit out the next pairing round only',
  access: 'member',
  options: z.object({ program }),
  async run(ctx) {
    const p = await resolveProgram(ctx.db, ctx.requireGroup(), ctx.options.program);
    await requireIn(ctx, p);
    await setEnrollment(ctx.db, p.id, ctx.actor.id, { skipNext: true }, ctx.clock.now());
    return {
      text: `You will sit out the next round of ${p.name} and be back for the one after.`,
      visibility: 'private',
    };
  },
});

export const pairExclude = defineCommand({
  name: 'pair exclude',
  description: 'Never be paired with a member (confidential: nobody is told)',
  access: 'member',
  options: z.object({
    member: memberOption('The member you never want to be paired with'),
    undo: z.boolean().optional().describe('Remove this exclusion again'),
  }),
  examples: ['/pair exclude member:@bob'],
  async run(ctx) {
    const other = await ctx.resolveMember(ctx.options.member);
    if (other.id === ctx.actor.id) throw new UserError('bad_option', 'You are never paired with yourself.');
    if (ctx.options.undo) {
      await removeExclusion(ctx.db, ctx.actor.id, other.id);
      return {
        text: `Done: ${other.displayName} may be paired with you again. Nobody was told.`,
        visibility: 'private',
      };
    }
    await addExclusion(ctx.db, ctx.community.id, ctx.actor.id, other.id);
    return {
      text: `Done: you will never be paired with ${other.displayName}. This stays between you and the bot; nobody else is told. Undo with /pair exclude member:… undo:true.`,
      visibility: 'private',
    };
  },
});

export const pairStatus = defineCommand({
  name: 'pair status',
  description: 'Your pairing programs, snooze and this round’s partners',
  access: 'member',
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    const programs = await listPrograms(ctx.db, group.id);
    if (programs.length === 0) return { text: `${group.name} has no pairing program yet.`, visibility: 'private' };
    const now = ctx.clock.now();
    const current = await currentPairings(
      ctx.db,
      ctx.actor.id,
      programs.map((p) => p.id),
    );
    const items: string[] = [];
    for (const p of programs) {
      const e = await getEnrollment(ctx.db, p.id, ctx.actor.id);
      let state = (await isIn(ctx, p))
        ? 'in'
        : e?.status === 'paused'
          ? 'paused (run /pair join to come back)'
          : 'not taking part';
      if (e?.snoozedUntil && e.snoozedUntil > now)
        state += `, snoozed until ${formatDay(e.snoozedUntil, group.timezone)}`;
      if (e?.skipNext) state += ', skipping the next round';
      const mine = current.filter((c) => c.round.programId === p.id && c.partners.length);
      const with_ = mine.map((c) => ` — round ${c.round.number}: with ${c.partners.join(' and ')}`).join('');
      items.push(`${p.name}: ${state}${with_}`);
    }
    return { text: 'Your pairing:', list: { items }, visibility: 'private' };
  },
  actions: {
    met: { access: 'member', scope: pairingScope, run: (ctx) => answerCheckIn(ctx, ctx.arg, 'met') },
    scheduled: { access: 'member', scope: pairingScope, run: (ctx) => answerCheckIn(ctx, ctx.arg, 'scheduled') },
    couldnt: { access: 'member', scope: pairingScope, run: (ctx) => answerCheckIn(ctx, ctx.arg, 'couldnt') },
    outcome: { access: 'member', scope: pairingScope, run: (ctx) => recordOutcome(ctx, ctx.arg) },
    rematch: { access: 'member', scope: pairingScope, run: (ctx) => requestRematch(ctx, ctx.arg) },
    norematch: {
      access: 'member',
      scope: pairingScope,
      async run(ctx) {
        await memberGroup(ctx, ctx.arg);
        return { text: 'No rematch: see you next round.', replaceOriginal: true, visibility: 'private' };
      },
    },
    /** The Join button of a program's announcement and of a pause notice. */
    join: {
      access: 'member',
      scope: programScope,
      async run(ctx) {
        const p = await getProgram(ctx.db, ctx.community.id, Number(ctx.arg));
        if (!p) throw new UserError('not_found', 'That pairing program no longer exists.');
        return join(ctx, p);
      },
    },
  },
});
