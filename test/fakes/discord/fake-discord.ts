import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIApplicationCommand,
  APIModalInteractionResponseCallbackData,
  GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { Changes, type Signal } from '../../support/eventually.js';
import { DISCORD_GLOBAL, RateWindows } from '../rate-limits.js';
import { FakeGateway } from './fake-gateway.js';
import { type RestRequest, type RestResponse, routeRest } from './fake-rest.js';
import {
  ChannelType,
  type FakeChannel,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  Ids,
  type MessageEvent,
  snapshot,
} from './fake-state.js';
import { guildCreatePayload, readyPayload } from './payloads.js';

export interface RecordedCall {
  method: string;
  path: string;
  query: string;
  body: Record<string, unknown> | null;
  files: { field: string; name: string; size: number }[];
  status: number;
  at: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: string[];
}

interface Fault {
  method: string;
  path: RegExp;
  response: RestResponse;
  times: number;
  /** Hold the request this long, then serve it normally (a timeout when longer than the client waits). */
  stallMs?: number;
}

/**
 * A loopback Discord for tests: real HTTP and WebSocket on 127.0.0.1, so the real discord.js client (undici for
 * REST, ws for the gateway) talks to it unmodified. It keeps channels, messages and interactions, records every
 * REST call, and can be told to refuse a route (429 with Retry-After, 403, …) or a member's DMs.
 */
