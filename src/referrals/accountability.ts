import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.js';
import { groups, referralNudges } from '../../db/schema.js';
import { getMembers, moderatorsOf } from '../communities/community-repo.js';
import type { GroupRow } from '../communities/rows.js';
import { type ReferralSettings, readSettings } from '../groups/group-settings.js';
import type { OutgoingMessage } from '../messages.js';
import { defineJobKind } from '../scheduler/job-kinds.js';

export type Rule = 'accept' | 'update' | 'open';

interface DueRow {
  id: number;
  number: number;
  giver_id: number | null;
  receiver_id: number | null;
  prospect_name: string | null;
  status: string;
  period: Date | string;
  sent: number | null;
  last_sent_at: Date | string | null;
}

const HOUR = 3_600_000;

/** When a rule starts to apply to a referral, and what its clock is. */
function ruleSpec(
  rule: Rule,
  s: ReferralSettings,
): { statuses: string[]; clock: 'created_at' | 'updated_at'; afterMs: number } {
  if (rule === 'accept') return { statuses: ['new'], clock: 'created_at', afterMs: s.acceptHours * HOUR };
  if (rule === 'update')
    return { statuses: ['accepted', 'contacted', 'meeting'], clock: 'updated_at', afterMs: s.updateDays * 24 * HOUR };
  return {
    statuses: ['new', 'accepted', 'contacted', 'meeting'],
    clock: 'created_at',
    afterMs: s.openDays * 24 * HOUR,
  };
}

/**
 * The escalation step to send now, if any: stage 1 reminds the receiver, 2 tells the giver, 3 tells the moderators,
 * `escalationHours` apart. Steps are never skipped: after downtime the next step is sent first and the following
 * ones keep their spacing from it, so nobody is escalated past before being reminded.
 */
export function nextStage(
  now: Date,
  period: Date,
  afterMs: number,
  escalationHours: number,
  sent: number,
  lastSentAt: Date | null,
): number {
  const next = sent + 1;
  if (next > 3) return 0;
  const esc = escalationHours * HOUR;
  const dueAt = Math.max(period.getTime() + afterMs + (next - 1) * esc, lastSentAt ? lastSentAt.getTime() + esc : 0);
  return now.getTime() >= dueAt ? next : 0;
}

const WHAT: Record<Rule, (days: number) => string> = {
  // Phrased so it stays true however late it is read (quiet hours may hold the DM): no "ago", no "yesterday".
  accept: (d) => `has not been accepted within ${d} day${d === 1 ? '' : 's'} of being passed`,
  update: (d) => `has had no update for ${d} days`,
  open: (d) => `is still open after ${d} days`,
};

/**
 * The referral accountability sweep (issue 6 rules), a job kind every group runs each minute: each stage of each rule
 * is recorded in referral_nudges in the job's transaction, with its messages queued in the outbox, so concurrent runs
 * and repeated runs never send it twice and a crash never records a reminder that was not queued.
 */
export const referralAccountabilityJob = defineJobKind({
  kind: 'referrals.accountability',
  coalesce: true,
  payload: z.object({}).loose(),
  async run(job, ctx) {
    if (job.groupId === null) return;
    const [group] = await ctx.db.select().from(groups).where(eq(groups.id, job.groupId));
    if (!group || !readSettings(group.settings).nudges.referralAccountability.enabled) return;
    await ctx.send(await dueReminders(ctx.db, group, ctx.now));
  },
});

async function dueReminders(tx: Db, group: GroupRow, now: Date): Promise<OutgoingMessage[]> {
  const settings = readSettings(group.settings).referrals;
  const outgoing: OutgoingMessage[] = [];
  for (const rule of ['accept', 'update', 'open'] as const) {
    const spec = ruleSpec(rule, settings);
    const cutoff = new Date(now.getTime() - spec.afterMs);
    const clock = sql.raw(`r.${spec.clock}`);
    const due = rowsOf<DueRow>(
      await tx.execute(sql`
        select r.id, r.number, r.giver_id, r.receiver_id, r.prospect_name, r.status, ${clock} as period,
          (select max(stage) from referral_nudges n where n.referral_id = r.id and n.rule = ${rule} and n.period = ${clock}) as sent,
          (select max(sent_at) from referral_nudges n where n.referral_id = r.id and n.rule = ${rule} and n.period = ${clock}) as last_sent_at
        from referrals r
        where r.group_id = ${group.id} and r.status in (${sql.join(
          spec.statuses.map((s) => sql`${s}`),
          sql`, `,
        )}) and ${clock} <= ${cutoff.toISOString()}`),
    );
    for (const r of due) {
      const period = new Date(r.period);
      const last = r.last_sent_at ? new Date(r.last_sent_at) : null;
      const stage = nextStage(now, period, spec.afterMs, settings.escalationHours, Number(r.sent ?? 0), last);
      if (stage === 0) continue;
      const [fresh] = await tx
        .insert(referralNudges)
        .values({ referralId: r.id, rule, period, stage, sentAt: now })
        .onConflictDoNothing()
        .returning();
      if (!fresh) continue;
      outgoing.push(
        ...(await messagesFor(
          tx,
          group.communityId,
          group.id,
          r,
          rule,
          stage,
          Math.floor((now.getTime() - period.getTime()) / (24 * HOUR)),
        )),
      );
    }
  }
  return outgoing;
}

async function messagesFor(
  db: Db,
  communityId: number,
  groupId: number,
  r: DueRow,
  rule: Rule,
  stage: number,
  days: number,
): Promise<OutgoingMessage[]> {
  const people = await getMembers(
    db,
    communityId,
    [r.giver_id, r.receiver_id].filter((x): x is number => x !== null),
  );
  const name = (id: number | null) => people.find((p) => p.id === id)?.displayName ?? 'a former member';
  const what = WHAT[rule](days);
  if (stage === 1 && r.receiver_id) {
    const ask = rule === 'accept' ? 'Please accept it or return it as not a fit' : 'Please record where it stands';
    return [
      {
        target: { kind: 'dm', memberId: r.receiver_id },
        content: {
          text: `Reminder: referral #${r.number} from ${name(r.giver_id)} ${what}. ${ask}: /referral update id:${r.number}`,
        },
      },
    ];
  }
  if (stage === 2 && r.giver_id) {
    return [
      {
        target: { kind: 'dm', memberId: r.giver_id },
        content: {
          text: `For your information: your referral #${r.number} to ${name(r.receiver_id)} ${what}. They were reminded first.`,
        },
      },
    ];
  }
  if (stage === 3) {
    const mods = await moderatorsOf(db, groupId);
    return mods.map((m) => ({
      target: { kind: 'dm' as const, memberId: m.id },
      content: {
        text: `Accountability: referral #${r.number} from ${name(r.giver_id)} to ${name(r.receiver_id)} ${what}, despite reminders.`,
      },
    }));
  }
  return [];
}
