import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { channelOption, memberOption } from '../src/commands/options.js';
import { UserError } from '../src/errors.js';
import { WEEKDAYS } from '../src/groups/group-settings.js';
import { describeCadence } from '../src/pairing/cadence.js';
import { pairingHistoryReport, pairingStats } from '../src/pairing/pairing-reports.js';
import { addStarter, cadenceOf, listStarters, removeStarter, resolveProgram } from '../src/pairing/program-repo.js';
import { ENROLLMENTS, MODES, programCard, setupProgram } from '../src/pairing/programs.js';
import { PAIR_ACTIONS, plural } from '../src/pairing/round-messages.js';
import { planRound } from '../src/pairing/round-plan.js';
import { startRound } from '../src/pairing/round-run.js';
import { explainPowerGroups } from '../src/powerteam/pairing-input.js';

const program = z.string().trim().min(1).max(60).optional().describe('Pairing program, when the group runs several');

export const pairSetup = defineCommand({
  name: 'pair setup',
  description: 'Create or change a pairing program: cadence, group size, mode, who takes part',
  access: 'moderator',
  options: z.object({
    name: z.string().trim().min(2).max(60).optional().describe('Program name, e.g. "Coffee"'),
    cadence: z
      .string()
      .trim()
      .min(5)
      .max(60)
      .optional()
      .describe('weekly, biweekly, monthly, or a cron such as "0 9 * * 1"'),
    day: z.enum(WEEKDAYS).optional().describe('Day of the round (weekly, biweekly, monthly: its first such day)'),
    time: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time such as 09:00' })
      .optional()
      .describe('Time of the round, 24-hour HH:MM, in the group’s time zone'),
    size: z.number().int().min(2).max(4).optional().describe('Members per group: 2 (default), 3 or 4'),
    mode: z.enum(MODES).optional().describe('standard, cross-category, mentor-mentee or power-team'),
    mentor_capacity: z.number().int().min(1).max(10).optional().describe('Mentees per mentor in a round'),
    who: z.enum(ENROLLMENTS).optional().describe('opt-in (members join) or everyone'),
    channel: channelOption('Channel for the round’s threads and notices').optional(),
    active: z.boolean().optional().describe('Run rounds on the cadence (false: only /pair start)'),
  }),
  examples: ['/pair setup name:Coffee cadence:weekly day:monday time:09:00', '/pair setup cadence:"0 8 * * 2" size:3'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const o = ctx.options;
    const { program: p, created } = await setupProgram(
      ctx.db,
      group,
      {
        name: o.name,
        cadence: o.cadence,
        day: o.day,
        time: o.time,
        size: o.size as 2 | 3 | 4 | undefined,
        mode: o.mode,
        mentorCapacity: o.mentor_capacity,
        enrollment: o.who,
        channelRef: o.channel,
        active: o.active,
      },
      ctx.clock.now(),
    );
    if (created) {
      ctx.send({
        target: { kind: 'channel', channelRef: p.channelRef },
        content: {
          text: `New in ${group.name}: ${p.name}, 1-to-1 meetings ${describeCadence(cadenceOf(p))}. ${
            p.enrollment === 'everyone'
              ? 'Every introduced member takes part; /pair leave to opt out.'
              : 'Join with /pair join or the button.'
          }`,
          ...(p.enrollment === 'opt-in'
            ? {
                buttons: [
                  {
                    label: 'Join',
                    action: { command: PAIR_ACTIONS, action: 'join', arg: String(p.id) },
                    style: 'primary' as const,
                  },
                ],
              }
            : {}),
        },
      });
    }
    return {
      text: created ? `Pairing program “${p.name}” is set up.` : `Pairing program “${p.name}” updated.`,
      card: await programCard(ctx.db, p, group),
      visibility: 'private',
    };
  },
});

export const pairSettings = defineCommand({
  name: 'pair settings',
  description: 'Show a pairing program’s settings (change them with /pair setup)',
  access: 'moderator',
  options: z.object({ program }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const p = await resolveProgram(ctx.db, group, ctx.options.program);
    const starters = await listStarters(ctx.db, group.id);
    return {
      text: `Change any of these with /pair setup name:"${p.name}" …; conversation starters with /pair starters.`,
      card: await programCard(ctx.db, p, group),
      list: { title: `Conversation starters (${starters.length})`, items: starters.map((s) => s.text) },
      visibility: 'private',
    };
  },
});

