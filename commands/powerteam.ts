import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { moderatorsOf } from '../src/communities/community-repo.js';
import { userError } from '../src/errors.js';
import type { Button, CardField, Reply } from '../src/messages.js';
import { type MemberAdvice, memberAdvice } from '../src/powerteam/advice.js';
import { askForOneToOne } from '../src/powerteam/ask-one-to-one.js';
import { loadNetwork } from '../src/powerteam/network.js';
import { ago } from '../src/powerteam/pairing-input.js';
import { networkPng, powerTeamReport, reportLayout } from '../src/powerteam/report.js';
import { addToSphere, loadSpheres, removeFromSphere } from '../src/powerteam/spheres.js';
import { aProfession, recordLead, wantedBoard } from '../src/powerteam/wanted.js';
import { PERIODS, periodLabel, periodStart } from '../src/referrals/periods.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{6,20}$/;
/** Lines per card field, and characters: Discord's field value holds 1,024, Slack's section 3,000. */
const FIELD_LINES = 8;
const FIELD_CHARS = 1000;
/** One-click buttons under /powerteam show; the rest go in a select (Discord: 25 options). */
const ASK_BUTTONS = 4;

const period = (fallback: (typeof PERIODS)[number]) =>
  z.enum(PERIODS).default(fallback).describe('Over which period: week, month, quarter, year or all');

/** Lines joined for a card field, cut to its limits with a count of what was left out. */
function field(label: string, lines: string[], empty: string): CardField {
  const shown: string[] = [];
  let size = 0;
  for (const l of lines) {
    if (shown.length === FIELD_LINES || size + l.length + 1 > FIELD_CHARS - 20) break;
    shown.push(l);
    size += l.length + 1;
  }
  const more = lines.length - shown.length;
  return { label, value: shown.length ? `${shown.join('\n')}${more ? `\n…and ${more} more` : ''}` : empty };
}

const money = (value: number, currency: string) => `${Math.round(value).toLocaleString('en-US')} ${currency}`;

function adviceReply(a: MemberAdvice, own: boolean, groupName: string, when: string, now: Date): Reply {
  const seat = (m: { name: string; category: string | null }) => `${m.name}${m.category ? ` (${m.category})` : ''}`;
  const flow = (c: MemberAdvice['referredBy'][number]) =>
    `${seat(c.member)}: ${c.slips} slip${c.slips === 1 ? '' : 's'}${c.thanks ? `, ${c.thanks} thank-you${c.thanks === 1 ? '' : 's'}` : ''}${c.value ? `, ${money(c.value, a.currency)} closed` : ''}`;
  const you = own ? 'you' : a.member.name;
  const fields: CardField[] = [
    {
      label: 'Contact spheres',
      value: a.spheres.length
        ? a.spheres.map((s) => `${s.label} (serves ${s.serves})`).join('\n')
        : `${a.member.category ?? 'No category'} is in no sphere yet: moderators add one with /powerteam sphere add.`,
    },
    field(
      `Sphere partners (${a.partners.length})`,
      a.partners.map(
        (p) => `${seat(p.member)}: ${p.lastOneToOne ? `last 1-to-1 ${ago(p.lastOneToOne, now)}` : 'no 1-to-1 yet'}`,
      ),
      'nobody in the group shares a sphere yet',
    ),
    field(
      `1-to-1 due (${a.due.length})`,
      a.due.map((p) => seat(p.member)),
      'none: you met every partner lately',
    ),
    field(`Refer to ${you} (${a.referredBy.length})`, a.referredBy.map(flow), 'nobody in this period'),
    field(
      `${own ? 'You refer' : `${a.member.name} refers`} to (${a.referredTo.length})`,
      a.referredTo.map(flow),
      'nobody in this period',
    ),
    field(
      `Clients overlap, no business yet (${a.overlaps.length})`,
      a.overlaps.map(
        (o) =>
          `${seat(o.member)}: the two professions passed ${o.affinity} slips${o.inGroup ? ` (${o.inGroup} here)` : ' in other groups'}`,
      ),
      'none found in the slips yet',
    ),
  ];
  // Whom to ask first: partners due a 1-to-1, then the overlaps.
  const suggested = [...a.due.map((p) => p.member), ...a.overlaps.map((o) => o.member)].filter(
    (m, k, all) => all.findIndex((x) => x.id === m.id) === k,
  );
  const buttons: Button[] = own
    ? suggested.slice(0, ASK_BUTTONS).map((m) => ({
        label: `Ask ${m.name} for a 1-to-1`.slice(0, 75),
        action: { command: 'powerteam show', action: 'ask', arg: String(m.id) },
      }))
    : [];
  const rest = own ? suggested.slice(ASK_BUTTONS, ASK_BUTTONS + 25) : [];
  return {
    text: `${own ? 'Your' : `${a.member.name}’s`} power team in ${groupName}, ${when}:`,
    card: {
      title: `Power team — ${seat(a.member)}`,
      fields,
      footer: 'Slips, thank-yous and 1-to-1s of this group; affinities are counts only.',
    },
    ...(buttons.length ? { buttons } : {}),
    ...(rest.length
      ? {
          select: {
            placeholder: 'Ask for a 1-to-1 with…',
            action: { command: 'powerteam show', action: 'ask' },
            options: rest.map((m) => ({ label: seat(m).slice(0, 75), value: String(m.id) })),
          },
        }
      : {}),
    visibility: 'private',
  };
}

