import { randomBytes } from 'node:crypto';

/**
 * Discord custom ids (buttons, selects, modals) are at most 100 characters and come back verbatim. Components sent
 * in a DM carry their server's id (`@<guild>|…`), because an interaction in a DM has no guild: without it the bot
 * could not tell which community a button press belongs to. Nothing here is stored outside the id itself, except
 * long form values (see FormStash).
 */
export const CUSTOM_ID_MAX = 100;

export interface ComponentRef {
  /** `command:action:arg` (src/messages.ts encodeAction). */
  actionId: string;
  guildId?: string;
}

export function componentId(actionId: string, guildId?: string): string {
  const id = guildId ? `@${guildId}|${actionId}` : actionId;
  if (id.length > CUSTOM_ID_MAX) throw new Error(`custom id over ${CUSTOM_ID_MAX} characters: ${id.slice(0, 40)}…`);
  return id;
}

/**
 * The custom id of the i-th select of a long choice (a select holds 25 options, so 60 choices take three):
 * custom ids must differ within a message, and the action they carry is the same, so a `~s<i>` tail tells them
 * apart and is dropped when the choice comes back.
 */
export function selectId(id: string, index: number): string {
  if (index === 0) return id;
  const tailed = `${id}~s${index}`;
  if (tailed.length > CUSTOM_ID_MAX) throw new Error(`custom id over ${CUSTOM_ID_MAX} characters: ${id.slice(0, 40)}…`);
  return tailed;
}

function splitGuild(customId: string): { guildId?: string; rest: string } {
  const m = /^@(\d+)\|(.*)$/s.exec(customId);
  return m ? { guildId: m[1]!, rest: m[2]! } : { rest: customId };
}

export function readComponentId(customId: string): ComponentRef {
  const { guildId, rest: tailed } = splitGuild(customId);
  const rest = tailed.replace(/~s\d+$/, '');
  return guildId ? { actionId: rest, guildId } : { actionId: rest };
}

export interface FormRef {
  command: string;
  hidden: Record<string, string>;
  guildId?: string;
}

/**
 * Values a form carries through unchanged. They go into the modal's custom id when they fit; longer ones wait here
 * for the submission (Discord routes a guild's interactions to the same shard, so the same process sees it; a lost
 * entry after a restart makes the user re-run the command, nothing worse).
 */
export class FormStash {
  private readonly entries = new Map<string, { hidden: Record<string, string>; expires: number }>();
  constructor(private readonly ttlMs = 15 * 60_000) {}

  put(hidden: Record<string, string>): string {
    this.sweep();
    const key = randomBytes(6).toString('hex');
    this.entries.set(key, { hidden, expires: Date.now() + this.ttlMs });
    return key;
  }

  take(key: string): Record<string, string> | undefined {
    const e = this.entries.get(key);
    this.entries.delete(key);
    return e && e.expires > Date.now() ? e.hidden : undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
  }
}

export function formId(form: Omit<FormRef, 'guildId'>, stash: FormStash, guildId?: string): string {
  const prefix = guildId ? `@${guildId}|` : '';
  const inline = `${prefix}form|${form.command}|${JSON.stringify(form.hidden)}`;
  if (inline.length <= CUSTOM_ID_MAX) return inline;
  return `${prefix}form|${form.command}|#${stash.put(form.hidden)}`;
}

/** The form a modal submission answers, or null when the id is not a form's (or its stashed values expired). */
export function readFormId(customId: string, stash: FormStash): FormRef | null {
  const { guildId, rest } = splitGuild(customId);
  const m = /^form\|([^|]+)\|(.*)$/s.exec(rest);
  if (!m) return null;
  const command = m[1]!;
  let hidden: Record<string, string> | undefined;
  if (m[2]!.startsWith('#')) hidden = stash.take(m[2]!.slice(1));
  else {
    try {
      hidden = JSON.parse(m[2]!) as Record<string, string>;
    } catch {
      hidden = undefined;
    }
  }
  if (!hidden) return null;
  return guildId ? { command, hidden, guildId } : { command, hidden };
}
