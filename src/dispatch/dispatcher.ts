import { randomBytes } from 'node:crypto';
import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { processedInteractions } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { HandlerContext } from '../commands/define.js';
import { coerceOptions } from '../commands/options.js';
import type { Registry } from '../commands/registry.js';
import { actorPlacements, ensureCommunity } from '../communities/community-repo.js';
import type { CommunityRow } from '../communities/rows.js';
import { enqueueOutbox } from '../delivery/outbox.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { GROUP_OPTION, type OutgoingMessage, type Reply, withGroup } from '../messages.js';
import type { DispatchEvent } from '../ops/metrics.js';
import { safeError } from '../ops/safe-error.js';
import type { Capabilities } from '../platform.js';
import type { Random } from '../random.js';
import { rerunOf, SHOW_ALL } from '../render/pages.js';
import { moderates, noGroup, refusal, resolveGroup } from './access.js';
import { checkChannelOptions } from './channel-options.js';
import { buildForm, needsForm } from './forms.js';
import type { Invocation } from './invocation.js';
import { invocationTarget, type Target } from './invocation-target.js';
import { resolveNamedMember } from './named-member.js';
import { optionError } from './option-errors.js';
import { isDatabaseUnavailable } from './outage.js';

export type Outcome = 'ok' | 'user_error' | 'error' | 'duplicate';

export interface DispatchResult {
  reply: Reply;
  outcome: Outcome;
  errorId?: string;
  /** A user error's code, or `database_unavailable` for an outage (metrics read it). */
  code?: string;
  /** Messages to others, committed in the outbox with the command's writes. */
  outgoing: OutgoingMessage[];
  /** Their outbox rows: the committing process sends them right after answering the invoker. */
  queued?: number[];
  communityId?: number;
}

export interface DispatcherDeps {
  db: Db;
  registry: Registry;
  clock: Clock;
  random: Random;
  log: Logger;
  defaultTimezone?: string;
  /**
   * Checked before anything is read or written: a UserError here (rate limit, shutting down, overloaded) is the
   * member's private answer and nothing is written, not even the interaction id, so a retry later is served.
   */
  admit?: (inv: Invocation) => UserError | null;
  /** Called once per dispatch with its outcome and time: the metrics hook. Must not throw. */
  onDispatched?: (e: DispatchEvent) => void;
}

class Duplicate extends Error {}

/**
 * parse → permit → run in one transaction → reply. The one place user errors and bugs are told apart:
 * a UserError becomes a private explanation; anything else is logged with an id and the user gets an apology.
 */
export class Dispatcher {
  private readonly communityCache = new Map<string, CommunityRow>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** Drops a cached community after it changed outside a command (guild left, deleted). */
  forgetCommunity(platform: string, ref: string): void {
    this.communityCache.delete(`${platform}:${ref}`);
  }

  get registry(): Registry {
    return this.deps.registry;
  }

  async dispatch(inv: Invocation, capabilities: Capabilities): Promise<DispatchResult> {
    const started = performance.now();
    const label = inv.input.kind === 'command' ? inv.input.name : inv.input.actionId.split(':').slice(0, 2).join(':');
    const refused = this.deps.admit?.(inv);
    const result = refused
      ? this.refusal(refused, label, inv)
      : await this.dispatchAdmitted(inv, capabilities, label, started);
    this.deps.onDispatched?.({
      command: label,
      platform: inv.platform,
      outcome: result.outcome,
      ...(result.code ? { code: result.code } : {}),
      ms: performance.now() - started,
    });
    return result;
  }

  private refusal(err: UserError, label: string, inv: Invocation): DispatchResult {
    this.deps.log.info({ command: label, platform: inv.platform, code: err.code }, 'command not admitted');
    const text = err.hint ? `${err.message}\n${err.hint}` : err.message;
    return { reply: { text, visibility: 'private' }, outcome: 'user_error', code: err.code, outgoing: [] };
  }

