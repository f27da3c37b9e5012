import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/client.js';
import { groups } from '../../db/schema.js';
import type { OutboxMessage } from '../delivery/outbox.js';
import { readSettings } from '../groups/group-settings.js';
import { normalizeCategory } from '../members/categories.js';
import { defineJobKind } from '../scheduler/job-kinds.js';

const DAY = 86_400_000;

interface Quiet {
  member_id: number;
  category: string | null;
  area: string | null;
}
interface OpenAsk {
  id: number;
  member_id: number;
  name: string;
  text: string;
}

/** Asks whose words meet the member's trade or area first (what they know), then the newest others, three at most. */
export function asksFor(member: Pick<Quiet, 'category' | 'area'>, asks: OpenAsk[]): OpenAsk[] {
  const known = new Set(
    normalizeCategory(`${member.category ?? ''} ${member.area ?? ''}`)
      .split(' ')
      .filter((w) => w.length > 2),
  );
  const score = (a: OpenAsk) =>
    normalizeCategory(a.text)
      .split(' ')
      .filter((w) => known.has(w)).length;
  return [...asks].sort((a, b) => score(b) - score(a) || b.id - a.id).slice(0, 3);
}

/**
 * Weekly per group (when the group turns it on in /nudges): members who have given no referral and made no
 * introduction in `weeks` weeks get a private nudge with the group's open asks that match what they know.
 */
export const givePromptJob = defineJobKind({
  kind: 'referrals.give-prompt',
  payload: z.object({}).loose(),
  async run(job, ctx) {
    if (job.groupId === null) return;
    const [group] = await ctx.db.select().from(groups).where(eq(groups.id, job.groupId));
    const setting = group && readSettings(group.settings).nudges.givePrompt;
    if (!group || !setting?.enabled) return;
    // judged at the slot's time: a catch-up of several slots must not judge them all by today
    const at = job.runAt;
    const since = new Date(at.getTime() - setting.weeks * 7 * DAY).toISOString();
    const quiet = rowsOf<Quiet>(
      await ctx.db.execute(sql`
        select gm.member_id, p.category, p.area from group_memberships gm
        left join profiles p on p.member_id = gm.member_id
        where gm.group_id = ${group.id} and gm.status = 'active' and gm.created_at <= ${since}::timestamptz
          and not exists (select 1 from referrals r where r.giver_id = gm.member_id and r.created_at >= ${since}::timestamptz and r.created_at <= ${at.toISOString()}::timestamptz)
          and not exists (select 1 from connections c where c.giver_id = gm.member_id and c.created_at >= ${since}::timestamptz)`),
    );
    const asks = rowsOf<OpenAsk>(
      await ctx.db.execute(sql`
        select a.id, a.member_id, m.display_name as name, a.text from asks a join members m on m.id = a.member_id
        where a.group_id = ${group.id} and a.closed_at is null and a.expires_at > ${at.toISOString()}::timestamptz and a.created_at <= ${at.toISOString()}::timestamptz`),
    );
    const out: OutboxMessage[] = quiet.map((q) => {
      const theirs = asksFor(
        q,
        asks.filter((a) => a.member_id !== q.member_id),
      );
      const lines = theirs.map((a) => `• ${a.name} is looking for: ${a.text}`);
      return {
        target: { kind: 'dm', memberId: q.member_id },
        idempotencyKey: `give-prompt:${group.id}:${q.member_id}:${job.runAt.toISOString()}`,
        optOutKey: 'give-prompt',
        content: {
          text: [
            `Givers gain: you have not passed a referral or made an introduction in ${group.name} for ${setting.weeks} weeks.`,
            ...(lines.length ? ['Open asks you might help with (answer them with /asks):', ...lines] : []),
            'Pass a referral with /refer, or introduce two members with /connect.',
          ].join('\n'),
        },
      };
    });
    await ctx.send(out);
  },
});