export const powerteamShow = defineCommand({
  name: 'powerteam show',
  description: 'Your power team: sphere partners, 1-to-1s due, who refers to you and whom you refer',
  access: 'member',
  readOnly: true,
  options: z.object({
    member: memberOption('Someone else’s (moderators only)').optional(),
    period: period('year'),
  }),
  positional: 'member',
  examples: ['/powerteam show', '/powerteam show period:quarter'],
  async run(ctx) {
    const group = ctx.requireGroup();
    let who = ctx.actor;
    if (ctx.options.member) {
      who = await ctx.resolveMember(ctx.options.member);
      if (who.id !== ctx.actor.id && !ctx.isModerator) {
        throw userError.forbidden(
          'Only moderators can see another member’s power team.',
          'Run /powerteam show for yours.',
        );
      }
    }
    const now = ctx.clock.now();
    const advice = await memberAdvice(ctx.db, group, who.id, periodStart(ctx.options.period, now), now);
    if (!advice) throw userError.notFound(`${who.displayName} is not an active member of ${group.name}.`);
    return adviceReply(advice, who.id === ctx.actor.id, group.name, periodLabel(ctx.options.period), now);
  },
  actions: {
    /** "Ask X for a 1-to-1" (a button carries the id; the select passes it as its value). */
    ask: {
      access: 'member',
      run: (ctx) => askForOneToOne(ctx, Number(ctx.arg ?? ctx.value)),
    },
  },
});

export const powerteamReport = defineCommand({
  name: 'powerteam report',
  description: 'Spheres’ coverage, givers in waiting and the referral network as a picture (moderators)',
  access: 'moderator',
  readOnly: true,
  options: z.object({ period: period('quarter') }),
  positional: 'period',
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const from = periodStart(ctx.options.period, now);
    // the text's aggregates and the picture's per-pair network are independent reads: at once (pooled on PostgreSQL)
    const [r, network] = await Promise.all([
      powerTeamReport(ctx.db, group, from, now),
      loadNetwork(ctx.db, group, from, now),
    ]);
    const layout = reportLayout(r, network);
    const when = periodLabel(ctx.options.period);
    const { slips, value } = r;
    const alt = `${r.members.length} members, ${slips} slips and ${money(value, r.currency)} closed ${when}; ${layout.clusters.length} clusters${layout.clusters.length ? `: ${layout.clusters.map((c) => `${c.label} (${c.size})`).join(', ')}` : ''}.`;
    const name = (m: { name: string; category: string | null }) => `${m.name}${m.category ? ` (${m.category})` : ''}`;
    return {
      text: `Power teams of ${group.name}, ${when}: ${alt}`,
      card: {
        title: `${group.name} — power teams`,
        fields: [
          field(
            `Spheres with members (${r.coverage.length})`,
            r.coverage.map((c) => `${c.sphere.label}: ${c.members.map((m) => m.name).join(', ')}`),
            'no member’s seat is in a sphere yet',
          ),
          field(
            `Thin spheres (${r.thin.length})`,
            r.thin.map(
              (c) =>
                `${c.sphere.label}: ${c.members.length} member${c.members.length === 1 ? '' : 's'}; missing ${c.missing.slice(0, 4).join(', ')}`,
            ),
            'none',
          ),
          {
            label: `Spheres nobody is in (${r.empty.length})`,
            value: r.empty.map((s) => s.label).join(', ') || 'none',
          },
          field(
            `Givers in waiting (${r.giversInWaiting.length})`,
            r.giversInWaiting.map(name),
            'none: everyone gave or received',
          ),
        ],
        footer: 'Givers in waiting neither gave nor received a slip, thank-you or connection in the period.',
      },
      attachments: [
        {
          filename: `power-teams-${ctx.options.period}-${now.toISOString().slice(0, 10)}.png`,
          contentType: 'image/png',
          data: networkPng(
            r,
            layout,
            `${group.name}: who refers whom`,
            `${when}; ${slips} slips, ${money(value, r.currency)} closed`,
          ),
          description: alt,
        },
      ],
      visibility: 'private',
    };
  },
});

