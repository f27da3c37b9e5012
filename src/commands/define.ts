import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { CommunityRow, GroupRow, MemberRow, MembershipRow } from '../communities/rows.js';
import type { Logger } from '../logger.js';
import type { OutgoingMessage, Reply } from '../messages.js';
import type { Capabilities, Platform } from '../platform.js';
import type { Random } from '../random.js';
import type { RegisteredCommand } from './registry.js';

/** Who may run a command or press a button. */
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
  /** The group of the channel the command came from, else the community's first group; null before /setup. */
  group: GroupRow | null;
  actor: MemberRow;
  /** The actor's membership of `group`, if any. */
  membership: MembershipRow | null;
  isModerator: boolean;
  channelRef: string;
  /** Time zone for new groups (DEFAULT_TIMEZONE). */
  defaultTimezone: string;
  /** Queue a message to others; it is delivered only after the transaction commits. */
  send(message: OutgoingMessage): void;
  /** The member with this platform user id (created on first mention), in this community only. */
  resolveMember(platformUserId: string): Promise<MemberRow>;
  /** The group, or a user error telling a moderator to run /setup. */
  requireGroup(): GroupRow;
  /** Every registered command with its described options (for /help). */
  commands: readonly RegisteredCommand[];
}

export interface CommandContext<O> extends HandlerContext {
  options: O;
}

export interface ActionContext extends HandlerContext {
  arg: string | undefined;
  /** Selected value of a select menu. */
  value: string | undefined;
}

export interface ActionDefinition {
  access: Access;
  run(ctx: ActionContext): Promise<Reply>;
}

export interface FormSpec<O> {
  title: string;
  /** At most five: Discord modals hold five inputs. */
  fields: (keyof O & string)[];
  /** Current values for editing (a profile being changed). */
  prefill?(ctx: HandlerContext): Promise<Partial<Record<keyof O & string, string>>>;
}

export interface CommandDefinition<S extends z.ZodObject = z.ZodObject> {
  /** `intro`, or `pair join` for a subcommand. */
  name: string;
  description: string;
  options: S;
  access: Access;
  /** May run in a community with no group yet (only /setup). */
  bootstrap?: boolean;
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
  run(ctx: CommandContext<z.infer<S>>): Promise<Reply>;
  /** Button and select handlers, addressed as `name:action:arg`. */
  actions?: Record<string, ActionDefinition>;
}

/** Declares a command; the identity function exists so the options type flows into the handler. */
export function defineCommand<S extends z.ZodObject>(def: CommandDefinition<S>): CommandDefinition<S> {
  if (def.form && def.form.fields.length > 5) throw new Error(`${def.name}: a form holds at most 5 fields`);
  return def;
}
