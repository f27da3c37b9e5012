import { sql } from 'drizzle-orm';
import { unescapeMarkdown } from '../../adapters/discord/markdown.js';
import { type Directive, parseLine, TranscriptError } from '../../adapters/shell/transcript.js';
import { type Db, rowsOf } from '../../db/client.js';
import { parseCommandText } from '../../src/commands/parse-text.js';
import { makeModerator } from '../../src/communities/moderators.js';
import { UserError } from '../../src/errors.js';
import type { ShownModal } from '../fakes/discord/fake-state.js';
import { ChannelType, type FakeMessage, isEphemeral, type MessageEvent } from '../fakes/discord/fake-state.js';
import { DiscordHarness } from '../fakes/discord/harness.js';
import type { Driver, DriverFactory, NormalizedMessage } from './driver.js';

const HOME = 'general';

/**
 * Runs transcripts through the real discord.js client against the fake: `@alice /setup …` becomes a typed slash
 * command from the fake user alice in #general, `:press` presses a real button on a message the bot sent, a modal
 * the bot opens is submitted with what it was prefilled with (the options the line gave), and everything the bot
 * sent — callbacks, follow-ups, DMs, channel posts, thread messages — is read back as NormalizedMessages with names.
 */
export const discordDriver: DriverFactory = async (database) => {
  const h = await DiscordHarness.start(database);
  let actor = 'alice';
  const extra: NormalizedMessage[] = [];
  /** A modal left open for the next line's `:fill` (instead of being submitted with its prefilled values). */
  let held: ShownModal | null = null;

  const name = (userId: string) => h.fake.users.get(userId)?.username ?? userId;

  /** Who sees a message, in the contract's terms. */
  function audience(m: FakeMessage): Pick<NormalizedMessage, 'to' | 'channel' | 'private'> {
    const ch = h.fake.channels.get(m.channelId)!;
    if (ch.type === ChannelType.DM) return { to: [name(ch.recipientId!)], channel: null, private: true };
    if (ch.type === ChannelType.PrivateThread) return { to: [...ch.members].map(name), channel: null, private: true };
    if (isEphemeral(m)) return { to: [name(m.interactionUserId!)], channel: null, private: true };
    return { to: null, channel: ch.name, private: false };
  }

  const visibleTo = (m: FakeMessage, userName: string): boolean => {
    const a = audience(m);
    return a.to === null || a.to.includes(userName);
  };

  /** The events of one run as the contract's messages; a deferred placeholder shows once it is filled in. */
  function normalize(events: MessageEvent[]): NormalizedMessage[] {
    const out: NormalizedMessage[] = [];
    const placeholders = new Set<string>();
    for (const e of events) {
      if (e.kind === 'modal' || e.kind === 'delete') continue;
      if (e.kind === 'defer') {
        placeholders.add(e.message.id);
        continue;
      }
      const m = e.message;
      const edited = e.kind === 'edit' && !placeholders.delete(m.id);
      out.push({ ...audience(m), text: messageText(m), buttons: buttonLabels(m), ...(edited ? { edited: true } : {}) });
    }
    return out;
  }

  async function submitModals(from: number, hold: boolean): Promise<void> {
    for (let i = from; i < h.fake.events.length; i++) {
      const e = h.fake.events[i]!;
      if (e.kind !== 'modal') continue;
      if (hold) held = e.modal;
      else await h.submit(e.modal);
    }
  }

  async function command(text: string): Promise<void> {
    let parsed: { name: string; options: Record<string, string> };
    try {
      parsed = parseCommandText(text, h.core.registry, (raw) => raw.replace(/^@/, '').toLowerCase());
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      // Discord's own client refuses such a line before it is sent; the member sees why, privately.
      extra.push({
        to: [actor],
        channel: null,
        private: true,
        text: err.hint ? `${err.message}\n${err.hint}` : err.message,
        buttons: [],
      });
      return;
    }
    await h.slash(actor, parsed.name, parsed.options);
  }

  async function press(kind: 'press' | 'choose', label: string, lineNo: number): Promise<void> {
    const want = label.toLowerCase();
    const messages = [...h.fake.messages.values()].filter((m) => !m.deleted && !m.deferred && visibleTo(m, actor));
    for (const m of messages.reverse()) {
      const components = m.components.flatMap((r) => r.components);
      const has =
        kind === 'press'
          ? components.some((c) => 'label' in c && c.label?.toLowerCase() === want)
          : components.some((c) => 'options' in c && c.options?.some((o) => o.label.toLowerCase() === want));
      if (!has) continue;
      if (kind === 'press') await h.press(actor, m, label);
      else await h.choose(actor, m, label);
      return;
    }
    throw new TranscriptError(
      lineNo,
      `${actor} has no message with ${kind === 'press' ? 'a button' : 'a choice'} “${label}”`,
    );
  }

  async function run(d: Directive, lineNo: number, holdModals: boolean): Promise<void> {
    const before = h.fake.events.length;
    switch (d.kind) {
      case 'as':
        actor = d.actor;
        return;
      case 'command':
        if (d.actor) actor = d.actor;
        await command(d.text);
        break;
      case 'moderator': {
        const user = h.user(d.member);
        const made = await makeModerator(
          h.core.db,
          { platform: 'discord', community: { ref: h.guild.id, name: h.guild.name }, channelRef: h.channel(HOME).id },
          { platformUserId: user.id, displayName: user.username },
          h.clock.now(),
        );
        if (!made) throw new TranscriptError(lineNo, ':moderator needs a group: run /setup first');
        return;
      }
      case 'press':
      case 'choose':
        if (d.actor) actor = d.actor;
        await press(d.kind, d.label, lineNo);
        break;
      case 'fill': {
        if (d.actor) actor = d.actor;
        const modal = held;
        held = null;
        if (!modal || name(modal.userId) !== actor)
          throw new TranscriptError(lineNo, `${actor} has no form to fill in`);
        await h.submit(modal, d.values);
        break;
      }
      case 'advance':
        h.clock.advance(d.ms);
        await h.core.runDue(h.bot.port, h.guild.id);
        // Discord opens DMs gradually: like a running bot's next ticks, let a paced fan-out finish (bounded).
        for (let i = 0; i < 20 && (await pendingOutbox(h.core.db, h.guild.id)) > 0; i++)
          await h.core.runDue(h.bot.port, h.guild.id);
        return;
    }
    await submitModals(before, holdModals);
  }

  const driver: Driver = {
    platform: 'discord',
    async run(script) {
      const out: NormalizedMessage[] = [];
      const lines = script.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const d = parseLine(lines[i]!, i + 1);
        if (!d) continue;
        const start = h.fake.events.length;
        extra.length = 0;
        // A modal this line opens waits for the next line when that line fills it in.
        let next: Directive | null = null;
        for (let j = i + 1; j < lines.length && !next; j++) next = parseLine(lines[j]!, j + 1);
        await run(d, i + 1, next?.kind === 'fill');
        out.push(...extra, ...normalize(h.fake.events.slice(start)));
      }
      return out;
    },
    close: () => h.close(),
  };
  return driver;
};

