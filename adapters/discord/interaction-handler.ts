import { type BaseMessageOptions, type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Core } from '../../src/core.js';
import type { DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Logger } from '../../src/logger.js';
import type { Reply } from '../../src/messages.js';
import type { FormStash } from './custom-ids.js';
import { toInvocation, verifyChannels } from './interaction-input.js';
import type { DiscordMessagePort } from './message-port.js';
import { type RenderedMessage, renderContent, renderModal } from './render.js';

export interface InteractionOptions {
  /**
   * Discord drops an interaction not answered within 3 s. When dispatch has not finished after this long, the bot
   * defers (a "thinking…" state) and edits the answer in later.
   */
  deferAfterMs: number;
}

function messageOptions(r: RenderedMessage): BaseMessageOptions {
  return {
    content: r.content,
    embeds: r.embeds,
    components: r.components,
    files: r.files.map((f) => ({
      attachment: f.data,
      name: f.name,
      ...(f.description ? { description: f.description } : {}),
    })),
    allowedMentions: { parse: [] },
  };
}

const ephemeral = (isPrivate: boolean): { flags?: MessageFlags.Ephemeral } =>
  isPrivate ? { flags: MessageFlags.Ephemeral } : {};

/**
 * Answers one interaction exactly once, whichever came first: the dispatcher's reply or the defer deadline. After a
 * defer the reply edits the deferred message; when the guess about privacy was wrong it is corrected with a
 * follow-up (an ephemeral defer cannot become public, nor the reverse).
 */
class Responder {
  private deferral: Promise<void> | null = null;
  private mode: 'none' | 'private' | 'public' | 'update' = 'none';

  constructor(
    private readonly i: RepliableInteraction,
    private readonly guessPrivate: boolean,
    private readonly stash: FormStash,
    private readonly log: Logger,
  ) {}

  defer(): void {
    const i = this.i;
    this.deferral = (async () => {
      if (i.isMessageComponent()) {
        await i.deferUpdate();
        this.mode = 'update';
      } else {
        await i.deferReply(ephemeral(this.guessPrivate));
        this.mode = this.guessPrivate ? 'private' : 'public';
      }
    })().catch((err: Error) => this.log.warn({ err: { message: err.message } }, 'discord defer failed'));
  }

  async answer(reply: Reply, dmGuildId: string | undefined): Promise<void> {
    if (this.deferral) await this.deferral;
    const i = this.i;
    let r = reply;
    if (r.form) {
      if (this.mode === 'none' && !i.isModalSubmit()) {
        await i.showModal(renderModal(r.form, this.stash, dmGuildId));
        return;
      }
      // A modal can only be the first answer; after a defer the member is told to run the command again.
      r = { ...r, form: undefined, text: `${r.text}\nRun the command again to open the form.` };
    }
    const isPrivate = r.visibility !== 'public';
    // A public answer is a channel post: too long, it shows its first page and "Show all" answers privately.
    const how = { ...(dmGuildId ? { guildId: dmGuildId } : {}), post: !isPrivate };
    const rendered = renderContent(r, how);
    await this.first(r, isPrivate, messageOptions(rendered));
    // A long answer no command can page goes on in follow-ups, in order.
    for (let page = 1; page < rendered.parts; page++) {
      await i.followUp({ ...messageOptions(renderContent({ ...r, page }, how)), ...ephemeral(isPrivate) });
    }
  }

  /** The answer's first message, by how the interaction stands (answered, deferred, a button's update). */
  private async first(r: Reply, isPrivate: boolean, opts: BaseMessageOptions): Promise<void> {
    const i = this.i;
    switch (this.mode) {
      case 'none':
        if (r.replaceOriginal && i.isMessageComponent()) await i.update(opts);
        else await i.reply({ ...opts, ...ephemeral(isPrivate) });
        return;
      case 'update':
        if (r.replaceOriginal) await i.editReply(opts);
        else await i.followUp({ ...opts, ...ephemeral(isPrivate) });
        return;
      default:
        if ((this.mode === 'private') === isPrivate) await i.editReply(opts);
        else if (isPrivate) {
          await i.deleteReply();
          await i.followUp({ ...opts, ...ephemeral(true) });
        } else {
          await i.editReply({ content: 'Done: posted in the channel.', embeds: [], components: [] });
          await i.followUp(opts);
        }
    }
  }
}

/** Slash commands, buttons, selects and modal submissions: translate, dispatch through the core, answer in time. */
export class InteractionHandler {
  /** Whether each command's last reply was private: the best guess for how to defer its next one. */
  private readonly lastPrivate = new Map<string, boolean>();

  constructor(
    private readonly core: Core,
    private readonly port: DiscordMessagePort,
    private readonly stash: FormStash,
    private readonly opts: InteractionOptions,
  ) {}

  async handle(i: Interaction): Promise<DispatchResult | null> {
    if (!i.isRepliable()) return null;
    const log = this.core.log;
    const t = toInvocation(i, this.stash);
    if (!t) return null;
    if (!t.ok) {
      await i.reply({ content: t.reason, ...ephemeral(true) });
      return null;
    }
    let inv = t.invocation;
    const key = inv.input.kind === 'command' ? inv.input.name : inv.input.actionId.split(':')[0]!;
    const responder = new Responder(i, this.lastPrivate.get(key) ?? true, this.stash, log);
    const timer = setTimeout(() => responder.defer(), this.opts.deferAfterMs);
    const dmGuildId = i.guildId ? undefined : inv.community.ref;
    try {
      // After the defer timer is set: a slow channel lookup still answers Discord within its 3 seconds.
      inv = await verifyChannels(i, inv);
      return await this.core.handle(inv, this.port, async (result) => {
        clearTimeout(timer);
        // The first delivery was answered; Discord refuses a second answer to the same interaction.
        if (result.outcome === 'duplicate') return;
        if (inv.input.kind === 'command') this.lastPrivate.set(key, result.reply.visibility !== 'public');
        try {
          await responder.answer(result.reply, dmGuildId);
        } catch (err) {
          // Committed work and messages to others still go out when the answer itself fails (expired token).
          log.error(
            { command: key, interactionId: i.id, err: { message: (err as Error).message } },
            'discord answer failed',
          );
        }
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