  private async dispatchAdmitted(
    inv: Invocation,
    capabilities: Capabilities,
    label: string,
    started: number,
  ): Promise<DispatchResult> {
    const outgoing: OutgoingMessage[] = [];
    let queued: number[] = [];
    let communityId: number | undefined;
    let community: CommunityRow | undefined;
    const readOnly = inv.input.kind === 'command' && this.deps.registry.get(inv.input.name)?.def.readOnly === true;
    try {
      const firstDelivery = async (db: Db) => {
        if (!inv.interactionId) return;
        const fresh = await db
          .insert(processedInteractions)
          .values({ platform: inv.platform, interactionId: inv.interactionId })
          .onConflictDoNothing()
          .returning({ id: processedInteractions.interactionId });
        if (fresh.length === 0) throw new Duplicate();
      };
      const run = async (tx: Db): Promise<Reply> => {
        outgoing.length = 0;
        queued = [];
        // A writing command records its interaction first, in its transaction: a duplicate stops before any write.
        if (!readOnly) await firstDelivery(tx);
        const { ctx, target } = await this.context(tx, inv, capabilities, outgoing);
        communityId = ctx.community.id;
        community = ctx.community;
        const raw = await (target.kind === 'command'
          ? this.runCommand(ctx, inv, target)
          : this.runAction(ctx, inv, target));
        // Every button and form of the answer carries the group it acts on (a press in a DM stays in that group).
        const reply = ctx.group ? withGroup(raw, ctx.group.id) : raw;
        // A read-only one has no transaction: it records its interaction once it has succeeded (a failure can be
        // retried), and a duplicate's answer and messages (a report posted to the channel) are dropped.
        if (readOnly) await firstDelivery(tx);
        // Messages to others are outbox rows of this transaction: committed with the command's writes or not at all.
        queued = !outgoing.length
          ? []
          : (
              await enqueueOutbox(
                tx,
                ctx.community.id,
                outgoing.map((m) => ({ ...m, fallback: true })),
                {
                  now: this.deps.clock.now(),
                  timezone: ctx.group?.timezone ?? this.deps.defaultTimezone ?? 'UTC',
                  askedBy: ctx.actor.id,
                  platform: ctx.community.platform,
                  ...(ctx.group ? { fallbackChannelRef: ctx.group.homeChannelRef } : {}),
                },
              )
            ).ids;
        return reply;
      };
      const reply = readOnly ? await run(this.deps.db) : await this.deps.db.transaction(run);
      // Cached only after commit: a rolled-back first insert must not leave a community id that does not exist.
      if (community) this.communityCache.set(`${inv.platform}:${inv.community.ref}`, community);
      this.deps.log.info(
        { command: label, platform: inv.platform, communityId, outcome: 'ok', ms: performance.now() - started },
        'command',
      );
      return { reply, outcome: 'ok', outgoing: [...outgoing], queued, communityId };
    } catch (err) {
      if (err instanceof Duplicate) {
        this.deps.log.info(
          { command: label, platform: inv.platform, interactionId: inv.interactionId },
          'duplicate delivery ignored',
        );
        return {
          reply: { text: 'Already done: this request was received twice and handled once.', visibility: 'private' },
          outcome: 'duplicate',
          outgoing: [],
        };
      }
      if (err instanceof UserError) {
        this.deps.log.info(
          { command: label, platform: inv.platform, communityId, outcome: 'user_error', code: err.code },
          'command refused',
        );
        const text = err.hint ? `${err.message}\n${err.hint}` : err.message;
        return {
          reply: { text, ...err.extra, visibility: 'private' },
          outcome: 'user_error',
          code: err.code,
          outgoing: [],
        };
      }
      const errorId = randomBytes(4).toString('hex');
      if (isDatabaseUnavailable(err)) {
        this.deps.log.error(
          { command: label, platform: inv.platform, communityId, errorId, err: safeError(err) },
          'database unavailable',
        );
        return {
          reply: {
            text: `The database is not reachable right now, so nothing was saved. Please try again in a minute. (error id ${errorId})`,
            visibility: 'private',
          },
          outcome: 'error',
          errorId,
          code: 'database_unavailable',
          outgoing: [],
        };
      }
      // Never the error itself: a failed statement's parameters (a prospect's contact) are in its message.
      this.deps.log.error(
        { command: label, platform: inv.platform, communityId, errorId, err: safeError(err) },
        'command failed',
      );
      return {
        reply: {
          text: `Sorry, something went wrong on our side and nothing was saved. If it happens again, give a moderator this error id: ${errorId}`,
          visibility: 'private',
        },
        outcome: 'error',
        errorId,
        outgoing: [],
      };
    }
  }

