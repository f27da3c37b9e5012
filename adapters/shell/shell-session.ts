import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AdvanceableClock } from '../../src/clock.js';
import { parseCommandText } from '../../src/commands/parse-text.js';
import { makeModerator } from '../../src/communities/moderators.js';
import type { Core } from '../../src/core.js';
import type { DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { UserError } from '../../src/errors.js';
import { type Content, encodeAction, type FormRequest } from '../../src/messages.js';
import type { Capabilities, MessagePort, PostedRef, ResolvedTarget } from '../../src/platform.js';
import { type ShellMessage, shellMessage } from './shell-message.js';
import { type Directive, parseLine, TranscriptError } from './transcript.js';

export const SHELL_COMMUNITY = { ref: 'local', name: 'Local community' };
export const SHELL_CHANNEL = 'general';

const capabilities: Capabilities = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: false,
  forms: false,
  buttons: true,
  files: true,
};

interface Seen {
  message: ShellMessage;
  /** null: everyone in the channel sees it. */
  audience: Set<string> | null;
}

/**
 * The local adapter: one community, members by name, a clock moved by `:advance`. Both the interactive prompt and
 * `--script` transcripts drive it line by line; every message it shows goes to `sink`.
 */
export class ShellSession implements MessagePort {
  readonly platform = 'shell' as const;
  readonly capabilities = capabilities;
  actor: string;
  /** Channel the commands come from (one group per channel); the shell's own is `general`. */
  channel = SHELL_CHANNEL;
  private seq = 0;
  private readonly seen: Seen[] = [];
  /** The form each member was last asked to fill in (the shell's stand-in for a modal), until `:fill`. */
  private readonly forms = new Map<string, FormRequest>();

  constructor(
    private readonly core: Core,
    private readonly clock: AdvanceableClock,
    private readonly sink: (m: ShellMessage) => void,
    opts: { actor?: string; community?: { ref: string; name: string }; exportDir?: string } = {},
  ) {
    this.actor = opts.actor ?? 'me';
    this.exportDir = opts.exportDir;
    this.community = opts.community ?? SHELL_COMMUNITY;
  }
  private readonly community: { ref: string; name: string };
  /** Where attachments go; unset: a private folder made for this session on its first file. */
  private exportDir: string | undefined;
  /** MessagePort: this session serves its one community only. */
  get communityRefs(): readonly string[] {
    return [this.community.ref];
  }