export const pairPreview = defineCommand({
  name: 'pair preview',
  description: 'Dry run: the next round’s groups, shown only to you; nothing is recorded or sent',
  access: 'moderator',
  options: z.object({ program }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const p = await resolveProgram(ctx.db, group, ctx.options.program);
    const plan = await planRound(ctx.db, p, group, ctx.clock.now());
    const name = (id: number) => plan.people.get(id)?.member.displayName ?? `member ${id}`;
    const why = p.mode === 'power-team' ? await explainPowerGroups(ctx.db, group, plan, ctx.clock.now()) : null;
    const items = [
      ...plan.result.groups.map((g) => `${g.map(name).join(' + ')}${why ? ` — ${why(g)}` : ''}`),
      ...plan.result.unplaced.map((u) => `${name(u.memberId)} unplaced: ${u.reason}`),
    ];
    return {
      text: `Preview of round ${plan.number} of ${p.name} (nothing is recorded; members are not told): ${plan.people.size} taking part, ${plural(plan.result.groups.length, 'group')}.`,
      list: { items: items.length ? items : ['Nobody is taking part yet.'] },
      visibility: 'private',
    };
  },
});

export const pairStart = defineCommand({
  name: 'pair start',
  description: 'Run a pairing round now (the schedule continues from it)',
  access: 'moderator',
  options: z.object({ program }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const p = await resolveProgram(ctx.db, group, ctx.options.program);
    const now = ctx.clock.now();
    const started = await startRound(
      ctx.db,
      p,
      group,
      now,
      { trigger: 'manual', slotKey: `manual:${now.toISOString()}` },
      ctx.send,
      ctx.log,
    );
    if (!started) throw new UserError('conflict', 'A round of this program was just started.', 'See /pair history.');
    const { plan } = started;
    if (plan.people.size === 0) {
      return {
        text: `Round ${plan.number} of ${p.name} ran, but nobody is taking part yet: members join with /pair join.`,
        visibility: 'private',
      };
    }
    return {
      text: `Round ${plan.number} of ${p.name} started: ${plural(plan.result.groups.length, 'group')}, ${plan.result.unplaced.length} unplaced. Everyone has their conversation.`,
      visibility: 'private',
    };
  },
});

export const pairHistory = defineCommand({
  name: 'pair history',
  description: 'Past rounds’ groups, or one member’s pairings',
  access: 'moderator',
  options: z.object({ member: memberOption('Only this member’s pairings').optional(), program }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const p = await resolveProgram(ctx.db, group, ctx.options.program);
    const m = ctx.options.member ? await ctx.resolveMember(ctx.options.member) : undefined;
    const report = await pairingHistoryReport(ctx.db, p, group, m);
    return { text: report.title, list: { items: report.items }, visibility: 'private' };
  },
});

export const pairStats = defineCommand({
  name: 'pair stats',
  description: 'Per round: groups, met rate, answers; and who never answers check-ins',
  access: 'moderator',
  options: z.object({ program }),
  async run(ctx) {
    const group = ctx.requireGroup();
    const p = await resolveProgram(ctx.db, group, ctx.options.program);
    const s = await pairingStats(ctx.db, p, group);
    return {
      text: `${p.name}: the last ${plural(s.items[0] === 'No rounds yet.' ? 0 : s.items.length, 'round')}`,
      list: { items: s.items },
      card: {
        title: 'Never answers a check-in',
        fields: [{ label: 'Members', value: s.neverAnswers.join(', ') || 'nobody' }],
      },
      visibility: 'private',
    };
  },
});

export const pairStarters = defineCommand({
  name: 'pair starters',
  description: 'List, add or remove the conversation starters of pairing rounds',
  access: 'moderator',
  options: z.object({
    add: z.string().trim().min(5).max(300).optional().describe('A new starter, e.g. "What brought you here?"'),
    remove: z.number().int().min(1).optional().describe('Number of the starter to remove (see the list)'),
  }),
  examples: ['/pair starters', '/pair starters add:"Who is your dream client?"', '/pair starters remove:3'],
  async run(ctx) {
    const group = ctx.requireGroup();
    let note = '';
    if (ctx.options.add) {
      await addStarter(ctx.db, group.id, ctx.options.add);
      note = 'Added. ';
    }
    if (ctx.options.remove !== undefined) {
      const list = await listStarters(ctx.db, group.id);
      const target = list[ctx.options.remove - 1];
      if (!target || !(await removeStarter(ctx.db, group.id, target.id))) {
        throw new UserError(
          'not_found',
          `There is no starter number ${ctx.options.remove}.`,
          'See the list: /pair starters',
        );
      }
      note += `Removed “${target.text}”. `;
    }
    const list = await listStarters(ctx.db, group.id);
    return {
      text: `${note}Conversation starters of ${group.name} (${list.length}); one is drawn for each group:`,
      list: { items: list.length ? list.map((s, i) => `${i + 1}. ${s.text}`) : ['none: pairs get no starter'] },
      visibility: 'private',
    };
  },
});
