import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { Changes, eventually, type Signal } from '../../support/eventually.js';
import { RateWindows, SLACK_POST_PER_CHANNEL } from '../rate-limits.js';
import { checkMessageArgs, checkView, type SlackRefusal } from './validate-blocks.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded payloads are read loosely by tests, as Slack's JSON is.
export type Loose = any;

/** One thing the bot did against the fake: a Web API call, a response_url post, or an upload. */
export interface Recorded {
  seq: number;
  kind: 'api' | 'respond' | 'upload';
  method: string;
  /** Parsed arguments; `blocks`, `view`, `file_uploads` decoded from their JSON strings. */
  args: Record<string, Loose>;
  teamId: string | null;
  at: number;
  /** What the fake answered (Web API calls). */
  result?: Record<string, Loose>;
}

export interface FakeTeam {
  id: string;
  name: string;
  domain: string;
  botToken: string;
  botUserId: string;
  botId: string;
}

export interface FakeChannel {
  id: string;
  teamId: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
  isArchived: boolean;
}

export interface FakeUser {
  id: string;
  teamId: string;
  name: string;
  displayName?: string;
  isAdmin?: boolean;
  isBot?: boolean;
}

/** What a response_url belongs to, so a test or driver can tell where a respond() post landed. */
export interface ResponseTarget {
  teamId: string;
  channel: string;
  userId: string;
  /** For button presses: the message that carried the button. */
  messageTs?: string;
}

/** A Web API call as the fake's hook sees it. */
export interface ApiCall {
  method: string;
  args: Record<string, Loose>;
  teamId: string | null;
}

type Handler = (args: Record<string, Loose>, team: FakeTeam | null) => Record<string, unknown>;

/**
 * A loopback Slack: the Web API methods the bot uses on 127.0.0.1 (port 0), response_url endpoints, file upload
 * URLs, and a Socket Mode WebSocket. It records every call in order and can answer `ratelimited` (429 +
 * Retry-After) or an error for chosen calls.
 */
export class FakeSlack {
  readonly calls: Recorded[] = [];
  private readonly changes = new Changes();
  /** Told of each call recorded, once the fake has acted on it (its `result` set): what tests wait on. */
  readonly changed: Signal = this.changes.signal;
  readonly teams = new Map<string, FakeTeam>();
  readonly users = new Map<string, FakeUser>();
  /** Channels by `team:id`, for conversations.info (posting is not refused for channels it does not know). */
  readonly channels = new Map<string, FakeChannel>();
  readonly responseTargets = new Map<string, ResponseTarget>();
  /** conversations.open results: channel id → member user ids. */
  readonly conversations = new Map<string, { teamId: string; users: string[] }>();
  readonly installCodes = new Map<string, FakeTeam>();
  oauthClient = { id: 'client-id', secret: 'client-secret' };
  appToken = 'xapp-1-test';
  private seq = 0;
  private ts = 1_700_000_000;
  private readonly limits: (Where & { method: string; times: number; retryAfter: number })[] = [];
  /** Members whose DMs are refused: user id → the error conversations.open and posts to their DM answer. */
  readonly refusedDms = new Map<string, string>();
  private readonly failures: { method: string; error: string; times: number }[] = [];
  private readonly httpFaults: { method: string; status?: number; stallMs?: number; times: number }[] = [];
  private server?: http.Server;
  private wss?: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (payload: unknown) => void>();
  url = '';
  /**
   * Told of every Web API call twice: `arrived`, before the fake acts on it (return 'drop' to cut the connection with
   * nothing done and nothing recorded: a request lost in flight), and `handled`, once it has acted and recorded the
   * call but before the answer is written (the caller has not seen it yet). The crash tests kill the bot there.
   */
  onApiCall?: (phase: 'arrived' | 'handled', call: ApiCall) => 'drop' | undefined;
  /** Set by enforceRateLimits: chat.postMessage's per-channel limit, and how many posts it refused. */
  rateLimits?: RateWindows;