export class FakeDiscord {
  readonly ids = new Ids();
  readonly applicationId = '1200000000000000001';
  readonly botUser: FakeUser = { id: '1200000000000000002', username: 'roundtable', bot: true };
  readonly token = 'fake-token';
  readonly calls: RecordedCall[] = [];
  readonly events: MessageEvent[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly blockedDms = new Set<string>();
  readonly gateway: FakeGateway;
  private readonly changes = new Changes();
  /**
   * Told after each REST call is recorded (the fake's state, messages and interactions, already updated by it) and
   * each change of the gateway's log or connections: what tests wait on.
   */
  readonly changed: Signal = this.changes.signal;
  private readonly faults: Fault[] = [];
  /** Set by enforceRateLimits: the global limit, and how many requests it refused. */
  rateLimits?: RateWindows;
  private seq = 0;
  private port = 0;

  private constructor(
    private readonly server: Server,
    heartbeatMs: number,
  ) {
    this.gateway = new FakeGateway({
      url: () => this.gatewayUrl,
      ready: () => this.ready(),
      guildCreates: () => [...this.guilds.values()].map((g) => guildCreatePayload(this, g)),
      heartbeatMs,
      changed: () => this.changes.notify(),
    });
    server.on('request', (req, res) => void this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.gateway.upgrade(req, socket, head));
  }

  static async start(opts: { heartbeatMs?: number } = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, opts.heartbeatMs ?? 45_000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** For discord.js `rest.api` (and DISCORD_API_URL): no `/v10`, discord.js appends it. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  gatewayBot() {
    return {
      url: this.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
    };
  }

  private ready(): GatewayReadyDispatchData {
    return readyPayload(this);
  }

  // ── world ──────────────────────────────────────────────────────────────────────────────────────────────

  addUser(username: string): FakeUser {
    const existing = [...this.users.values()].find((u) => u.username === username);
    if (existing) return existing;
    const u = { id: this.ids.next(), username };
    this.users.set(u.id, u);
    return u;
  }

  user(id: string): FakeUser {
    return this.users.get(id) ?? (id === this.botUser.id ? this.botUser : { id, username: id });
  }

  /** A server with text channels; announced with GUILD_CREATE when a bot is already connected. */
  addGuild(name: string, channelNames: string[]): FakeGuild {
    const g: FakeGuild = { id: this.ids.next(), name, channels: [] };
    for (const c of channelNames) g.channels.push(this.addChannel(g, c).id);
    this.guilds.set(g.id, g);
    this.gateway.dispatch('GUILD_CREATE', guildCreatePayload(this, g));
    return g;
  }

  addChannel(g: FakeGuild, name: string): FakeChannel {
    const ch: FakeChannel = {
      id: this.ids.next(),
      name,
      type: ChannelType.GuildText,
      guildId: g.id,
      members: new Set(),
    };
    this.channels.set(ch.id, ch);
    if (this.guilds.has(g.id)) g.channels.push(ch.id);
    return ch;
  }

  channelByName(guildId: string, name: string): FakeChannel | undefined {
    return [...this.channels.values()].find(
      (c) => c.guildId === guildId && c.name === name && c.type === ChannelType.GuildText,
    );
  }

  dmChannel(userId: string): FakeChannel {
    const found = [...this.channels.values()].find((c) => c.type === ChannelType.DM && c.recipientId === userId);
    if (found) return found;
    const ch: FakeChannel = {
      id: this.ids.next(),
      name: `dm-${userId}`,
      type: ChannelType.DM,
      recipientId: userId,
      members: new Set(),
    };
    this.channels.set(ch.id, ch);
    return ch;
  }

  createThread(parentId: string, name: string): FakeChannel {
    const parent = this.channels.get(parentId)!;
    const t: FakeChannel = {
      id: this.ids.next(),
      name,
      type: ChannelType.PrivateThread,
      ...(parent.guildId ? { guildId: parent.guildId } : {}),
      parentId,
      members: new Set(),
    };
    this.channels.set(t.id, t);
    return t;
  }

  // ── messages ───────────────────────────────────────────────────────────────────────────────────────────

  private emit(kind: 'create' | 'edit' | 'delete' | 'defer', m: FakeMessage): void {
    this.events.push({ seq: ++this.seq, kind, message: snapshot(m) });
  }

  createMessage(channelId: string, fields: Partial<FakeMessage>): FakeMessage {
    const m: FakeMessage = {
      id: this.ids.next(),
      channelId,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      edited: false,
      deleted: false,
      ...fields,
    };
    this.messages.set(m.id, m);
    this.emit(m.deferred ? 'defer' : 'create', m);
    return m;
  }

  editMessage(id: string, fields: Partial<FakeMessage>): FakeMessage {
    const m = this.messages.get(id)!;
    Object.assign(m, fields, { edited: true });
    this.emit('edit', m);
    m.deferred = false;
    return m;
  }

  deleteMessage(id: string): void {
    const m = this.messages.get(id)!;
    m.deleted = true;
    this.emit('delete', m);
  }

  /** `@original` or a message id, for the interaction holding this token. */
  webhookMessage(token: string, ref: string): FakeMessage | undefined {
    const i = [...this.interactions.values()].find((x) => x.token === token);
    if (!i) return undefined;
    const id = ref === '@original' ? i.originalId : ref;
    return id ? this.messages.get(id) : undefined;
  }

  showModal(i: FakeInteraction, data: APIModalInteractionResponseCallbackData): void {
    this.events.push({
      seq: ++this.seq,
      kind: 'modal',
      modal: {
        interactionId: i.id,
        userId: i.userId,
        channelId: i.channelId,
        ...(i.guildId ? { guildId: i.guildId } : {}),
        data,
      },
    });
  }

  storeCommands(scope: string, body: unknown): APIApplicationCommand[] {
    const list = (body as Record<string, unknown>[]).map(
      (c) =>
        ({
          ...c,
          id: this.ids.next(),
          application_id: this.applicationId,
          version: this.ids.next(),
          ...(scope === 'global' ? {} : { guild_id: scope }),
        }) as unknown as APIApplicationCommand,
    );
    this.commands.set(scope, list);
    return list;
  }

  /** Sends an interaction over the gateway, remembering it so the bot's callbacks and webhooks can be served. */
  interact(payload: {
    id: string;
    token: string;
    channel?: { id: string };
    guild_id?: string;
    member?: { user: { id: string } };
    user?: { id: string };
    message?: { id: string };
  }): void {
    const userId = payload.member?.user.id ?? payload.user?.id ?? '';
    if (!this.interactions.has(payload.id)) {
      this.interactions.set(payload.id, {
        id: payload.id,
        token: payload.token,
        userId,
        channelId: payload.channel?.id ?? '',
        ...(payload.guild_id ? { guildId: payload.guild_id } : {}),
        ...(payload.message ? { messageId: payload.message.id } : {}),
        acknowledged: false,
        callbacks: [],
      });
    }
    if (!this.gateway.dispatch('INTERACTION_CREATE', payload))
      throw new Error('no bot is connected to the fake gateway');
  }

  // ── faults ─────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Enforces Discord's global limit (rate-limits.ts) from now on: a request over it gets Discord's global 429
   * (`global: true`, Retry-After and X-RateLimit-Global), counted in `rateLimits.refused`. `scale` > 1 speeds the
   * fake's clock up (the pacer must be given the same factor).
   */
  enforceRateLimits(scale = 1): RateWindows {
    this.rateLimits = new RateWindows(DISCORD_GLOBAL, scale);
    return this.rateLimits;
  }

  /** The next `times` requests matching method and path get `response` instead of being served. */
  fail(method: string, path: RegExp, response: RestResponse, times = 1): void {
    this.faults.push({ method, path, response, times });
  }

  /** A 429 with Retry-After (seconds) on a route, the way Discord answers an exceeded per-route limit. */
  rateLimit(method: string, path: RegExp, retryAfterSeconds: number, times = 1): void {
    this.fail(
      method,
      path,
      {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
        headers: {
          'retry-after': String(retryAfterSeconds),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(retryAfterSeconds),
          'x-ratelimit-bucket': 'fake-bucket',
          'x-ratelimit-scope': 'user',
        },
      },
      times,
    );
  }

  /**
   * A 429 of Discord's global limit (every route of the bot waits), answered to the next `times` requests matching
   * method and path: `X-RateLimit-Global` and no bucket headers, as Discord sends it.
   */
  globalRateLimit(method: string, path: RegExp, retryAfterSeconds: number, times = 1): void {
    this.fail(
      method,
      path,
      {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: true },
        headers: {
          'retry-after': String(retryAfterSeconds),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
      },
      times,
    );
  }

  /** The next `times` requests matching method and path are held `ms` before being served. */
  stall(method: string, path: RegExp, ms: number, times = 1): void {
    this.faults.push({ method, path, response: { status: 0 }, times, stallMs: ms });
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────────────────────────────────

  private async readBody(req: IncomingMessage): Promise<Pick<RestRequest, 'body' | 'files'>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    if (raw.length === 0) return { body: null, files: [] };
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', {
        method: 'POST',
        headers: { 'content-type': type },
        body: raw,
      }).formData();
      const files: RestRequest['files'] = [];
      let body: Record<string, unknown> | null = null;
      for (const [field, value] of form.entries()) {
        if (field === 'payload_json') body = JSON.parse(String(value)) as Record<string, unknown>;
        else if (typeof value !== 'string') files.push({ field, name: value.name, size: value.size });
      }
      return { body, files };
    }
    return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const { body, files } = await this.readBody(req);
    const method = req.method ?? 'GET';
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    let response: RestResponse;
    // interaction callbacks are exempt from the global limit (docs/topics/rate-limits.md)
    const overBy = this.rateLimits && !/^\/interactions\//.test(path) ? this.rateLimits.take('global') : 0;
    if (overBy > 0) {
      response = {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: overBy / 1000, global: true },
        headers: {
          'retry-after': String(Math.ceil(overBy / 1000)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
      };
    } else if (fault?.stallMs) {
      fault.times--;
      await new Promise((r) => setTimeout(r, fault.stallMs));
      if (res.destroyed) return;
      response = routeRest(this, { method, path, query: url.searchParams, body, files });
    } else if (fault) {
      fault.times--;
      response = fault.response;
    } else {
      response = routeRest(this, { method, path, query: url.searchParams, body, files });
    }
    this.calls.push({ method, path, query: url.search, body, files, status: response.status, at: performance.now() });
    this.changes.notify();
    res.writeHead(response.status, {
      ...(response.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...response.headers,
    });
    res.end(response.body !== undefined ? JSON.stringify(response.body) : undefined);
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
