import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { asks, connections } from '../../db/schema.js';
import type { HandlerContext, ObjectScope } from '../commands/define.js';
import { positiveInt } from '../commands/object-key.js';
import { getMembers } from '../communities/community-repo.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import { connectMembers } from '../members/connections.js';
import type { Reply } from '../messages.js';

export type AskRow = typeof asks.$inferSelect;

/** /ask: a member's specific request, posted to the group with "I can help" and "Refer someone" buttons. */
export async function postAsk(ctx: HandlerContext, text: string, days: number | undefined): Promise<Reply> {
  const group = ctx.requireGroup();
  const now = ctx.clock.now();
  const expiry = days ?? readSettings(group.settings).referrals.askExpiryDays;
  const [ask] = await ctx.db
    .insert(asks)
    .values({
      communityId: ctx.community.id,
      groupId: group.id,
      memberId: ctx.actor.id,
      text,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiry * 86_400_000),
    })
    .returning();
  ctx.send({
    target: { kind: 'channel', channelRef: group.homeChannelRef },
    key: `ask:${ask!.id}`,
    content: {
      text: `${ctx.actor.displayName} is looking for: ${text}`,
      buttons: [
        { label: 'I can help', action: { command: 'ask', action: 'help', arg: String(ask!.id) }, style: 'primary' },
        { label: 'Refer someone', action: { command: 'ask', action: 'refer', arg: String(ask!.id) } },
      ],
    },
  });
  return { text: `Your ask #${ask!.id} is posted; it stays open for ${expiry} days.`, visibility: 'private' };
}

const askMissing = () => new UserError('not_found', 'That ask is no longer here.');

/** An ask's id names its group: the buttons act there, and an ask of another group is "no longer here". */
export const askScope: ObjectScope = {
  key: positiveInt,
  async groupOf(db, communityId, id) {
    const [row] = await db
      .select({ groupId: asks.groupId })
      .from(asks)
      .where(and(eq(asks.communityId, communityId), eq(asks.id, id)));
    return row?.groupId ?? null;
  },
  missing: askMissing,
};

async function openAsk(ctx: HandlerContext, id: number): Promise<AskRow> {
  const group = ctx.requireGroup();
  const [ask] = await ctx.db
    .select()
    .from(asks)
    .where(and(eq(asks.communityId, ctx.community.id), eq(asks.groupId, group.id), eq(asks.id, id)));
  if (!ask || !ask.memberId) throw askMissing();
  if (ask.closedAt || ask.expiresAt <= ctx.clock.now())
    throw new UserError('conflict', 'That ask has expired or was closed.', 'The asker can post a new one with /ask.');
  if (ask.memberId === ctx.actor.id) throw new UserError('bad_option', 'That is your own ask.');
  return ask;
}

/** "I can help": one step to a warm introduction between the helper and the asker, counted as the helper's giving. */
export async function offerHelp(ctx: HandlerContext, id: number): Promise<Reply> {
  const ask = await openAsk(ctx, id);
  const [asker] = await getMembers(ctx.db, ctx.community.id, [ask.memberId!]);
  // A second press (a double click, or days later) finds the first: no second connection, no second conversation.
  const [already] = await ctx.db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.askId, ask.id), eq(connections.giverId, ctx.actor.id)));
  if (already) {
    return {
      text: `You already offered to help with ask #${ask.id}: your conversation with ${asker?.displayName ?? 'the asker'} is open. Nothing changed.`,
      visibility: 'private',
    };
  }
  return connectMembers(
    ctx,
    ctx.actor.id,
    ask.memberId!,
    `${ctx.actor.displayName} can help with “${ask.text}” (${asker?.displayName ?? 'the asker'}’s ask #${ask.id})`,
    { selfIntroduction: true, askId: ask.id },
  );
}

/** "Refer someone": the referral form addressed to the asker (or the command to type where there are no forms). */
export async function referToAsker(ctx: HandlerContext, id: number): Promise<Reply> {
  const ask = await openAsk(ctx, id);
  const [asker] = await getMembers(ctx.db, ctx.community.id, [ask.memberId!]);
  if (!asker) throw new UserError('not_found', 'The asker is no longer here.');
  if (!ctx.capabilities.forms) {
    return {
      text: `Pass a referral to ${asker.displayName}: /refer member:@${asker.platformUserId} prospect:"…" contact:… need:"${ask.text}" temperature:3 consent:yes`,
      visibility: 'private',
    };
  }
  return {
    text: `Refer someone to ${asker.displayName}`,
    visibility: 'private',
    form: {
      command: 'refer',
      title: `Referral for ${asker.displayName}`.slice(0, 45),
      fields: [
        { name: 'prospect', label: 'The prospect’s name', style: 'short', required: true, maxLength: 120 },
        { name: 'contact', label: 'Their email or phone', style: 'short', required: true, maxLength: 200 },
        {
          name: 'need',
          label: 'What they need',
          style: 'paragraph',
          required: true,
          value: ask.text.slice(0, 500),
          maxLength: 500,
        },
        { name: 'temperature', label: 'Temperature 1–5', style: 'short', required: true, value: '3' },
        { name: 'consent', label: 'They agreed to be contacted (yes/no)', style: 'short', required: true },
      ],
      hidden: { member: asker.platformUserId },
    },
  };
}

/** Open asks of the group, oldest first (what the weekly give prompt shows). */
export async function openAsks(ctx: HandlerContext, limit: number): Promise<{ asks: AskRow[]; total: number }> {
  const group = ctx.requireGroup();
  const rows = await ctx.db
    .select({ ask: asks, total: sql<number>`count(*) over ()` })
    .from(asks)
    .where(and(eq(asks.groupId, group.id), isNull(asks.closedAt), gt(asks.expiresAt, ctx.clock.now())))
    .orderBy(desc(asks.createdAt), desc(asks.id))
    .limit(limit);
  return { asks: rows.map((r) => r.ask), total: Number(rows[0]?.total ?? 0) };
}
