import { randomBytes } from 'node:crypto';
import { type Directive, parseLine, TranscriptError } from '../../adapters/shell/transcript.js';
import { type RunningSlack, startSlack } from '../../adapters/slack/slack-app.js';
import { makeModerator } from '../../src/communities/moderators.js';
import { silentLogger } from '../../src/logger.js';
import { FakeSlack, type FakeTeam, type Loose, type Recorded } from '../fakes/slack/fake-slack.js';
import { SlackClient } from '../fakes/slack/signed-client.js';
import { shellHarness } from '../support/shell.js';
import type { Driver, DriverFactory, NormalizedMessage } from './driver.js';
import { blocksToText, findControl } from './slack-blocks.js';

const SECRET = 'contract-signing-secret';

/** A message as the driver saw it, with what `:press` needs to press its buttons. */
interface Seen {
  message: NormalizedMessage;
  blocks: Loose[] | undefined;
  /** Slack channel id the message lives in, and its ts. */
  channel: string;
  ts: string;
  ephemeral: boolean;
  /** Names who can see it; null: the whole channel. */
  audience: Set<string> | null;
}

/**
 * Runs transcripts through the real Bolt app against the loopback fake: members by name become U… ids, channels
 * C… ids; each line is a signed request; what the bot sent (acknowledgement bodies, response_url posts,
 * chat.postEphemeral / postMessage / update, modals) is read back into NormalizedMessages with names.
 */
export const slackDriver: DriverFactory = async (database) => {
  // The core is built exactly as the shell driver's (same registry, clock, due runners); only the platform differs.
  const h = shellHarness(database);
  const fake = await FakeSlack.start();
  const team: FakeTeam = fake.addTeam({
    id: `T${randomBytes(4).toString('hex').toUpperCase()}`,
    name: 'Test community',
  });
  let bot: RunningSlack;
  try {
    bot = await startSlack(
      h.core,
      { PORT: 0, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: team.botToken, SLACK_API_URL: fake.apiUrl },
      silentLogger,
      { retries: 1, timeoutMs: 5000 },
    );
  } catch (err) {
    await fake.close();
    throw err;
  }
  const client = new SlackClient(fake, `http://127.0.0.1:${bot.httpPort}`, SECRET);
  const names = new Names(fake, team);
  const seen: Seen[] = [];
  let actor = 'alice';
  /** The last modal the bot opened, for `:fill`. */
  let openView: { view: Loose; user: string } | null = null;
  let mark = fake.calls.length ? fake.calls[fake.calls.length - 1]!.seq : 0;

  const place = (m: NormalizedMessage, blocks: Loose[] | undefined, channel: string, ts: string, ephemeral: boolean) =>
    seen.push({
      message: m,
      blocks,
      channel,
      ts,
      ephemeral,
      audience: m.channel !== null ? null : new Set(m.to ?? []),
    });

  /** Reads one recorded call (or acknowledgement) into a message, if it is one a member would see. */
  const read = (c: Recorded, out: NormalizedMessage[]) => {
    const a = c.args;
    const shown = () => blocksToText(a.blocks, a.text);
    if (c.kind === 'respond') {
      const t = fake.responseTargets.get(c.method)!;
      if (a.replace_original) return edit(t.channel, t.messageTs ?? '', a, out);
      const m: NormalizedMessage =
        a.response_type === 'in_channel'
          ? { to: null, channel: names.channel(t.channel), private: false, ...shown() }
          : { to: [names.user(t.userId)], channel: null, private: true, ...shown() };
      out.push(m);
      place(m, a.blocks, t.channel, `resp-${c.seq}`, a.response_type !== 'in_channel');
    } else if (c.method === 'chat.postEphemeral') {
      const m: NormalizedMessage = { to: [names.user(a.user)], channel: null, private: true, ...shown() };
      out.push(m);
      place(m, a.blocks, a.channel, c.result?.message_ts ?? `eph-${c.seq}`, true);
    } else if (c.method === 'chat.postMessage') {
      const conv = fake.conversations.get(a.channel);
      const m: NormalizedMessage = conv
        ? { to: conv.users.map((u) => names.user(u)), channel: null, private: true, ...shown() }
        : { to: null, channel: names.channel(a.channel), private: false, ...shown() };
      out.push(m);
      place(m, a.blocks, a.channel, c.result?.ts ?? '', false);
    } else if (c.method === 'chat.update') {
      edit(a.channel, a.ts, a, out);
    } else if (c.method === 'views.open') {
      const v = a.view;
      openView = { view: { ...v, id: c.result?.view?.id }, user: actor };
      const labels = (v.blocks as Loose[]).map((b) => `${b.label.text}${b.optional ? ' (optional)' : ''}`);
      out.push({ to: [actor], channel: null, private: true, text: [v.title.text, ...labels].join('\n'), buttons: [] });
    } else if (c.method === 'files.completeUploadExternal') {
      const last = out[out.length - 1];
      const uploads = fake.calls.filter((x) => x.method === 'files.getUploadURLExternal');
      for (const f of a.files as { id: string; title?: string }[]) {
        const up = uploads.find((x) => x.result?.file_id === f.id);
        if (last) last.text += `\n(attachment ${up?.args.filename ?? f.id}${f.title ? `: ${f.title}` : ''})`;
      }
    }
  };

  const edit = (channel: string, ts: string, a: Loose, out: NormalizedMessage[]) => {
    const at = seen.findIndex((s) => s.channel === channel && s.ts === ts);
    const where = at >= 0 ? seen[at]!.message : { to: null, channel: names.channel(channel), private: false };
    const m: NormalizedMessage = {
      to: where.to,
      channel: where.channel,
      private: where.private,
      ...blocksToText(a.blocks, a.text),
      edited: true,
    };
    out.push(m);
    if (at >= 0) seen[at] = { ...seen[at]!, message: m, blocks: a.blocks };
  };

  /** Waits for the bot's acknowledged work, then reads what it sent since the last look. */
  const collect = async (out: NormalizedMessage[]) => {
    await bot.settled();
    for (const c of fake.calls.filter((x) => x.seq > mark)) read(c, out);
    mark = fake.calls.length ? fake.calls[fake.calls.length - 1]!.seq : mark;
  };

  const ackBody = (body: Loose, channel: string, out: NormalizedMessage[]) => {
    if (!body || typeof body !== 'object' || (!body.text && !body.blocks)) return;
    const fakeCall: Recorded = { seq: 0, kind: 'respond', method: '', args: body, teamId: team.id, at: Date.now() };
    const id = fake
      .responseUrl({ teamId: team.id, channel, userId: names.id(actor) })
      .split('/')
      .pop()!;
    read({ ...fakeCall, method: id }, out);
  };

  const run = async (d: Directive, lineNo: number, out: NormalizedMessage[]) => {
    switch (d.kind) {
      case 'as':
        actor = d.actor;
        return;
      case 'command': {
        if (d.actor) actor = d.actor;
        const [, command = '', text = ''] = /^(\/\S+)\s*([\s\S]*)$/.exec(d.text) ?? [];
        const res = await client.command({
          team,
          user: names.id(actor),
          userName: actor,
          channel: names.channelId('general'),
          command: command.toLowerCase(),
          text: names.slackText(text),
        });
        if (res.status !== 200) throw new Error(`the bot answered ${res.status} to ${d.text}`);
        ackBody(res.body, names.channelId('general'), out);
        return collect(out);
      }
      case 'moderator': {
        const made = await makeModerator(
          h.core.db,
          {
            platform: 'slack',
            community: { ref: team.id, name: team.name },
            channelRef: names.channelId('general'),
          },
          { platformUserId: names.id(d.member), displayName: d.member },
          h.clock.now(),
        );
        if (!made) throw new TranscriptError(lineNo, ':moderator needs a group: run /setup first');
        return;
      }
      case 'press':
      case 'choose': {
        if (d.actor) actor = d.actor;
        for (let i = seen.length - 1; i >= 0; i--) {
          const s = seen[i]!;
          if (s.audience && !s.audience.has(actor)) continue;
          const control = findControl(s.blocks, d.kind, d.label);
          if (!control) continue;
          const res = await client.blockAction({
            team,
            user: names.id(actor),
            userName: actor,
            channel: s.channel,
            messageTs: s.ts,
            ephemeral: s.ephemeral,
            ...control,
          });
          if (res.status !== 200) throw new Error(`the bot answered ${res.status} to ${d.kind} ${d.label}`);
          return collect(out);
        }
        throw new TranscriptError(
          lineNo,
          `${actor} has no message with ${d.kind === 'press' ? 'a button' : 'a choice'} “${d.label}”`,
        );
      }
      case 'fill': {
        if (d.actor) actor = d.actor;
        const open = openView;
        openView = null;
        if (!open || open.user !== actor) throw new TranscriptError(lineNo, `${actor} has no form to fill in`);
        const res = await client.viewSubmission({
          team,
          user: names.id(actor),
          userName: actor,
          view: open.view,
          values: d.values,
        });
        if (res.status !== 200) throw new Error(`the bot answered ${res.status} to :fill`);
        ackBody(res.body, names.channelId('general'), out);
        return collect(out);
      }
      case 'advance':
        h.clock.advance(d.ms);
        await h.core.runDue(bot.port, team.id);
        return collect(out);
    }
  };

  return {
    platform: 'slack',
    async run(script) {
      const out: NormalizedMessage[] = [];
      const lines = script.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        const d = parseLine(lines[i]!, i + 1);
        if (d) await run(d, i + 1, out);
      }
      return out;
    },
    async close() {
      await bot.stop();
      await fake.close();
    },
  } satisfies Driver;
};