  /** Runs a whole transcript; a bad line stops it with a TranscriptError naming the line. */
  async runScript(text: string): Promise<void> {
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) await this.runLine(lines[i]!, i + 1);
  }

  /**
   * A line typed at the interactive prompt: a transcript line, except that a command typed without its slash
   * (`help`, `help setup`) runs as that command, and other loose words are told how commands are written
   * rather than given the transcript syntax.
   */
  async runTyped(line: string): Promise<void> {
    const t = line.trim();
    const first = t.split(/\s+/)[0]!.toLowerCase();
    if (t && !/^[/:@#]/.test(t) && this.core.registry.topLevel().includes(first)) return this.runLine(`/${t}`);
    if (t && !/^[/:@#]/.test(t)) {
      throw new TranscriptError(
        0,
        'Commands start with a slash: type /help to see what you can run (and /as NAME to act as someone else).',
      );
    }
    return this.runLine(line);
  }

  async runLine(line: string, lineNo = 0): Promise<void> {
    const d = parseLine(line, lineNo);
    if (d) await this.run(d, lineNo);
  }

  private async run(d: Directive, lineNo: number): Promise<void> {
    switch (d.kind) {
      case 'as':
        this.actor = d.actor;
        return;
      case 'command':
        if (d.actor) this.actor = d.actor;
        return this.command(d.text);
      case 'moderator':
        return this.makeModerator(d.member, lineNo);
      case 'press':
      case 'choose':
        if (d.actor) this.actor = d.actor;
        return this.press(d.kind, d.label, lineNo);
      case 'fill':
        if (d.actor) this.actor = d.actor;
        return this.fill(d.values, lineNo);
      case 'advance':
        this.clock.advance(d.ms);
        await this.core.runDue(this, this.community.ref);
        return;
    }
  }

  private invocation(input: Invocation['input']): Invocation {
    return {
      platform: 'shell',
      community: this.community,
      channelRef: this.channel,
      actor: { platformUserId: this.actor, displayName: this.actor },
      input,
    };
  }

  private async command(text: string): Promise<void> {
    let parsed: { name: string; options: Record<string, string> };
    try {
      parsed = parseCommandText(text, this.core.registry, (raw) => raw.replace(/^@/, '').toLowerCase());
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      this.answer({
        reply: { text: err.hint ? `${err.message}\n${err.hint}` : err.message, visibility: 'private' },
        outcome: 'user_error',
        outgoing: [],
      });
      return;
    }
    await this.core.handle(
      this.invocation({ kind: 'command', name: parsed.name, options: parsed.options }),
      this,
      async (r) => this.answer(r),
    );
  }

  private async press(kind: 'press' | 'choose', label: string, lineNo: number): Promise<void> {
    const want = label.toLowerCase();
    for (let i = this.seen.length - 1; i >= 0; i--) {
      const s = this.seen[i]!;
      if (s.audience && !s.audience.has(this.actor)) continue;
      const c = s.message.content;
      const actionId =
        kind === 'press'
          ? c.buttons?.find((b) => b.label.toLowerCase() === want)?.action
          : c.select?.options.some((o) => o.label.toLowerCase() === want)
            ? c.select.action
            : undefined;
      if (!actionId) continue;
      const value =
        kind === 'choose' ? c.select!.options.find((o) => o.label.toLowerCase() === want)!.value : undefined;
      await this.core.handle(
        this.invocation({ kind: 'action', actionId: encodeAction(actionId), ...(value ? { value } : {}) }),
        this,
        async (r) => {
          if (r.reply.replaceOriginal && r.outcome === 'ok') {
            const updated = shellMessage(s.message.ref, s.message, r.reply, true);
            this.seen[i] = { message: updated, audience: s.audience };
            this.sink(updated);
          } else this.answer(r);
        },
      );
      return;
    }
    throw new TranscriptError(
      lineNo,
      `${this.actor} has no message with ${kind === 'press' ? 'a button' : 'a choice'} “${label}”`,
    );
  }

  /** Submits the actor's pending form with the values typed, as a modal's submission would be. */
  private async fill(values: Record<string, string>, lineNo: number): Promise<void> {
    const form = this.forms.get(this.actor);
    if (!form) throw new TranscriptError(lineNo, `${this.actor} has no form to fill in`);
    const known = new Set(form.fields.map((f) => f.name));
    const unknown = Object.keys(values).filter((k) => !known.has(k));
    if (unknown.length)
      throw new TranscriptError(
        lineNo,
        `the form has no field ${unknown.join(', ')} (fields: ${[...known].join(', ')})`,
      );
    this.forms.delete(this.actor);
    const options: Record<string, string> = { ...(form.hidden ?? {}) };
    for (const f of form.fields) {
      const v = values[f.name] ?? f.value;
      if (v !== undefined && v !== '') options[f.name] = v;
    }
    await this.core.handle(
      this.invocation({ kind: 'command', name: form.command, options, fromForm: true }),
      this,
      async (r) => this.answer(r),
    );
  }

  /** A form as the shell shows it: its fields, and how to answer with `:fill`. */
  private formPrompt(form: FormRequest): string {
    const fields = form.fields.map(
      (f) =>
        `  ${f.name}: ${f.label}${f.required ? ' (required)' : ''}${f.value ? ` [${f.value}]` : f.placeholder ? ` e.g. ${f.placeholder}` : ''}`,
    );
    const example = form.fields
      .filter((f) => f.required)
      .map((f) => `${f.name}:${f.placeholder && !/\s/.test(f.placeholder) ? f.placeholder : '"…"'}`)
      .join(' ');
    return [`Form: ${form.title}`, ...fields, `Answer with :fill ${example || 'field:value'}`].join('\n');
  }

  private answer(r: DispatchResult): void {
    const reply = r.reply;
    if (reply.form) {
      // The shell has no modals: the form becomes a prompt, answered with `:fill field:value …`.
      this.forms.set(this.actor, reply.form);
      reply.text = `${reply.text}\n${this.formPrompt(reply.form)}`;
    }
    const where =
      reply.visibility === 'public'
        ? { to: null, channel: this.channel, private: false }
        : { to: [this.actor], channel: null, private: true };
    this.show(where, reply, where.private ? new Set([this.actor]) : null);
  }

  private show(
    where: Pick<ShellMessage, 'to' | 'channel' | 'private'>,
    content: Content,
    audience: Set<string> | null,
    ref?: string,
    edited = false,
  ): ShellMessage {
    const message = shellMessage(ref ?? `m${++this.seq}`, where, this.saveAttachments(content), edited);
    if (edited) {
      const at = this.seen.findIndex((s) => s.message.ref === ref);
      if (at >= 0) this.seen[at] = { message, audience };
      else this.seen.push({ message, audience });
    } else this.seen.push({ message, audience });
    this.sink(message);
    return message;
  }

  /** The folder files are written to (created private, 0700, when first needed). */
  filesDir(): string {
    if (!this.exportDir) this.exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-files-'));
    else fs.mkdirSync(this.exportDir, { recursive: true, mode: 0o700 });
    // Exports carry members' names and prospects' contacts: only the user running the shell may read them.
    fs.chmodSync(this.exportDir, 0o700);
    return this.exportDir;
  }

  /**
   * The shell has no file uploads: attachments are written to files (0600, in the private folder) and the message
   * says where. A name already there is never overwritten: a second export of the same day gets `-2`, `-3`….
   */
  private saveAttachments(content: Content): Content {
    if (!content.attachments?.length) return content;
    const dir = this.filesDir();
    const lines = content.attachments.map((a) => {
      const safe = a.filename.replace(/[^\w.-]/g, '_');
      const dot = safe.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
      for (let n = 1; ; n++) {
        const file = path.join(dir, n === 1 ? safe : `${stem}-${n}${ext}`);
        try {
          fs.writeFileSync(file, a.data, { flag: 'wx', mode: 0o600 });
          return `(file written to ${file})`;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
    });
    return { ...content, attachments: [], text: [content.text, ...lines].join('\n') };
  }

  /** MessagePort: messages the core sends on its own (DMs, channel posts, group conversations). */
  async send(_community: string, target: ResolvedTarget, content: Content, existing?: PostedRef): Promise<PostedRef> {
    const where =
      target.kind === 'channel'
        ? { to: null, channel: target.channelRef, private: false }
        : target.kind === 'dm'
          ? { to: [target.userId], channel: null, private: true }
          : { to: target.userIds, channel: null, private: true };
    const audience = target.kind === 'channel' ? null : new Set(where.to);
    const m = this.show(where, content, audience, existing?.messageRef, Boolean(existing));
    const channelRef =
      target.kind === 'channel'
        ? target.channelRef
        : target.kind === 'dm'
          ? `dm:${target.userId}`
          : `group:${target.userIds.join(',')}`;
    return { channelRef, messageRef: m.ref };
  }

  private async makeModerator(name: string, lineNo: number): Promise<void> {
    const made = await makeModerator(
      this.core.db,
      { platform: 'shell', community: this.community, channelRef: this.channel },
      { platformUserId: name, displayName: name },
      this.clock.now(),
    );
    if (!made) throw new TranscriptError(lineNo, ':moderator needs a group: run /setup first');
  }
}
