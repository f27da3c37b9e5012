import type { Db } from '../../db/client.js';
import type { ActionDefinition, ObjectScope } from '../commands/define.js';
import type { RegisteredCommand, Registry } from '../commands/registry.js';
import { UserError } from '../errors.js';
import { type ActionRef, decodeAction, GROUP_OPTION } from '../messages.js';
import { decodeRerun, PAGE_COMMAND, SHOW_ALL } from '../render/pages.js';
import type { Invocation } from './invocation.js';

/**
 * What an invocation runs (a command, a page of a read-only command, or a button's action) and the group it names
 * before anything about the actor is known: the group of the object its id or button names, or the group a button,
 * page or form carries. The dispatcher then decides, once, whether the actor may act there.
 */
export type Target =
  | {
      kind: 'command';
      cmd: RegisteredCommand;
      options: Record<string, unknown>;
      what: string;
      /** Run from a page button: the page asked for (`all` or a number). */
      page?: string;
    }
  | { kind: 'action'; cmd: RegisteredCommand; action: ActionDefinition; ref: ActionRef; what: string };

export interface Wanted {
  groupId: number;
  source: 'object' | 'button';
  /** For an object: its "does not exist" answer, also given when the actor has no right to its group. */
  missing?: UserError;
}

async function objectGroup(db: Db, communityId: number, scope: ObjectScope, key: number): Promise<Wanted> {
  const groupId = await scope.groupOf(db, communityId, key);
  if (groupId === null) throw scope.missing(key);
  return { groupId, source: 'object', missing: scope.missing(key) };
}

/** The group an invocation names: the object its id or button names, or the group a button or form carries. */
export async function invocationTarget(
  registry: Registry,
  db: Db,
  communityId: number,
  inv: Invocation,
): Promise<{ target: Target; wanted: Wanted | null; bootstrap: boolean }> {
  const input = inv.input;
  if (input.kind === 'command') {
    const cmd = registry.get(input.name);
    if (!cmd) {
      throw new UserError(
        'unknown_command',
        `There is no command /${input.name}.`,
        'Type /help to see the commands you can use.',
      );
    }
    return commandTarget(db, communityId, cmd, input.options);
  }
  const ref = decodeAction(input.actionId);
  if (ref?.command === PAGE_COMMAND) {
    // A page button re-runs a read-only command, with the same access checks as typing it.
    const rerun = decodeRerun(ref.arg ?? '');
    const cmd = rerun && registry.get(rerun.command);
    if (!rerun || !cmd?.def.readOnly || (ref.action !== SHOW_ALL && !/^\d{1,5}$/.test(ref.action))) {
      throw new UserError('unknown_command', 'That button no longer does anything.', 'Run the command again.');
    }
    return commandTarget(db, communityId, cmd, rerun.options ?? {}, ref.action);
  }
  const cmd = ref && registry.get(ref.command);
  const action = ref && cmd?.def.actions?.[ref.action];
  if (!ref || !cmd || !action) {
    throw new UserError(
      'unknown_command',
      'That button no longer does anything.',
      'Run the command again for a fresh message.',
    );
  }
  const target: Target = { kind: 'action', cmd, action, ref, what: 'that button' };
  const scope = action.scope;
  const raw = scope?.fromArg ? scope.fromArg(ref.arg ?? '') : ref.arg;
  const key = scope ? scope.key(raw) : null;
  if (scope && key !== null)
    return { target, wanted: await objectGroup(db, communityId, scope, key), bootstrap: false };
  return {
    target,
    wanted: ref.group !== undefined ? { groupId: ref.group, source: 'button' } : null,
    bootstrap: false,
  };
}

/** A command's target: its object's group (scope), else the group its form or page button carries. */
async function commandTarget(
  db: Db,
  communityId: number,
  cmd: RegisteredCommand,
  raw: Record<string, unknown>,
  page?: string,
): Promise<{ target: Target; wanted: Wanted | null; bootstrap: boolean }> {
  const { [GROUP_OPTION]: carried, ...options } = raw;
  const target: Target = {
    kind: 'command',
    cmd,
    options,
    what: `/${cmd.def.name}`,
    ...(page !== undefined ? { page } : {}),
  };
  const scope = cmd.def.scope;
  const key = scope ? scope.key(options[scope.option]) : null;
  if (scope && key !== null)
    return { target, wanted: await objectGroup(db, communityId, scope, key), bootstrap: false };
  const groupId = Number(carried);
  const wanted: Wanted | null =
    carried !== undefined && Number.isInteger(groupId) ? { groupId, source: 'button' } : null;
  return { target, wanted, bootstrap: Boolean(cmd.def.bootstrap) };
}