/** Member names ↔ Slack user ids and channel names ↔ channel ids, registered with the fake as they appear. */
class Names {
  private readonly ids = new Map<string, string>();
  private readonly byId = new Map<string, string>();
  private readonly channels = new Map<string, string>();
  private readonly channelNames = new Map<string, string>();

  constructor(
    private readonly fake: FakeSlack,
    private readonly team: FakeTeam,
  ) {}

  id(name: string): string {
    let id = this.ids.get(name);
    if (!id) {
      id = `U${String(this.ids.size + 1).padStart(8, '0')}`;
      this.ids.set(name, id);
      this.byId.set(id, name);
      this.fake.addUser({ id, teamId: this.team.id, name });
    }
    return id;
  }

  user(id: string): string {
    return this.byId.get(id) ?? id;
  }

  channelId(name: string): string {
    let id = this.channels.get(name);
    if (!id) {
      id = `C${String(this.channels.size + 1).padStart(8, '0')}`;
      this.channels.set(name, id);
      this.channelNames.set(id, name);
    }
    return id;
  }

  channel(id: string): string {
    return this.channelNames.get(id) ?? id;
  }

  /** What Slack sends for typed text: `@bob` becomes `<@U…|bob>`, `key:#intros` becomes `key:<#C…|intros>`. */
  slackText(text: string): string {
    return text
      .replace(/(^|[\s:"“])@([a-z0-9][a-z0-9._-]{0,31})/gi, (_m, pre: string, n: string) => {
        const name = n.toLowerCase();
        return `${pre}<@${this.id(name)}|${name}>`;
      })
      .replace(/(:)#([a-z][a-z0-9_-]{0,79})/gi, (_m, pre: string, n: string) => `${pre}<#${this.channelId(n)}|${n}>`);
  }
}