  /**
   * Enforces chat.postMessage's limit of one message a second per channel (rate-limits.ts) from now on: a post over
   * it is answered `ratelimited` (429 with Retry-After), counted in `rateLimits.refused`. `scale` > 1 speeds the
   * fake's clock up (the pacer must be given the same factor).
   */
  enforceRateLimits(scale = 1): RateWindows {
    this.rateLimits = new RateWindows(SLACK_POST_PER_CHANNEL, scale);
    return this.rateLimits;
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await fake.listen();
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  addTeam(t: Partial<FakeTeam> & { id: string }): FakeTeam {
    const team: FakeTeam = {
      name: `Team ${t.id}`,
      domain: t.id.toLowerCase(),
      botToken: `xoxb-${t.id}-bot`,
      botUserId: `UB${t.id.slice(1)}`,
      botId: `B${t.id.slice(1)}`,
      ...t,
    };
    this.teams.set(team.id, team);
    return team;
  }

  /** A channel of a workspace: public unless said, the bot a member unless said. */
  addChannel(c: Omit<FakeChannel, 'isPrivate' | 'isMember' | 'isArchived'> & Partial<FakeChannel>): FakeChannel {
    const ch: FakeChannel = { isPrivate: false, isMember: true, isArchived: false, ...c };
    this.channels.set(`${ch.teamId}:${ch.id}`, ch);
    return ch;
  }

  addUser(u: FakeUser): FakeUser {
    this.users.set(`${u.teamId}:${u.id}`, u);
    return u;
  }

  /**
   * The next `times` calls of `method` answer 429 with Retry-After (seconds): only those in one team, to one
   * channel (`channel` argument) or for one user (`users` argument), when given.
   */
  rateLimit(method: string, opts: Where & { times?: number; retryAfter?: number } = {}): void {
    this.limits.push({ ...opts, method, times: opts.times ?? 1, retryAfter: opts.retryAfter ?? 1 });
  }

  /**
   * The member refuses DMs from here on: conversations.open with them, and posts to their DM channel, answer
   * `error` (`cannot_dm_bot`, `user_disabled`, `is_archived`, …).
   */
  refuseDms(userId: string, error = 'cannot_dm_bot'): void {
    this.refusedDms.set(userId, error);
  }

  /** The refusal for a call that opens or posts to a refused member's DM. */
  private dmRefusal(method: string, args: Record<string, Loose>, team: FakeTeam | null): string | undefined {
    if (method === 'conversations.open') {
      const users = String(args.users ?? '').split(',');
      return users.map((u) => this.refusedDms.get(u)).find(Boolean);
    }
    if (!method.startsWith('chat.')) return undefined;
    const dm = this.conversations.get(String(args.channel ?? ''));
    if (!dm || dm.teamId !== team?.id || dm.users.length !== 1) return undefined;
    return this.refusedDms.get(dm.users[0]!);
  }

  /** The next `times` calls of `method` answer `{ ok: false, error }`. */
  fail(method: string, error: string, times = 1): void {
    this.failures.push({ method, error, times });
  }

  /** The next `times` calls of `method` answer HTTP `status` (a 5xx outage) with no JSON body. */
  serverError(method: string, status = 503, times = 1): void {
    this.httpFaults.push({ method, status, times });
  }

  /**
   * The next `times` calls of `method` (`respond` for response_url posts) are held `ms` before being served: a
   * platform that times out when `ms` exceeds the client's timeout, or a slow one.
   */
  stall(method: string, ms: number, times = 1): void {
    this.httpFaults.push({ method, stallMs: ms, times });
  }

  /** The DM (one user) or group DM with these users: the same id every time, as conversations.open gives. */
  conversation(teamId: string, userIds: string[]): string {
    const users = [...userIds].sort();
    const hash = createHash('sha1')
      .update(`${teamId}:${users.join(',')}`)
      .digest('hex')
      .slice(0, 8)
      .toUpperCase();
    const id = `${users.length === 1 ? 'D' : 'G'}${hash}`;
    this.conversations.set(id, { teamId, users });
    return id;
  }

  /** A fresh response_url for an interaction the client is about to send. */
  responseUrl(target: ResponseTarget): string {
    const id = `r${++this.seq}`;
    this.responseTargets.set(id, target);
    return `${this.url}/respond/${id}`;
  }

  api(method?: string, teamId?: string): Recorded[] {
    return this.calls.filter(
      (c) => c.kind !== 'upload' && (!method || c.method === method) && (!teamId || c.teamId === teamId),
    );
  }

  /** Until `pred` holds, checked at each call the fake records (the bot answers asynchronously after its ack). */
  waitFor<T>(pred: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return eventually(pred, { on: this.changed, timeoutMs, what: 'the bot' }) as Promise<T>;
  }

  /** Sends a Socket Mode envelope and resolves with the bot's acknowledgement payload. */
  async socketSend(type: string, payload: unknown, extra: Record<string, unknown> = {}): Promise<unknown> {
    const [socket] = this.sockets;
    if (!socket) throw new Error('no Socket Mode connection');
    const envelopeId = `env-${++this.seq}`;
    const acked = new Promise((resolve) => this.acks.set(envelopeId, resolve));
    socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true, ...extra }));
    return acked;
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', this.url).pathname;
        const method = path.startsWith('/respond/') ? 'respond' : path.slice('/api/'.length);
        const fault = this.httpFaults.find((f) => f.method === method && f.times > 0);
        if (!fault) return void this.route(req, res, Buffer.concat(chunks));
        fault.times--;
        if (fault.status) {
          this.record('api', method, {}, null);
          res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end('upstream unavailable');
          return;
        }
        this.record('api', method, { stalledMs: fault.stallMs }, null);
        setTimeout(() => {
          if (!res.destroyed) this.route(req, res, Buffer.concat(chunks));
        }, fault.stallMs);
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.get(msg.envelope_id)?.(msg.payload ?? {});
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private record(kind: Recorded['kind'], method: string, args: Record<string, Loose>, teamId: string | null): Recorded {
    const r: Recorded = { seq: ++this.seq, kind, method, args, teamId, at: Date.now() };
    this.calls.push(r);
    // told once the request's handling, which is synchronous, has set what the fake answered
    queueMicrotask(() => this.changes.notify());
    return r;
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): boolean {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(data));
      return true;
    };
    if (path.startsWith('/respond/')) {
      const target = this.responseTargets.get(path.slice('/respond/'.length));
      if (!target) return json(404, { ok: false, error: 'expired_url' });
      const posted = JSON.parse(body.toString() || '{}');
      const recorded = this.record('respond', path.slice('/respond/'.length), posted, target.teamId);
      // A response_url refuses what chat.postMessage refuses, with a 400 naming the error.
      const refusal = posted.delete_original ? null : checkMessageArgs(posted);
      if (refusal) {
        recorded.result = refusal;
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end(refusal.error);
        return true;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return true;
    }
    if (path.startsWith('/upload/')) {
      this.record('upload', path.slice('/upload/'.length), { bytes: body.length }, null);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK - 1');
      return true;
    }
    if (!path.startsWith('/api/')) return json(404, { ok: false, error: 'not_found' });
    const method = path.slice('/api/'.length);
    const args = parseArgs(req.headers['content-type'] ?? '', body);
    const auth = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
    const team = [...this.teams.values()].find((t) => t.botToken === auth) ?? null;
    delete args.token;
    if (this.onApiCall?.('arrived', { method, args, teamId: team?.id ?? null }) === 'drop') {
      req.socket.destroy();
      return true;
    }
    const recorded = this.record('api', method, args, team?.id ?? null);
    const overBy =
      this.rateLimits && method === 'chat.postMessage' ? this.rateLimits.take(`${team?.id}:${args.channel}`) : 0;
    if (overBy > 0) {
      return json(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(Math.ceil(overBy / 1000)) });
    }
    const limit = this.limits.find((l) => l.method === method && l.times > 0 && matches(l, args, team));
    if (limit) {
      limit.times--;
      return json(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(limit.retryAfter) });
    }
    const failure = this.failures.find((f) => f.method === method && f.times > 0);
    if (failure) {
      failure.times--;
      return json(200, { ok: false, error: failure.error });
    }
    const refused = this.dmRefusal(method, args, team);
    if (refused) {
      recorded.result = { ok: false, error: refused };
      return json(200, recorded.result);
    }
    const handler = this.handlers[method];
    if (!handler) return json(200, { ok: false, error: 'unknown_method' });
    const needsTeam = !['oauth.v2.access', 'apps.connections.open'].includes(method);
    if (needsTeam && !team) return json(200, { ok: false, error: 'invalid_auth' });
    const invalid = payloadRefusal(method, args);
    if (invalid) {
      recorded.result = invalid;
      return json(200, invalid);
    }
    recorded.result = handler(args, team);
    this.onApiCall?.('handled', { method, args, teamId: team?.id ?? null });
    return json(200, recorded.result);
  }

  private nextTs(): string {
    return `${++this.ts}.000100`;
  }

  private readonly handlers: Record<string, Handler> = {
    'auth.test': (_a, t) => ({
      ok: true,
      url: `https://${t!.domain}.slack.com/`,
      team: t!.name,
      team_id: t!.id,
      user: 'roundtable',
      user_id: t!.botUserId,
      bot_id: t!.botId,
    }),
    'chat.postMessage': (a) => ({ ok: true, channel: a.channel, ts: this.nextTs(), message: { text: a.text } }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: this.nextTs() }),
    'chat.update': (a) => ({ ok: true, channel: a.channel, ts: a.ts, text: a.text }),
    'conversations.open': (a, t) => {
      const users = String(a.users ?? '')
        .split(',')
        .filter(Boolean)
        .sort();
      if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
      for (const u of users) if (!this.users.has(`${t!.id}:${u}`)) return { ok: false, error: 'user_not_found' };
      return { ok: true, channel: { id: this.conversation(t!.id, users) } };
    },
    // Slack answers channel_not_found for another workspace's channel and for a private one the bot is not in.
    'conversations.info': (a, t) => {
      const c = this.channels.get(`${t!.id}:${String(a.channel ?? '')}`);
      if (!c || (c.isPrivate && !c.isMember)) return { ok: false, error: 'channel_not_found' };
      return {
        ok: true,
        channel: {
          id: c.id,
          name: c.name,
          is_channel: !c.isPrivate,
          is_group: c.isPrivate,
          is_im: false,
          is_private: c.isPrivate,
          is_member: c.isMember,
          is_archived: c.isArchived,
          context_team_id: c.teamId,
        },
      };
    },
    'views.open': (a) => ({ ok: true, view: { id: `V${++this.seq}`, ...a.view } }),
    'views.update': (a) => ({ ok: true, view: { id: a.view_id ?? `V${++this.seq}`, ...a.view } }),
    'users.info': (a, t) => {
      const u = this.users.get(`${t!.id}:${a.user}`);
      if (!u) return { ok: false, error: 'user_not_found' };
      return {
        ok: true,
        user: {
          id: u.id,
          team_id: u.teamId,
          name: u.name,
          real_name: u.displayName ?? u.name,
          is_admin: Boolean(u.isAdmin),
          is_owner: false,
          is_bot: Boolean(u.isBot),
          profile: { display_name: u.displayName ?? u.name, real_name: u.displayName ?? u.name },
        },
      };
    },
    'oauth.v2.access': (a) => {
      const team = this.installCodes.get(String(a.code));
      if (a.client_id !== this.oauthClient.id || a.client_secret !== this.oauthClient.secret)
        return { ok: false, error: 'invalid_client_id' };
      if (!team) return { ok: false, error: 'invalid_code' };
      this.installCodes.delete(String(a.code));
      return {
        ok: true,
        app_id: 'A1',
        authed_user: { id: `UINSTALLER${team.id}` },
        scope: 'commands,chat:write',
        token_type: 'bot',
        access_token: team.botToken,
        bot_user_id: team.botUserId,
        team: { id: team.id, name: team.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
    'apps.connections.open': () => ({ ok: true, url: `${this.url.replace('http', 'ws')}/socket` }),
    'files.getUploadURLExternal': (a) => {
      const id = `F${++this.seq}`;
      return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id, filename: a.filename };
    },
    'files.completeUploadExternal': (a) => ({
      ok: true,
      files: (a.files as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title ?? '' })),
    }),
  };
}