  private async context(
    db: Db,
    inv: Invocation,
    capabilities: Capabilities,
    outgoing: OutgoingMessage[],
  ): Promise<{ ctx: HandlerContext; target: Target }> {
    const cacheKey = `${inv.platform}:${inv.community.ref}`;
    const community =
      this.communityCache.get(cacheKey) ??
      (await ensureCommunity(db, inv.platform, inv.community.ref, inv.community.name));
    const { actor, placements } = await actorPlacements(
      db,
      community.id,
      inv.actor.platformUserId,
      inv.actor.displayName,
    );
    const { target, wanted, bootstrap } = await invocationTarget(this.deps.registry, db, community.id, inv);
    const resolved = resolveGroup(placements, inv.channelRef, wanted, bootstrap);
    if (wanted && !resolved.group) {
      // A button of a group that is gone, or of another community: nothing to act on.
      if (wanted.missing) throw wanted.missing;
      throw staleButton();
    }
    const admin = Boolean(inv.actor.isAdmin);
    const { group, membership } = resolved;
    // /setup outside a group's channel creates a group: a moderator of any group here may do that.
    const isModerator =
      bootstrap && !group
        ? admin || placements.some((p) => moderates(p.membership, false))
        : moderates(membership, admin);
    if (bootstrap) {
      if (placements.length > 0 && !isModerator) {
        // A group carried by a form or page the actor has no place in: as a button of a group that is gone.
        if (wanted?.source === 'button' && membership?.status !== 'active') throw staleButton();
        throw new UserError(
          'forbidden',
          `Only moderators can use ${target.what}.`,
          group ? `Ask a moderator of ${group.name} if you need it done.` : 'Ask a moderator if you need it done.',
        );
      }
    } else {
      const access = target.kind === 'command' ? target.cmd.def.access : target.action.access;
      const refused = refusal(access, resolved, isModerator, target.what);
      // An object of a group the actor has no right to answers exactly as one that does not exist; a button of a
      // group the actor is not (or no longer) in, as a button of a group that is gone.
      if (refused && wanted?.missing) throw wanted.missing;
      if (refused && wanted?.source === 'button' && membership?.status !== 'active') throw staleButton();
      if (refused) throw refused;
    }
    const communityRow = community;
    const stamp = (m: OutgoingMessage): OutgoingMessage =>
      group ? { ...m, content: withGroup(m.content, group.id) } : m;
    const ctx: HandlerContext = {
      db,
      clock: this.deps.clock,
      random: this.deps.random,
      log: this.deps.log,
      platform: inv.platform,
      capabilities,
      community: communityRow,
      group,
      actor,
      membership,
      isModerator,
      channelRef: inv.channelRef,
      defaultTimezone: this.deps.defaultTimezone ?? 'UTC',
      commands: this.deps.registry.all(),
      send: (m) => outgoing.push(stamp(m)),
      resolveMember: (id) => resolveNamedMember(db, communityRow, group, id, inv.users?.[id]),
      requireGroup: () => {
        if (!group) throw noGroup(resolved, target.what);
        return group;
      },
    };
    return { ctx, target };
  }

  private async runCommand(ctx: HandlerContext, inv: Invocation, target: Target): Promise<Reply> {
    if (target.kind !== 'command') throw new Error('unreachable');
    const { cmd, options } = target;
    const fromForm = inv.input.kind === 'command' && inv.input.fromForm;
    if (!fromForm && target.page === undefined && needsForm(cmd, options, ctx.capabilities)) {
      return { text: cmd.def.form!.title, visibility: 'private', form: await buildForm(cmd, ctx, options) };
    }
    const parsed = this.deps.registry.strictSchema(cmd.def.name).safeParse(coerceOptions(cmd.options, options));
    if (!parsed.success) throw optionError(parsed.error, cmd.options, this.deps.registry.usage(cmd.def.name), options);
    checkChannelOptions(cmd, options, inv);
    // The level was checked in context(): the handler's narrower context type holds.
    const reply: Reply = await cmd.def.run({ ...ctx, options: parsed.data } as never);
    // A read-only command can be run again for any page of its reply: renderers page by this, not by memory. The
    // rerun carries the group, so a page turned in a DM stays in the group it came from.
    const paged =
      cmd.def.readOnly && !reply.form && !reply.more
        ? {
            ...reply,
            more: rerunOf(cmd.def.name, ctx.group ? { ...options, [GROUP_OPTION]: String(ctx.group.id) } : options),
          }
        : reply;
    if (target.page === undefined) return paged;
    // A page button (`_page:<n|all>:<command>?<options>`): page n replaces the message that carried the button;
    // "Show all" under a channel post answers page 1 privately.
    const index = target.page === SHOW_ALL ? 0 : Number(target.page);
    return { ...paged, page: index, visibility: 'private', replaceOriginal: target.page !== SHOW_ALL };
  }

  private async runAction(ctx: HandlerContext, inv: Invocation, target: Target): Promise<Reply> {
    if (target.kind !== 'action' || inv.input.kind !== 'action') throw new Error('unreachable');
    return target.action.run({ ...ctx, arg: target.ref.arg, value: inv.input.value } as never);
  }
}

const staleButton = () =>
  new UserError(
    'unknown_command',
    'That button no longer does anything.',
    'Run the command again for a fresh message.',
  );

/** Drops processed-interaction records older than the platforms' retry windows. */
export async function pruneProcessedInteractions(db: Db, olderThan: Date): Promise<void> {
  await db.delete(processedInteractions).where(lt(processedInteractions.createdAt, olderThan));
}