/** The message's visible text in the shell's layout: content, cards as ┌│└ blocks, lists as bullets, components. */
export function messageText(m: FakeMessage): string {
  const lines: string[] = [];
  const u = unescapeMarkdown;
  if (m.content && m.content !== '\u200b') lines.push(u(m.content));
  for (const e of m.embeds) {
    if (e.fields) {
      lines.push(`┌ ${u(e.title ?? '')}${e.description ? ` — ${u(e.description)}` : ''}`);
      for (const f of e.fields) {
        const value = u(f.value).replace(/\n/g, '\n│   ');
        // A field over 1,024 goes on in the next one, named "… (continued)".
        if (f.name.endsWith(' (continued)')) lines[lines.length - 1] += value;
        else lines.push(`│ ${u(f.name)}: ${value}`);
      }
      lines.push(e.footer ? `└ ${e.footer.text}` : '└');
    } else {
      if (e.title) lines.push(u(e.title));
      if (e.description) lines.push(u(e.description));
    }
  }
  const components = m.components.flatMap((r) => r.components);
  for (const c of components) {
    if ('options' in c && 'placeholder' in c)
      lines.push(`${c.placeholder}: ${c.options?.map((o) => o.label).join(' | ')}`);
  }
  const buttons = buttonLabels(m);
  if (buttons.length) lines.push(buttons.map((b) => `[${b}]`).join(' '));
  for (const a of m.attachments) lines.push(`(attachment ${a.filename}${a.description ? `: ${a.description}` : ''})`);
  return lines.join('\n');
}

function buttonLabels(m: FakeMessage): string[] {
  return m.components
    .flatMap((r) => r.components)
    .flatMap((c) => ('label' in c && c.label && !('options' in c) ? [c.label] : []));
}

/** Messages still queued in the outbox for this guild's community. */
async function pendingOutbox(db: Db, guildId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from outbox o join communities c on c.id = o.community_id where c.platform_ref = ${guildId} and o.status in ('pending', 'sending')`,
    ),
  );
  return Number(row?.n ?? 0);
}