/** Slack's own checks on what a call carries: Block Kit and text limits for messages, the view's for modals. */
function payloadRefusal(method: string, args: Record<string, Loose>): SlackRefusal | null {
  if (['chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(method)) return checkMessageArgs(args);
  if (['views.open', 'views.update', 'views.push'].includes(method)) return checkView(args.view);
  return null;
}

/** Which calls a fault applies to; unset fields match any. */
export interface Where {
  teamId?: string;
  /** The call's `channel` argument (chat.postMessage, chat.update, …). */
  channel?: string;
  /** One of the users in the call's `users` argument (conversations.open). */
  user?: string;
}

function matches(w: Where, args: Record<string, Loose>, team: FakeTeam | null): boolean {
  if (w.teamId && w.teamId !== team?.id) return false;
  if (w.channel && String(args.channel ?? '') !== w.channel) return false;
  if (
    w.user &&
    !String(args.users ?? '')
      .split(',')
      .includes(w.user)
  )
    return false;
  return true;
}

/** The WebClient posts form-encoded bodies whose structured values are JSON strings. */
function parseArgs(contentType: string, body: Buffer): Record<string, Loose> {
  if (contentType.includes('application/json')) return JSON.parse(body.toString() || '{}');
  const out: Record<string, Loose> = {};
  for (const [k, v] of new URLSearchParams(body.toString())) {
    out[k] = /^[[{]/.test(v) ? tryJson(v) : v;
  }
  return out;
}

const tryJson = (v: string) => {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};