export const powerteamSphere = defineCommand({
  name: 'powerteam sphere',
  description: 'List the contact spheres, or add/remove categories of one for this group (moderators)',
  access: 'moderator',
  options: z.object({
    action: z.enum(['list', 'add', 'remove']).default('list').describe('list, add or remove'),
    name: z.string().trim().min(2).max(60).optional().describe('The sphere, e.g. "Pet care" or a shipped one'),
    categories: z.string().trim().min(2).max(600).optional().describe('Categories, separated by commas'),
  }),
  positional: 'action',
  examples: ['/powerteam sphere add name:"Pet care" categories:"vet, dog groomer, pet sitter"'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const { action, name, categories } = ctx.options;
    if (action === 'list') {
      const spheres = await loadSpheres(ctx.db, group);
      return {
        text: `Contact spheres of ${group.name} (a category may be in several):`,
        list: {
          items: spheres.map(
            (s) =>
              `${s.label}${s.shipped ? '' : ' (this group’s)'}: ${s.professions
                .filter((p) => !s.shipped || !s.added.includes(p.key))
                .map((p) => p.label)
                .join(', ')}${s.shipped && s.added.length ? ` + added here: ${s.added.join(', ')}` : ''}`,
          ),
        },
        visibility: 'private',
      };
    }
    if (!name || !categories) {
      throw userError.badOption(
        `/powerteam sphere ${action} needs name: and categories:.`,
        'For example /powerteam sphere add name:"Pet care" categories:"vet, dog groomer".',
      );
    }
    if (action === 'remove') {
      const removed = await removeFromSphere(ctx.db, group, name, categories);
      if (!removed.length) {
        throw userError.notFound(
          `None of those categories was added to “${name}” in ${group.name}.`,
          'Shipped categories stay; see /powerteam sphere list.',
        );
      }
      return { text: `Removed from “${name}”: ${removed.join(', ')}.`, visibility: 'private' };
    }
    const r = await addToSphere(ctx.db, group, name, categories);
    const parts = [
      r.added.length ? `added ${r.added.join(', ')}` : '',
      r.already.length ? `already there: ${r.already.join(', ')}` : '',
    ].filter(Boolean);
    return {
      text: `Sphere “${r.sphere.label}” of ${group.name}: ${parts.join('; ')}. It now holds ${r.sphere.professions.length} professions; the power-team pairing and /powerteam use it from now on.`,
      visibility: 'private',
    };
  },
});

export const powerteamKnow = defineCommand({
  name: 'powerteam know',
  description: 'I know someone for a wanted profession: invite them as a visitor (moderators are told)',
  access: 'member',
  options: z.object({
    seat: z.string().trim().min(2).max(100).describe('The wanted profession (see /seats)'),
    name: z.string().trim().min(2).max(120).describe('Their name'),
    contact: z
      .string()
      .trim()
      .max(200)
      .refine((v) => EMAIL.test(v) || PHONE.test(v), { message: 'must be an email address or a phone number' })
      .describe('Their email or phone (only you and the moderators see it)'),
  }),
  form: { title: 'I know someone', fields: ['name', 'contact'] },
  examples: ['/powerteam know seat:"mortgage broker" name:"Sam Lee" contact:sam@example.com'],
  async run(ctx) {
    const group = ctx.requireGroup();
    if (ctx.membership?.status !== 'active')
      throw userError.forbidden(`Only members of ${group.name} pass on people for its seats.`);
    const { seat, name, contact } = ctx.options;
    const lead = await recordLead(ctx.db, group, ctx.actor, seat, name, contact, ctx.clock.now());
    if (lead.duplicate) {
      return {
        text: `You already passed on ${name} for the ${lead.label} seat: the moderators have it.`,
        visibility: 'private',
      };
    }
    const when = lead.meeting ? `invited to ${lead.meeting}` : 'to be invited to the next meeting';
    for (const mod of await moderatorsOf(ctx.db, group.id)) {
      if (mod.id === ctx.actor.id) continue;
      ctx.send({
        target: { kind: 'dm', memberId: mod.id },
        content: {
          text: `${ctx.actor.displayName} knows ${aProfession(lead.label)} for ${group.name}’s wanted seat: ${name} (${contact}), ${when} as their visitor.`,
        },
      });
    }
    return {
      text: `Thank you: ${name} is ${when} as your visitor for the ${lead.label} seat, and the moderators have their details. Bringing a visitor counts as giving.`,
      visibility: 'private',
    };
  },
  actions: {
    /** A board's "I know a …" button or select: the form for the person's name and contact. */
    form: {
      access: 'member',
      async run(ctx) {
        const group = ctx.requireGroup();
        const key = ctx.arg ?? ctx.value ?? '';
        const wanted = (await wantedBoard(ctx.db, group)).find((w) => w.key === key);
        if (!wanted)
          throw userError.notFound('That seat is no longer on the wanted board.', 'See /seats for the current one.');
        return {
          text: `Who do you know for the ${wanted.label} seat? Type /powerteam know seat:"${wanted.label}" name:"…" contact:… if no form opens.`,
          form: {
            command: 'powerteam know',
            title: 'I know someone',
            fields: [
              {
                name: 'name',
                label: `Their name (${aProfession(wanted.label)})`.slice(0, 45),
                style: 'short',
                required: true,
                maxLength: 120,
              },
              { name: 'contact', label: 'Their email or phone', style: 'short', required: true, maxLength: 200 },
            ],
            hidden: { seat: wanted.label },
          },
          visibility: 'private',
        };
      },
    },
  },
});
