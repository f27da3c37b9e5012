import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { CommunityRow, GroupRow, MemberRow, MembershipRow } from '../communities/rows.js';
import type { NamedMember } from '../dispatch/named-member.js';
import type { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OutgoingMessage, Reply } from '../messages.js';
import type { Capabilities, Platform } from '../platform.js';
import type { Random } from '../random.js';
import type { RegisteredCommand } from './registry.js';

/**
 * Who may run a command or press a button, decided by the dispatcher for the group the invocation acts on:
 * `anyone` (even someone who never joined), `member` (an active member of that group), `moderator` (a moderator of
 * that group, or the server owner / workspace admin, who can always recover a group).
 */
export type Access = 'anyone' | 'member' | 'moderator';

/** What every handler gets: the transaction, the actor, their group, and a way to message others. */
export interface HandlerContext {
  db: Db;
  clock: Clock;
  random: Random;
  log: Logger;
  platform: Platform;
  capabilities: Capabilities;
  community: CommunityRow;
  /**
   * The group this invocation acts on, decided once by the dispatcher: the group of the object a button or an id
   * names, else the button's own group, else the channel's, else (a DM) the only group that fits. Null before /setup
   * or when a DM could mean several groups (requireGroup() then says so).
   */
  group: GroupRow | null;
  actor: MemberRow;
  /** The actor's membership of `group`, if any (any status: active, applicant, left, removed). */
  membership: MembershipRow | null;
  /** A moderator of `group` (or the platform's admin). */
  isModerator: boolean;
  channelRef: string;
  /** Time zone for new groups (DEFAULT_TIMEZONE). */
  defaultTimezone: string;
  /** Queue a message to others; it is delivered only after the transaction commits. */
  send(message: OutgoingMessage): void;
  /**
   * The member with this platform user id, in this community only: in a command acting on a group, someone with a
   * place in it (their membership comes along); in a community-level one, anyone (created on first mention).
   */
  resolveMember(platformUserId: string): Promise<NamedMember>;
  /** The group, or a user error: no group yet (run /setup), or a DM that could mean several groups. */
  requireGroup(): GroupRow;
  /** Every registered command with its described options (for /help). */
  commands: readonly RegisteredCommand[];
}

/** What `member` guarantees: the group, and the actor's active membership of it. */
export interface MemberContext extends HandlerContext {
  group: GroupRow;
  membership: MembershipRow;
}

/** What `moderator` guarantees: the group, moderated by the actor (an admin may hold no membership). */
export interface ModeratorContext extends HandlerContext {
  group: GroupRow;
  isModerator: true;
}

/** The context a level guarantees. */
export type ContextFor<A extends Access> = A extends 'member'
  ? MemberContext
  : A extends 'moderator'
    ? ModeratorContext
    : HandlerContext;

export type CommandContext<O, A extends Access = Access> = ContextFor<A> & { options: O };

export type ActionContext<A extends Access = Access> = ContextFor<A> & {
  arg: string | undefined;
  /** Selected value of a select menu. */
  value: string | undefined;
};

/**
 * How the dispatcher finds the group of the object an id names (a referral number, an application id), so rights
 * and settings come from the object's group whatever channel it is used in. An id that does not exist in this
 * community, or whose group the actor has no right to at the level asked, gets `missing`: the same answer either way.
 */
export interface ObjectScope {
  /** The id as the object's key, or null when it is not one (the option's schema then explains). */
  key(raw: unknown): number | null;
  /** The object's group, or null when no such object exists in the community. */
  groupOf(db: Db, communityId: number, key: number): Promise<number | null>;
  missing(key: number): UserError;
}

interface ActionOf<A extends Access> {
  access: A;
  /** The button's arg names an object; its group is the group the press acts on. */
  scope?: ObjectScope & { fromArg?: (arg: string) => unknown };
  run(ctx: ActionContext<A>): Promise<Reply>;
}

export type ActionDefinition = ActionOf<'anyone'> | ActionOf<'member'> | ActionOf<'moderator'>;

export interface FormSpec<O> {
  title: string;
  /** At most five: Discord modals hold five inputs. */
  fields: (keyof O & string)[];
  /** Current values for editing (a profile being changed). */
  prefill?(ctx: HandlerContext): Promise<Partial<Record<keyof O & string, string>>>;
}

export interface CommandDefinition<S extends z.ZodObject = z.ZodObject, A extends Access = Access> {
  /** `intro`, or `pair join` for a subcommand. */
  name: string;
  description: string;
  options: S;
  access: A;
  /**
   * Creates groups (only /setup): in a group's home channel it needs a moderator of that group; elsewhere a
   * moderator of any group here (or an admin), or nobody at all while the community has no group yet.
   */
  bootstrap?: boolean;
  /** An option naming an object (`id`): the object's group is the group the command acts on. */
  scope?: ObjectScope & { option: keyof z.infer<S> & string };
  /**
   * Only reads (lists, balances, reports): runs outside a transaction, saving BEGIN and COMMIT (two of its four
   * round trips). Its interaction id is recorded after it succeeds, so a duplicate delivery is still answered once.
   * The writes it may make are the dispatcher's idempotent upkeep of members (one seen for the first time, a
   * changed display name, a mentioned person met for the first time), which then stand even if the command fails.
   * test/core/read-only-commands.test.ts runs each such command and checks that no table changed.
   */
  readOnly?: boolean;
  /** Option that takes loose words (`/find leaking roof`). */
  positional?: keyof z.infer<S> & string;
  /** Shown as a form where the platform has forms and the command arrives without its required options. */
  form?: FormSpec<z.infer<S>>;
  /** Example invocations for /help. */
  examples?: string[];
  run(ctx: CommandContext<z.infer<S>, A>): Promise<Reply>;
  /** Button and select handlers, addressed as `name:action:arg`. */
  actions?: Record<string, ActionDefinition>;
}

/** Declares a command; the identity function exists so the options type flows into the handler. */
export function defineCommand<S extends z.ZodObject, A extends Access>(
  def: CommandDefinition<S, A>,
): CommandDefinition<S, A> {
  if (def.form && def.form.fields.length > 5) throw new Error(`${def.name}: a form holds at most 5 fields`);
  return def;
}
