import { randomBytes } from 'node:crypto';
import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { processedInteractions } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { Access, ActionContext, CommandDefinition, HandlerContext } from '../commands/define.js';
import { coerceOptions } from '../commands/options.js';
import type { Registry } from '../commands/registry.js';
import {
  actorInChannel,
  communityHasGroup,
  ensureCommunity,
  ensureMember,
  findMemberByPlatformId,
  isModeratorAnywhere,
} from '../communities/community-repo.js';
import type { CommunityRow } from '../communities/rows.js';
import { enqueueOutbox } from '../delivery/outbox.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { decodeAction, type OutgoingMessage, type Reply } from '../messages.js';
import type { DispatchEvent } from '../ops/metrics.js';
import type { Capabilities } from '../platform.js';
import type { Random } from '../random.js';
import { decodeRerun, PAGE_COMMAND, rerunOf, SHOW_ALL } from '../render/pages.js';
import { buildForm, needsForm } from './forms.js';
import type { Invocation } from './invocation.js';
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
        const ctx = await this.context(tx, inv, capabilities, outgoing);
        communityId = ctx.community.id;
        community = ctx.community;
        const reply = await (inv.input.kind === 'command' ? this.runCommand(ctx, inv) : this.runAction(ctx, inv));
        // A read-only one has no transaction: it records its interaction once it has succeeded (a failure can be
        // retried), and a duplicate's answer and messages (a report posted to the channel) are dropped.
        if (readOnly) await firstDelivery(tx);
        // Messages to others are outbox rows of this transaction: committed with the command's writes or not at all.
        queued = (
          await enqueueOutbox(
            tx,
            ctx.community.id,
            outgoing.map((m) => ({ ...m, fallback: true })),
            {
              now: this.deps.clock.now(),
              timezone: ctx.group?.timezone ?? this.deps.defaultTimezone ?? 'UTC',
              askedBy: ctx.actor.id,
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
        this.deps.log.error({ command: label, platform: inv.platform, errorId, err }, 'database unavailable');
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
      this.deps.log.error({ command: label, platform: inv.platform, communityId, errorId, err }, 'command failed');
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
  ): Promise<HandlerContext> {
    const cacheKey = `${inv.platform}:${inv.community.ref}`;
    const community =
      this.communityCache.get(cacheKey) ??
      (await ensureCommunity(db, inv.platform, inv.community.ref, inv.community.name));
    const { actor, group, membership } = await actorInChannel(
      db,
      community.id,
      inv.actor.platformUserId,
      inv.actor.displayName,
      inv.channelRef,
    );
    const isModerator =
      Boolean(inv.actor.isAdmin) ||
      (group ? membership?.role === 'moderator' : await isModeratorAnywhere(db, community.id, actor.id));
    const communityRow = community;
    return {
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
      send: (m) => outgoing.push(m),
      resolveMember: async (id) => {
        const known = await findMemberByPlatformId(db, communityRow.id, id);
        if (known) return known;
        // A mention the platform resolved is a real person of this server/workspace, met for the first time.
        const seen = inv.users?.[id];
        if (seen) return ensureMember(db, communityRow.id, id, seen.displayName);
        throw new UserError(
          'not_found',
          `I don’t know a member “${id}” in this community.`,
          'Mention someone who has used the bot here, e.g. member:@ann.',
        );
      },
      requireGroup: () => {
        if (!group)
          throw new UserError(
            'not_setup',
            'This community has no group yet.',
            'A moderator runs /setup in the group’s channel first.',
          );
        return group;
      },
    };
  }

  private async permit(ctx: HandlerContext, def: CommandDefinition, access: Access): Promise<void> {
    if (def.bootstrap && !(await communityHasGroup(ctx.db, ctx.community.id))) return;
    if (access === 'anyone') return;
    ctx.requireGroup();
    if (access === 'moderator' && !ctx.isModerator) {
      throw new UserError(
        'forbidden',
        `Only moderators can use /${def.name}.`,
        'Ask a moderator of this group if you need it done.',
      );
    }
  }

  private async runCommand(ctx: HandlerContext, inv: Invocation): Promise<Reply> {
    if (inv.input.kind !== 'command') throw new Error('unreachable');
    const cmd = this.deps.registry.get(inv.input.name);
    if (!cmd) {
      throw new UserError(
        'unknown_command',
        `There is no command /${inv.input.name}.`,
        'Type /help to see the commands you can use.',
      );
    }
    await this.permit(ctx, cmd.def, cmd.def.access);
    if (!inv.input.fromForm && needsForm(cmd, inv.input.options, ctx.capabilities)) {
      return { text: cmd.def.form!.title, visibility: 'private', form: await buildForm(cmd, ctx, inv.input.options) };
    }
    const parsed = this.deps.registry
      .strictSchema(cmd.def.name)
      .safeParse(coerceOptions(cmd.options, inv.input.options));
    if (!parsed.success)
      throw optionError(parsed.error, cmd.options, this.deps.registry.usage(cmd.def.name), inv.input.options);
    const reply = await cmd.def.run({ ...ctx, options: parsed.data });
    // A read-only command can be run again for any page of its reply: renderers page by this, not by memory.
    return cmd.def.readOnly && !reply.form && !reply.more
      ? { ...reply, more: rerunOf(cmd.def.name, inv.input.options) }
      : reply;
  }

  /**
   * A page button (`_page:<n|all>:<command>?<options>`): re-runs the read-only command it names, with the same
   * access checks as typing it, and answers with page n (replacing the message that carried the button) or, for
   * "Show all" under a channel post, page 1 privately.
   */
  private async runPage(ctx: HandlerContext, inv: Invocation, page: string, key: string): Promise<Reply> {
    const rerun = decodeRerun(key);
    const target = rerun && this.deps.registry.get(rerun.command);
    if (!rerun || !target?.def.readOnly || (page !== SHOW_ALL && !/^\d{1,5}$/.test(page))) {
      throw new UserError('unknown_command', 'That button no longer does anything.', 'Run the command again.');
    }
    const reply = await this.runCommand(ctx, {
      ...inv,
      input: { kind: 'command', name: rerun.command, options: rerun.options ?? {} },
    });
    const index = page === SHOW_ALL ? 0 : Number(page);
    return { ...reply, page: index, visibility: 'private', replaceOriginal: page !== SHOW_ALL };
  }

  private async runAction(ctx: HandlerContext, inv: Invocation): Promise<Reply> {
    if (inv.input.kind !== 'action') throw new Error('unreachable');
    const ref = decodeAction(inv.input.actionId);
    if (ref?.command === PAGE_COMMAND) return this.runPage(ctx, inv, ref.action, ref.arg ?? '');
    const cmd = ref && this.deps.registry.get(ref.command);
    const action = ref && cmd?.def.actions?.[ref.action];
    if (!ref || !cmd || !action) {
      throw new UserError(
        'unknown_command',
        'That button no longer does anything.',
        'Run the command again for a fresh message.',
      );
    }
    await this.permit(ctx, cmd.def, action.access);
    const actionCtx: ActionContext = { ...ctx, arg: ref.arg, value: inv.input.value };
    return action.run(actionCtx);
  }
}

/** Drops processed-interaction records older than the platforms' retry windows. */
export async function pruneProcessedInteractions(db: Db, olderThan: Date): Promise<void> {
  await db.delete(processedInteractions).where(lt(processedInteractions.createdAt, olderThan));
}
