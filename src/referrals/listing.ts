import { and, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { members, referrals } from '../../db/schema.js';
import type { HandlerContext } from '../commands/define.js';
import type { Reply } from '../messages.js';
import { OPEN_STATUSES, STATUS_LABEL, type Status } from './lifecycle.js';
import { formatMoney } from './money.js';

export type ListKind = 'given' | 'received' | 'open';
const PAGE = 10;

/** /referrals: the actor's referrals, given, received or still open, ten to a page with Previous/Next. */
export async function listReferrals(
  ctx: HandlerContext,
  kind: ListKind,
  page: number,
  replaceOriginal: boolean,
): Promise<Reply> {
  const me = ctx.actor.id;
  const mine: SQL =
    kind === 'given'
      ? eq(referrals.giverId, me)
      : kind === 'received'
        ? eq(referrals.receiverId, me)
        : and(
            or(eq(referrals.giverId, me), eq(referrals.receiverId, me)),
            inArray(referrals.status, [...OPEN_STATUSES]),
          )!;
  const where = and(eq(referrals.communityId, ctx.community.id), eq(referrals.groupId, ctx.requireGroup().id), mine);
  const rows = await ctx.db
    .select({ r: referrals, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(referrals)
    .where(where)
    .orderBy(desc(referrals.createdAt), desc(referrals.id))
    .limit(PAGE)
    .offset(page * PAGE);
  const total = rows[0]?.total ?? 0;
  if (total === 0) {
    return {
      text: kind === 'open' ? 'You have no open referrals.' : `You have not ${kind} any referrals yet.`,
      visibility: 'private',
      replaceOriginal,
    };
  }
  const otherIds = rows
    .map(({ r }) => (r.giverId === me ? r.receiverId : r.giverId))
    .filter((x): x is number => x !== null);
  const names = new Map(
    (otherIds.length ? await ctx.db.select().from(members).where(inArray(members.id, otherIds)) : []).map((m) => [
      m.id,
      m.displayName,
    ]),
  );
  const items = rows.map(({ r }) => {
    const outgoing = r.giverId === me;
    const other = names.get((outgoing ? r.receiverId : r.giverId) ?? -1) ?? 'a former member';
    const money = r.amount && r.currency ? ` · ${formatMoney(r.amount, r.currency)}` : '';
    return `#${r.number} ${outgoing ? `→ ${other}` : `← ${other}`} · ${STATUS_LABEL[r.status as Status]}${money} · ${r.createdAt.toISOString().slice(0, 10)}`;
  });
  const pages = Math.ceil(total / PAGE);
  const btn = (label: string, n: number) => ({
    label,
    action: { command: 'referrals', action: 'page', arg: `${kind}|${n}` },
  });
  return {
    text: `Your ${kind} referrals: ${total} (page ${page + 1} of ${pages}). Open one with /referral show id:N`,
    list: { items },
    buttons: [...(page > 0 ? [btn('Previous', page - 1)] : []), ...(page + 1 < pages ? [btn('Next', page + 1)] : [])],
    visibility: 'private',
    replaceOriginal,
  };
}
